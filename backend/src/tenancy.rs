//! Regions and tenants (districts): the record every request in a tenant is scoped by, and
//! their creation by platform admins when a district comes on board (audited; a slug already
//! taken is a conflict, a malformed field an error naming it).

use crate::audit::{self, Event};
use crate::error::{Error, OnConstraint, Result};
use serde_json::json;
use shared::api::{NewRegion, NewTenant, RegionView, TenantSummary};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The tenant an action concerns.
#[derive(Debug, Clone, Copy)]
pub struct TenantRef {
    pub tenant_id: Uuid,
    pub region_id: Uuid,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantRecord {
    pub tenant_id: Uuid,
    pub region_id: Uuid,
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub region_slug: String,
    pub time_zone: String,
    pub is_demo: bool,
    /// Bumped by every write that changes the tenant's aggregate views (see `cache`).
    pub data_version: i64,
}

impl TenantRecord {
    pub fn reference(&self) -> TenantRef {
        TenantRef { tenant_id: self.tenant_id, region_id: self.region_id }
    }

    pub fn summary(&self) -> TenantSummary {
        TenantSummary {
            slug: self.slug.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            region: self.region_slug.clone(),
            is_demo: self.is_demo,
        }
    }
}

const TENANT_COLUMNS: &str =
    "t.tenant_id, t.region_id, t.slug, t.name, t.name_en, r.slug as region_slug, t.time_zone, t.is_demo, t.data_version
     from tenant t join region r using (region_id)";

/// Every tenant. District names and regions are public knowledge; what each reader sees
/// inside a tenant is decided per plan.
pub async fn tenants(pool: &PgPool) -> Result<Vec<TenantSummary>> {
    let rows: Vec<TenantRecord> =
        sqlx::query_as(&format!("select {TENANT_COLUMNS} order by t.is_demo, r.slug, t.slug")).fetch_all(pool).await?;
    Ok(rows.iter().map(TenantRecord::summary).collect())
}

#[tracing::instrument(name = "db.tenant", skip(pool))]
pub async fn find_tenant(pool: &PgPool, slug: &str) -> Result<TenantRecord> {
    sqlx::query_as(&format!("select {TENANT_COLUMNS} where t.slug = $1"))
        .bind(slug)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound("tenant"))
}

/// The tenant with id `tenant_id`.
pub async fn find_tenant_by_id(conn: &mut PgConnection, tenant_id: Uuid) -> Result<TenantRecord> {
    sqlx::query_as(&format!("select {TENANT_COLUMNS} where t.tenant_id = $1"))
        .bind(tenant_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound("tenant"))
}

/// Every region, real ones first.
pub async fn regions(pool: &PgPool) -> Result<Vec<RegionView>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("select slug, name, name_en from region order by is_demo, slug").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(slug, name, name_en)| RegionView { slug, name, name_en }).collect())
}

/// The id of region `slug` (404 when there is none).
pub async fn find_region_id(pool: &PgPool, slug: &str) -> Result<Uuid> {
    sqlx::query_scalar("select region_id from region where slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound("region"))
}

/// The region `slug` (404 when there is none).
pub async fn find_region(pool: &PgPool, slug: &str) -> Result<RegionView> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("select slug, name, name_en from region where slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await?;
    let (slug, name, name_en) = row.ok_or(Error::NotFound("region"))?;
    Ok(RegionView { slug, name, name_en })
}

/// What the schema accepts as a slug: lower-case letters, digits and hyphens, 1–63 long,
/// not starting with a hyphen (it appears in URLs).
fn check_slug(field: &'static str, slug: &str) -> Result<()> {
    let ok = (1..=63).contains(&slug.len())
        && !slug.starts_with('-')
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{field}: {slug:?} is not a slug (a-z, 0-9 and -, at most 63)")))
    }
}

fn check_name(field: &'static str, name: &str, required: bool) -> Result<()> {
    let n = name.trim().chars().count();
    if (required && n == 0) || n > 200 {
        let need = if required { "1 to 200" } else { "at most 200" };
        return Err(Error::invalid(field, format!("{field}: needs {need} characters")));
    }
    shared::text::check_name(name).map_err(|problem| Error::invalid(field, format!("{field}: {problem}")))
}

/// Creates a region (audited); the caller has been admitted as a platform admin.
pub async fn create_region(pool: &PgPool, actor: Option<Uuid>, new: &NewRegion) -> Result<RegionView> {
    check_slug("slug", &new.slug)?;
    check_name("name", &new.name, true)?;
    check_name("name_en", &new.name_en, false)?;
    let mut tx = pool.begin().await?;
    let id: Uuid =
        sqlx::query_scalar("insert into region (slug, name, name_en) values ($1, $2, $3) returning region_id")
            .bind(&new.slug)
            .bind(new.name.trim())
            .bind(new.name_en.trim())
            .fetch_one(&mut *tx)
            .await
            .on_constraint("region_slug_key", || {
                Error::Conflict(format!("a region with slug {:?} already exists", new.slug))
            })?;
    audit::append(&mut tx, Event::created(None, actor, "region", id, json!(new))).await?;
    tx.commit().await?;
    Ok(RegionView { slug: new.slug.clone(), name: new.name.trim().to_owned(), name_en: new.name_en.trim().to_owned() })
}

/// Creates a tenant in a region (audited); the caller has been admitted as a platform admin.
pub async fn create_tenant(pool: &PgPool, actor: Option<Uuid>, new: &NewTenant) -> Result<TenantSummary> {
    check_slug("slug", &new.slug)?;
    check_name("name", &new.name, true)?;
    check_name("name_en", &new.name_en, false)?;
    let time_zone = new.time_zone.as_deref().unwrap_or("Asia/Shanghai");
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Error::invalid("time_zone", format!("time_zone: {time_zone:?} is not an IANA time zone")));
    }
    let mut tx = pool.begin().await?;
    let region: Option<(Uuid, bool)> = sqlx::query_as("select region_id, is_demo from region where slug = $1")
        .bind(&new.region)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((region_id, region_is_demo)) = region else {
        return Err(Error::invalid("region", format!("region: no region {:?}", new.region)));
    };
    // A real district never joins the demo region: synthetic data stays apart.
    if region_is_demo {
        return Err(Error::invalid("region", "region: the demo region holds only `backend demo` districts"));
    }
    let id: Uuid = sqlx::query_scalar(
        "insert into tenant (region_id, slug, name, name_en, time_zone) values ($1, $2, $3, $4, $5) returning tenant_id",
    )
    .bind(region_id)
    .bind(&new.slug)
    .bind(new.name.trim())
    .bind(new.name_en.trim())
    .bind(time_zone)
    .fetch_one(&mut *tx)
    .await
    .on_constraint("tenant_slug_key", || Error::Conflict(format!("a tenant with slug {:?} already exists", new.slug)))?;
    crate::infra::db::set_tenant_context(&mut tx, &[id]).await?;
    audit::append(&mut tx, Event::created(Some(id), actor, "tenant", id, json!(new))).await?;
    tx.commit().await?;
    Ok(TenantSummary {
        slug: new.slug.clone(),
        name: new.name.trim().to_owned(),
        name_en: new.name_en.trim().to_owned(),
        region: new.region.clone(),
        is_demo: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_what_urls_and_the_schema_accept() {
        for good in ["qianjiang", "a", "xiu-shan-2"] {
            assert!(check_slug("slug", good).is_ok(), "{good}");
        }
        for bad in ["", "-x", "Qianjiang", "黔江", "a b", &"a".repeat(64)] {
            assert!(check_slug("slug", bad).is_err(), "{bad}");
        }
    }
}
