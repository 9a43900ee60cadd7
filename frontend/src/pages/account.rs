//! `/me`: who am I, my roles, and where they lead; changing my password (first of all when
//! it is a temporary one); signing out.

use super::{FormOutcome, LoadFailed, Loading, field_error};
use crate::data::{LoadError, fetch_me};
use crate::i18n::t;
use leptos::prelude::*;
use shared::api::MeView;
use shared::model::Role;

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| fetch_me());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! { <Account me/> }.into_any(),
                    Ok(None) => view! { <LoadFailed error=LoadError::SignInNeeded/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Where a grant takes its holder.
fn links(role: Role, tenant: Option<&str>, region: Option<&str>) -> Vec<(String, &'static str)> {
    let texts = t();
    match (role, tenant, region) {
        (Role::Reporter, Some(_), _) => vec![("/work".to_owned(), texts.my_work)],
        (Role::TenantAdmin, Some(slug), _) => {
            vec![
                (format!("/t/{slug}/admin"), texts.tenant_admin_title),
                (format!("/t/{slug}/approvals"), texts.approvals),
                ("/work".to_owned(), texts.my_work),
                (format!("/t/{slug}"), texts.plans),
            ]
        }
        (Role::Viewer, Some(slug), _) => vec![(format!("/t/{slug}"), texts.plans)],
        (Role::Supervisor, _, Some(region)) => vec![(format!("/regions/{region}"), texts.comparison)],
        (Role::PlatformAdmin, _, _) => vec![("/admin".to_owned(), texts.platform_admin_title)],
        _ => vec![],
    }
}

#[component]
fn Account(me: MeView) -> impl IntoView {
    let texts = t();
    view! {
        <h1>{texts.account}</h1>
        <FormOutcome/>
        {me.must_change_password.then(|| view! {
            <p class="notice error" role="alert" data-testid="must-change-password">{texts.must_change_password}</p>
        })}
        <p data-testid="me-email">{me.login.clone()}</p>
        <p><a class="action" href="/tokens" data-testid="tokens-link">{texts.api_tokens}</a>
           <a class="action" href="/api/docs">{texts.api_docs}</a></p>
        <h2>{texts.my_grants}</h2>
        <table class="grid" data-testid="grants">
            <thead><tr><th>{texts.role}</th><th>{texts.scope}</th><th>{texts.organisations}</th><th></th></tr></thead>
            <tbody>
                {me.grants.into_iter().map(|g| {
                    // The district's or region's name in the page's language, not its code.
                    let english = g.scope_name_en.clone().filter(|n| !n.is_empty() && texts.locale == crate::i18n::Locale::En);
                    let scope = english.or(g.scope_name.clone()).unwrap_or_default();
                    let links = links(g.role, g.tenant.as_deref(), g.region.as_deref());
                    view! {
                        <tr>
                            <td>{texts.role(g.role)}</td>
                            <td>{scope}</td>
                            <td>{g.organisations.join("、")}</td>
                            <td>{links.into_iter().map(|(href, label)| view! { <a class="action" href=href>{label}</a> }).collect_view()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h2>{texts.change_password}</h2>
        <form method="post" action="/forms/password" class="form narrow" data-testid="password-form">
            <label for="current_password">{texts.current_password}</label>
            <input id="current_password" name="current_password" type="password" required autocomplete="current-password"/>
            {field_error("current_password", String::new())}
            <label for="new_password">{texts.new_password}</label>
            <input id="new_password" name="new_password" type="password" required minlength="10" maxlength="256" autocomplete="new-password"/>
            {field_error("new_password", String::new())}
            <label for="confirm_password">{texts.confirm_password}</label>
            <input id="confirm_password" name="confirm_password" type="password" required minlength="10" maxlength="256" autocomplete="new-password"/>
            {field_error("confirm_password", String::new())}
            <button type="submit">{texts.change_password}</button>
        </form>
        <form method="post" action="/session/end" class="inline">
            <button type="submit" data-testid="sign-out">{texts.sign_out}</button>
        </form>
    }
}
