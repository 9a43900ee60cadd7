//! The region comparison: one row per district of a region, and for one
//! catalog key each district's own indicator side by side, ranked by progress.

use crate::error::{Error, Result};
use crate::views::dashboard::IndicatorCounts;
use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use shared::api::{
    CatalogComparison, CatalogRow, ComparisonPage, Latest, RegionComparison, RegionSummary, TaskCounts,
    TenantComparison,
};
use shared::model::ComparisonSort;
use shared::period::Period;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct TenantRow {
    slug: String,
    name: String,
    name_en: String,
    is_demo: bool,
    #[sqlx(flatten)]
    counts: IndicatorCounts,
    tasks_total: i64,
    not_started: i64,
    in_progress: i64,
    completed: i64,
    blocked: i64,
    open_due_years: Vec<i32>,
    time_zone: String,
}

/// The page's districts of the region with their published plans' standing, from the
/// rollups the write triggers keep (migrations `tenant_rollups`, `comparison_standings`):
/// by progress or name, a page is the first entries of an index on the rollups.
/// `now` decides overdue: tasks due before the year it is in each district's own time zone.
pub async fn tenants(
    conn: &mut PgConnection,
    region_id: Uuid,
    now: DateTime<Utc>,
    page: ComparisonPage,
) -> Result<Vec<TenantComparison>> {
    // No data sorts after any progress; the slug breaks ties, so pages never overlap.
    let order = match page.sort {
        ComparisonSort::Progress => "r.mean_progress desc nulls last, r.slug",
        ComparisonSort::Name => "r.slug",
        // The district's current year as a subquery: computed once per district rather than
        // once per year in its list (a time zone conversion each; a quarter of this sort's
        // time at 2,850 districts).
        ComparisonSort::Overdue => {
            "(select count(*) from unnest(r.open_due_years) y
              where y < (select extract(year from $2::timestamptz at time zone r.time_zone))) desc, r.slug"
        }
    };
    let found: Vec<TenantRow> = sqlx::query_as(&format!(
        "select r.slug, r.name, r.name_en, r.is_demo,
                r.indicators_total::bigint as total, r.achieved::bigint as achieved,
                r.on_track::bigint as on_track, r.at_risk::bigint as at_risk,
                r.behind::bigint as behind, r.no_data::bigint as no_data, r.mean_progress,
                r.tasks_total::bigint as tasks_total, r.not_started::bigint as not_started,
                r.in_progress::bigint as in_progress, r.completed::bigint as completed,
                r.blocked::bigint as blocked, r.open_due_years, r.time_zone
         from tenant_rollup r
         where r.region_id = $1
         order by {order} limit $3 offset $4"
    ))
    .bind(region_id)
    .bind(now)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(&mut *conn)
    .await?;
    let rows = found
        .into_iter()
        .map(|r| {
            let year = crate::infra::clock::date_in(now, &r.time_zone).year();
            let tasks = TaskCounts {
                total: r.tasks_total,
                not_started: r.not_started,
                in_progress: r.in_progress,
                completed: r.completed,
                blocked: r.blocked,
                // As the overdue order above counts them (here, not per row in SQL: a
                // tenth of the comparison's time in PostgreSQL).
                overdue: r.open_due_years.iter().filter(|&&y| y < year).count() as i64,
            };
            TenantComparison {
                slug: r.slug,
                name: r.name,
                name_en: r.name_en,
                is_demo: r.is_demo,
                indicators: r.counts.by_status(),
                mean_progress: r.counts.mean_progress(),
                task_completion: (tasks.total > 0).then(|| tasks.completed as f64 / tasks.total as f64),
                tasks,
            }
        })
        .collect();
    Ok(rows)
}

#[derive(sqlx::FromRow)]
struct CatalogRecord {
    slug: String,
    tenant_name: String,
    is_demo: bool,
    indicator_name: String,
    unit: String,
    baseline_year: i32,
    baseline_value: Option<Decimal>,
    target_year: i32,
    target_value: Decimal,
    comparator: String,
    latest_period_year: Option<i32>,
    latest_period_quarter: Option<i16>,
    latest_value: Option<Decimal>,
    progress: Option<Decimal>,
    status: String,
    /// Rows on every page.
    total: i64,
}

