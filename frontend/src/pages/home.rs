//! `/`: the districts the reader may see, grouped by region.

use super::widgets::tenant_name;
use super::{LoadFailed, Loading};
use crate::data::fetch_tenants;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::TenantSummary;

#[component]
pub fn HomePage() -> impl IntoView {
    let tenants = Resource::new(|| (), |_| fetch_tenants());
    view! {
        <h1>{t().districts}</h1>
        <p class="lead">{t().districts_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match tenants.await {
                    Ok(list) => view! { <TenantList tenants=list/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TenantList(tenants: Vec<TenantSummary>) -> impl IntoView {
    let texts = t();
    if tenants.is_empty() {
        return view! { <p class="empty">{texts.no_districts}</p> }.into_any();
    }
    view! {
        <table class="grid" data-testid="tenants">
            <thead><tr><th>{texts.districts}</th><th>{texts.region}</th></tr></thead>
            <tbody>
                {tenants.into_iter().map(|tenant| {
                    let href = format!("/t/{}", tenant.slug);
                    let name = tenant_name(&tenant, texts.locale).to_owned();
                    view! {
                        <tr>
                            <td>
                                <A href=href>{name}</A>
                                {tenant.is_demo.then(|| view! { <span class="tag demo">{texts.demo_label}</span> })}
                            </td>
                            <td>{tenant.region}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
