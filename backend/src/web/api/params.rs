//! The parameters routes share, described once for the OpenAPI document. The extractors of
//! `web/extract.rs` read them from the request; these types only describe them, which is why
//! nothing constructs them.
#![allow(dead_code)]

use utoipa::IntoParams;
use uuid::Uuid;

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TenantPath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PlanPath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
    /// The plan's id.
    id: Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IndicatorPath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
    /// The indicator's id.
    id: Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReportPath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
    /// The indicator's id.
    id: Uuid,
    /// The report's id.
    rid: Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TaskPath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
    /// The task's id.
    id: Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TaskUpdatePath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
    /// The task's id.
    id: Uuid,
    /// The update's id.
    uid: Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct InvitationPath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
    /// The invitation's id.
    id: Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct GrantPath {
    /// The district's slug.
    #[param(example = "qianjiang")]
    slug: String,
    /// The grant's id.
    id: Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RegionPath {
    /// The region's slug.
    #[param(example = "chongqing")]
    region: String,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CatalogKeyPath {
    /// The catalog key.
    #[param(example = "industrial_output_above_scale")]
    key: String,
}

/// The version an edit is made against; required.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatch {
    /// The record's version as its `ETag` gave it: `"3"`.
    #[param(rename = "If-Match")]
    if_match: String,
}

/// The version an edit is made against, when the client wants the check.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct OptionalIfMatch {
    /// The record's version as its `ETag` gave it: `"3"`; a stale one gets 409.
    #[param(rename = "If-Match")]
    if_match: Option<String>,
}
