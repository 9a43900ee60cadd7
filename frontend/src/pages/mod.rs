//! One module per page, plus the pieces they share.

pub mod account;
pub mod admin;
pub mod approvals;
pub mod audit;
pub mod comparison;
pub mod contacts;
pub mod dashboard;
pub mod home;
pub mod import;
pub mod indicator;
pub mod invitation;
pub mod login;
pub mod plan;
pub mod plan_filter;
pub mod tenant;
pub mod tenant_admin;
pub mod tokens;
pub mod widgets;
pub mod work;

use crate::data::LoadError;
use crate::i18n::{t, use_locale};
use crate::server_messages::localised;
use leptos::prelude::*;

/// Sets the HTTP status of the server-rendered response (pages render before headers are sent:
/// every route uses `SsrMode::Async`).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! { <p class="notice" role="alert">{t().not_found}</p> }
}

#[component]
pub fn LoadFailed(error: LoadError) -> impl IntoView {
    match error {
        LoadError::NotFound | LoadError::Invalid(_) => view! { <NotFound/> }.into_any(),
        LoadError::SignInNeeded => {
            set_status(401);
            view! {
                <p class="notice" role="alert">
                    {t().sign_in_needed}" "<a href="/login">{t().sign_in}</a>
                </p>
            }
            .into_any()
        }
        LoadError::Forbidden => {
            set_status(403);
            view! { <p class="notice error" role="alert">{t().forbidden}</p> }.into_any()
        }
        LoadError::Internal | LoadError::Transport(_) => {
            set_status(500);
            view! { <p class="notice error" role="alert">{t().load_failed}</p> }.into_any()
        }
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading">{t().loading}</p> }
}

/// A query parameter of the current URL (forms report their outcome through it).
pub fn query_param(name: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get(name)
}

/// The error message for `field` of the form for `item` (empty for a page's only form of
/// its kind), when the last submission failed on it.
pub fn field_error(field: &'static str, item: String) -> impl IntoView {
    let error = query_param("error");
    let failed_field = query_param("field");
    let failed_item = query_param("item");
    move || {
        (failed_field().as_deref() == Some(field) && failed_item().unwrap_or_default() == item)
            .then(|| {
                error().map(|e| view! { <span class="field-error" role="alert">{localised(&e, use_locale())}</span> })
            })
            .flatten()
    }
}

/// The outcome a form handler reported in the URL: `?ok=…` or `?error=…&field=…`.
#[component]
pub fn FormOutcome() -> impl IntoView {
    let ok = query_param("ok");
    let error = query_param("error");
    view! {
        {move || ok().map(|_| view! { <p class="notice ok" role="status" data-testid="form-ok">{t().saved}</p> })}
        {move || error().map(|e| view! { <p class="notice error" role="alert" data-testid="form-error">{localised(&e, use_locale())}</p> })}
    }
}
