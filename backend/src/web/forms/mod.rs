//! The pages' forms: plain HTML form posts (they work before and without the wasm), handled
//! by the same domain functions as the JSON API, answered with a redirect (post/redirect/get)
//! back to the page, carrying the outcome in the URL: `?ok=1`, or `?error=…&field=…&item=…`
//! so the page shows the message next to the field. The CSRF check covers them like any
//! other state-changing request. This module holds that answer, and the one page that shows a
//! secret once; the forms themselves are in `work` (sign-in, reports, task updates), `admin`
//! (accounts, import, tenants, users) and `tokens` (API tokens, service accounts).

pub mod admin;
pub mod contacts;
pub mod tokens;
pub mod work;

use crate::error::Error;
use crate::web::respond::{back, with_outcome};
use axum::body::Bytes;
use axum::extract::{Form, FromRequest, Multipart, Request};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, StatusCode};
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

/// An upload form's document: its `file` field (with the file's name), else its pasted
/// `text`. Too large is said of the document field, where the page shows it.
pub async fn uploaded(
    state: &crate::state::AppState,
    headers: &HeaderMap,
    request: Request,
) -> Result<(Vec<u8>, Option<String>), Error> {
    let too_large = || Error::invalid("document", Error::PayloadTooLarge.to_string());
    let announced = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > crate::web::MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let mut multipart = Multipart::from_request(request, state).await.map_err(|e| Error::BadRequest(e.body_text()))?;
    let (mut file, mut file_name, mut text) = (Bytes::new(), None, String::new());
    while let Some(field) = multipart.next_field().await.map_err(|e| Error::BadRequest(e.body_text()))? {
        let name = field.name().unwrap_or_default().to_owned();
        let name_of_file = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => too_large(),
            _ => Error::BadRequest(e.body_text()),
        })?;
        match name.as_str() {
            "text" => text = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => {
                file_name = name_of_file.filter(|n| !n.is_empty());
                file = bytes;
            }
            _ => {}
        }
    }
    Ok(if file.is_empty() { (text.into_bytes(), None) } else { (file.to_vec(), file_name) })
}

/// Secrets shown once in a table (the links of many invitations), on a page of its own like
/// `OneTimeSecret`'s, laid out to print.
pub struct OneTimeList<'a> {
    pub title: &'a str,
    pub note: &'a str,
    pub headers: [&'a str; 4],
    /// Each row: three cells of who it is for, and the secret.
    pub rows: Vec<[String; 4]>,
    pub testid: &'a str,
}

impl OneTimeList<'_> {
    pub fn page(&self, headers: &HeaderMap, back_to: &str) -> Response {
        let locale = locale(headers);
        let head: String = self.headers.iter().map(|h| format!("<th>{}</th>", escape(h))).collect();
        let body: String = self
            .rows
            .iter()
            .map(|row| {
                let [a, b, c, secret] = row;
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                    escape(a),
                    escape(b),
                    escape(c),
                    escape(secret)
                )
            })
            .collect();
        let html = format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <link rel=\"stylesheet\" href=\"/assets/planboard.css\"></head><body><main class=\"page\">\
             <h1>{title}</h1><p>{note}</p>\
             <table class=\"grid secrets\" data-testid=\"{testid}\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\
             <p><a class=\"action\" href=\"{back}\">{back_label}</a></p></main></body></html>",
            lang = locale.tag(),
            title = escape(self.title),
            note = escape(self.note),
            testid = escape(self.testid),
            back = escape(back_to),
            back_label = locale.texts().back,
        );
        ([(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-store")], html).into_response()
    }
}
