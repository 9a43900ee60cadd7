//! The Leptos pages, their static files (`/pkg` from the wasm build, the stylesheet), and the
//! language switch.

use crate::state::AppState;
use crate::web::redirect::same_site_path;
use axum::Router;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use frontend::app::{App, STYLESHEET, STYLESHEET_PATH, shell};
use frontend::data::PageDataContext;
use frontend::i18n::{COOKIE, Locale};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::services::ServeDir;

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(App);
    let page_data = PageDataContext(state.page_data.clone());
    let options = state.leptos_options.clone();
    let pkg =
        std::path::Path::new(state.leptos_options.site_root.as_ref()).join(state.leptos_options.site_pkg_dir.as_ref());
    Router::new()
        .leptos_routes_with_context(
            state,
            routes,
            move || provide_context(page_data.clone()),
            move || shell(options.clone()),
        )
        // The wasm goes compressed (about a third of its size) like every response (`http::router`).
        .nest_service("/pkg", ServeDir::new(pkg))
        .route(STYLESHEET_PATH, get(get_stylesheet))
        .route("/lang/{tag}", get(switch_language))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
}

async fn get_stylesheet() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=300")], STYLESHEET)
}

/// Sets the locale cookie and returns to the page the reader came from (same site only).
async fn switch_language(Path(tag): Path<String>, headers: HeaderMap) -> Response {
    let Some(locale) = Locale::from_tag(&tag) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back =
        headers.get(REFERER).and_then(|r| r.to_str().ok()).and_then(same_site_path).unwrap_or_else(|| "/".to_owned());
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", locale.tag());
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let (Ok(location), Ok(cookie)) = (HeaderValue::from_str(&back), HeaderValue::from_str(&cookie)) {
        response.headers_mut().insert(LOCATION, location);
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}
