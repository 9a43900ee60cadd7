//! The pages' forms: plain HTML form posts (they work before and without the wasm), handled
//! by the same domain functions as the JSON API, answered with a redirect (post/redirect/get)
//! back to the page, carrying the outcome in the URL: `?ok=1`, or `?error=…&field=…&item=…`
//! so the page shows the message next to the field. The CSRF check covers them like any
//! other state-changing request. This module holds that answer; the forms themselves are in
//! `work` (sign-in, reports, task updates) and `admin` (accounts, import, tenants, users).

pub mod admin;
pub mod work;

use crate::error::Error;
use crate::web::respond::{back, with_outcome};
use axum::extract::{Form, FromRequest, Request};
use axum::response::Response;
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
