//! The Redis cache of aggregate views (plan dashboard, region comparison).
//!
//! Freshness: every cache key carries the data version of what it summarises, read from
//! PostgreSQL on each request. Writes that change a view's inputs bump their tenant's
//! `data_version` in the same transaction, so the next read on any server instance looks
//! up a new key and computes it fresh: read-your-writes by construction, whether or not
//! Redis was reachable when the write happened. Old keys simply expire (TTL).
//!
//! Single flight: concurrent misses of one key in one process wait for the first to compute
//! and store it, then read it from Redis. Across instances each may compute a cold key once
//! (no distributed lock): with a handful of instances that costs a handful of computations,
//! and a lock would add a round trip to every miss.
//!
//! Failure: every Redis call has a short timeout; when Redis is down or slow the view is
//! computed from PostgreSQL and served with `X-Cache: bypass`. The connection manager
//! reconnects by itself, so caching resumes when Redis returns.
//!
//! In front of Redis each instance keeps the bodies it has served, under the same keys
//! (bounded, oldest out first): a key names its data versions, so a body under it never
//! goes stale, and a hot view costs no network round trip at all. Kept bodies are also
//! gzipped once, for the clients that accept it (a country-wide comparison is 1.8 MB of
//! JSON and 10 times less compressed).

use crate::infra::bounded::{Bounded, lock};
use bytes::Bytes;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Longest wait for any one Redis call before serving without the cache.
pub const REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// How long a cached view lives (stale versions are never read; this only frees memory).
pub const TTL_SECONDS: u64 = 3600;
/// View bodies each instance keeps in memory, in bytes: a country-wide comparison is 2 MB
/// with its gzip, a dashboard 5 KB; more would push the server past its 150 MB budget.
const LOCAL_BYTES: usize = 16 * 1024 * 1024;

/// A view's JSON, and when this instance keeps it, the same gzipped; with a digest of the
/// JSON, computed once, that tells one content from another (the HTTP layer's `ETag`).
#[derive(Debug, Clone)]
pub struct View {
    pub json: Bytes,
    pub gzip: Option<Bytes>,
    pub digest: [u8; 16],
}

/// The first half of `bytes`'s SHA-256: enough to tell contents apart.
pub fn digest(bytes: &[u8]) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let full = Sha256::digest(bytes);
    let mut half = [0u8; 16];
    half.copy_from_slice(&full[..16]);
    half
}

impl View {
    fn plain(json: Bytes) -> Self {
        View { digest: digest(&json), json, gzip: None }
    }

    fn kept(json: Bytes) -> Self {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let gzip = encoder.write_all(&json).and_then(|()| encoder.finish()).ok().map(Bytes::from);
        View { digest: digest(&json), json, gzip }
    }

    fn weight(&self) -> usize {
        self.json.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    Hit,
    Miss,
    Bypass,
}

impl CacheOutcome {
    pub fn header_value(self) -> &'static str {
        match self {
            CacheOutcome::Hit => "hit",
            CacheOutcome::Miss => "miss",
            CacheOutcome::Bypass => "bypass",
        }
    }
}

/// Counts of cache outcomes and of views computed, for metrics and tests.
#[derive(Debug, Default)]
pub struct CacheStats {
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    pub bypasses: AtomicU64,
    pub computations: AtomicU64,
}

#[derive(Clone)]
pub struct ViewCache {
    redis: Option<ConnectionManager>,
    local: Arc<Mutex<Bounded<String, View>>>,
    flights: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    pub stats: Arc<CacheStats>,
}

fn local_store() -> Arc<Mutex<Bounded<String, View>>> {
    Arc::new(Mutex::new(Bounded::new(usize::MAX, LOCAL_BYTES)))
}