/// How many standings catalog key `$2` has in region `$1`: the standings are the indicators
/// of published plans, kept by the write triggers of migration `comparison_standings`.
const CATALOG_TOTAL: &str = "select count(*) from catalog_standing where catalog_key = $2 and region_id = $1";

/// The page's districts' indicators for the catalog entry `entry`, ranked by progress.
pub async fn indicator(
    conn: &mut PgConnection,
    region_id: Uuid,
    entry: &CatalogNames,
    page: ComparisonPage,
) -> Result<CatalogComparison> {
    let key = entry.key.as_str();
    let records: Vec<CatalogRecord> = sqlx::query_as(&format!(
        "select s.slug, s.tenant_name, s.tenant_is_demo as is_demo, s.name as indicator_name, s.unit, s.baseline_year,
                s.baseline_value, s.target_year, s.target_value, s.comparator, s.latest_period_year,
                s.latest_period_quarter, s.latest_value, s.progress, s.status, ({CATALOG_TOTAL}) as total
         from catalog_standing s
         where s.catalog_key = $2 and s.region_id = $1
         order by s.progress desc nulls last, s.slug, s.indicator_id
         limit $3 offset $4"
    ))
    .bind(region_id)
    .bind(key)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(&mut *conn)
    .await?;
    let total = match records.first() {
        Some(first) => first.total,
        None if page.offset == 0 => 0,
        // Past the last row: the count is not in any row.
        None => sqlx::query_scalar(CATALOG_TOTAL).bind(region_id).bind(key).fetch_one(&mut *conn).await?,
    };
    let rows = records
        .into_iter()
        .map(|r| {
            let latest = match (r.latest_period_year, r.latest_value) {
                (Some(year), Some(value)) => Some(Latest {
                    period: Period::new(year, r.latest_period_quarter.and_then(|q| u8::try_from(q).ok()))
                        .map_err(|e| Error::Internal(e.into()))?,
                    value,
                }),
                _ => None,
            };
            Ok(CatalogRow {
                tenant: r.slug,
                tenant_name: r.tenant_name,
                is_demo: r.is_demo,
                indicator_name: r.indicator_name,
                unit: r.unit,
                baseline_year: r.baseline_year,
                baseline_value: r.baseline_value,
                target_year: r.target_year,
                target_value: r.target_value,
                comparator: r.comparator.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))?,
                latest,
                progress: r.progress.and_then(|p| p.to_f64()),
                status: r.status.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CatalogComparison {
        key: key.to_owned(),
        name: entry.name.clone(),
        name_en: entry.name_en.clone(),
        unit: entry.unit.clone(),
        total,
        rows,
    })
}

/// A region the caller may compare, with what its cache key needs.
pub struct ComparableRegion {
    pub region_id: Uuid,
    pub summary: RegionSummary,
    /// Names the state of everything the comparison summarises: the newest data version of
    /// the region's districts and how many there are (a district leaving moves the count).
    pub version: String,
    /// The catalog entry's last change, when one indicator is compared.
    pub catalog_version: Option<f64>,
    /// The compared catalog entry, when one indicator is compared and the entry exists.
    pub catalog: Option<CatalogNames>,
    pub districts: i64,
}

/// A catalog entry as the comparison heads its column.
#[derive(Debug, Clone)]
pub struct CatalogNames {
    pub key: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
}

/// A region as its comparison's cache key needs it, before any access check.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegionRecord {
    pub region_id: Uuid,
    pub name: String,
    pub name_en: String,
    /// The newest data version of the region's districts.
    pub newest: Option<i64>,
    pub districts: i64,
    /// The compared catalog entry's last change (None: no entry, or none asked for).
    pub catalog_version: Option<f64>,
    /// The compared catalog entry's key and names (None: no entry, or none asked for).
    pub catalog_key: Option<String>,
    pub catalog_name: Option<String>,
    pub catalog_name_en: Option<String>,
    pub catalog_unit: Option<String>,
}

