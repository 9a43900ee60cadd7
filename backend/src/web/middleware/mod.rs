//! The layers every request passes, outermost last in `web::router`: tracing, security
//! headers, the CSRF origin check, the NUL guard, caller resolution and rate limits.

pub mod caller;
pub mod csrf;
pub mod nul_bytes;
pub mod observe;
pub mod rate_limit;
pub mod security;
