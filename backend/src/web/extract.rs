//! What handlers take from a request, each refusing with the API's JSON errors:
//! - `Tenant`: the tenant of the route's `{slug}` (404 when there is none);
//! - `Id`, `ReportId`, `UpdateId`: the ids of `{id}`, `{rid}` and `{uid}` (400 when not an id);
//! - `RegionSlug`, `CatalogKey`: the texts of `{region}` and `{key}` (400 when not UTF-8);
//! - `Version`, `RequiredVersion`: the version an edit was made against, from `If-Match`
//!   (428 when a required one is missing);
//! - `ApiJson`: the body, where malformed JSON is 400, a body of the wrong shape (missing or
//!   mistyped fields) 422 naming the field at fault (`organisations[2]`), a missing or wrong
//!   Content-Type 400, and a string holding NUL (which PostgreSQL cannot store) 400.
//!
//! A handler lists them in the order its refusals take precedence: ids, then versions, then
//! the tenant.

use crate::error::{Error, parse_id};
use crate::mirror::Freshness;
use crate::state::AppState;
use crate::tenancy::TenantRecord;
use crate::web::middleware::nul_bytes::json_nul;
use crate::web::versions;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, RawPathParams, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// The tenant named by the route's `{slug}`, from the mirror when the request is synced
/// with it.
pub struct Tenant(pub TenantRecord);

impl FromRequestParts<AppState> for Tenant {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let slug = path_param(parts, state, "slug").await?;
        let fresh = parts.extensions.get::<Freshness>().cloned().unwrap_or_default();
        Ok(Tenant(state.tenant(&fresh, &slug).await?))
    }
}

/// The id in the route's `{id}`; its error names the resource the path segment before it
/// holds (`/plans/{id}`: a plan).
pub struct Id(pub Uuid);

impl FromRequestParts<AppState> for Id {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let text = path_param(parts, state, "id").await?;
        let route = parts.extensions.get::<MatchedPath>().map_or("", MatchedPath::as_str);
        Ok(Id(parse_id(resource_before(route, "{id}"), &text)?))
    }
}

/// The report id in the route's `{rid}`.
pub struct ReportId(pub Uuid);

impl FromRequestParts<AppState> for ReportId {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        Ok(ReportId(parse_id("report", &path_param(parts, state, "rid").await?)?))
    }
}

/// The task update id in the route's `{uid}`.
pub struct UpdateId(pub Uuid);

impl FromRequestParts<AppState> for UpdateId {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        Ok(UpdateId(parse_id("task update", &path_param(parts, state, "uid").await?)?))
    }
}

/// A path parameter taken as text, refused with the API's JSON error when it is not UTF-8.
macro_rules! path_text {
    ($(#[$doc:meta])* $name:ident, $param:literal) => {
        $(#[$doc])*
        pub struct $name(pub String);

        impl FromRequestParts<AppState> for $name {
            type Rejection = Error;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
                Ok($name(path_param(parts, state, $param).await?))
            }
        }
    };
}

path_text!(
    /// The region's slug in the route's `{region}`.
    RegionSlug,
    "region"
);
path_text!(
    /// The catalog key in the route's `{key}`.
    CatalogKey,
    "key"
);

/// The version an edit names in `If-Match`, when it names one.
pub struct Version(pub Option<i32>);

impl<S: Send + Sync> FromRequestParts<S> for Version {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        Ok(Version(versions::if_match(&parts.headers)?))
    }
}

/// The version an edit of an existing record must name in `If-Match`.
pub struct RequiredVersion(pub i32);

impl<S: Send + Sync> FromRequestParts<S> for RequiredVersion {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        Ok(RequiredVersion(versions::required(&parts.headers)?))
    }
}

async fn path_param(parts: &mut Parts, state: &AppState, name: &str) -> Result<String, Error> {
    let params = RawPathParams::from_request_parts(parts, state).await.map_err(|e| Error::BadRequest(e.body_text()))?;
    params
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("the route has no {{{name}}}")))
}

/// What the path segment before `param` holds, in the singular (`/plans/{id}`: "plan").
fn resource_before(route: &str, param: &str) -> &'static str {
    let before = route.split('/').take_while(|s| *s != param).last().unwrap_or_default();
    match before {
        "plans" => "plan",
        "indicators" => "indicator",
        "tasks" => "task",
        "grants" => "grant",
        "reports" => "report",
        "invitations" => "invitation",
        "tokens" => "token",
        "service-accounts" => "service account",
        _ => "resource",
    }
}

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
        read_json(&bytes).map(ApiJson)
    }
}

/// `bytes` as a `T`: malformed JSON is 400, a body of the wrong shape 422 naming the path of
/// the field at fault.
fn read_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.classify() != serde_json::error::Category::Data {
            return Error::BadRequest(format!("the body is not JSON: {inner}"));
        }
        // A missing or unknown field is reported at the object holding it: name the field.
        let message = inner.to_string();
        let named = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|start| message.strip_prefix(start)?.split('`').next().map(str::to_owned));
        let field = match (path.as_str(), named) {
            (".", Some(name)) => name,
            // An unknown field's path already ends in it.
            (_, Some(name)) if path == name || path.ends_with(&format!(".{name}")) => path,
            (_, Some(name)) => format!("{path}.{name}"),
            (".", None) => return Error::Unprocessable(message),
            (_, None) => path,
        };
        Error::invalid(field.clone(), format!("{field}: {message}"))
    })?;
    reader.end().map_err(|e| Error::BadRequest(format!("the body is not JSON: {e}")))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::{Error, read_json, resource_before};

    #[test]
    fn a_body_of_the_wrong_shape_names_the_field_at_fault() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Body {
            period: String,
            organisations: Vec<String>,
        }
        let field = |json: &str| read_json::<Body>(json.as_bytes()).err().and_then(|e| e.field().map(str::to_owned));
        assert_eq!(field(r#"{"period": 2023, "organisations": []}"#).as_deref(), Some("period"));
        assert_eq!(field(r#"{"period": "2023", "organisations": ["a", 3]}"#).as_deref(), Some("organisations[1]"));
        assert_eq!(field(r#"{"organisations": []}"#).as_deref(), Some("period"));
        assert_eq!(field(r#"{"period": "2023", "organisations": [], "x": 1}"#).as_deref(), Some("x"));
        assert!(matches!(read_json::<Body>(b"{"), Err(Error::BadRequest(_))));
        assert!(matches!(read_json::<Body>(br#"{"period": "1", "organisations": []} x"#), Err(Error::BadRequest(_))));
    }

    #[test]
    fn an_id_is_named_after_the_segment_before_it() {
        assert_eq!(resource_before("/api/v1/tenants/{slug}/plans/{id}/dashboard", "{id}"), "plan");
        assert_eq!(
            resource_before("/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}/approve", "{id}"),
            "indicator"
        );
        assert_eq!(resource_before("/api/v1/tenants/{slug}/grants/{id}", "{id}"), "grant");
        assert_eq!(resource_before("/elsewhere/{id}", "{id}"), "resource");
    }
}
