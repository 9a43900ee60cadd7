//! The pages' forms: plain HTML form posts (they work before and without the wasm), handled
//! by the same domain functions as the JSON API, answered with a redirect (post/redirect/get)
//! back to the page, carrying the outcome in the URL: `?ok=1`, or `?error=…&field=…&item=…`
//! so the page shows the message next to the field. The CSRF check covers them like any
//! other state-changing request. This module holds that answer, and the one page that shows a
//! secret once; the forms themselves are in `work` (sign-in, reports, task updates), `admin`
//! (accounts, import, tenants, users) and `tokens` (API tokens, service accounts).

pub mod admin;
pub mod tokens;
pub mod work;

use crate::error::Error;
use crate::web::respond::{back, with_outcome};
use axum::extract::{Form, FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE};
use axum::response::{IntoResponse, Response};
use frontend::i18n::{Locale, Texts};
use serde::de::DeserializeOwned;

/// A form body, or the way back to the form's page with the reason it could not be read
/// (a missing or malformed field), as every other form error is shown.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let page = back(request.headers(), "/");
        match Form::<T>::from_request(request, state).await {
            Ok(Form(form)) => Ok(PageForm(form)),
            Err(e) => Err(with_outcome(&page, Err(Error::BadRequest(e.body_text())), "")),
        }
    }
}

pub fn optional(text: String) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The texts of the language the request's cookie names.
pub fn page_texts(headers: &HeaderMap) -> &'static Texts {
    locale(headers).texts()
}

fn locale(headers: &HeaderMap) -> Locale {
    headers.get(COOKIE).and_then(|c| c.to_str().ok()).map(Locale::from_cookie_header).unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A secret shown once (an invitation's link, an API token), on a page of its own that no
/// cache keeps and that is no page of the app a reload could show again.
pub struct OneTimeSecret<'a> {
    pub title: &'a str,
    /// What `subject` is (an address, a token's name).
    pub label: &'a str,
    pub subject: &'a str,
    /// Why to copy it now.
    pub note: &'a str,
    pub secret: &'a str,
    /// The secret's `data-testid`.
    pub testid: &'a str,
}

impl OneTimeSecret<'_> {
    pub fn page(&self, headers: &HeaderMap, back_to: &str) -> Response {
        let locale = locale(headers);
        let html = format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <link rel=\"stylesheet\" href=\"/assets/planboard.css\"></head><body><main class=\"page\">\
             <h1>{title}</h1><p class=\"notice ok\" role=\"status\">{label}: <strong data-testid=\"secret-subject\">{subject}</strong></p>\
             <p>{note}</p><p class=\"secret\"><code data-testid=\"{testid}\">{secret}</code></p>\
             <p><a class=\"action\" href=\"{back}\">{back_label}</a></p></main></body></html>",
            lang = locale.tag(),
            title = escape(self.title),
            label = escape(self.label),
            subject = escape(self.subject),
            note = escape(self.note),
            testid = escape(self.testid),
            secret = escape(self.secret),
            back = escape(back_to),
            back_label = locale.texts().back,
        );
        ([(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-store")], html).into_response()
    }
}
