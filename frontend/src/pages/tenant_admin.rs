//! `/t/{tenant}/admin`: a district's administration: its plans' publication (status and
//! visibility), its users and their grants (invite, withdraw), and links to the import
//! wizard, the approval queue and the audit log. Tenant admins and platform admins.

use super::{FormOutcome, LoadFailed, Loading, field_error};
use crate::data::{LoadError, fetch_tenant_admin};
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{OrganisationSummary, PlanSummary, TenantAdmin, TenantUser};
use shared::model::{PlanStatus, Role, Visibility};

#[component]
pub fn TenantAdminPage() -> impl IntoView {
    let params = use_params_map();
    let admin = Resource::new(
        move || params.read().get("tenant"),
        |tenant| async move {
            match tenant {
                Some(slug) => fetch_tenant_admin(slug).await,
                None => Err(LoadError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match admin.await {
                    Ok(admin) => view! { <Administration admin/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Administration(admin: TenantAdmin) -> impl IntoView {
    let texts = t();
    let slug = admin.tenant.slug.clone();
    let name = super::widgets::tenant_name(&admin.tenant, use_locale()).to_owned();
    view! {
        <h1>{name}" · "{texts.tenant_admin_title}</h1>
        <FormOutcome/>
        <p class="toolbar">
            <a class="action" href=format!("/t/{slug}/import")>{texts.import_plan}</a>
            <a class="action" href=format!("/t/{slug}/approvals")>{texts.approvals}</a>
            <a class="action" href=format!("/t/{slug}/audit")>{texts.audit_log}</a>
            <a class="action" href=format!("/t/{slug}/contacts") data-testid="contacts-link">{texts.contacts}</a>
        </p>
        <h2>{texts.publication}</h2>
        <Plans slug=slug.clone() plans=admin.plans/>
        <h2>{texts.users}</h2>
        <Users slug=slug.clone() users=admin.users/>
        <h2>{texts.invite_user}</h2>
        <Invite slug organisations=admin.organisations.iter().map(|o| o.name.clone()).collect()/>
        <h2>{texts.organisations}</h2>
        <Organisations list=admin.organisations/>
    }
}

#[component]
fn Plans(slug: String, plans: Vec<PlanSummary>) -> impl IntoView {
    let texts = t();
    view! {
        <div class="table-wrap">
        <table class="grid" data-testid="admin-plans">
            <thead><tr><th>{texts.plans}</th><th>{texts.status}</th><th>{texts.visibility_label}</th><th>{texts.change}</th></tr></thead>
            <tbody>
                {plans.into_iter().map(|p| {
                    let id = p.id.to_string();
                    let status_id = format!("status-{id}");
                    let visibility_id = format!("visibility-{id}");
                    view! {
                        <tr data-plan=id.clone()>
                            <td><a href=format!("/t/{slug}/plans/{id}")>{p.title.clone()}</a></td>
                            <td>{texts.plan_status(p.status)}</td>
                            <td>{texts.visibility(p.visibility)}</td>
                            <td>
                                <form method="post" action="/forms/publication" class="line-form">
                                    <input type="hidden" name="tenant" value=slug.clone()/>
                                    <input type="hidden" name="plan" value=id.clone()/>
                                    <input type="hidden" name="version" value=p.version.to_string()/>
                                    <label for=status_id.clone()>{texts.status}</label>
                                    <select id=status_id name="status">
                                        {[PlanStatus::Draft, PlanStatus::Published, PlanStatus::Archived].into_iter().map(|s| view! {
                                            <option value=s.as_str() selected=s == p.status>{texts.plan_status(s)}</option>
                                        }).collect_view()}
                                    </select>
                                    <label for=visibility_id.clone()>{texts.visibility_label}</label>
                                    <select id=visibility_id name="visibility">
                                        {[Visibility::Public, Visibility::Internal].into_iter().map(|v| view! {
                                            <option value=v.as_str() selected=v == p.visibility>{texts.visibility(v)}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" data-testid="publish">{texts.change}</button>
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

#[component]
fn Users(slug: String, users: Vec<TenantUser>) -> impl IntoView {
    let texts = t();
    view! {
        <div class="table-wrap">
        <table class="grid" data-testid="admin-users">
            <thead><tr><th>{texts.email}</th><th>{texts.display_name}</th><th>{texts.role}</th><th>{texts.organisations}</th><th></th></tr></thead>
            <tbody>
                {users.into_iter().flat_map(|u| {
                    let slug = slug.clone();
                    u.grants.into_iter().map(move |g| view! {
                        <tr data-grant=g.id.to_string()>
                            <td>{if u.email.is_empty() { u.mobile.clone().unwrap_or_default() } else { u.email.clone() }}
                                {u.must_change_password.then(|| view! { " " <span class="tag">{texts.awaiting_password_change}</span> })}
                            </td>
                            <td>{u.display_name.clone()}</td>
                            <td>{texts.role(g.role)}</td>
                            <td>{g.organisations.join("、")}</td>
                            <td>
                                <form method="post" action="/forms/grants/revoke" class="inline">
                                    <input type="hidden" name="tenant" value=slug.clone()/>
                                    <input type="hidden" name="grant" value=g.id.to_string()/>
                                    <button type="submit">{texts.revoke}</button>
                                </form>
                            </td>
                        </tr>
                    })
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

#[component]
fn Invite(slug: String, organisations: Vec<String>) -> impl IntoView {
    let texts = t();
    view! {
        <form method="post" action="/forms/invitations" class="form" data-testid="invite-form">
            <input type="hidden" name="tenant" value=slug/>
            <label for="invite-email">{texts.email}</label>
            <input id="invite-email" name="email" type="email" required maxlength="320"/>
            {field_error("email", String::new())}
            <label for="invite-name">{texts.display_name}</label>
            <input id="invite-name" name="display_name" maxlength="200"/>
            <label for="invite-role">{texts.role}</label>
            <select id="invite-role" name="role">
                {[Role::Reporter, Role::Viewer, Role::TenantAdmin].into_iter().map(|r| view! {
                    <option value=r.as_str()>{texts.role(r)}</option>
                }).collect_view()}
            </select>
            {field_error("role", String::new())}
            <label for="invite-organisations">{texts.organisations}</label>
            <select id="invite-organisations" name="organisations" multiple>
                {organisations.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
            </select>
            {field_error("organisations", String::new())}
            <button type="submit">{texts.invite}</button>
        </form>
    }
}

#[component]
fn Organisations(list: Vec<OrganisationSummary>) -> impl IntoView {
    let texts = t();
    view! {
        <div class="table-wrap">
        <table class="grid" data-testid="admin-organisations">
            <thead><tr><th>{texts.organisations}</th><th class="num">{texts.lead_count}</th>
                <th class="num">{texts.responsible_count}</th><th class="num">{texts.reporters}</th></tr></thead>
            <tbody>
                {list.into_iter().map(|o| view! {
                    <tr><td>{o.name}</td><td class="num">{o.tasks_led}</td><td class="num">{o.tasks_answered}</td><td class="num">{o.reporters}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
