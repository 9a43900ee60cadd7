//! Onboarding plans (PRODUCT.md §6): readers turn an uploaded document into the canonical
//! plan document; a dry run reports what would be created (areas, indicators, tasks,
//! organisations, new ones marked) with warnings and errors that name where they are; a
//! commit stores it in one transaction, or recognises a plan that is already there.

pub mod cells;
pub mod csv;
pub mod drafts;
pub mod export;
pub mod json;
pub mod table;
pub mod text;
pub mod xlsx;

use crate::access;
use crate::audit::{self, Event};
use crate::db;
use crate::error::Result;
use crate::plan_store::{self, StoreError, Stored};
use crate::read::TenantRecord;
use serde_json::json;
pub use shared::import_report::{Counts, Finding, ImportOutcome, ImportReport, OrganisationPreview};
use shared::page_data::Caller;
use shared::plan_document::PlanDocument;
use sqlx::PgPool;
use std::collections::HashSet;
use uuid::Uuid;

/// Largest document accepted for import.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// What a reader made of its input.
pub struct Reading {
    pub document: Option<PlanDocument>,
    pub warnings: Vec<Finding>,
    pub errors: Vec<Finding>,
}

/// Validates what a reader produced and, unless `dry_run`, stores it (one transaction).
#[tracing::instrument(name = "import", skip_all, fields(tenant = %tenant.slug, dry_run))]
pub async fn import(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: Option<&Caller>,
    reading: Reading,
    dry_run: bool,
) -> Result<ImportReport> {
    let actor = caller.and_then(|c| c.user_id);
    if let Some(caller) = caller {
        let decision = access::manage_plans(caller, tenant.reference());
        crate::reports::guard(pool, tenant, caller, "plan.import", "tenant", tenant.tenant_id, decision).await?;
    }
    let Reading { document, warnings, mut errors } = reading;
    if let Some(doc) = &document {
        errors.extend(doc.problems().into_iter().map(Finding::from));
    }
    let invalid = |warnings, errors| ImportReport {
        outcome: ImportOutcome::Invalid,
        plan_id: None,
        plan: None,
        counts: None,
        organisations: vec![],
        warnings,
        errors,
    };
    let Some(doc) = document.filter(|_| errors.is_empty()) else { return Ok(invalid(warnings, errors)) };

    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let known: HashSet<String> = sqlx::query_scalar("select name from organisation where tenant_id = $1")
        .bind(tenant.tenant_id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let organisations: Vec<OrganisationPreview> = doc
        .organisation_names()
        .into_iter()
        .map(|name| OrganisationPreview { name: name.to_owned(), new: !known.contains(name) })
        .collect();
    let counts = Counts {
        areas: doc.areas.len(),
        indicators: doc.indicators.len(),
        tasks: doc.tasks.len(),
        organisations: organisations.len(),
    };
    let existing: Option<Uuid> =
        sqlx::query_scalar("select plan_id from plan where tenant_id = $1 and title = $2 and issued_on = $3")
            .bind(tenant.tenant_id)
            .bind(&doc.title)
            .bind(doc.issued_on)
            .fetch_optional(&mut *tx)
            .await?;
    let mut report = ImportReport {
        outcome: ImportOutcome::DryRun,
        plan_id: existing,
        plan: None,
        counts: Some(counts),
        organisations,
        warnings,
        errors,
    };
    if existing.is_some() {
        report.outcome = ImportOutcome::AlreadyPresent;
        report.warnings.push(Finding {
            at: "title".into(),
            message: "a plan with this title and issue date is already in this tenant; nothing is created".into(),
        });
    }
    if dry_run || existing.is_some() {
        tx.rollback().await?;
        report.plan = Some(doc);
        return Ok(report);
    }
    let stored = match plan_store::store_plan(&mut tx, tenant.tenant_id, actor, &doc).await {
        Ok(stored) => stored,
        Err(StoreError::Invalid(problems)) => {
            return Ok(invalid(report.warnings, problems.into_iter().map(Finding::from).collect()));
        }
        Err(StoreError::Database(e)) => return Err(e.into()),
    };
    audit::append(
        &mut tx,
        Event {
            tenant_id: Some(tenant.tenant_id),
            actor,
            action: "plan.import".into(),
            entity: "plan",
            entity_id: stored.plan_id().to_string(),
            before: None,
            after: Some(json!({"title": doc.title, "warnings": report.warnings.len()})),
        },
    )
    .await?;
    tx.commit().await?;
    report.outcome = match stored {
        Stored::Created(_) => ImportOutcome::Created,
        Stored::AlreadyPresent(_) => ImportOutcome::AlreadyPresent,
    };
    report.plan_id = Some(stored.plan_id());
    report.plan = Some(doc);
    Ok(report)
}

/// Reads an uploaded document, recognising its kind by its content: an Excel workbook (a
/// zip), canonical JSON (an object), the template as CSV (opens with a `[规划]`-style
/// section line), else the plan's text as published.
pub fn read(bytes: &[u8]) -> Reading {
    if bytes.len() > MAX_BYTES {
        return Reading {
            document: None,
            warnings: vec![],
            errors: vec![Finding { at: "document".into(), message: format!("larger than {MAX_BYTES} bytes") }],
        };
    }
    if xlsx::looks_like_xlsx(bytes) {
        return xlsx::read(bytes);
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => json::read(bytes),
        _ => {
            let text = csv::decode(bytes);
            if csv::looks_like_csv(&text) { csv::read(&text) } else { text::read(&text) }
        }
    }
}
