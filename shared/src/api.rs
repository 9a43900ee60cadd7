//! The JSON shapes of the HTTP API (PRODUCT.md §5), also what the pages render.

use crate::model::{Comparator, IndicatorStatus, PlanStatus, TaskStatus, Visibility};
use crate::period::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantSummary {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub region: String,
    /// Synthetic data made by `backend demo`: shown with a label, never mixed with real tenants.
    pub is_demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    pub period: Period,
    pub value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub notes: Option<String>,
    pub latest: Option<Latest>,
    /// Share of the way from baseline to target, 0–1; null without an approved value.
    pub progress: Option<f64>,
    pub status: IndicatorStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
pub struct TenantPlans {
    pub tenant: TenantSummary,
    pub plans: Vec<PlanSummary>,
}

/// The body of every error response: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}
