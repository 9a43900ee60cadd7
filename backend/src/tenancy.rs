//! Regions and tenants: platform admins create them (`POST /api/v1/regions`,
//! `POST /api/v1/tenants`) when a district comes on board. Audited; a slug already taken is
//! a conflict, a malformed field a 422 naming it.

use crate::audit::{self, Event};
use crate::error::{ApiError, Result};
use serde_json::json;
use shared::api::{NewRegion, NewTenant, RegionView, TenantSummary};
use sqlx::PgConnection;
use uuid::Uuid;

/// What the schema accepts as a slug: lower-case letters, digits and hyphens, 1–63 long,
/// not starting with a hyphen (it appears in URLs).
fn check_slug(field: &str, slug: &str) -> Result<()> {
    let ok = (1..=63).contains(&slug.len())
        && !slug.starts_with('-')
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::Unprocessable(format!("{field}: {slug:?} is not a slug (a-z, 0-9 and -, at most 63)")))
    }
}

fn check_name(field: &str, name: &str, required: bool) -> Result<()> {
    let n = name.trim().chars().count();
    if (required && n == 0) || n > 200 {
        let need = if required { "1 to 200" } else { "at most 200" };
        return Err(ApiError::Unprocessable(format!("{field}: needs {need} characters")));
    }
    shared::text::check_name(name).map_err(|problem| ApiError::Unprocessable(format!("{field}: {problem}")))
}

fn taken(e: sqlx::Error, what: &str, slug: &str) -> ApiError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            ApiError::Conflict(format!("a {what} with slug {slug:?} already exists"))
        }
        _ => ApiError::Database(e),
    }
}

pub async fn create_region(conn: &mut PgConnection, actor: Option<Uuid>, new: &NewRegion) -> Result<RegionView> {
    check_slug("slug", &new.slug)?;
    check_name("name", &new.name, true)?;
    check_name("name_en", &new.name_en, false)?;
    let id: Uuid =
        sqlx::query_scalar("insert into region (slug, name, name_en) values ($1, $2, $3) returning region_id")
            .bind(&new.slug)
            .bind(new.name.trim())
            .bind(new.name_en.trim())
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| taken(e, "region", &new.slug))?;
    audit::append(conn, Event::created(None, actor, "region", id, json!(new))).await?;
    Ok(RegionView { slug: new.slug.clone(), name: new.name.trim().to_owned(), name_en: new.name_en.trim().to_owned() })
}

pub async fn create_tenant(conn: &mut PgConnection, actor: Option<Uuid>, new: &NewTenant) -> Result<TenantSummary> {
    check_slug("slug", &new.slug)?;
    check_name("name", &new.name, true)?;
    check_name("name_en", &new.name_en, false)?;
    let time_zone = new.time_zone.as_deref().unwrap_or("Asia/Shanghai");
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(ApiError::Unprocessable(format!("time_zone: {time_zone:?} is not an IANA time zone")));
    }
    let region: Option<(Uuid, bool)> = sqlx::query_as("select region_id, is_demo from region where slug = $1")
        .bind(&new.region)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((region_id, region_is_demo)) = region else {
        return Err(ApiError::Unprocessable(format!("region: no region {:?}", new.region)));
    };
    // A real district never joins the demo region: synthetic data stays apart.
    if region_is_demo {
        return Err(ApiError::Unprocessable("region: the demo region holds only `backend demo` districts".into()));
    }
    let id: Uuid = sqlx::query_scalar(
        "insert into tenant (region_id, slug, name, name_en, time_zone) values ($1, $2, $3, $4, $5) returning tenant_id",
    )
    .bind(region_id)
    .bind(&new.slug)
    .bind(new.name.trim())
    .bind(new.name_en.trim())
    .bind(time_zone)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| taken(e, "tenant", &new.slug))?;
    crate::db::set_tenant_context(conn, &[id]).await?;
    audit::append(conn, Event::created(Some(id), actor, "tenant", id, json!(new))).await?;
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