impl ViewCache {
    /// A cache on `url`; None: no cache, every view computed (and reported as `bypass`).
    /// Connecting is lazy: Redis may be down when the server starts.
    pub fn new(url: Option<&str>) -> anyhow::Result<Self> {
        let redis = match url {
            Some(url) => {
                let client = redis::Client::open(url)?;
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(REDIS_TIMEOUT))
                    .set_response_timeout(Some(REDIS_TIMEOUT))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_millis(500));
                Some(ConnectionManager::new_lazy_with_config(client, config)?)
            }
            None => None,
        };
        Ok(ViewCache { redis, local: local_store(), flights: Arc::default(), stats: Arc::default() })
    }

    pub fn disabled() -> Self {
        ViewCache { redis: None, local: local_store(), flights: Arc::default(), stats: Arc::default() }
    }

    pub fn configured(&self) -> bool {
        self.redis.is_some()
    }

    /// Whether Redis answers now (for readiness).
    pub async fn ping(&self) -> Option<bool> {
        let mut conn = self.redis.clone()?;
        let pong = tokio::time::timeout(REDIS_TIMEOUT, redis::cmd("PING").query_async::<String>(&mut conn)).await;
        Some(matches!(pong, Ok(Ok(_))))
    }

    #[tracing::instrument(name = "redis.get", skip(self))]
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, ()> {
        let Some(mut conn) = self.redis.clone() else { return Err(()) };
        match tokio::time::timeout(REDIS_TIMEOUT, redis::cmd("GET").arg(key).query_async(&mut conn)).await {
            Ok(Ok(value)) => Ok(value),
            _ => Err(()),
        }
    }

    #[tracing::instrument(name = "redis.set", skip(self, value))]
    async fn set(&self, key: &str, value: &[u8]) {
        if let Some(mut conn) = self.redis.clone() {
            let mut command = redis::cmd("SET");
            command.arg(key).arg(value).arg("EX").arg(TTL_SECONDS);
            if !matches!(tokio::time::timeout(REDIS_TIMEOUT, command.query_async::<()>(&mut conn)).await, Ok(Ok(()))) {
                tracing::warn!(key, "could not store a view in Redis");
            }
        }
    }

    fn flight(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        flights.entry(key.to_owned()).or_default().clone()
    }

    fn forget_flight(&self, key: &str) {
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lock) = flights.get(key)
            && Arc::strong_count(lock) == 1
        {
            flights.remove(key);
        }
    }

    fn count(&self, outcome: CacheOutcome) {
        let counter = match outcome {
            CacheOutcome::Hit => &self.stats.hits,
            CacheOutcome::Miss => &self.stats.misses,
            CacheOutcome::Bypass => &self.stats.bypasses,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn remember(&self, key: &str, json: Bytes) -> View {
        let view = View::kept(json);
        lock(&self.local).insert(key.to_owned(), view.clone(), key.len() + view.weight());
        view
    }

    fn held(&self, key: &str) -> Option<View> {
        lock(&self.local).get(key)
    }

    /// The view stored under `key` (in this instance's memory, else in Redis), or `compute`d
    /// (once per process per key) and stored. Returns the view's JSON bytes (serialised once,
    /// served as they are) and the outcome. With no Redis configured nothing is kept.
    pub async fn get_or_compute<T, E, F, Fut>(&self, key: &str, compute: F) -> Result<(View, CacheOutcome), E>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<serde_json::Error>,
    {
        if self.redis.is_some()
            && let Some(body) = self.held(key)
        {
            self.count(CacheOutcome::Hit);
            return Ok((body, CacheOutcome::Hit));
        }
        let outcome = match self.get(key).await {
            Ok(Some(bytes)) => {
                self.count(CacheOutcome::Hit);
                return Ok((self.remember(key, Bytes::from(bytes)), CacheOutcome::Hit));
            }
            Ok(None) => CacheOutcome::Miss,
            Err(()) => CacheOutcome::Bypass,
        };
        if outcome == CacheOutcome::Bypass {
            self.count(outcome);
            self.stats.computations.fetch_add(1, Ordering::Relaxed);
            return Ok((View::plain(Bytes::from(serde_json::to_vec(&compute().await?)?)), outcome));
        }
        let flight = self.flight(key);
        let result = async {
            let _turn = flight.lock().await;
            // Someone ahead of us in the queue may have stored it meanwhile.
            if let Some(body) = self.held(key) {
                self.count(CacheOutcome::Hit);
                return Ok((body, CacheOutcome::Hit));
            }
            self.count(CacheOutcome::Miss);
            self.stats.computations.fetch_add(1, Ordering::Relaxed);
            let body = Bytes::from(serde_json::to_vec(&compute().await?)?);
            self.set(key, &body).await;
            Ok((self.remember(key, body), CacheOutcome::Miss))
        }
        .await;
        drop(flight);
        self.forget_flight(key);
        result
    }
}
