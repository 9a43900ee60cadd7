//! Logging set-up, once per process. `RUST_LOG` filters; `PLANBOARD_LOG_FORMAT=json` gives
//! structured lines for production, the default is readable text.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = std::env::var("PLANBOARD_LOG_FORMAT").is_ok_and(|v| v == "json");
    let registry = tracing_subscriber::registry().with(filter);
    // A second init (tests start several apps in one process) is harmless: keep the first.
    let _ = if json { registry.with(fmt::layer().json()).try_init() } else { registry.with(fmt::layer()).try_init() };
}
