//! The layers every request passes, outermost last in `web::router`: tracing, security
//! headers, the CSRF origin check, the NUL guard, caller resolution, rate limits,
//! idempotent retries and conditional reads.

pub mod caller;
pub mod conditional;
pub mod csrf;
pub mod idempotency;
pub mod nul_bytes;
pub mod observe;
pub mod rate_limit;
pub mod security;
