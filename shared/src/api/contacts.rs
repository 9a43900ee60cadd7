//! A district's contacts (联络员) from a spreadsheet (docs/api.md): what a dry run and an
//! upload of the contacts workbook answer.

use super::{ImportDraft, InvitationView, TenantSummary};
use crate::import_report::{Finding, ImportOutcome};
use serde::{Deserialize, Serialize};

/// One row of the contacts workbook, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactRow {
    /// Where the row is: `联系人!A3`, or `line 3` in a CSV.
    pub at: String,
    pub name: String,
    /// The unit as written in the plan.
    pub unit: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub role: Option<crate::model::Role>,
    /// No finding names this row.
    pub ok: bool,
}

/// What a contacts upload answers: every row, the findings that name their cells, and on an
/// upload that is not a dry run, the invitations made (their one-time links, shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactsReport {
    /// `dry_run`, `created` (every row invited), or `invalid` (nothing done).
    pub outcome: ImportOutcome,
    pub rows: Vec<ContactRow>,
    pub errors: Vec<Finding>,
    pub invitations: Vec<InvitationView>,
}

/// The contacts page: the district, and when a workbook was uploaded, its dry run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactsPreview {
    pub tenant: TenantSummary,
    pub draft: Option<ImportDraft>,
    pub report: Option<ContactsReport>,
}
