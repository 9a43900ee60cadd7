//! One module per page, plus the pieces they share.

pub mod home;
pub mod plan;
pub mod tenant;
pub mod widgets;

use crate::data::LoadError;
use crate::i18n::t;
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
