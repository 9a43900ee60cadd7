//! The application: its shared state, and a server that binds (port 0 in tests), reports its
//! port, and runs until SIGTERM or Ctrl-C, finishing the requests in flight.

use crate::cache::ViewCache;
use crate::clock::Clock;
use crate::http;
use crate::metrics::Metrics;
use crate::mirror::{Freshness, Mirror};
use crate::page_data::BackendPageData;
use crate::read::TenantRecord;
use crate::session::SessionPolicy;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use shared::page_data::PageData;
use sqlx::PgPool;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What every request shares, behind one `Arc`: every middleware layer and extractor takes
/// its own copy of the state, so a copy must cost one reference count (copying the fields
/// themselves was a sixth of the server's time on a cached read).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Clone)]
pub struct Shared {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    pub leptos_options: LeptosOptions,
    pub page_data: Arc<dyn PageData>,
    pub cache: ViewCache,
    /// Callers remembered under their grants' version (see `memo`).
    pub memo: Arc<crate::memo::Memo>,
    /// Sessions, tenants, plans and region versions held in memory, exactly current (see
    /// `mirror`).
    pub mirror: Arc<Mirror>,
    pub metrics: Metrics,
    pub session_policy: SessionPolicy,
    /// `scheme://host[:port]` users reach the site at, when it is known (behind a proxy).
    pub public_origin: Option<String>,
    /// Request rates per client address (see `http::rate_limit`).
    pub rate_limits: Arc<http::RateLimits>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The state of a server on `pool`; starts the mirror's listening task (so it must be
    /// called inside the runtime).
    pub fn new(pool: PgPool, clock: Arc<dyn Clock>, site_root: PathBuf, cache: ViewCache) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name("frontend")
            .site_root(site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .build();
        let memo = Arc::new(crate::memo::Memo::default());
        let page_data = Arc::new(BackendPageData { pool: pool.clone(), clock: clock.clone(), memo: memo.clone() });
        let mirror = Arc::new(Mirror::start(&pool));
        let metrics = Metrics::new(cache.stats.clone(), mirror.stats().clone(), pool.clone());
        AppState(Arc::new(Shared {
            pool,
            clock,
            leptos_options,
            page_data,
            cache,
            memo,
            mirror,
            metrics,
            session_policy: SessionPolicy::default(),
            public_origin: None,
            rate_limits: Arc::new(http::RateLimits::new(&crate::config::RatePolicy::default())),
        }))
    }

    /// The tenant `slug`, from the mirror when this request is synced with it (404 when
    /// there is none).
    pub async fn tenant(&self, fresh: &Freshness, slug: &str) -> crate::error::Result<TenantRecord> {
        let synced = fresh.synced(&self.mirror).await;
        self.mirror.tenant(&self.pool, synced, slug).await
    }

    /// Applies the settings of `config` that shape request handling.
    pub fn configured(self, config: &crate::config::Config) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.session_policy = config.session_policy;
        shared.public_origin = config.public_origin.clone();
        shared.rate_limits = Arc::new(http::RateLimits::new(&config.rate_policy));
        AppState(Arc::new(shared))
    }

    /// The same state with other request rates (tests of the limits).
    pub fn with_rate_policy(self, policy: &crate::config::RatePolicy) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.rate_limits = Arc::new(http::RateLimits::new(policy));
        AppState(Arc::new(shared))
    }
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
}

impl Application {
    pub async fn build(state: AppState, addr: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        Ok(Application { listener, router: http::router(state) })
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
