//! `/tokens`: a signed-in person's API tokens (make one for a district or region where they
//! hold a role, revoke it), and the service accounts they administer with their tokens (make,
//! disable). A new token's secret is shown once, on the page the form answers with.

use super::{FormOutcome, LoadFailed, Loading, field_error};
use crate::data::fetch_tokens;
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use shared::api::{Place, ServiceAccountView, TokenState, TokenView, TokensPage};
use shared::model::{Role, TokenScope};

#[component]
pub fn TokensPageView() -> impl IntoView {
    let page = Resource::new(|| (), |_| fetch_tokens());
    let texts = t();
    view! {
        <h1>{texts.api_tokens}</h1>
        <p class="lead">{texts.tokens_intro}" "<a href="/api/docs">{texts.api_docs}</a></p>
        <FormOutcome/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Tokens page/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tokens(page: TokensPage) -> impl IntoView {
    let texts = t();
    let TokensPage { tokens, service_accounts, personal_places, service_places } = page;
    // Places by name, not code, wherever the page knows them.
    let names: Vec<Place> = personal_places.iter().chain(&service_places).cloned().collect();
    let named = move |slug: Option<String>| {
        let slug = slug.unwrap_or_default();
        names.iter().find(|p| p.slug == slug).map_or(slug.clone(), |p| p.name.clone())
    };
    let (token_place, account_place) = (named.clone(), named);
    view! {
        <section>
            <h2>{texts.api_tokens}</h2>
            <TokenTable tokens place=token_place/>
            <h3>{texts.new_token}</h3>
            <NewToken places=personal_places service_account=None/>
        </section>
        {(!service_places.is_empty() || !service_accounts.is_empty()).then(|| view! {
            <section>
                <h2>{texts.service_accounts}</h2>
                <p class="muted">{texts.service_accounts_intro}</p>
                <Accounts accounts=service_accounts place=account_place/>
                {(!service_places.is_empty()).then(|| view! {
                    <h3>{texts.new_service_account}</h3>
                    <NewAccount places=service_places/>
                })}
            </section>
        })}
    }
}

fn place_label(place: &Place) -> String {
    format!("{}（{}）", place.name, place.slug)
}

#[component]
fn TokenTable(tokens: Vec<TokenView>, place: impl Fn(Option<String>) -> String + 'static) -> impl IntoView {
    let texts = t();
    if tokens.is_empty() {
        return view! { <p class="empty">{texts.no_tokens}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
        <table class="grid" data-testid="tokens">
            <thead><tr>
                <th>{texts.token_name}</th><th>{texts.token_prefix}</th><th>{texts.token_owner}</th>
                <th>{texts.token_place}</th><th>{texts.token_scopes}</th><th>{texts.token_expires}</th>
                <th>{texts.token_last_used}</th><th>{texts.status}</th><th></th>
            </tr></thead>
            <tbody>
                {tokens.into_iter().map(|token| {
                    let id = token.id.to_string();
                    let place = place(token.tenant.clone().or(token.region.clone()));
                    let scopes: Vec<&str> = token.scopes.iter().map(|s| texts.token_scope(*s)).collect();
                    let state = match token.state {
                        TokenState::Active => texts.token_active,
                        TokenState::Expired => texts.token_expired,
                        TokenState::Revoked => texts.token_revoked,
                    };
                    view! {
                        <tr data-token=id.clone()>
                            <td><bdi>{token.name.clone()}</bdi></td>
                            <td class="code">{token.prefix.clone()}"…"</td>
                            <td><bdi>{token.owner.name.clone()}</bdi></td>
                            <td>{place}</td>
                            <td>{scopes.join("、")}</td>
                            <td class="nowrap">{format::date_time(token.expires_at, texts.locale)}</td>
                            <td class="nowrap">{token.last_used_at.map(|at| format::date_time(at, texts.locale)).unwrap_or_default()}</td>
                            <td>{state}</td>
                            <td>
                                {(token.state == TokenState::Active).then(|| view! {
                                    <form method="post" action="/forms/tokens/revoke" class="line-form">
                                        <input type="hidden" name="token" value=id.clone()/>
                                        <button type="submit" data-testid="revoke-token">{texts.revoke_token}</button>
                                    </form>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

/// The form for a token: personal (a place to choose), or for `service_account`.
#[component]
fn NewToken(places: Vec<Place>, service_account: Option<String>) -> impl IntoView {
    let texts = t();
    let item = service_account.clone().unwrap_or_default();
    let suffix = if item.is_empty() { String::new() } else { format!("-{item}") };
    let (name_id, place_id, days_id) =
        (format!("token-name{suffix}"), format!("token-place{suffix}"), format!("token-days{suffix}"));
    view! {
        <form method="post" action="/forms/tokens" class="form" data-testid="new-token">
            {service_account.map(|id| view! { <input type="hidden" name="service_account" value=id/> })}
            <label for=name_id.clone()>{texts.token_name}</label>
            <input id=name_id name="name" required maxlength="100"/>
            {field_error("name", item.clone())}
            {(!places.is_empty()).then(|| view! {
                <label for=place_id.clone()>{texts.token_place}</label>
                <select id=place_id name="place">
                    {places.iter().map(|p| view! { <option value=format!("{}:{}", p.kind, p.slug)>{place_label(p)}</option> }).collect_view()}
                </select>
            })}
            <fieldset>
                <legend>{texts.token_scopes}</legend>
                {TokenScope::ALL.iter().map(|scope| view! {
                    <label class="check"><input type="checkbox" name="scopes" value=scope.as_str() checked=*scope == TokenScope::Read/>
                        {texts.token_scope(*scope)}</label>
                }).collect_view()}
            </fieldset>
            {field_error("scopes", item.clone())}
            <label for=days_id.clone()>{texts.token_days}</label>
            <input id=days_id name="expires_in_days" type="number" min="1" max="366" value="90"/>
            {field_error("expires_in_days", item)}
            <button type="submit">{texts.create}</button>
        </form>
    }
}

#[component]
fn Accounts(accounts: Vec<ServiceAccountView>, place: impl Fn(Option<String>) -> String + 'static) -> impl IntoView {
    let texts = t();
    if accounts.is_empty() {
        return view! { <p class="empty">{texts.no_service_accounts}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
        <table class="grid" data-testid="service-accounts">
            <thead><tr>
                <th>{texts.token_name}</th><th>{texts.token_place}</th><th>{texts.role}</th>
                <th>{texts.organisations}</th><th>{texts.status}</th><th></th>
            </tr></thead>
            <tbody>
                {accounts.into_iter().map(|account| {
                    let id = account.id.to_string();
                    let place = place(account.tenant.clone().or(account.region.clone()));
                    view! {
                        <tr data-service-account=id.clone()>
                            <td><bdi>{account.name.clone()}</bdi></td>
                            <td>{place}</td>
                            <td>{texts.role(account.role)}</td>
                            <td>{account.organisations.join("、")}</td>
                            <td>{if account.active { texts.token_active } else { texts.disabled }}</td>
                            <td>
                                {account.active.then(|| view! {
                                    <details>
                                        <summary>{texts.token_for_account}</summary>
                                        <NewToken places=Vec::new() service_account=Some(id.clone())/>
                                    </details>
                                    <form method="post" action="/forms/service-accounts/disable" class="line-form">
                                        <input type="hidden" name="service_account" value=id.clone()/>
                                        <button type="submit" data-testid="disable-account">{texts.disable}</button>
                                    </form>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

#[component]
fn NewAccount(places: Vec<Place>) -> impl IntoView {
    let texts = t();
    let roles = [Role::Viewer, Role::Reporter, Role::TenantAdmin, Role::Supervisor];
    view! {
        <form method="post" action="/forms/service-accounts" class="form" data-testid="new-service-account">
            <label for="account-name">{texts.token_name}</label>
            <input id="account-name" name="name" required maxlength="100"/>
            {field_error("name", "account".into())}
            <label for="account-place">{texts.token_place}</label>
            <select id="account-place" name="place">
                {places.iter().map(|p| view! { <option value=format!("{}:{}", p.kind, p.slug)>{place_label(p)}</option> }).collect_view()}
            </select>
            <label for="account-role">{texts.role}</label>
            <select id="account-role" name="role">
                {roles.into_iter().map(|r| view! { <option value=r.as_str()>{texts.role(r)}</option> }).collect_view()}
            </select>
            {field_error("role", "account".into())}
            <label for="account-organisations">{texts.organisations_hint}</label>
            <input id="account-organisations" name="organisations"/>
            {field_error("organisations", "account".into())}
            <button type="submit">{texts.create}</button>
        </form>
    }
}
