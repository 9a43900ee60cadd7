//! A JSON body extractor whose refusals are the API's JSON errors: malformed JSON is 400,
//! a body of the wrong shape (missing or mistyped fields) is 422, a missing or wrong
//! Content-Type is 400, a string holding NUL (which PostgreSQL cannot store) is 400.

use crate::error::Error;
use crate::web::middleware::nul_bytes::json_nul;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| {
            let essence = t.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
        });
        if !json {
            return Err(Error::BadRequest("send the body as JSON (Content-Type: application/json)".into()));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e.status() {
            axum::http::StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
            _ => Error::BadRequest(e.body_text()),
        })?;
        if json_nul(&bytes) {
            return Err(Error::BadRequest("a string contains a NUL character (\\u0000)".into()));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(Error::Unprocessable(e.body_text())),
            Err(e) => Err(Error::BadRequest(e.body_text())),
        }
    }
}
