//! The handles every request shares. `startup` builds them; handlers, middleware and the
//! pages' adapter read them.

use crate::auth::account::Accounts;
use crate::auth::callers::Callers;
use crate::auth::session::SessionPolicy;
use crate::config::{Config, RatePolicy};
use crate::infra::cache::ViewCache;
use crate::infra::clock::Clock;
use crate::infra::metrics::Metrics;
use crate::infra::rate_limits::RateLimits;
use crate::mirror::{Freshness, Mirror};
use crate::tenancy::TenantRecord;
use crate::views::dashboard::TaskHalves;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use shared::page_data::PageData;
use sqlx::PgPool;
use std::sync::Arc;

/// What every request shares, behind one `Arc`: every middleware layer and extractor takes
/// its own copy of the state, so a copy must cost one reference count, not a copy of each
/// field (docs/benchmarks.md has what that was worth on a cached read).
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
    /// The pages' data, behind the interface the Leptos server functions call
    /// (`web::page_data` implements it).
    pub page_data: Arc<dyn PageData>,
    pub cache: ViewCache,
    /// Callers remembered under their grants' version.
    pub callers: Arc<Callers>,
    /// The task halves of plan dashboards, remembered under the tenant's structure version.
    pub task_halves: Arc<TaskHalves>,
    /// Sessions, tenants, plans and region versions held in memory, exactly current.
    pub mirror: Arc<Mirror>,
    pub metrics: Metrics,
    pub session_policy: SessionPolicy,
    /// `scheme://host[:port]` users reach the site at, when it is known (behind a proxy).
    pub public_origin: Option<String>,
    /// Request rates per client address.
    pub rate_limits: Arc<RateLimits>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }

    /// The tenant `slug`, from the mirror when this request is synced with it (404 when
    /// there is none).
    pub async fn tenant(&self, fresh: &Freshness, slug: &str) -> crate::error::Result<TenantRecord> {
        let synced = fresh.synced(&self.mirror).await;
        self.mirror.tenant(&self.pool, synced, slug).await
    }

    /// Signing in and out and changing passwords, with this state's handles.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts {
            pool: &self.pool,
            clock: self.clock.as_ref(),
            metrics: &self.metrics,
            session_policy: &self.session_policy,
        }
    }

    /// Applies the settings of `config` that shape request handling.
    pub fn configured(self, config: &Config) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.session_policy = config.session_policy;
        shared.public_origin = config.public_origin.clone();
        shared.rate_limits = Arc::new(RateLimits::new(&config.rate_policy));
        AppState(Arc::new(shared))
    }

    /// The same state with other request rates (tests of the limits).
    pub fn with_rate_policy(self, policy: &RatePolicy) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.rate_limits = Arc::new(RateLimits::new(policy));
        AppState(Arc::new(shared))
    }
}
