#![recursion_limit = "256"]
//! Planboard's pages. Rendered on the server (feature `ssr`, linked into the backend) and
//! hydrated in the browser (feature `hydrate`, built to wasm).

pub mod app;
pub mod data;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod server_messages;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
