//! The domain's errors over HTTP: each kind's status, the JSON body
//! `{"error": {"code", "message", "field"}}` (a 500 logs its detail and tells the client
//! nothing more than that it happened), and what a page shows instead.

use crate::error::Error;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{ErrorBody, ErrorDetail};
use shared::page_data::PageError;

pub fn status(error: &Error) -> StatusCode {
    match error {
        Error::BadRequest(_) => StatusCode::BAD_REQUEST,
        Error::Unauthorized | Error::BadCredentials | Error::InvalidToken => StatusCode::UNAUTHORIZED,
        Error::Forbidden | Error::InsufficientScope(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Error::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        Error::Invalid { .. } | Error::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Database(_) | Error::Internal(_) | Error::Json(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Logs what went wrong inside; the client learns only that something did.
fn log_internal(error: &Error) {
    match error {
        Error::Database(e) => tracing::error!(error = %e, "database error"),
        Error::Internal(e) => tracing::error!(error = format!("{e:#}"), "internal error"),
        Error::Json(e) => tracing::error!(error = %e, "serialisation error"),
        _ => {}
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = status(&self);
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            log_internal(&self);
            "internal error".to_owned()
        } else {
            self.to_string()
        };
        let field = self.field().map(str::to_owned);
        let body = ErrorBody { error: ErrorDetail { code: self.code().to_owned(), message, field } };
        let mut response = (status, Json(body)).into_response();
        match self {
            Error::TooManyRequests(seconds) => {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
            }
            // RFC 6750: a refused token says why in the challenge.
            Error::InvalidToken => {
                let challenge = axum::http::HeaderValue::from_static("Bearer error=\"invalid_token\"");
                response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, challenge);
            }
            Error::InsufficientScope(_) => {
                let challenge = axum::http::HeaderValue::from_static("Bearer error=\"insufficient_scope\"");
                response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, challenge);
            }
            _ => {}
        }
        response
    }
}

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound(_) | Error::BadCredentials => PageError::NotFound,
            Error::Unauthorized | Error::InvalidToken => PageError::SignInNeeded,
            Error::Forbidden | Error::InsufficientScope(_) => PageError::Forbidden,
            Error::BadRequest(m) | Error::Conflict(m) | Error::Unprocessable(m) | Error::Invalid { message: m, .. } => {
                PageError::Invalid(m)
            }
            e @ (Error::TooManyRequests(_) | Error::PayloadTooLarge | Error::PreconditionRequired) => {
                PageError::Invalid(e.to_string())
            }
            e @ (Error::Database(_) | Error::Internal(_) | Error::Json(_)) => {
                log_internal(&e);
                PageError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status_and_code() {
        let cases = [
            (Error::BadRequest("x".into()), 400, "bad_request"),
            (Error::Unauthorized, 401, "unauthorized"),
            (Error::InvalidToken, 401, "invalid_token"),
            (Error::Forbidden, 403, "forbidden"),
            (Error::InsufficientScope("x".into()), 403, "insufficient_scope"),
            (Error::NotFound("plan"), 404, "not_found"),
            (Error::Conflict("x".into()), 409, "conflict"),
            (Error::TooManyRequests(3), 429, "too_many_requests"),
            (Error::PayloadTooLarge, 413, "payload_too_large"),
            (Error::PreconditionRequired, 428, "precondition_required"),
            (Error::Unprocessable("x".into()), 422, "unprocessable"),
            (Error::invalid("value", "x"), 422, "unprocessable"),
            (Error::Internal(anyhow::anyhow!("secret detail")), 500, "internal"),
        ];
        for (error, status_code, code) in cases {
            assert_eq!(status(&error).as_u16(), status_code);
            assert_eq!(error.code(), code);
        }
    }

    #[test]
    fn pages_learn_only_the_kind_of_refusal() {
        assert_eq!(PageError::from(Error::NotFound("plan")), PageError::NotFound);
        assert_eq!(PageError::from(Error::Unauthorized), PageError::SignInNeeded);
        assert_eq!(PageError::from(Error::Internal(anyhow::anyhow!("db down"))), PageError::Internal);
    }
}
