//! The JSON shapes of the HTTP API, also what the pages render. API tokens and service
//! accounts are in `tokens`.

mod contacts;
mod tokens;
pub use contacts::*;
pub use tokens::*;

use crate::model::{Comparator, ComparisonSort, IndicatorStatus, PlanStatus, TaskStatus, Visibility};
use crate::period::Period;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantSummary {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub region: String,
    /// Synthetic data made by `backend demo`: shown with a label, never mixed with real tenants.
    pub is_demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSummary {
    pub id: Uuid,
    pub title: String,
    pub issuer: String,
    pub document_number: Option<String>,
    pub issued_on: NaiveDate,
    pub period_start: i32,
    pub period_end: i32,
    pub visibility: Visibility,
    pub status: PlanStatus,
    /// For `If-Match` when changing the plan's publication.
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Latest {
    pub period: Period,
    pub value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorRow {
    pub id: Uuid,
    pub code: String,
    pub area: String,
    pub name: String,
    pub unit: String,
    pub baseline_year: i32,
    pub baseline_value: Option<Decimal>,
    pub target_year: i32,
    pub target_value: Decimal,
    pub comparator: Comparator,
    pub catalog_key: Option<String>,
    /// A catalog key suggested from the name and unit at import, awaiting confirmation.
    pub catalog_suggestion: Option<String>,
    pub notes: Option<String>,
    pub latest: Option<Latest>,
    /// Share of the way from baseline to target, 0–1; null without an approved value.
    pub progress: Option<f64>,
    pub status: IndicatorStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskRow {
    pub id: Uuid,
    pub seq: i32,
    pub area: String,
    pub text: String,
    /// Null when the task is ongoing (长期) or the document states no deadline.
    pub due_year: Option<i32>,
    pub ongoing: bool,
    pub lead_units: Vec<UnitRef>,
    pub responsible_units: Vec<UnitRef>,
    pub cooperating_units: Vec<UnitRef>,
    pub status: TaskStatus,
    pub percent: Option<Decimal>,
    pub overdue: bool,
}

/// Everything the plan page shows, in one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDetail {
    pub tenant: TenantSummary,
    pub plan: PlanSummary,
    pub notes: Option<String>,
    /// Area names in the plan's order.
    pub areas: Vec<String>,
    pub indicators: Vec<IndicatorRow>,
    pub tasks: Vec<TaskRow>,
}

/// A tenant with the plans the caller may read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantPlans {
    pub tenant: TenantSummary,
    pub plans: Vec<PlanSummary>,
}

/// The body of every error response: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// The field of the request the error is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `POST …/indicators/{id}/reports`: a reported value for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub period: String,
    pub value: Decimal,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// The approved report for the same period that this one corrects.
    #[serde(default)]
    pub corrects: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportRow {
    pub id: Uuid,
    pub indicator_id: Uuid,
    pub period: Period,
    pub value: Decimal,
    pub note: Option<String>,
    pub source: Option<String>,
    pub state: ReportState,
    pub reported_by: Option<String>,
    pub reported_at: chrono::DateTime<chrono::Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decision_reason: Option<String>,
    pub supersedes: Option<Uuid>,
    pub version: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    Submitted,
    Approved,
    Rejected,
}

/// `POST …/reports/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub reason: String,
}

/// `POST …/tasks/{id}/updates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTaskUpdate {
    pub status: crate::model::TaskStatus,
    #[serde(default)]
    pub percent: Option<Decimal>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskUpdateRow {
    pub id: Uuid,
    pub task_id: Uuid,
    pub status: TaskStatus,
    pub percent: Option<Decimal>,
    pub note: Option<String>,
    pub updated_by: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `PUT …/indicators/{id}/units`: the organisations that answer for an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorUnits {
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub responsible: Vec<String>,
}

/// Counts of indicators by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    pub total: i64,
    pub achieved: i64,
    pub on_track: i64,
    pub at_risk: i64,
    pub behind: i64,
    pub no_data: i64,
}

/// Counts of tasks by status, and how many are overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskCounts {
    pub total: i64,
    pub not_started: i64,
    pub in_progress: i64,
    pub completed: i64,
    pub blocked: i64,
    pub overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaSummary {
    /// Null for the plan as a whole.
    pub area: Option<String>,
    pub indicators: StatusCounts,
    /// Mean progress of the indicators that have an approved value; null when none has.
    pub mean_progress: Option<f64>,
    pub tasks: TaskCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitWorkload {
    pub id: Uuid,
    pub name: String,
    /// Tasks the unit leads.
    pub lead: i64,
    /// Tasks the unit is responsible for (and does not also lead).
    pub responsible: i64,
    pub completed: i64,
    pub overdue: i64,
    /// Completed share of the tasks it leads or is responsible for.
    pub completion: f64,
}

/// `GET …/plans/{id}/dashboard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub plan: PlanSummary,
    /// The tenant's date the overdue counts are taken at.
    pub as_of: NaiveDate,
    pub overall: AreaSummary,
    pub areas: Vec<AreaSummary>,
    pub units: Vec<UnitWorkload>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionSummary {
    pub slug: String,
    pub name: String,
    pub name_en: String,
}

/// One district in a region comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantComparison {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub is_demo: bool,
    pub indicators: StatusCounts,
    pub mean_progress: Option<f64>,
    pub tasks: TaskCounts,
    /// Completed share of the tasks; null without tasks.
    pub task_completion: Option<f64>,
}

/// One district's own indicator for a catalog key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogRow {
    pub tenant: String,
    pub tenant_name: String,
    pub is_demo: bool,
    pub indicator_name: String,
    pub unit: String,
    pub baseline_year: i32,
    pub baseline_value: Option<Decimal>,
    pub target_year: i32,
    pub target_value: Decimal,
    pub comparator: Comparator,
    pub latest: Option<Latest>,
    pub progress: Option<f64>,
    pub status: IndicatorStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogComparison {
    pub key: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
    /// Districts with an indicator under this key, on every page.
    pub total: i64,
    /// This page of them, ranked by progress (districts differ in size: never by raw
    /// value); no data last.
    pub rows: Vec<CatalogRow>,
}

/// `GET /api/v1/regions/{region}/comparison[?indicator=KEY&sort=…&offset=N&limit=N]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionComparison {
    pub region: RegionSummary,
    /// The districts of the region, on every page.
    pub total: i64,
    pub page: ComparisonPage,
    /// This page of the districts, in the page's order.
    pub tenants: Vec<TenantComparison>,
    pub indicator: Option<CatalogComparison>,
}