/// Refuses, before anything is looked up or kept for the request, a caller who may compare
/// no region (401/403) and a key that cannot be a catalog key (404).
pub fn admit(caller: &shared::page_data::Caller, indicator_key: Option<&str>) -> Result<()> {
    crate::auth::access::compare_regions(caller)?;
    if indicator_key.is_some_and(|key| !crate::plans::catalog::is_key(key)) {
        return Err(Error::NotFound("catalog key"));
    }
    Ok(())
}

/// Finds a region (404) with the versions its comparison is computed at, and the compared
/// catalog entry (404 when the catalog has no such key, so the mirror keeps nothing for it).
pub async fn find_region(pool: &sqlx::PgPool, slug: &str, indicator_key: Option<&str>) -> Result<RegionRecord> {
    // One round trip for all a cached read needs (the version parts read the region's
    // districts by the index on tenant (region_id)), and the compared entry's names, which
    // the mirror then keeps with the record.
    let found: Option<RegionRecord> = sqlx::query_as(
        "select r.region_id, r.name, r.name_en,
                (select max(t.data_version) from tenant t where t.region_id = r.region_id) as newest,
                (select count(*) from tenant t where t.region_id = r.region_id) as districts,
                extract(epoch from e.updated_at)::float8 as catalog_version, e.key as catalog_key,
                e.name as catalog_name, e.name_en as catalog_name_en, e.unit as catalog_unit
         from region r left join catalog_entry e on e.key = $2 where r.slug = $1",
    )
    .bind(slug)
    .bind(indicator_key)
    .fetch_optional(pool)
    .await?;
    let found = found.ok_or(Error::NotFound("region"))?;
    if indicator_key.is_some() && found.catalog_key.is_none() {
        return Err(Error::NotFound("catalog key"));
    }
    Ok(found)
}

impl ComparableRegion {
    /// The region `record` (named `slug`), if `caller` may compare it (401/403).
    pub fn new(caller: &shared::page_data::Caller, slug: &str, record: RegionRecord) -> Result<Self> {
        crate::auth::access::compare_region(caller, record.region_id)?;
        Ok(ComparableRegion {
            region_id: record.region_id,
            summary: RegionSummary { slug: slug.to_owned(), name: record.name, name_en: record.name_en },
            version: format!("{}.{}", record.newest.unwrap_or(0), record.districts),
            catalog_version: record.catalog_version,
            catalog: match (record.catalog_key, record.catalog_name, record.catalog_name_en, record.catalog_unit) {
                (Some(key), Some(name), Some(name_en), Some(unit)) => Some(CatalogNames { key, name, name_en, unit }),
                _ => None,
            },
            districts: record.districts,
        })
    }
}

/// The whole comparison, read in one transaction that may see every district of the region;
/// 404 for an `indicator_key` the catalog does not have.
#[tracing::instrument(name = "db.comparison", skip_all)]
pub async fn build(
    pool: &sqlx::PgPool,
    region: &ComparableRegion,
    now: DateTime<Utc>,
    indicator_key: Option<&str>,
    page: ComparisonPage,
) -> Result<RegionComparison> {
    let entry = match indicator_key {
        Some(_) => Some(region.catalog.as_ref().ok_or(Error::NotFound("catalog key"))?),
        None => None,
    };
    let mut tx = crate::infra::db::region_tx(pool, region.region_id).await?;
    let rows = tenants(&mut tx, region.region_id, now, page).await?;
    let indicator = match entry {
        Some(entry) => Some(indicator(&mut tx, region.region_id, entry, page).await?),
        None => None,
    };
    tx.commit().await?;
    Ok(RegionComparison { region: region.summary.clone(), total: region.districts, page, tenants: rows, indicator })
}
