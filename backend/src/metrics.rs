//! The service's metrics (exported over OTLP when telemetry is on; no-ops otherwise):
//! request duration by route and status, cache hits and misses, database pool usage, and
//! sign-ins that succeeded or failed.

use crate::cache::CacheStats;
use opentelemetry::metrics::{Counter, Histogram, Meter, ObservableCounter, ObservableGauge};
use opentelemetry::{KeyValue, global};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn meter() -> Meter {
    global::meter("planboard")
}

/// Instruments read through callbacks: cache counters, then pool gauges.
struct Observed {
    _cache: [ObservableCounter<u64>; 3],
    _pool: [ObservableGauge<u64>; 2],
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
    pub fn new(cache: Arc<CacheStats>, pool: PgPool) -> Self {
        let meter = meter();
        let counter = |name: &'static str, description: &'static str, read: fn(&CacheStats) -> u64| {
            let stats = cache.clone();
            meter
                .u64_observable_counter(name)
                .with_description(description)
                .with_callback(move |o| o.observe(read(&stats), &[]))
                .build()
        };
        let hits = counter("planboard.cache.hits", "Views served from Redis", |s| s.hits.load(Ordering::Relaxed));
        let misses =
            counter("planboard.cache.misses", "Views computed and stored", |s| s.misses.load(Ordering::Relaxed));
        let bypasses = counter("planboard.cache.bypasses", "Views computed while Redis was unavailable", |s| {
            s.bypasses.load(Ordering::Relaxed)
        });
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
            _observed: Arc::new(Observed { _cache: [hits, misses, bypasses], _pool: [pool_size, pool_idle] }),
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
