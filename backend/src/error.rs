//! The domain's failure vocabulary, without any transport: `web::error` turns each kind into
//! an HTTP status and `{"error": {"code", "message", "field"}}`, and into what a page shows.
//! A value refused for what it is names its field (`Invalid`), so a form shows the message
//! beside that field and an API client knows which one to fix.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A request that cannot be read (malformed JSON, a form field that is not a number).
    #[error("{0}")]
    BadRequest(String),
    #[error("not signed in")]
    Unauthorized,
    /// An API token that is unknown, expired, revoked, or whose owner is disabled.
    #[error("the API token is unknown, expired or revoked")]
    InvalidToken,
    /// An API token used where its scopes do not reach; the message says what it lacks.
    #[error("{0}")]
    InsufficientScope(String),
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
    /// A value of field `field` that the rules refuse; the message says why. The field is a
    /// name (`period`) or, for a body of the wrong shape, a path into it (`organisations[2]`).
    #[error("{message}")]
    Invalid { field: std::borrow::Cow<'static, str>, message: String },
    /// A request the rules refuse as a whole, no one field being at fault.
    #[error("{0}")]
    Unprocessable(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl Error {
    pub fn invalid(field: impl Into<std::borrow::Cow<'static, str>>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into() }
    }

    /// The field a refusal is about, when it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The kind of failure, as API clients and audit events name it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Unauthorized | Error::BadCredentials => "unauthorized",
            Error::InvalidToken => "invalid_token",
            Error::InsufficientScope(_) => "insufficient_scope",
            Error::Forbidden => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::TooManyRequests(_) => "too_many_requests",
            Error::PayloadTooLarge => "payload_too_large",
            Error::PreconditionRequired => "precondition_required",
            Error::Invalid { .. } | Error::Unprocessable(_) => "unprocessable",
            Error::Database(_) | Error::Internal(_) | Error::Json(_) => "internal",
        }
    }
}

/// Constraint violations named once: `result.on_constraint("indicator_report_open_idx", |_|
/// Error::Conflict(…))` turns that constraint's violation into a domain error and any other
/// database error into `Error::Database`.
pub trait OnConstraint<T> {
    fn on_constraint(self, name: &str, error: impl FnOnce() -> Error) -> Result<T>;
}

impl<T> OnConstraint<T> for std::result::Result<T, sqlx::Error> {
    fn on_constraint(self, name: &str, error: impl FnOnce() -> Error) -> Result<T> {
        self.map_err(|e| match &e {
            sqlx::Error::Database(d) if d.constraint() == Some(name) => error(),
            _ => Error::Database(e),
        })
    }
}

/// Parses an id from a path; a malformed one is the client's mistake (400), not a missing row.
pub fn parse_id(what: &'static str, text: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|_| Error::BadRequest(format!("{what} id {text:?} is not a valid id")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_value_names_its_field_and_shows_only_its_message() {
        let e = Error::invalid("period", "period 2031 is outside the plan's period 2021–2025");
        assert_eq!(e.field(), Some("period"));
        assert_eq!(e.to_string(), "period 2031 is outside the plan's period 2021–2025");
        assert_eq!(e.code(), "unprocessable");
        assert_eq!(Error::Unprocessable("x".into()).field(), None);
    }
}
