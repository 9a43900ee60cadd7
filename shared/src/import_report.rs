//! What an import answers: the plan that would be or was created, its counts,
//! its organisations (new ones marked), and findings that name their place in the input
//! (`line 12`, `指标!D5`, `indicators[3].unit`). The API returns it; the import wizard shows it.

use crate::plan_document::{DocumentProblem, PlanDocument};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Something a reader noticed, at a place in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub at: String,
    pub message: String,
}

impl From<DocumentProblem> for Finding {
    fn from(p: DocumentProblem) -> Self {
        Finding { at: p.path, message: p.message }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// Checked only; nothing written.
    DryRun,
    Created,
    /// The same plan (title and issue date) is already in the tenant; nothing written.
    AlreadyPresent,
    /// The input has errors; nothing written.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationPreview {
    pub name: String,
    /// Not yet an organisation of the tenant: the commit creates it.
    pub new: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub areas: usize,
    pub indicators: usize,
    pub tasks: usize,
    pub organisations: usize,
}

/// The answer to an import, dry or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub outcome: ImportOutcome,
    pub plan_id: Option<Uuid>,
    pub plan: Option<PlanDocument>,
    pub counts: Option<Counts>,
    pub organisations: Vec<OrganisationPreview>,
    pub warnings: Vec<Finding>,
    pub errors: Vec<Finding>,
}
