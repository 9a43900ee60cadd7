//! `GET /api/v1/regions/{region}/comparison[?indicator=KEY]`: supervisors compare districts.

use super::plans::cached_json;
use super::routes::ApiRoutes;
use crate::app::AppState;
use crate::error::{ApiError, Result};
use crate::{access, comparison};
use axum::extract::{Extension, Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use shared::api::{RegionComparison, RegionSummary};
use shared::page_data::Caller;
use uuid::Uuid;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/regions/{region}/comparison", get_comparison)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparisonQuery {
    indicator: Option<String>,
}

async fn get_comparison(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(region): Path<String>,
    query: std::result::Result<Query<ComparisonQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response> {
    let Query(query) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let found: Option<(Uuid, String, String)> =
        sqlx::query_as("select region_id, name, name_en from region where slug = $1")
            .bind(&region)
            .fetch_optional(&state.pool)
            .await?;
    let (region_id, name, name_en) = found.ok_or(ApiError::NotFound("region"))?;
    access::compare_region(&caller, region_id)?;
    // Every district of the region is read: the transaction may see them all.
    let (tenants, version): (Vec<Uuid>, Option<i64>) = sqlx::query_as(
        "select coalesce(array_agg(tenant_id), '{}'), max(data_version) from tenant where region_id = $1",
    )
    .bind(region_id)
    .fetch_one(&state.pool)
    .await?;
    let catalog_version: Option<f64> = match &query.indicator {
        Some(key) => {
            sqlx::query_scalar("select extract(epoch from updated_at)::float8 from catalog_entry where key = $1")
                .bind(key)
                .fetch_optional(&state.pool)
                .await?
        }
        None => None,
    };
    let now = state.clock.now();
    let key = format!(
        "pb:comparison:{region_id}:{}:{}:{}:{}",
        query.indicator.as_deref().unwrap_or("-"),
        version.unwrap_or(0),
        catalog_version.unwrap_or(0.0),
        state.clock.today_in("Asia/Shanghai"),
    );
    let region = RegionSummary { slug: region, name, name_en };
    let (body, outcome) = state
        .cache
        .get_or_compute(&key, || async {
            let mut tx = crate::db::tenant_tx(&state.pool, &tenants).await?;
            let rows = comparison::tenants(&mut tx, region_id, now).await?;
            let indicator = match &query.indicator {
                Some(key) => Some(comparison::indicator(&mut tx, region_id, key).await?),
                None => None,
            };
            tx.commit().await?;
            Ok::<_, ApiError>(RegionComparison { region: region.clone(), tenants: rows, indicator })
        })
        .await?;
    Ok(cached_json(body, outcome))
}
