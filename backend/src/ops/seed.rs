//! `backend seed`: loads the tenants whose plans ship with Planboard, from canonical plan
//! documents committed under `backend/seed/`. Running it again changes nothing.

use crate::audit::{self, Event};
use crate::plans::store::{self, StoreError, Stored};
use anyhow::Context;
use serde_json::json;
use shared::plan_document::TenantBundle;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The shipped bundles: Qianjiang District's 2022 manufacturing plan, transcribed from
/// the published document (its full text is kept in the plan's `source_text`).
pub const BUNDLES: &[(&str, &str)] = &[("qianjiang.json", include_str!("../../seed/qianjiang.json"))];

#[derive(Debug, Default)]
pub struct SeedReport {
    pub lines: Vec<String>,
    pub created: usize,
}

pub fn parse_bundle(name: &str, text: &str) -> anyhow::Result<TenantBundle> {
    serde_json::from_str(text).with_context(|| format!("seed file {name} is not a valid tenant bundle"))
}

pub async fn seed(pool: &PgPool) -> anyhow::Result<SeedReport> {
    let mut report = SeedReport::default();
    let entries: Vec<shared::api::CatalogEntry> =
        serde_json::from_str(crate::plans::catalog::SHIPPED).context("the shipped catalog is not valid")?;
    let mut tx = pool.begin().await?;
    for entry in &entries {
        crate::plans::catalog::upsert(&mut tx, entry).await?;
    }
    tx.commit().await?;
    report.lines.push(format!("catalog: {} keys", entries.len()));
    for (name, text) in BUNDLES {
        let bundle = parse_bundle(name, text)?;
        load_bundle(pool, &bundle, &mut report).await.with_context(|| format!("seeding {name}"))?;
    }
    Ok(report)
}

/// Creates the bundle's region and tenant if missing, then stores each plan, in one
/// transaction.
pub async fn load_bundle(pool: &PgPool, bundle: &TenantBundle, report: &mut SeedReport) -> anyhow::Result<()> {
    bundle
        .tenant
        .time_zone
        .parse::<chrono_tz::Tz>()
        .map_err(|_| anyhow::anyhow!("tenant time zone {:?} is not an IANA zone", bundle.tenant.time_zone))?;
    let mut tx = pool.begin().await?;
    let region_id = ensure_region(&mut tx, bundle, report).await?;
    let tenant_id = ensure_tenant(&mut tx, bundle, region_id, report).await?;
    sqlx::query("select set_config('app.tenant_ids', $1, true)").bind(tenant_id.to_string()).execute(&mut *tx).await?;
    for plan in &bundle.plans {
        match store::store_plan(&mut tx, tenant_id, None, plan).await {
            Ok(Stored::Created(id)) => {
                report.created += 1;
                report.lines.push(format!("plan {:?} created ({id})", plan.title));
            }
            Ok(Stored::AlreadyPresent(id)) => {
                report.lines.push(format!("plan {:?} already present ({id})", plan.title));
            }
            Err(e @ StoreError::Invalid(_)) => return Err(e.into()),
            Err(StoreError::Database(e)) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn ensure_region(
    conn: &mut PgConnection,
    bundle: &TenantBundle,
    report: &mut SeedReport,
) -> anyhow::Result<Uuid> {
    let r = &bundle.region;
    let created: Option<Uuid> = sqlx::query_scalar(
        "insert into region (slug, name, name_en) values ($1, $2, $3) on conflict (slug) do nothing returning region_id",
    )
    .bind(&r.slug)
    .bind(&r.name)
    .bind(&r.name_en)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = created {
        report.created += 1;
        report.lines.push(format!("region {} created", r.slug));
        let after = json!({"slug": r.slug, "name": r.name, "name_en": r.name_en});
        audit::append(conn, Event::created(None, None, "region", id, after)).await?;
        return Ok(id);
    }
    Ok(sqlx::query_scalar("select region_id from region where slug = $1").bind(&r.slug).fetch_one(conn).await?)
}

async fn ensure_tenant(
    conn: &mut PgConnection,
    bundle: &TenantBundle,
    region_id: Uuid,
    report: &mut SeedReport,
) -> anyhow::Result<Uuid> {
    let t = &bundle.tenant;
    let created: Option<Uuid> = sqlx::query_scalar(
        "insert into tenant (region_id, slug, name, name_en, time_zone) values ($1, $2, $3, $4, $5)
         on conflict (slug) do nothing returning tenant_id",
    )
    .bind(region_id)
    .bind(&t.slug)
    .bind(&t.name)
    .bind(&t.name_en)
    .bind(&t.time_zone)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = created {
        report.created += 1;
        report.lines.push(format!("tenant {} created", t.slug));
        let after = json!({"slug": t.slug, "name": t.name, "name_en": t.name_en, "region": bundle.region.slug});
        sqlx::query("select set_config('app.tenant_ids', $1, true)").bind(id.to_string()).execute(&mut *conn).await?;
        audit::append(conn, Event::created(Some(id), None, "tenant", id, after)).await?;
        return Ok(id);
    }
    let (id, region): (Uuid, Uuid) =
        sqlx::query_as("select tenant_id, region_id from tenant where slug = $1").bind(&t.slug).fetch_one(conn).await?;
    if region != region_id {
        anyhow::bail!("tenant {} already exists in another region", t.slug);
    }
    Ok(id)
}