/// Which districts of a region comparison: a country-wide region has thousands, so they come
/// in pages (lists have bounded sizes, docs/security.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparisonPage {
    pub sort: ComparisonSort,
    pub offset: i64,
    pub limit: i64,
}

impl ComparisonPage {
    pub const DEFAULT_LIMIT: i64 = 100;
    pub const MAX_LIMIT: i64 = 500;

    /// A page from its query values; None sorts by progress from the first district, 100
    /// at a time.
    pub fn new(sort: Option<&str>, offset: Option<i64>, limit: Option<i64>) -> Result<Self, String> {
        let sort = match sort {
            None | Some("") => ComparisonSort::Progress,
            Some(word) => word.parse().map_err(|e: crate::model::UnknownWord| e.to_string())?,
        };
        let offset = offset.unwrap_or(0);
        let limit = limit.unwrap_or(Self::DEFAULT_LIMIT);
        if offset < 0 {
            return Err(format!("offset {offset} is negative"));
        }
        if !(1..=Self::MAX_LIMIT).contains(&limit) {
            return Err(format!("limit {limit} is not between 1 and {}", Self::MAX_LIMIT));
        }
        Ok(ComparisonPage { sort, offset, limit })
    }
}

impl Default for ComparisonPage {
    fn default() -> Self {
        ComparisonPage { sort: ComparisonSort::Progress, offset: 0, limit: Self::DEFAULT_LIMIT }
    }
}

/// An entry of the indicator catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub unit: String,
    /// Other spellings in published plans, used to suggest this key at import.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `PUT …/indicators/{id}/catalog`: confirm (or clear) an indicator's catalog key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogMapping {
    pub key: Option<String>,
}

