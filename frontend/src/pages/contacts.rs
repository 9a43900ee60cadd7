//! `/t/{tenant}/contacts[?draft=ID]`: onboarding a district's people (联络员) from a
//! spreadsheet. Download the template, upload it filled in (kept as a draft), see every row
//! checked with the cell of each problem, then invite them all at once; the links are shown
//! once, on the page that answers. Plain forms: it works before and without the wasm.

use super::{FormOutcome, LoadFailed, Loading, field_error, query_param};
use crate::data::{LoadError, fetch_contacts};
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{ContactsPreview, ContactsReport, ImportDraft};
use shared::import_report::ImportOutcome;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let params = use_params_map();
    let draft = query_param("draft");
    let preview = Resource::new(
        move || (params.read().get("tenant"), draft().and_then(|d| d.parse().ok())),
        |(tenant, draft)| async move {
            match tenant {
                Some(slug) => fetch_contacts(slug, draft).await,
                None => Err(LoadError::NotFound),
            }
        },
    );
    view! {
        <h1>{t().contacts}</h1>
        <FormOutcome/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(preview) => view! { <Contacts preview/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Contacts(preview: ContactsPreview) -> impl IntoView {
    let texts = t();
    let slug = preview.tenant.slug.clone();
    let name = super::widgets::tenant_name(&preview.tenant, use_locale()).to_owned();
    view! {
        <p><a href=format!("/t/{slug}/admin")>{name}</a></p>
        <p class="lead">{texts.contacts_intro}" "
            <a href=format!("/api/v1/tenants/{slug}/contacts/template.xlsx") data-testid="contacts-template">{texts.contacts_template}</a>
        </p>
        {match (preview.draft, preview.report) {
            (Some(draft), Some(report)) => view! { <Checked slug=slug.clone() draft report/> }.into_any(),
            _ => ().into_any(),
        }}
        <form method="post" action=format!("/forms/contacts?tenant={slug}") enctype="multipart/form-data" class="form" data-testid="contacts-upload">
            <label for="contacts-file">{texts.choose_file}</label>
            <input id="contacts-file" name="file" type="file" accept=".xlsx,.csv"/>
            {field_error("document", String::new())}
            <button type="submit">{texts.contacts_upload}</button>
        </form>
    }
}

#[component]
fn Checked(slug: String, draft: ImportDraft, report: ContactsReport) -> impl IntoView {
    let texts = t();
    let ready = report.outcome == ImportOutcome::DryRun;
    view! {
        {if ready {
            view! { <p class="notice ok" data-testid="contacts-ready">{texts.contacts_ready}</p> }.into_any()
        } else {
            view! {
                <p class="notice error" data-testid="contacts-problems">{texts.contacts_problems}</p>
                <ul class="findings" data-testid="contacts-errors">
                    {report.errors.iter().map(|f| view! { <li><code>{f.at.clone()}</code>" "<bdi>{f.message.clone()}</bdi></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <div class="table-wrap">
        <table class="grid" data-testid="contacts-rows">
            <thead><tr>
                <th>{texts.row}</th><th>{texts.display_name}</th><th>{texts.organisations}</th>
                <th>{texts.mobile}</th><th>{texts.email}</th><th>{texts.role}</th>
            </tr></thead>
            <tbody>
                {report.rows.into_iter().map(|row| view! {
                    <tr class:row-error=!row.ok data-ok=row.ok.to_string()>
                        <td class="code">{row.at}</td>
                        <td><bdi>{row.name}</bdi></td>
                        <td><bdi>{row.unit}</bdi></td>
                        <td>{row.mobile.unwrap_or_default()}</td>
                        <td><bdi>{row.email.unwrap_or_default()}</bdi></td>
                        <td>{row.role.map(|r| texts.role(r)).unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
        {ready.then(|| view! {
            <form method="post" action="/forms/contacts/invite" class="form" data-testid="contacts-invite">
                <input type="hidden" name="tenant" value=slug.clone()/>
                <input type="hidden" name="draft" value=draft.id.to_string()/>
                <button type="submit">{texts.contacts_invite_all}</button>
            </form>
        })}
    }
}
