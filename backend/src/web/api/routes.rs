//! The API's routing table, which is also its OpenAPI document: a route is added only as a
//! handler annotated with `#[utoipa::path]` (through `utoipa_axum::routes!`), so the path the
//! router serves and the path the document describes are one string, and no route can be
//! served undocumented. Each route is added with who may call it (`Access`), which decides
//! both its security requirements in the document and what an API token needs to call it
//! (`web/middleware/caller.rs`); the access-matrix test reads the same list.

use crate::state::AppState;
use axum::http::Method;
use shared::model::TokenScope;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::SecurityRequirement;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// Who may call a route, as far as the route itself says: the access policy
/// (`auth/access.rs`) still decides each request by the caller's grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (what anonymous callers see is public data only); a token
    /// needs this scope.
    Open(TokenScope),
    /// A signed-in caller: by session, or by a token with this scope.
    SignedIn(TokenScope),
    /// A person signed in by session; tokens are refused (they may not manage accounts,
    /// tokens, users or the platform, nor decide on reports).
    SessionOnly,
    /// Signing in: no credentials at all.
    SignIn,
}

impl Access {
    /// The scope a token needs, or None when tokens are refused.
    pub fn token_scope(self) -> Option<TokenScope> {
        match self {
            Access::Open(scope) | Access::SignedIn(scope) => Some(scope),
            Access::SessionOnly | Access::SignIn => None,
        }
    }

    /// The operation's security requirements: any one of them admits the caller.
    fn requirements(self) -> Vec<SecurityRequirement> {
        let session = || SecurityRequirement::new::<_, [&str; 0], &str>("session", []);
        let bearer = |scope: TokenScope| SecurityRequirement::new("bearer", [scope.as_str()]);
        match self {
            Access::Open(scope) => vec![session(), bearer(scope), SecurityRequirement::default()],
            Access::SignedIn(scope) => vec![session(), bearer(scope)],
            Access::SessionOnly => vec![session()],
            Access::SignIn => vec![SecurityRequirement::default()],
        }
    }
}

/// One route: method, path template and who may call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteAccess {
    pub method: Method,
    pub path: String,
    pub access: Access,
}

pub struct ApiRoutes {
    router: OpenApiRouter<AppState>,
    table: Vec<RouteAccess>,
}

impl ApiRoutes {
    pub fn new() -> Self {
        ApiRoutes { router: OpenApiRouter::new(), table: Vec::new() }
    }

    /// Adds the handlers of `routes!(…)`, each callable as `access` says.
    pub fn add(mut self, access: Access, (schemas, mut paths, handlers): UtoipaMethodRouter<AppState>) -> Self {
        for (path, item) in paths.paths.iter_mut() {
            let operations = [
                (Method::GET, &mut item.get),
                (Method::POST, &mut item.post),
                (Method::PUT, &mut item.put),
                (Method::DELETE, &mut item.delete),
                (Method::PATCH, &mut item.patch),
            ];
            for (method, operation) in operations {
                if let Some(operation) = operation {
                    operation.security = Some(access.requirements());
                    self.table.push(RouteAccess { method, path: path.clone(), access });
                }
            }
        }
        self.router = self.router.routes((schemas, paths, handlers));
        self
    }

    pub fn into_parts(self) -> (axum::Router<AppState>, OpenApi, Vec<RouteAccess>) {
        let (router, document) = self.router.split_for_parts();
        (router, document, self.table)
    }
}

impl Default for ApiRoutes {
    fn default() -> Self {
        Self::new()
    }
}
