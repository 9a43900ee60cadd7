//! `/t/{tenant}/import[?draft=ID]`: the import wizard. Step one uploads a file or pasted text
//! (kept as a draft); step two shows the dry run of that draft — counts, organisations (new
//! ones marked), errors and warnings with their places, the indicators and tasks as read —
//! and, when there are no errors, the button that imports it. Every step is a server-rendered
//! page with a plain form, so it works before and without the wasm.

use super::{FormOutcome, LoadFailed, Loading, field_error, query_param};
use crate::data::{LoadError, fetch_import_preview};
use crate::format;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{ImportDraft, ImportPreview};
use shared::import_report::{Finding, ImportOutcome, ImportReport};
use shared::plan_document::{Due, PlanDocument};

#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let draft = query_param("draft");
    let preview = Resource::new(
        move || (params.read().get("tenant"), draft().and_then(|d| d.parse().ok())),
        |(tenant, draft)| async move {
            match tenant {
                Some(slug) => fetch_import_preview(slug, draft).await,
                None => Err(LoadError::NotFound),
            }
        },
    );
    view! {
        <h1>{t().import_plan}</h1>
        <FormOutcome/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(preview) => view! { <Wizard preview/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Wizard(preview: ImportPreview) -> impl IntoView {
    let texts = t();
    let slug = preview.tenant.slug.clone();
    let name = super::widgets::tenant_name(&preview.tenant, use_locale()).to_owned();
    view! {
        <p><a href=format!("/t/{slug}/admin")>{name}</a></p>
        {match (preview.draft, preview.report) {
            (Some(draft), Some(report)) => view! { <Review slug=slug.clone() draft report/> }.into_any(),
            _ => view! { <Upload slug=slug.clone()/> }.into_any(),
        }}
        <p class="notes">{texts.import_intro}" "<a href="/api/v1/import/template.xlsx" data-testid="template">{texts.download_template}</a></p>
    }
}

#[component]
fn Upload(slug: String) -> impl IntoView {
    let texts = t();
    view! {
        <form method="post" action=format!("/forms/import?tenant={slug}") enctype="multipart/form-data" class="form wide" data-testid="upload">
            <label for="import-file">{texts.choose_file}</label>
            <input id="import-file" name="file" type="file" accept=".xlsx,.csv,.json,.txt"/>
            <label for="import-text">{texts.paste_text}</label>
            <textarea id="import-text" name="text" rows="10"></textarea>
            {field_error("document", String::new())}
            <button type="submit" data-testid="dry-run">{texts.dry_run}</button>
        </form>
    }
}

#[component]
fn Review(slug: String, draft: ImportDraft, report: ImportReport) -> impl IntoView {
    let texts = t();
    let (headline, class) = match report.outcome {
        ImportOutcome::DryRun | ImportOutcome::Created => (texts.outcome_dry_run, "notice ok"),
        ImportOutcome::AlreadyPresent => (texts.outcome_already_present, "notice"),
        ImportOutcome::Invalid => (texts.outcome_invalid, "notice error"),
    };
    let can_commit = report.outcome == ImportOutcome::DryRun;
    let file = draft.file_name.clone().unwrap_or_else(|| texts.pasted_text.to_owned());
    view! {
        <h2>{texts.import_result}</h2>
        <p class="muted">{texts.uploaded}": "{file}" · "{draft.bytes}" "{texts.bytes}" · "{format::date_time(draft.created_at, texts.locale)}</p>
        <p class=class role="status" data-testid="import-outcome" data-outcome=format!("{:?}", report.outcome)>{headline}</p>
        {report.counts.map(|c| view! {
            <div class="counts" data-testid="import-counts">
                <span><b>{c.areas}</b>{texts.areas_count}</span>
                <span><b data-testid="count-indicators">{c.indicators}</b>{texts.indicators}</span>
                <span><b data-testid="count-tasks">{c.tasks}</b>{texts.tasks}</span>
                <span><b>{c.organisations}</b>{texts.organisations}</span>
            </div>
        })}
        <p class="toolbar">
            {can_commit.then(|| view! {
                <form method="post" action="/forms/import/commit" class="inline">
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="draft" value=draft.id.to_string()/>
                    <button type="submit" data-testid="commit-import">{texts.commit_import}</button>
                </form>
            })}
            <a class="action" href=format!("/t/{slug}/import")>{texts.upload_another}</a>
        </p>
        <Findings title=texts.errors list=report.errors testid="import-errors"/>
        <Findings title=texts.warnings list=report.warnings testid="import-warnings"/>
        {(!report.organisations.is_empty()).then(|| view! {
            <h3>{texts.organisations}</h3>
            <p data-testid="import-organisations">
                {report.organisations.into_iter().map(|o| view! {
                    <span class="action">{o.name}{o.new.then(|| view! { " " <span class="tag new">{texts.new_mark}</span> })}</span>
                }).collect_view()}
            </p>
        })}
        {report.plan.map(|plan| view! { <PlanAsRead plan/> })}
    }
}

#[component]
fn Findings(title: &'static str, list: Vec<Finding>, testid: &'static str) -> impl IntoView {
    let texts = t();
    (!list.is_empty()).then(|| view! {
        <h3>{title}" ("{list.len()}")"</h3>
        <div class="table-wrap">
        <table class="grid" data-testid=testid>
            <thead><tr><th>{texts.place}</th><th>{texts.message}</th></tr></thead>
            <tbody>
                {list.into_iter().map(|f| view! { <tr><td class="code nowrap">{f.at}</td><td>{f.message}</td></tr> }).collect_view()}
            </tbody>
        </table>
        </div>
    })
}

/// The plan as the reader understood it, in the tables the plan page will show.
#[component]
fn PlanAsRead(plan: PlanDocument) -> impl IntoView {
    let texts = t();
    view! {
        <h3>{plan.title.clone()}</h3>
        <p class="muted">{plan.issuer.clone()}" · "{format::date(plan.issued_on, texts.locale)}" · "{plan.period_start}"–"{plan.period_end}
            " · "{texts.plan_status(plan.status)}" · "{texts.visibility(plan.visibility)}</p>
        <h3>{texts.indicators}</h3>
        <div class="table-wrap">
        <table class="grid" data-testid="import-indicators">
            <thead><tr><th>{texts.code}</th><th>{texts.area}</th><th>{texts.indicator_name}</th><th>{texts.unit}</th>
                <th class="num">{texts.baseline}</th><th class="num">{texts.target}</th></tr></thead>
            <tbody>
                {plan.indicators.into_iter().map(|i| view! {
                    <tr>
                        <td class="code">{i.code}</td><td>{i.area}</td><td>{i.name}</td><td>{i.unit}</td>
                        <td class="num">{i.baseline_value.map(format::value).unwrap_or_else(|| texts.empty_value.to_owned())}" ("{i.baseline_year}")"</td>
                        <td class="num">{i.comparator.symbol()}{format::value(i.target_value)}" ("{i.target_year}")"</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <h3>{texts.tasks}</h3>
        <div class="table-wrap">
        <table class="grid" data-testid="import-tasks">
            <thead><tr><th>{texts.area}</th><th>{texts.seq}</th><th>{texts.task_text}</th><th>{texts.lead_units}</th>
                <th>{texts.responsible_units}</th><th>{texts.cooperating_units}</th><th>{texts.deadline}</th></tr></thead>
            <tbody>
                {plan.tasks.into_iter().map(|task| {
                    let due = match task.due {
                        Some(Due::Year(y)) => format!("{y}{}", texts.year_suffix),
                        Some(Due::Ongoing) => texts.ongoing.to_owned(),
                        None => texts.empty_value.to_owned(),
                    };
                    view! {
                        <tr>
                            <td>{task.area}</td><td class="code">{task.seq}</td>
                            <td class="text"><div class="clamp">{task.text}</div></td>
                            <td>{task.lead.join("、")}</td><td>{task.responsible.join("、")}</td><td>{task.cooperating.join("、")}</td>
                            <td class="nowrap">{due}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