/// `GET /api/v1/me` and the account page: the user and its grants, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeView {
    pub id: Uuid,
    /// The account's e-mail address ("" for an account known by its mobile number only).
    pub email: String,
    #[serde(default)]
    pub mobile: Option<String>,
    /// What the person signs in with, as shown to them: the address, else the number.
    #[serde(default)]
    pub login: String,
    pub display_name: String,
    /// Signed in with a temporary password: no grant applies until it is changed.
    #[serde(default)]
    pub must_change_password: bool,
    pub grants: Vec<GrantView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    pub role: crate::model::Role,
    pub tenant: Option<String>,
    pub region: Option<String>,
    /// The district's or region's name (none for a platform admin).
    #[serde(default)]
    pub scope_name: Option<String>,
    /// Its English name, where it has one.
    #[serde(default)]
    pub scope_name_en: Option<String>,
    pub organisations: Vec<String>,
}

/// A reporter's work in one tenant: the items its organisations lead or answer for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantWork {
    pub tenant: TenantSummary,
    pub plan: PlanSummary,
    pub indicators: Vec<IndicatorRow>,
    pub tasks: Vec<TaskRow>,
}

/// A report awaiting a tenant admin's decision, with what it reports on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingReport {
    pub report: ReportRow,
    pub indicator_code: String,
    pub indicator_name: String,
    pub unit: String,
    pub plan_title: String,
}

/// An indicator with its approved values over time (the indicator page and its chart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorHistory {
    pub tenant: TenantSummary,
    pub plan: PlanSummary,
    pub indicator: IndicatorRow,
    /// Approved values in period order (corrected ones replaced by their corrections).
    pub points: Vec<Latest>,
}

/// `POST /api/v1/regions`: a new region (platform admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRegion {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionView {
    pub slug: String,
    pub name: String,
    pub name_en: String,
}

/// `POST /api/v1/tenants`: a new district in a region (platform admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub region: String,
    /// IANA name; `Asia/Shanghai` when left out.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// `POST /api/v1/tenants/{slug}/users`: invite a user into the tenant with one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    /// The invitee's e-mail address; or give `mobile` (or both).
    #[serde(default)]
    pub email: String,
    /// The invitee's mainland mobile number, with which they can sign in.
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub display_name: String,
    pub role: crate::model::Role,
    /// The organisations a reporter reports for, by name.
    #[serde(default)]
    pub organisations: Vec<String>,
}

/// The answer to an invitation: a one-time link (`/t/{slug}/invitations/{token}`), shown to
/// the inviter this once and valid until `expires_at`. The answer is the same whether or not
/// the address has an account: nothing is created or granted until the link is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub id: Uuid,
    /// The invitee's address ("" when invited by mobile number only).
    pub email: String,
    pub mobile: Option<String>,
    pub display_name: String,
    pub role: crate::model::Role,
    pub organisations: Vec<String>,
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Open,
    Accepted,
    Expired,
}

/// An invitation as its district's admins see it afterwards: whom, to what, and where it
/// stands; never its link, which was shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationSummary {
    pub id: Uuid,
    /// The invitee's address ("" when invited by mobile number only).
    pub email: String,
    pub mobile: Option<String>,
    pub display_name: String,
    pub role: crate::model::Role,
    pub organisations: Vec<String>,
    /// The inviter's e-mail address, when their account still exists.
    pub invited_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub state: InvitationState,
}

/// What an invitation's link shows whoever opens it: who invited whom, to what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    pub tenant: TenantSummary,
    pub token: String,
    /// The invitee's address ("" when invited by mobile number only).
    pub email: String,
    pub mobile: Option<String>,
    pub display_name: String,
    pub role: crate::model::Role,
    pub organisations: Vec<String>,
    /// The inviter's e-mail address (and name, when known).
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub state: InvitationState,
    /// Whether an account has the invited address (then it accepts signed in).
    pub account_exists: bool,
    /// The signed-in caller's address, if any.
    pub signed_in_as: Option<String>,
}

