//! Resolves who is calling before any handler or page runs, and puts it into the request's
//! extensions (where the pages' server functions find it too).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use shared::page_data::Caller;

/// Everyone is anonymous until sign-in exists; the sessions of the accounts issue resolve
/// here.
pub async fn resolve(mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(Caller::anonymous());
    next.run(request).await
}
