//! The HTTP layer's one error type. Every failure becomes `{"error": {"code", "message"}}` with
//! its status; a 500 logs its detail and tells the client nothing more than that it happened.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{ErrorBody, ErrorDetail};
use shared::page_data::PageError;

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("not signed in")]
    Unauthorized,
    /// One message for an unknown account and a wrong password.
    #[error("wrong email or password")]
    BadCredentials,
    #[error("not allowed")]
    Forbidden,
    /// Missing, or not visible to the caller: deliberately the same answer.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// An edit of an existing record without `If-Match: "<version>"`.
    #[error("send If-Match with the version you are editing")]
    PreconditionRequired,
    /// Too many failed attempts; try again after this many seconds.
    #[error("too many attempts; try again in {0} s")]
    TooManyRequests(u64),
    #[error("{0}")]
    Unprocessable(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Database(_) | ApiError::Internal(_) | ApiError::Json(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized | ApiError::BadCredentials => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::TooManyRequests(_) => "too_many_requests",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::PreconditionRequired => "precondition_required",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::Database(_) | ApiError::Internal(_) | ApiError::Json(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = match &self {
            ApiError::Database(e) => {
                tracing::error!(error = %e, "database error");
                "internal error".to_owned()
            }
            ApiError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                "internal error".to_owned()
            }
            ApiError::Json(e) => {
                tracing::error!(error = %e, "serialisation error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let body = ErrorBody { error: ErrorDetail { code: self.code().to_owned(), message } };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::TooManyRequests(seconds) = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound(_) | ApiError::BadCredentials => PageError::NotFound,
            ApiError::Unauthorized => PageError::SignInNeeded,
            ApiError::Forbidden => PageError::Forbidden,
            ApiError::BadRequest(m) | ApiError::Conflict(m) | ApiError::Unprocessable(m) => PageError::Invalid(m),
            e @ (ApiError::TooManyRequests(_) | ApiError::PayloadTooLarge | ApiError::PreconditionRequired) => {
                PageError::Invalid(e.to_string())
            }
            ApiError::Database(e) => {
                tracing::error!(error = %e, "database error");
                PageError::Internal
            }
            ApiError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                PageError::Internal
            }
            ApiError::Json(e) => {
                tracing::error!(error = %e, "serialisation error");
                PageError::Internal
            }
        }
    }
}

/// Parses an id from a path; a malformed one is the client's mistake (400), not a missing row.
pub fn parse_id(what: &'static str, text: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|_| ApiError::BadRequest(format!("{what} id {text:?} is not a valid id")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status_and_code() {
        let cases = [
            (ApiError::BadRequest("x".into()), 400, "bad_request"),
            (ApiError::Unauthorized, 401, "unauthorized"),
            (ApiError::Forbidden, 403, "forbidden"),
            (ApiError::NotFound("plan"), 404, "not_found"),
            (ApiError::Conflict("x".into()), 409, "conflict"),
            (ApiError::TooManyRequests(3), 429, "too_many_requests"),
            (ApiError::PayloadTooLarge, 413, "payload_too_large"),
            (ApiError::PreconditionRequired, 428, "precondition_required"),
            (ApiError::Unprocessable("x".into()), 422, "unprocessable"),
            (ApiError::Internal(anyhow::anyhow!("secret detail")), 500, "internal"),
        ];
        for (error, status, code) in cases {
            assert_eq!(error.status().as_u16(), status);
            assert_eq!(error.code(), code);
        }
    }

    #[test]
    fn pages_learn_only_the_kind_of_refusal() {
        assert_eq!(PageError::from(ApiError::NotFound("plan")), PageError::NotFound);
        assert_eq!(PageError::from(ApiError::Unauthorized), PageError::SignInNeeded);
        assert_eq!(PageError::from(ApiError::Internal(anyhow::anyhow!("db down"))), PageError::Internal);
    }
}
