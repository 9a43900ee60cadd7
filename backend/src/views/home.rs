//! The home page's read model: every district, grouped by region (real regions before demo
//! ones), with the headline figures (indicators by status, overdue tasks, across published
//! plans) of the districts the caller may read in full. District names are public; figures
//! that include internal plans are not, so a reader who may not see a district's internal
//! data sees its name only.

use crate::auth::access::{self, TenantRef, TenantScope};
use crate::error::Result;
use crate::infra::clock::date_in;
use crate::infra::db;
use chrono::{DateTime, Datelike, Utc};
use shared::api::{Headline, Home, HomeDistrict, HomeRegion, StatusCounts, TenantSummary};
use shared::page_data::Caller;
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct RegionRow {
    region_id: Uuid,
    slug: String,
    name: String,
    name_en: String,
    is_demo: bool,
}

#[derive(sqlx::FromRow)]
struct DistrictRow {
    tenant_id: Uuid,
    region_id: Uuid,
    slug: String,
    name: String,
    name_en: String,
    is_demo: bool,
    time_zone: String,
}

#[derive(sqlx::FromRow)]
struct RollupRow {
    tenant_id: Uuid,
    indicators_total: i32,
    achieved: i32,
    on_track: i32,
    at_risk: i32,
    behind: i32,
    no_data: i32,
    open_due_years: Vec<i32>,
}

pub async fn home(pool: &PgPool, now: DateTime<Utc>, caller: &Caller) -> Result<Home> {
    let regions: Vec<RegionRow> =
        sqlx::query_as("select region_id, slug, name, name_en, is_demo from region order by is_demo, slug")
            .fetch_all(pool)
            .await?;
    let districts: Vec<DistrictRow> = sqlx::query_as(
        "select tenant_id, region_id, slug, name, name_en, is_demo, time_zone from tenant order by is_demo, slug",
    )
    .fetch_all(pool)
    .await?;
    let readable: Vec<Uuid> = districts
        .iter()
        .filter(|d| {
            let tenant = TenantRef { tenant_id: d.tenant_id, region_id: d.region_id };
            access::tenant_scope(caller, tenant) == TenantScope::Internal
        })
        .map(|d| d.tenant_id)
        .collect();
    let mut rollups: HashMap<Uuid, RollupRow> = HashMap::new();
    if !readable.is_empty() {
        let mut tx = db::tenant_tx(pool, &readable).await?;
        let rows: Vec<RollupRow> = sqlx::query_as(
            "select tenant_id, indicators_total, achieved, on_track, at_risk, behind, no_data, open_due_years
             from tenant_rollup where tenant_id = any($1)",
        )
        .bind(&readable)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rollups.extend(rows.into_iter().map(|r| (r.tenant_id, r)));
    }
    let mut by_region: HashMap<Uuid, Vec<HomeDistrict>> = HashMap::new();
    for d in districts {
        // Overdue: open tasks due in a year before the district's current one.
        let year = date_in(now, &d.time_zone).year();
        let headline = rollups.remove(&d.tenant_id).map(|r| Headline {
            indicators: StatusCounts {
                total: r.indicators_total.into(),
                achieved: r.achieved.into(),
                on_track: r.on_track.into(),
                at_risk: r.at_risk.into(),
                behind: r.behind.into(),
                no_data: r.no_data.into(),
            },
            overdue: r.open_due_years.iter().filter(|&&due| due < year).count() as i64,
        });
        let region = regions.iter().find(|r| r.region_id == d.region_id).map(|r| r.slug.clone()).unwrap_or_default();
        let tenant = TenantSummary { slug: d.slug, name: d.name, name_en: d.name_en, region, is_demo: d.is_demo };
        by_region.entry(d.region_id).or_default().push(HomeDistrict { tenant, headline });
    }
    let regions = regions
        .into_iter()
        .map(|r| HomeRegion {
            districts: by_region.remove(&r.region_id).unwrap_or_default(),
            slug: r.slug,
            name: r.name,
            name_en: r.name_en,
            is_demo: r.is_demo,
        })
        .filter(|r| !r.districts.is_empty())
        .collect();
    Ok(Home { regions })
}
