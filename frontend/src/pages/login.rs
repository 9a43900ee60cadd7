//! `/login`: a plain form posted to the server (`POST /session`), so signing in works
//! before and without the wasm. The server sends the reader on, or back here with
//! `?failed` or `?throttled`.

use super::query_param;
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let texts = t();
    let failed = query_param("failed");
    let throttled = query_param("throttled");
    let next = query_param("next");
    view! {
        <h1>{texts.sign_in}</h1>
        <form class="form narrow" method="post" action="/session" data-testid="login-form">
            {move || failed().map(|_| view! { <p class="notice error" role="alert">{texts.sign_in_failed}</p> })}
            {move || throttled().map(|_| view! { <p class="notice error" role="alert">{texts.sign_in_throttled}</p> })}
            <input type="hidden" name="next" value=move || next().unwrap_or_default()/>
            <label for="email">{texts.email_or_mobile}</label>
            <input id="email" name="login" type="text" autocomplete="username" required maxlength="320"/>
            <label for="password">{texts.password}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"/>
            <button type="submit">{texts.sign_in}</button>
        </form>
    }
}
