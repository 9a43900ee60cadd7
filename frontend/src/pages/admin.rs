//! `/admin`: platform administration: the regions and districts, forms to add either, and
//! each district's administration and import wizard. Platform admins only.

use super::widgets::tenant_name;
use super::{FormOutcome, LoadFailed, Loading, field_error};
use crate::data::fetch_platform_admin;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use shared::api::PlatformAdmin;

#[component]
pub fn PlatformAdminPage() -> impl IntoView {
    let admin = Resource::new(|| (), |_| fetch_platform_admin());
    view! {
        <h1>{t().platform_admin_title}</h1>
        <FormOutcome/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match admin.await {
                    Ok(admin) => view! { <Platform admin/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Platform(admin: PlatformAdmin) -> impl IntoView {
    let texts = t();
    let locale = use_locale();
    let regions = admin.regions.clone();
    view! {
        <h2>{texts.districts}</h2>
        <div class="table-wrap">
        <table class="grid" data-testid="platform-tenants">
            <thead><tr><th>{texts.district}</th><th>{texts.region}</th><th></th></tr></thead>
            <tbody>
                {admin.tenants.into_iter().map(|tenant| {
                    let slug = tenant.slug.clone();
                    // The region's name, not its code.
                    let region = admin.regions.iter().find(|r| r.slug == tenant.region).map_or(tenant.region.clone(), |r| {
                        if locale == crate::i18n::Locale::En && !r.name_en.is_empty() { r.name_en.clone() } else { r.name.clone() }
                    });
                    view! {
                        <tr data-tenant=slug.clone()>
                            <td>
                                <a href=format!("/t/{slug}")>{tenant_name(&tenant, locale).to_owned()}</a>
                                {tenant.is_demo.then(|| view! { " " <span class="tag demo">{texts.demo_label}</span> })}
                            </td>
                            <td>{region}</td>
                            <td>
                                <a class="action" href=format!("/t/{slug}/admin")>{texts.tenant_admin_title}</a>
                                <a class="action" href=format!("/t/{slug}/import")>{texts.import_plan}</a>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <h2>{texts.new_tenant}</h2>
        <form method="post" action="/forms/tenants" class="form" data-testid="new-tenant">
            <label for="tenant-slug">{texts.slug}</label>
            <input id="tenant-slug" name="slug" required maxlength="63" pattern="[a-z0-9][a-z0-9-]*"/>
            {field_error("slug", String::new())}
            <label for="tenant-name">{texts.name_zh}</label>
            <input id="tenant-name" name="name" required maxlength="200"/>
            {field_error("name", String::new())}
            <label for="tenant-name-en">{texts.name_en}</label>
            <input id="tenant-name-en" name="name_en" maxlength="200"/>
            <label for="tenant-region">{texts.region}</label>
            <select id="tenant-region" name="region">
                {regions.into_iter().map(|r| view! { <option value=r.slug.clone()>{r.name.clone()}" ("{r.slug.clone()}")"</option> }).collect_view()}
            </select>
            {field_error("region", String::new())}
            <label for="tenant-tz">{texts.time_zone}</label>
            <input id="tenant-tz" name="time_zone" placeholder="Asia/Shanghai" maxlength="64"/>
            {field_error("time_zone", String::new())}
            <button type="submit">{texts.create}</button>
        </form>
        <h2>{texts.regions}</h2>
        <ul data-testid="platform-regions">
            {admin.regions.into_iter().map(|r| view! { <li><a href=format!("/regions/{}", r.slug)>{r.name.clone()}</a>" ("{r.slug.clone()}")"</li> }).collect_view()}
        </ul>
        <h2>{texts.users}</h2>
        <div class="table-wrap">
        <table class="grid" data-testid="platform-users">
            <thead><tr><th>{texts.email}</th><th>{texts.display_name}</th><th>{texts.role}</th></tr></thead>
            <tbody>
                {admin.users.into_iter().map(|u| view! {
                    <tr>
                        <td>{if u.email.is_empty() { u.mobile.clone().unwrap_or_default() } else { u.email.clone() }}{u.must_change_password.then(|| view! { " " <span class="tag">{texts.awaiting_password_change}</span> })}</td>
                        <td>{u.display_name}</td>
                        <td>{u.grants.iter().map(|g| grant_label(g, texts)).collect::<Vec<_>>().join("，")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <h3>{texts.new_region}</h3>
        <form method="post" action="/forms/regions" class="form" data-testid="new-region">
            <label for="region-slug">{texts.slug}</label>
            <input id="region-slug" name="slug" required maxlength="63" pattern="[a-z0-9][a-z0-9-]*"/>
            <label for="region-name">{texts.name_zh}</label>
            <input id="region-name" name="name" required maxlength="200"/>
            <label for="region-name-en">{texts.name_en}</label>
            <input id="region-name-en" name="name_en" maxlength="200"/>
            <button type="submit">{texts.create}</button>
        </form>
    }
}

/// `tenant_admin@xiushan` as 区县管理员（xiushan）.
fn grant_label(grant: &str, texts: &crate::i18n::Texts) -> String {
    let (role, scope) = grant.split_once('@').unwrap_or((grant, ""));
    let role = role.parse::<shared::model::Role>().map_or(role, |r| texts.role(r));
    if scope.is_empty() { role.to_owned() } else { format!("{role}（{scope}）") }
}
