//! `GET /api/v1/regions/{region}/comparison[?indicator=KEY&sort=progress|name|overdue&offset=N&limit=N]`:
//! supervisors compare districts, a page at a time.

use crate::error::{Error, Result};
use crate::mirror::Freshness;
use crate::state::AppState;
use crate::views::comparison;
use crate::web::api::params::RegionPath;
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::RegionSlug;
use crate::web::files::FileRequest;
use crate::web::respond::cached_json;
use axum::extract::{Extension, Query, State};
use axum::response::Response;
use serde::Deserialize;
use shared::api::{ComparisonPage, RegionComparison};
use shared::model::TokenScope;
use shared::page_data::Caller;
use utoipa::IntoParams;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SignedIn(TokenScope::Read), routes!(get_comparison))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ComparisonQuery {
    /// A catalog key: each district's own indicator for it, side by side.
    indicator: Option<String>,
    /// `progress` (the default: mean progress, no data last), `name` or `overdue` (most
    /// overdue tasks first).
    sort: Option<String>,
    /// How many districts to skip.
    #[param(minimum = 0)]
    offset: Option<i64>,
    /// How many districts, 1–500 (100 by default).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// `csv` or `xlsx`: this page of the comparison as a file (the districts, or with
    /// `indicator` the districts' own indicators); `json` (the default).
    format: Option<String>,
    /// A file's header row: `words` (the default) or `keys`.
    header: Option<String>,
    /// The words' language in a file: `zh-CN` or `en`.
    lang: Option<String>,
}

/// Compare the districts of a region (its supervisors, platform admins).
///
/// One row per district
/// (indicators by status, mean progress, tasks, overdue), ranked by progress, never by raw
/// value; with `indicator`, each district's own indicator for that catalog key. From the
/// cache when fresh; the key carries the region's data version.
#[utoipa::path(get, path = "/api/v1/regions/{region}/comparison", tag = "regions",
    params(RegionPath, ComparisonQuery), responses(
    (status = 200, content(
        (RegionComparison = "application/json"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
     ), headers(("X-Cache" = String, description = "`hit`, `miss` or `bypass`."))),
))]
async fn get_comparison(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    RegionSlug(slug): RegionSlug,
    query: std::result::Result<Query<ComparisonQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
) -> Result<Response> {
    let Query(query) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    let file = FileRequest::new(query.format.as_deref(), query.header.as_deref(), query.lang.as_deref(), &headers)?;
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
    if file.wants_file() {
        let view: RegionComparison = serde_json::from_slice(&body.json)?;
        return match view.indicator {
            Some(indicator) => file.respond(&indicator.rows, &format!("{slug}-{}", indicator.key)),
            None => file.respond(&view.tenants, &format!("{slug}-comparison")),
        };
    }
    Ok(cached_json(body, outcome, &headers))
}
