//! Building the application and serving it: the state from a pool, a clock, the site's files
//! and the view cache; a server that binds (port 0 in tests), reports its port, and runs until
//! SIGTERM or Ctrl-C, finishing the requests in flight.

use crate::auth::callers::Callers;
use crate::auth::session::SessionPolicy;
use crate::config::{Config, RatePolicy};
use crate::infra::cache::ViewCache;
use crate::infra::clock::{Clock, SystemClock};
use crate::infra::db;
use crate::infra::metrics::Metrics;
use crate::infra::rate_limits::RateLimits;
use crate::mirror::Mirror;
use crate::state::{AppState, Shared};
use crate::views::dashboard::TaskHalves;
use crate::web;
use crate::web::page_data::BackendPageData;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The state of a server on `pool`, with the default policies (`AppState::configured` applies
/// a configuration's). Starts the mirror's listening task, so it must be called inside the
/// runtime.
pub fn state(pool: PgPool, clock: Arc<dyn Clock>, site_root: PathBuf, cache: ViewCache) -> AppState {
    let leptos_options = LeptosOptions::builder()
        .output_name("frontend")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .build();
    let task_halves = Arc::new(TaskHalves::default());
    let page_data = Arc::new(BackendPageData {
        pool: pool.clone(),
        clock: clock.clone(),
        task_halves: task_halves.clone(),
        cache: cache.clone(),
    });
    let mirror = Arc::new(Mirror::start(&pool));
    let metrics = Metrics::new(cache.stats.clone(), mirror.stats().clone(), pool.clone());
    AppState::new(Shared {
        pool,
        clock,
        leptos_options,
        page_data,
        cache,
        callers: Arc::new(Callers::default()),
        task_halves,
        mirror,
        metrics,
        session_policy: SessionPolicy::default(),
        public_origin: None,
        rate_limits: Arc::new(RateLimits::new(&RatePolicy::default())),
    })
}

/// Serves `config` until stopped: the pool (refusing a role that row-level security does not
/// apply to), the cache, the state and the router.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url.expose(), 16).await?;
    db::ensure_rls_applies(&pool).await?;
    let cache = ViewCache::new(config.redis_url.as_ref().map(|u| u.expose()))?;
    let state = state(pool, Arc::new(SystemClock), config.site_root.clone(), cache).configured(&config);
    let app = Application::build(state, config.addr).await?;
    let addr = app.local_addr()?;
    tracing::info!(%addr, "listening");
    println!("Planboard is running at http://{addr}/");
    app.run_until_stopped().await?;
    Ok(())
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
}

impl Application {
    pub async fn build(state: AppState, addr: SocketAddr) -> anyhow::Result<Self> {
        Self::with_router(web::router(state), addr).await
    }

    /// The application serving `router` (the tests wrap `web::router` in a contract check).
    pub async fn with_router(router: axum::Router, addr: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        Ok(Application { listener, router })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The peer address feeds login throttling per client address.
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown_signal()).await
    }
}
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
