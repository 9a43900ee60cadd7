//! Onboarding plans (and a district's contacts, `contacts`): readers turn an uploaded
//! document into the canonical plan document; a dry run reports what would be created (areas, indicators, tasks,
//! organisations, new ones marked) with warnings and errors that name where they are; a
//! commit stores it in one transaction, or recognises a plan that is already there.

pub mod cells;
pub mod contacts;
pub mod csv;
pub mod drafts;
pub mod export;
pub mod json;
pub mod table;
pub mod text;
pub mod xlsx;

use crate::audit::{self, Event};
use crate::auth::access;
use crate::error::Result;
use crate::infra::db;
use crate::plans::store::{self, StoreError, Stored};
use crate::tenancy::TenantRecord;
use serde_json::json;
pub use shared::import_report::{Counts, Finding, ImportOutcome, ImportReport, OrganisationPreview};
use shared::page_data::Caller;
use shared::plan_document::PlanDocument;
use sqlx::PgPool;
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::Semaphore;
use uuid::Uuid;

/// Largest document accepted for import.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Longest a document may take to read; past it the import answers 422 with a finding.
pub const READ_BUDGET: Duration = Duration::from_secs(10);
/// Documents read at once (each on a blocking thread, off the async runtime): no burst of
/// imports can take more cores than this from the requests being served.
const CONCURRENT_READS: usize = 2;
static READS: Semaphore = Semaphore::const_new(CONCURRENT_READS);

/// What a reader made of its input.
pub struct Reading {
    pub document: Option<PlanDocument>,
    pub warnings: Vec<Finding>,
    pub errors: Vec<Finding>,
}

/// Whether `caller` may import plans into `tenant` (a refusal audited): asked before an
/// upload is read, so that no one who may not import can make the server read anything.
pub async fn admit(pool: &PgPool, tenant: &TenantRecord, caller: &Caller) -> Result<()> {
    let decision = access::manage_plans(caller, tenant.reference());
    crate::auth::audited::audited(pool, tenant, caller, "plan.import", "tenant", tenant.tenant_id, decision).await
}

/// Reads a document as `read` does, on a blocking thread, within `READ_BUDGET`: a document
/// that takes longer is answered with an error finding (its reading finishes in the
/// background, still holding its place among the `CONCURRENT_READS`).
pub async fn read_within_budget(bytes: Vec<u8>) -> Reading {
    read_within(bytes, READ_BUDGET).await
}

async fn read_within(bytes: Vec<u8>, budget: Duration) -> Reading {
    let too_slow = || Reading {
        document: None,
        warnings: vec![],
        errors: vec![Finding {
            at: "document".into(),
            message: format!(
                "reading it took longer than {} s; split the document or use the Excel template",
                budget.as_secs_f64()
            ),
        }],
    };
    let reading = async {
        let permit = READS.acquire().await.ok()?;
        tokio::task::spawn_blocking(move || {
            let reading = read(&bytes);
            drop(permit);
            reading
        })
        .await
        .ok()
    };
    match tokio::time::timeout(budget, reading).await {
        Ok(Some(reading)) => reading,
        Ok(None) | Err(_) => too_slow(),
    }
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
        admit(pool, tenant, caller).await?;
    }
    let Reading { document, mut warnings, mut errors } = reading;
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
    let Some(mut doc) = document.filter(|_| errors.is_empty()) else { return Ok(invalid(warnings, errors)) };
    if caller.is_some_and(|c| access::administer_platform(c).is_err()) {
        warnings.extend(leave_out_catalog_keys(&mut doc));
    }

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
    let stored = match store::store_plan(&mut tx, tenant.tenant_id, actor, &doc).await {
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

/// The catalog is the platform's: only platform admins map indicators to it, so a key in a
/// document someone else imports is left out, with a warning each.
fn leave_out_catalog_keys(doc: &mut PlanDocument) -> Vec<Finding> {
    let mut left_out = Vec::new();
    for (i, indicator) in doc.indicators.iter_mut().enumerate() {
        if let Some(key) = indicator.catalog_key.take() {
            left_out.push(Finding {
                at: format!("indicators[{i}].catalog_key"),
                message: format!("catalog keys are set by platform admins; {key:?} was left out"),
            });
        }
    }
    left_out
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
            // PostgreSQL stores no NUL in text: refused here, naming its line.
            if let Some(line) = text.lines().position(|l| l.contains('\0')) {
                return Reading {
                    document: None,
                    warnings: vec![],
                    errors: vec![Finding {
                        at: format!("line {}", line + 1),
                        message: "contains a NUL character".into(),
                    }],
                };
            }
            if csv::looks_like_csv(&text) { csv::read(&text) } else { text::read(&text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_document_that_takes_longer_than_its_budget_is_answered_with_an_error() {
        let bundle =
            crate::ops::seed::parse_bundle("qianjiang.json", crate::ops::seed::BUNDLES[0].1).expect("the seed");
        let document = serde_json::to_vec(&bundle.plans[0]).expect("a document");
        let read = read_within(document.clone(), Duration::from_secs(30)).await;
        assert!(read.errors.is_empty() && read.document.is_some(), "{:?}", read.errors.first().map(|f| &f.message));
        // The published text twenty times over takes the text reader some 50 ms, far over
        // a millisecond, the timer's grain.
        let long = bundle.plans[0].source_text.clone().unwrap_or_default().repeat(20);
        let late = read_within(long.into_bytes(), Duration::from_micros(1)).await;
        assert!(late.document.is_none());
        assert!(late.errors[0].message.starts_with("reading it took longer than"), "{}", late.errors[0].message);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A short run of what `scripts/fuzz.sh` runs for long: the structured readers take
        /// any bytes without panicking, and whatever document they make can be checked.
        #[test]
        fn the_structured_readers_take_any_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let mut zip = b"PK\x03\x04".to_vec();
            zip.extend(&bytes);
            for reading in [json::read(&bytes), csv::read(&csv::decode(&bytes)), xlsx::read(&bytes), xlsx::read(&zip)] {
                if let Some(document) = reading.document {
                    let _ = document.problems();
                }
            }
        }
    }
}
