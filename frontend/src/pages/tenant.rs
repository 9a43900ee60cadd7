//! `/t/{tenant}`: a district and its plans.

use super::widgets::tenant_name;
use super::{LoadFailed, Loading};
use crate::data::{LoadError, fetch_tenant_plans};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::TenantPlans;

#[component]
pub fn TenantPage() -> impl IntoView {
    let params = use_params_map();
    let plans = Resource::new(
        move || params.read().get("tenant"),
        |tenant| async move {
            match tenant {
                Some(slug) => fetch_tenant_plans(slug).await,
                None => Err(LoadError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match plans.await {
                    Ok(p) => view! { <PlanList tenant_plans=p/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanList(tenant_plans: TenantPlans) -> impl IntoView {
    let texts = t();
    let TenantPlans { tenant, plans } = tenant_plans;
    let slug = tenant.slug.clone();
    view! {
        <nav class="crumbs"><A href="/">{texts.back_to_districts}</A></nav>
        <h1>
            {tenant_name(&tenant, texts.locale).to_owned()}
            {tenant.is_demo.then(|| view! { <span class="tag demo">{texts.demo_label}</span> })}
        </h1>
        <h2>{texts.plans}</h2>
        {if plans.is_empty() {
            view! { <p class="empty">{texts.no_plans}</p> }.into_any()
        } else {
            view! {
                <table class="grid" data-testid="plans">
                    <thead>
                        <tr>
                            <th>{texts.plans}</th><th>{texts.issuer}</th><th>{texts.issued_on}</th>
                            <th>{texts.period}</th><th>{texts.status}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {plans.into_iter().map(|plan| {
                            let href = format!("/t/{}/plans/{}", slug, plan.id);
                            view! {
                                <tr>
                                    <td><A href=href>{plan.title}</A></td>
                                    <td>{plan.issuer}</td>
                                    <td class="nowrap">{format::date(plan.issued_on, texts.locale)}</td>
                                    <td class="nowrap">{format!("{}–{}", plan.period_start, plan.period_end)}</td>
                                    <td>
                                        <span class="tag">{texts.plan_status(plan.status)}</span>
                                        <span class="tag">{texts.visibility(plan.visibility)}</span>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