/// `GET /api/v1/tenants/{slug}/users`: the tenant's users with their grants in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantUser {
    pub id: Uuid,
    /// The address ("" for a user known by mobile number only).
    pub email: String,
    #[serde(default)]
    pub mobile: Option<String>,
    pub display_name: String,
    pub must_change_password: bool,
    pub grants: Vec<TenantGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantGrant {
    pub id: Uuid,
    pub role: crate::model::Role,
    pub organisations: Vec<String>,
}

/// `PUT …/plans/{id}/publication`: a plan's status and who may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub status: PlanStatus,
    pub visibility: Visibility,
}

/// One audit event, newest first in `AuditPage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub actor: Option<Uuid>,
    pub actor_email: Option<String>,
    /// The API token the write was made through (its name and first characters), if any.
    #[serde(default)]
    pub token: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    /// The entity's fields before the change (null for a creation), as it was recorded.
    #[cfg_attr(feature = "openapi", schema(schema_with = audit_snapshot))]
    pub before: Option<serde_json::Value>,
    /// The entity's fields after the change (for a refused attempt: what was asked).
    #[cfg_attr(feature = "openapi", schema(schema_with = audit_snapshot))]
    pub after: Option<serde_json::Value>,
}

/// An audit event's snapshot of an entity: an object of its fields, as the write recorded
/// them; events of unit changes recorded before 2026-12 hold an array of `[role, unit]` pairs.
#[cfg(feature = "openapi")]
fn audit_snapshot() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Object))
        .item(ArrayBuilder::new())
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("The entity's fields as the write recorded them."))
        .into()
}

/// `GET …/audit`: a page of events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    /// Pass as `before` for the next (older) page; null on the last page.
    pub next_before: Option<i64>,
}

/// The tenant administration page: the plans' publication, the users and their grants, and
/// the organisations a reporter can be given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantAdmin {
    pub tenant: TenantSummary,
    pub plans: Vec<PlanSummary>,
    pub users: Vec<TenantUser>,
    pub organisations: Vec<OrganisationSummary>,
}

/// An organisation of the tenant, with what it answers for and who reports for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationSummary {
    pub name: String,
    pub tasks_led: i64,
    pub tasks_answered: i64,
    pub reporters: i64,
}

/// A user as the platform admin sees them: every grant, by role and scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlatformUser {
    /// The address ("" for a user known by mobile number only).
    pub email: String,
    #[serde(default)]
    pub mobile: Option<String>,
    pub display_name: String,
    pub must_change_password: bool,
    /// `role@scope` (scope: a tenant or region slug, or nothing for platform admins).
    pub grants: Vec<String>,
}

/// The platform administration page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlatformAdmin {
    pub regions: Vec<RegionView>,
    pub tenants: Vec<TenantSummary>,
    pub users: Vec<PlatformUser>,
}

/// An uploaded document the import wizard holds between its steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportDraft {
    pub id: Uuid,
    pub file_name: Option<String>,
    pub bytes: usize,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The import wizard: the tenant, and when a document was uploaded, what a dry run of it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    pub tenant: TenantSummary,
    pub draft: Option<ImportDraft>,
    pub report: Option<crate::import_report::ImportReport>,
}

/// `GET /healthz`: the process answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// `GET /readyz`: what the server depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Readiness {
    /// `ok` or `unreachable` (then the answer is 503).
    pub postgres: String,
    /// `ok`, `not configured` or `unreachable (views computed without cache)`: views are
    /// served without Redis all the same.
    pub redis: String,
}

/// The home page: every district, grouped by region, real regions before demo ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub regions: Vec<HomeRegion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeRegion {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub is_demo: bool,
    pub districts: Vec<HomeDistrict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeDistrict {
    pub tenant: TenantSummary,
    /// Its headline figures, for a reader who may read the district in full (its own users,
    /// supervisors of its region, platform admins); none for others.
    pub headline: Option<Headline>,
}

/// A district's standing at a glance, across its published plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    pub indicators: StatusCounts,
    pub overdue: i64,
}
