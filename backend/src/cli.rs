//! The `backend` command line (PRODUCT.md §7).

use crate::app::{AppState, Application};
use crate::clock::SystemClock;
use crate::config::Config;
use crate::{db, seed, telemetry};
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "backend",
    about = "Planboard: development plans tracked across districts"
)]
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
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::from_env()?;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let pool = db::connect(config.database_admin_url.expose(), 2).await?;
            db::MIGRATOR
                .run(&pool)
                .await
                .context("applying migrations")?;
            println!("migrations applied");
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

async fn serve(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url.expose(), 16).await?;
    db::ensure_rls_applies(&pool).await?;
    let state = AppState::new(
        pool,
        Arc::new(SystemClock),
        config.site_root.clone(),
        config.redis_url.is_some(),
    );
    let app = Application::build(state, config.addr).await?;
    let addr = app.local_addr()?;
    tracing::info!(%addr, "listening");
    println!("Planboard is running at http://{addr}/");
    app.run_until_stopped().await?;
    Ok(())
}
