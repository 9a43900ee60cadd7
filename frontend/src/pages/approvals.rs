//! `/t/{tenant}/approvals`: reports awaiting a tenant admin's decision, each with approve and
//! reject (with a reason) forms.

use super::{FormOutcome, LoadFailed, Loading};
use crate::data::{LoadError, fetch_approvals};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::PendingReport;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let params = use_params_map();
    let pending = Resource::new(
        move || params.read().get("tenant"),
        |tenant| async move {
            match tenant {
                Some(slug) => fetch_approvals(slug.clone()).await.map(|list| (slug, list)),
                None => Err(LoadError::NotFound),
            }
        },
    );
    view! {
        <h1>{t().approvals}</h1>
        <FormOutcome/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok((_, list)) if list.is_empty() => view! { <p class="empty" data-testid="no-pending">{t().no_pending}</p> }.into_any(),
                    Ok((slug, list)) => view! { <Pending slug list/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Pending(slug: String, list: Vec<PendingReport>) -> impl IntoView {
    let texts = t();
    view! {
        <div class="table-wrap">
        <table class="grid" data-testid="pending">
            <thead>
                <tr>
                    <th>{texts.code}</th><th>{texts.indicator_name}</th><th>{texts.report_period}</th><th class="num">{texts.value}</th>
                    <th>{texts.note}</th><th>{texts.reported_by}</th><th>{texts.submitted_at}</th><th></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|p| {
                    let r = p.report;
                    let reason_id = format!("reason-{}", r.id);
                    let hidden = view! {
                        <input type="hidden" name="tenant" value=slug.clone()/>
                        <input type="hidden" name="indicator" value=r.indicator_id.to_string()/>
                        <input type="hidden" name="report" value=r.id.to_string()/>
                        <input type="hidden" name="version" value=r.version.to_string()/>
                    };
                    let hidden_again = view! {
                        <input type="hidden" name="tenant" value=slug.clone()/>
                        <input type="hidden" name="indicator" value=r.indicator_id.to_string()/>
                        <input type="hidden" name="report" value=r.id.to_string()/>
                        <input type="hidden" name="version" value=r.version.to_string()/>
                    };
                    view! {
                        <tr data-report=r.id.to_string()>
                            <td class="code">{p.indicator_code}</td>
                            <td>{p.indicator_name}" ("{p.unit}")"</td>
                            <td>{r.period.to_string()}</td>
                            <td class="num">{format::value(r.value)}</td>
                            <td><bdi>{r.note.unwrap_or_default()}</bdi>{r.source.map(|s| view! { "（"<bdi>{s}</bdi>"）" })}</td>
                            <td>{r.reported_by.unwrap_or_default()}</td>
                            <td class="nowrap">{format::date(r.reported_at.date_naive(), texts.locale)}</td>
                            <td class="nowrap">
                                <form method="post" action="/forms/reports/approve" class="inline">
                                    {hidden}
                                    <button type="submit" data-testid="approve">{texts.approve}</button>
                                </form>
                                <form method="post" action="/forms/reports/reject" class="inline">
                                    {hidden_again}
                                    <label for=reason_id.clone() class="sr-only">{texts.reason}</label>
                                    <input id=reason_id name="reason" required placeholder=texts.reason maxlength="2000"/>
                                    <button type="submit">{texts.reject}</button>
                                </form>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
