//! A span per request (continuing the caller's trace from `traceparent`) and the request
//! duration metric. The span names the route template, not the raw path, and carries the
//! status, the tenant and the user id; never cookies or bodies.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use opentelemetry::global;
use opentelemetry::trace::TraceContextExt;
use opentelemetry_http::HeaderExtractor;
use std::time::Instant;
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The tenant slug of a `/…/tenants/{slug}/…` or `/t/{slug}/…` path.
fn tenant_of(path: &str) -> Option<&str> {
    let mut parts = path.split('/');
    parts.by_ref().find(|p| *p == "tenants" || *p == "t")?;
    parts.next().filter(|s| !s.is_empty())
}

pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let span = tracing::info_span!(
        "request",
        otel.name = format!("{method} {route}"),
        otel.kind = "server",
        http.request.method = %method,
        http.route = %route,
        http.response.status_code = tracing::field::Empty,
        tenant = tenant_of(request.uri().path()).unwrap_or(""),
        user.id = tracing::field::Empty,
        trace_id = tracing::field::Empty,
    );
    let parent = global::get_text_map_propagator(|p| p.extract(&HeaderExtractor(request.headers())));
    let _ = span.set_parent(parent);
    // Log lines inside the request carry the trace id (JSON logs include the span's fields).
    let trace_id = span.context().span().span_context().trace_id();
    if trace_id != opentelemetry::trace::TraceId::INVALID {
        span.record("trace_id", trace_id.to_string());
    }
    let started = Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    span.record("http.response.status_code", i64::from(status));
    let elapsed = started.elapsed();
    span.in_scope(|| tracing::info!(status, elapsed_ms = elapsed.as_secs_f64() * 1000.0, "request"));
    state.metrics.request(&method, &route, status, elapsed);
    response
}

#[cfg(test)]
mod tests {
    use super::tenant_of;

    #[test]
    fn the_tenant_comes_from_the_path() {
        assert_eq!(tenant_of("/api/v1/tenants/qianjiang/plans/x"), Some("qianjiang"));
        assert_eq!(tenant_of("/t/qianjiang/plans/x"), Some("qianjiang"));
        assert_eq!(tenant_of("/api/v1/regions/chongqing/comparison"), None);
    }
}
