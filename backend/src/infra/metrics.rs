//! The service's metrics (exported over OTLP when telemetry is on; no-ops otherwise):
//! request duration by route and status, cache hits and misses, the mirror's syncs, barriers
//! and fallbacks to PostgreSQL, database pool usage, and sign-ins that succeeded or failed.

use crate::infra::cache::CacheStats;
use opentelemetry::metrics::{Counter, Histogram, Meter, ObservableCounter, ObservableGauge};
use opentelemetry::{KeyValue, global};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

fn meter() -> Meter {
    global::meter("planboard")
}

/// Counts a write refused to an anonymous caller, by action. Such refusals are not written
/// to a district's audit log, which anyone could otherwise flood; this count shows them.
pub fn anonymous_refusal(action: &str) {
    static COUNTER: std::sync::LazyLock<Counter<u64>> = std::sync::LazyLock::new(|| {
        meter()
            .u64_counter("planboard.security.anonymous_refusals")
            .with_description("Writes refused to callers who were not signed in")
            .build()
    });
    COUNTER.add(1, &[KeyValue::new("action", action.to_owned())]);
}

/// Instruments read through callbacks: cache and mirror counters, then pool gauges.
struct Observed {
    _counters: [ObservableCounter<u64>; 6],
    _pool: [ObservableGauge<u64>; 2],
}

/// A counter that reports `read` of `stats` whenever metrics are collected.
fn observed<S: Send + Sync + 'static>(
    meter: &Meter,
    (name, description): (&'static str, &'static str),
    stats: &Arc<S>,
    read: fn(&S) -> &std::sync::atomic::AtomicU64,
) -> ObservableCounter<u64> {
    let stats = stats.clone();
    meter
        .u64_observable_counter(name)
        .with_description(description)
        .with_callback(move |o| o.observe(read(&stats).load(Ordering::Relaxed), &[]))
        .build()
}

/// The mirror's counts, for metrics and tests.
#[derive(Debug, Default)]
pub struct MirrorStats {
    /// Requests that waited for a barrier and got it.
    pub syncs: AtomicU64,
    /// Barriers run for waiting requests: far fewer than syncs under load.
    pub barriers: AtomicU64,
    /// Requests that read PostgreSQL because the mirror was down or late.
    pub unsynced: AtomicU64,
}

/// Instruments recorded from request handling.
#[derive(Clone)]
pub struct Metrics {
    request_duration: Histogram<f64>,
    logins: Counter<u64>,
    /// Callback instruments, kept alive with the application.
    _observed: Arc<Observed>,
}

impl Metrics {
    pub fn new(cache: Arc<CacheStats>, mirror: Arc<MirrorStats>, pool: PgPool) -> Self {
        let meter = meter();
        let counters = [
            observed(&meter, ("planboard.cache.hits", "Views served from Redis"), &cache, |s| &s.hits),
            observed(&meter, ("planboard.cache.misses", "Views computed and stored"), &cache, |s| &s.misses),
            observed(&meter, ("planboard.cache.bypasses", "Views computed while Redis was unavailable"), &cache, |s| {
                &s.bypasses
            }),
            observed(&meter, ("planboard.mirror.syncs", "Requests answered from the mirror"), &mirror, |s| &s.syncs),
            observed(&meter, ("planboard.mirror.barriers", "Barriers run for waiting requests"), &mirror, |s| {
                &s.barriers
            }),
            observed(
                &meter,
                ("planboard.mirror.unsynced", "Requests that read PostgreSQL: the mirror was down or late"),
                &mirror,
                |s| &s.unsynced,
            ),
        ];
        let (p1, p2) = (pool.clone(), pool);
        let pool_size = meter
            .u64_observable_gauge("db.client.connection.count")
            .with_description("Open database connections")
            .with_callback(move |o| o.observe(u64::from(p1.size()), &[]))
            .build();
        let pool_idle = meter
            .u64_observable_gauge("db.client.connection.idle")
            .with_description("Idle database connections")
            .with_callback(move |o| o.observe(p2.num_idle() as u64, &[]))
            .build();
        Metrics {
            request_duration: meter
                .f64_histogram("http.server.request.duration")
                .with_unit("s")
                .with_description("Duration of HTTP requests")
                .build(),
            logins: meter.u64_counter("planboard.logins").with_description("Sign-in attempts by outcome").build(),
            _observed: Arc::new(Observed { _counters: counters, _pool: [pool_size, pool_idle] }),
        }
    }

    pub fn request(&self, method: &str, route: &str, status: u16, duration: Duration) {
        self.request_duration.record(
            duration.as_secs_f64(),
            &[
                KeyValue::new("http.request.method", method.to_owned()),
                KeyValue::new("http.route", route.to_owned()),
                KeyValue::new("http.response.status_code", i64::from(status)),
            ],
        );
    }

    pub fn login(&self, ok: bool) {
        self.logins.add(1, &[KeyValue::new("outcome", if ok { "ok" } else { "failed" })]);
    }
}
