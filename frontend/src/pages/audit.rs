//! `/t/{tenant}/audit[?before=ID]`: the district's audit trail, newest first, a page at a time:
//! who did what to which record, with what it became.

use super::widgets::Downloads;
use super::{LoadFailed, Loading, query_param};
use crate::data::{LoadError, fetch_audit_log};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::AuditPage;

#[component]
pub fn AuditPageView() -> impl IntoView {
    let params = use_params_map();
    let before = query_param("before");
    let page = Resource::new(
        move || (params.read().get("tenant"), before().and_then(|b| b.parse::<i64>().ok())),
        |(tenant, before)| async move {
            match tenant {
                Some(slug) => fetch_audit_log(slug.clone(), before).await.map(|page| (slug, page)),
                None => Err(LoadError::NotFound),
            }
        },
    );
    view! {
        <h1>{t().audit_log}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok((slug, page)) => view! { <Events slug page/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Events(slug: String, page: AuditPage) -> impl IntoView {
    let texts = t();
    if page.events.is_empty() {
        return view! { <p class="empty">{texts.no_events}</p> }.into_any();
    }
    let next = page.next_before.map(|id| format!("/t/{slug}/audit?before={id}"));
    view! {
        <Downloads href=format!("/api/v1/tenants/{slug}/audit")/>
        <div class="table-wrap">
        <table class="grid" data-testid="audit-events">
            <thead>
                <tr><th>{texts.occurred_at}</th><th>{texts.actor}</th><th>{texts.action}</th><th>{texts.entity}</th><th>{texts.details}</th></tr>
            </thead>
            <tbody>
                {page.events.into_iter().map(|e| {
                    let details = e.after.as_ref().or(e.before.as_ref()).map(|v| v.to_string()).unwrap_or_default();
                    view! {
                        <tr>
                            <td class="nowrap">{format::date_time(e.occurred_at, texts.locale)}</td>
                            <td>{e.actor_email.unwrap_or_default()}</td>
                            <td class="code">{e.action}</td>
                            <td>{e.entity}</td>
                            <td><pre class="json"><bdi>{details}</bdi></pre></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        {next.map(|href| view! { <p><a class="action" href=href>{texts.older}</a></p> })}
    }
    .into_any()
}
