//! `GET /api/v1/regions/{region}/comparison[?indicator=KEY&sort=progress|name|overdue&offset=N&limit=N]`:
//! supervisors compare districts, a page at a time.

use crate::error::{Error, Result};
use crate::mirror::Freshness;
use crate::state::AppState;
use crate::views::comparison;
use crate::web::api::routes::ApiRoutes;
use crate::web::respond::cached_json;
use axum::extract::{Extension, Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use shared::api::ComparisonPage;
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/regions/{region}/comparison", get_comparison)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparisonQuery {
    indicator: Option<String>,
    sort: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// From the cache when fresh (`X-Cache`); the key carries the region's data version.
async fn get_comparison(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path(slug): Path<String>,
    query: std::result::Result<Query<ComparisonQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
) -> Result<Response> {
    let Query(query) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    comparison::admit(&caller, query.indicator.as_deref())?;
    let page = ComparisonPage::new(query.sort.as_deref(), query.offset, query.limit).map_err(Error::BadRequest)?;
    let synced = fresh.synced(&state.mirror).await;
    let record = state.mirror.region(&state.pool, synced, &slug, query.indicator.as_deref()).await?;
    let region = comparison::ComparableRegion::new(&caller, &slug, record)?;
    let now = state.clock.now();
    // A catalog entry's names are part of the view: its last change is part of the key.
    let key = format!(
        "pb:comparison:{}:{}:{}:{}:{}:{}:{}:{}",
        region.region_id,
        query.indicator.as_deref().unwrap_or("-"),
        page.sort,
        page.offset,
        page.limit,
        region.version,
        region.catalog_version.unwrap_or(0.0),
        state.clock.today_in("Asia/Shanghai"),
    );
    let (body, outcome) = state
        .cache
        .get_or_compute(&key, || comparison::build(&state.pool, &region, now, query.indicator.as_deref(), page))
        .await?;
    Ok(cached_json(body, outcome, &headers))
}
