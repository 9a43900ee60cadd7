//! The `backend` command line (the README shows its commands).

use crate::auth::password;
use crate::auth::users::{self, NewGrant};
use crate::config::Config;
use crate::import;
use crate::infra::db;
use crate::infra::telemetry;
use crate::ops::admin;
use crate::ops::demo;
use crate::ops::seed;
use anyhow::Context;
use clap::{Parser, Subcommand};
use shared::model::Role;

#[derive(Parser)]
#[command(name = "backend", about = "Planboard: development plans tracked across districts")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the API and the pages on PLANBOARD_ADDR (default 127.0.0.1:3000).
    Serve,
    /// Apply the database migrations (as DATABASE_ADMIN_URL, the tables' owner).
    Migrate,
    /// Load the shipped tenants (Qianjiang District) and their plans; running it again changes nothing.
    Seed,
    /// Add clearly labelled synthetic districts (region `demo`) for trying the comparison
    /// views; never touches a real tenant. `--remove` deletes them all.
    Demo {
        /// How many districts to add.
        #[arg(long, default_value_t = 12)]
        tenants: usize,
        #[arg(long)]
        remove: bool,
        /// Make this account (an address) the demo region's supervisor.
        #[arg(long)]
        supervisor: Option<String>,
    },
    /// Import a plan into a tenant: canonical JSON, an Excel workbook or CSV made from the
    /// template, or the plan's text as published; `--dry-run` only reports what would be created.
    Import {
        file: std::path::PathBuf,
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// The platform's first administrator, and lost passwords.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Make the first platform admin, with a temporary password printed once (to be changed
    /// at the first sign-in); does nothing when the platform has one.
    Ensure {
        #[arg(long, env = "PLANBOARD_ADMIN_EMAIL", default_value = admin::DEFAULT_EMAIL)]
        email: String,
    },
    /// Give an account a new temporary password, printed once; its sessions end.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user (or set an existing user's password) and grant a role. The password is
    /// read from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// platform_admin, supervisor, tenant_admin, reporter or viewer.
        #[arg(long)]
        role: Role,
        /// The tenant (slug) of a tenant_admin, reporter or viewer.
        #[arg(long)]
        tenant: Option<String>,
        /// The region (slug) of a supervisor.
        #[arg(long)]
        region: Option<String>,
        /// An organisation of a reporter, by name as written in the plan; repeat for several.
        #[arg(long = "org")]
        orgs: Vec<String>,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let telemetry = telemetry::init();
    let outcome = run_command(cli).await;
    // The exporters' HTTP client blocks: flush them off the async runtime, or their final
    // export is lost.
    let _ = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
    outcome
}

async fn run_command(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    match cli.command {
        Command::Serve => crate::startup::serve(config).await,
        Command::Migrate => {
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            db::MIGRATOR.run(&pool).await.context("applying migrations")?;
            println!("migrations applied");
            Ok(())
        }
        Command::User(UserCommand::Add { email, role, tenant, region, orgs }) => {
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            let password = read_password()?;
            let hash = password::hash(password).await?;
            let grant = NewGrant { role, tenant, region, organisations: orgs };
            let mut tx = pool.begin().await?;
            let contact = users::Contact::email(&email)?;
            let user_id =
                users::add_user(&mut tx, None, &contact, "", users::Password::Set(&hash), &grant).await?.user_id;
            tx.commit().await?;
            println!("user {email} ({user_id}) holds {}", role.as_str());
            Ok(())
        }
        Command::Demo { tenants, remove, supervisor } => {
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            if remove {
                println!("removed {} demo districts", demo::remove(&pool).await?);
                return Ok(());
            }
            let started = std::time::Instant::now();
            demo::add(&pool, tenants, chrono::Utc::now()).await?;
            println!("added {tenants} demo districts in region `{}` ({:.1?})", demo::REGION, started.elapsed());
            if let Some(email) = supervisor {
                demo::supervise(&pool, &email).await?;
                println!("{email} supervises region `{}`", demo::REGION);
            }
            Ok(())
        }
        Command::Admin(AdminCommand::Ensure { email }) => {
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            match admin::ensure_platform_admin(&pool, &email).await? {
                admin::FirstAdmin::Made { email, password } => {
                    println!("platform admin: {email}");
                    println!("temporary password: {password}");
                    println!("(shown this once: you choose your own at the first sign-in)");
                }
                admin::FirstAdmin::Exists { emails } => {
                    println!("platform admin: {} (already there)", emails.join(", "));
                    println!("lost its password? backend admin reset-password --email {}", emails[0]);
                }
            }
            Ok(())
        }
        Command::Admin(AdminCommand::ResetPassword { email }) => {
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            let password = admin::reset_password(&pool, &email).await?;
            println!("account: {email}");
            println!("temporary password: {password}");
            println!("(shown this once: its holder chooses their own at the next sign-in; its sessions have ended)");
            Ok(())
        }
        Command::Import { file, tenant, dry_run } => {
            // Progress goes to standard error, stage by stage, so standard output stays the
            // report alone (for scripts).
            let started = std::time::Instant::now();
            let stage = |what: String| eprintln!("{:>9.1} ms  {what}", started.elapsed().as_secs_f64() * 1000.0);
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            stage(format!("read {} ({} bytes)", file.display(), bytes.len()));
            let tenant = crate::tenancy::find_tenant(&pool, &tenant)
                .await
                .map_err(|e| anyhow::anyhow!("tenant {tenant:?}: {e}"))?;
            let reading = import::read(&bytes);
            match &reading.document {
                Some(doc) => stage(format!(
                    "parsed: {} areas, {} indicators, {} tasks; {} warnings",
                    doc.areas.len(),
                    doc.indicators.len(),
                    doc.tasks.len(),
                    reading.warnings.len()
                )),
                None => stage(format!("parsed: {} errors", reading.errors.len())),
            }
            stage(if dry_run {
                "checking against the tenant (dry run)".into()
            } else {
                "storing in one transaction".into()
            });
            let report =
                import::import(&pool, &tenant, None, reading, dry_run).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "outcome": report.outcome, "plan_id": report.plan_id, "counts": report.counts,
                    "new_organisations": report.organisations.iter().filter(|o| o.new).map(|o| &o.name).collect::<Vec<_>>(),
                    "warnings": report.warnings, "errors": report.errors,
                }))?
            );
            stage(format!("{:?} (total)", report.outcome));
            anyhow::ensure!(
                report.outcome != import::ImportOutcome::Invalid,
                "the document has {} error(s); nothing was imported",
                report.errors.len()
            );
            Ok(())
        }
        Command::Seed => {
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            let report = seed::seed(&pool).await?;
            for line in &report.lines {
                println!("{line}");
            }
            println!("{} created", report.created);
            Ok(())
        }
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    password::check_strength(&password)?;
    Ok(password)
}
