//! Infrastructure: knows PostgreSQL, Redis, OpenTelemetry and the clock, and nothing of plans,
//! tenants or roles.

/// A map bounded in entries and weight, oldest out first (the in-process stores).
pub mod bounded;
/// The view cache: Redis plus local gzip bodies, one build at a time per key.
pub mod cache;
/// The time, as a parameter.
pub mod clock;
/// The pool, the migrations, and transactions carrying the tenant context for row-level security.
pub mod db;
/// Remembered answers for idempotent retries.
pub mod idempotency;
/// The service's metrics instruments.
pub mod metrics;
/// Request rates per client address (GCRA), and the proxies trusted to name the client.
pub mod rate_limits;
/// Logs, traces and metrics export, set up once per process.
pub mod telemetry;
