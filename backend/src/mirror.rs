//! An in-process mirror of the rows a request reads before anything else: its session, the
//! tenant and plan it names, and the versions a region comparison's cache key is made of. With it a
//! view served from the cache costs no round trip to PostgreSQL at all.
//!
//! Exact, not eventual. PostgreSQL tells every instance of each change to those rows (the
//! triggers of migration `change_notifications`, on one LISTEN connection per instance), in
//! commit order. Before a request trusts the mirror it waits for a *barrier*: a notification
//! this instance sends itself after the request arrived. Notifications arrive in commit
//! order, so once the barrier is back, every change committed before the request arrived has
//! been applied, whichever instance made it: a write acknowledged anywhere is in the next
//! read everywhere (PRODUCT.md §4), and a session ended anywhere is refused at once. One
//! barrier serves every request that arrived before it was sent, so under load it costs one
//! tiny statement per batch of requests: its price is latency (about one round trip), not
//! throughput.
//!
//! When the LISTEN connection is down, or a barrier is not back within `SYNC_TIMEOUT`,
//! requests read PostgreSQL as they would without a mirror. Every (re)connection empties the
//! mirror, since notifications may have been missed meanwhile.
//!
//! A copy read from PostgreSQL is kept only if no notification of its kind arrived while it
//! was being read (an epoch per kind): a change landing during the read can never be
//! overwritten by the older copy.

use crate::bounded::{Bounded, lock};
use crate::comparison::{self, RegionRecord};
use crate::read::{self, PlanEntry, TenantRecord};
use crate::session::{self, LiveSession, SessionPolicy, SessionUser};
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, OnceCell, watch};
use uuid::Uuid;

/// The channel the triggers notify on.
pub const CHANNEL: &str = "planboard_changes";
/// Longest wait for a barrier before reading PostgreSQL instead.
const SYNC_TIMEOUT: Duration = Duration::from_millis(250);
/// Pause before listening again after the connection was lost.
const RECONNECT_AFTER: Duration = Duration::from_millis(500);
const MAX_SESSIONS: usize = 100_000;
const MAX_PLANS: usize = 20_000;
/// Region comparisons are kept per (region, catalog key), and the key comes from the URL.
const MAX_REGIONS: usize = 10_000;

/// Proof that the mirror held every change committed before the request that got it arrived.
#[derive(Debug, Clone, Copy)]
pub struct Synced(());

/// Whether the mirror listens now, and how many connections it has listened on so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Listening {
    pub up: bool,
    pub connections: u64,
}

/// Counts for metrics and tests.
#[derive(Debug, Default)]
pub struct MirrorStats {
    /// Requests that waited for a barrier and got it.
    pub syncs: AtomicU64,
    /// Barriers sent: far fewer than syncs under load.
    pub barriers: AtomicU64,
    /// Requests that read PostgreSQL because the mirror was down or late.
    pub unsynced: AtomicU64,
}

/// The mirror of one instance; its two tasks end when it is dropped.
pub struct Mirror {
    shared: Arc<Shared>,
    tasks: Vec<tokio::task::AbortHandle>,
}

struct Shared {
    /// Tells this instance's barriers apart from other instances'.
    instance: String,
    /// Whether the LISTEN connection is up, and how many times it has come up: requests
    /// read the first, tests and operators wait on either.
    listening: watch::Sender<Listening>,
    barriers: Mutex<Barriers>,
    /// Wakes the task that sends barriers.
    barrier_wanted: Notify,
    /// The newest of this instance's barriers that came back.
    barrier_back: watch::Sender<u64>,
    copies: Mutex<Copies>,
    stats: Arc<MirrorStats>,
}

/// Barriers are numbered: `sent` went out, requests that arrived since want `sent + 1`.
#[derive(Default)]
struct Barriers {
    sent: u64,
    wanted: u64,
}

struct Copies {
    sessions: Bounded<[u8; 32], LiveSession>,
    /// Moves with every notification about sessions or users.
    session_epoch: u64,
    tenants: HashMap<String, TenantRecord>,
    slugs: HashMap<Uuid, String>,
    regions: Bounded<(String, Option<String>), RegionRecord>,
    /// Moves with every notification about tenants, regions or the catalog.
    tenant_epoch: u64,
    plans: Bounded<Uuid, PlanEntry>,
    /// Moves with every notification about plans (not with every write: a plan changes
    /// rarely, its tenant's data version all the time).
    plan_epoch: u64,
}

impl Copies {
    fn new() -> Self {
        Copies {
            sessions: Bounded::new(MAX_SESSIONS, usize::MAX),
            session_epoch: 0,
            tenants: HashMap::new(),
            slugs: HashMap::new(),
            regions: Bounded::new(MAX_REGIONS, usize::MAX),
            tenant_epoch: 0,
            plans: Bounded::new(MAX_PLANS, usize::MAX),
            plan_epoch: 0,
        }
    }

    fn forget_everything(&mut self) {
        let epochs = (self.session_epoch + 1, self.tenant_epoch + 1, self.plan_epoch + 1);
        *self = Copies { session_epoch: epochs.0, tenant_epoch: epochs.1, plan_epoch: epochs.2, ..Copies::new() };
    }

    fn forget_tenants(&mut self, keep: impl Fn(&TenantRecord) -> bool) {
        self.tenants.retain(|_, t| keep(t));
        let tenants = &self.tenants;
        self.slugs.retain(|_, slug| tenants.contains_key(slug));
    }

    fn apply(&mut self, change: Change) {
        let kind = change_kind(&change);
        match change {
            Change::SessionEnded(hash) => self.sessions.remove(&hash),
            Change::User(user) => self.sessions.retain(|_, s| s.user.user_id != user),
            Change::DataVersion { tenant, region, version } => {
                if let Some(held) = self.slugs.get(&tenant).and_then(|slug| self.tenants.get_mut(slug)) {
                    held.data_version = held.data_version.max(version);
                }
                for held in self.regions.values_mut().filter(|r| r.region_id == region) {
                    held.newest = Some(held.newest.map_or(version, |n| n.max(version)));
                }
            }
            Change::Tenant { tenant, region } => {
                self.forget_tenants(|t| t.tenant_id != tenant);
                self.regions.retain(|_, r| r.region_id != region);
            }
            Change::Region(region) => {
                self.forget_tenants(|t| t.region_id != region);
                self.regions.retain(|_, r| r.region_id != region);
            }
            Change::CatalogEntry(key) => self.regions.retain(|(_, k), _| k.as_deref() != Some(key.as_str())),
            Change::Plan(plan) => self.plans.remove(&plan),
            Change::Unreadable => self.forget_everything(),
        }
        match kind {
            Some(Kind::Sessions) => self.session_epoch += 1,
            Some(Kind::Tenants) => self.tenant_epoch += 1,
            Some(Kind::Plans) => self.plan_epoch += 1,
            None => {}
        }
    }

    fn epoch(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Sessions => self.session_epoch,
            Kind::Tenants => self.tenant_epoch,
            Kind::Plans => self.plan_epoch,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sessions,
    Tenants,
    Plans,
}

/// The kind whose epoch a change moves; None when it forgets everything (which moves all).
fn change_kind(change: &Change) -> Option<Kind> {
    match change {
        Change::SessionEnded(_) | Change::User(_) => Some(Kind::Sessions),
        Change::DataVersion { .. } | Change::Tenant { .. } | Change::Region(_) | Change::CatalogEntry(_) => {
            Some(Kind::Tenants)
        }
        Change::Plan(_) => Some(Kind::Plans),
        Change::Unreadable => None,
    }
}

/// A notification from the triggers, read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    SessionEnded([u8; 32]),
    User(Uuid),
    DataVersion {
        tenant: Uuid,
        region: Uuid,
        version: i64,
    },
    Tenant {
        tenant: Uuid,
        region: Uuid,
    },
    Region(Uuid),
    CatalogEntry(String),
    Plan(Uuid),
    /// Not understood: everything held is forgotten, which is always safe.
    Unreadable,
}

/// What a notification's payload says: a change, or a barrier of instance `.0` numbered `.1`.
#[derive(Debug, PartialEq, Eq)]
enum Notice<'a> {
    Change(Change),
    Barrier(&'a str, u64),
}

fn read_notice(payload: &str) -> Notice<'_> {
    let unreadable = Notice::Change(Change::Unreadable);
    let Some((kind, rest)) = payload.split_once(':') else { return unreadable };
    let ids = |text: &str| text.split(':').map(|id| id.parse::<Uuid>().ok()).collect::<Option<Vec<_>>>();
    let change = match kind {
        "b" => {
            return match rest.split_once(':').and_then(|(instance, n)| Some((instance, n.parse().ok()?))) {
                Some((instance, n)) => Notice::Barrier(instance, n),
                None => unreadable,
            };
        }
        "s" => hex_hash(rest).map(Change::SessionEnded),
        "u" => rest.parse().ok().map(Change::User),
        "t" => ids(rest).and_then(|ids| match ids[..] {
            [tenant, region] => Some(Change::Tenant { tenant, region }),
            _ => None,
        }),
        "v" => rest.rsplit_once(':').and_then(|(ids_part, version)| {
            match (ids(ids_part).as_deref(), version.parse().ok()) {
                (Some(&[tenant, region]), Some(version)) => Some(Change::DataVersion { tenant, region, version }),
                _ => None,
            }
        }),
        "r" => rest.parse().ok().map(Change::Region),
        "c" => Some(Change::CatalogEntry(rest.to_owned())),
        "p" => rest.parse().ok().map(Change::Plan),
        _ => None,
    };
    Notice::Change(change.unwrap_or(Change::Unreadable))
}

fn hex_hash(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(hash)
}

impl Mirror {
    /// Starts listening on the database of `pool` (connecting as the same role, outside the
    /// pool). Until the first connection is up, requests read PostgreSQL.
    pub fn start(pool: &PgPool) -> Self {
        // Tells this instance's barriers from others'; without randomness (never seen), the
        // process and the clock still differ between instances.
        let instance = session::random_hex::<8>().unwrap_or_else(|_| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            format!("{}-{}", std::process::id(), now.as_nanos())
        });
        let shared = Arc::new(Shared {
            instance,
            listening: watch::Sender::new(Listening::default()),
            barriers: Mutex::default(),
            barrier_wanted: Notify::new(),
            barrier_back: watch::Sender::new(0),
            copies: Mutex::new(Copies::new()),
            stats: Arc::default(),
        });
        let options = (*pool.connect_options()).clone();
        let tasks = vec![
            tokio::spawn(listen(shared.clone(), options.clone())).abort_handle(),
            tokio::spawn(send_barriers(shared.clone(), options)).abort_handle(),
        ];
        Mirror { shared, tasks }
    }

    pub fn stats(&self) -> &Arc<MirrorStats> {
        &self.shared.stats
    }

    /// The state of the LISTEN connection, to wait on (`wait_for`) or read.
    pub fn listening(&self) -> watch::Receiver<Listening> {
        self.shared.listening.subscribe()
    }

    /// Waits until this instance has applied every change committed before the call; None
    /// when the mirror cannot say (then read PostgreSQL).
    pub async fn sync(&self) -> Option<Synced> {
        let shared = &self.shared;
        let synced = if shared.listening.borrow().up {
            let (needed, first) = {
                let mut barriers = lock(&shared.barriers);
                let needed = barriers.sent + 1;
                let first = barriers.wanted < needed;
                barriers.wanted = barriers.wanted.max(needed);
                (needed, first)
            };
            // The first request to want this barrier wakes the sender; the rest ride along.
            if first {
                shared.barrier_wanted.notify_one();
            }
            let mut back = shared.barrier_back.subscribe();
            matches!(tokio::time::timeout(SYNC_TIMEOUT, back.wait_for(|n| *n >= needed)).await, Ok(Ok(_)))
        } else {
            false
        };
        let counter = if synced { &shared.stats.syncs } else { &shared.stats.unsynced };
        counter.fetch_add(1, Ordering::Relaxed);
        synced.then_some(Synced(()))
    }

    /// The copy `held` finds, when synced; else `read` from PostgreSQL, and kept by `keep`
    /// unless a notification of `kind` arrived meanwhile.
    async fn held_or_read<T: Clone, E>(
        &self,
        synced: Option<Synced>,
        kind: Kind,
        held: impl FnOnce(&Copies) -> Option<T>,
        read: impl Future<Output = Result<T, E>>,
        keep: impl FnOnce(&mut Copies, T),
    ) -> Result<T, E> {
        let epoch = {
            let copies = lock(&self.shared.copies);
            if synced.is_some()
                && let Some(found) = held(&copies)
            {
                return Ok(found);
            }
            copies.epoch(kind)
        };
        let found = read.await?;
        let mut copies = lock(&self.shared.copies);
        if synced.is_some() && copies.epoch(kind) == epoch {
            keep(&mut copies, found.clone());
        }
        Ok(found)
    }

    /// The user of the live session `token_hash` (see `session::resolve`).
    pub async fn session(
        &self,
        pool: &PgPool,
        synced: Option<Synced>,
        token_hash: &[u8; 32],
        now: DateTime<Utc>,
        policy: &SessionPolicy,
    ) -> sqlx::Result<Option<SessionUser>> {
        let held = |copies: &Copies| copies.sessions.get(token_hash).filter(|s| s.is_live(now, policy)).map(Some);
        let keep = |copies: &mut Copies, found: Option<LiveSession>| {
            if let Some(found) = found {
                copies.sessions.insert(*token_hash, found, 1);
            }
        };
        let found = self
            .held_or_read(synced, Kind::Sessions, held, session::resolve(pool, token_hash, now, policy), keep)
            .await?;
        let Some(found) = found else { return Ok(None) };
        if found.needs_touch(now) {
            session::touch(pool, token_hash, now).await?;
            if let Some(held) = lock(&self.shared.copies).sessions.get_mut(token_hash) {
                held.last_seen_at = held.last_seen_at.max(now);
            }
        }
        Ok(Some(found.user))
    }

    /// The tenant `slug` (404 when there is none).
    pub async fn tenant(
        &self,
        pool: &PgPool,
        synced: Option<Synced>,
        slug: &str,
    ) -> crate::error::Result<TenantRecord> {
        let held = |copies: &Copies| copies.tenants.get(slug).cloned();
        let keep = |copies: &mut Copies, found: TenantRecord| {
            copies.slugs.insert(found.tenant_id, found.slug.clone());
            copies.tenants.insert(found.slug.clone(), found);
        };
        self.held_or_read(synced, Kind::Tenants, held, read::find_tenant(pool, slug), keep).await
    }

    /// The plan `plan_id` as first read under tenant `tenant_id` (404 when that tenant has no
    /// such plan); the caller checks the tenant.
    pub async fn plan(
        &self,
        pool: &PgPool,
        synced: Option<Synced>,
        tenant_id: Uuid,
        plan_id: Uuid,
    ) -> crate::error::Result<PlanEntry> {
        let held = |copies: &Copies| copies.plans.get(&plan_id);
        let keep = |copies: &mut Copies, found: PlanEntry| copies.plans.insert(plan_id, found, 1);
        self.held_or_read(synced, Kind::Plans, held, read::plan_entry(pool, tenant_id, plan_id), keep).await
    }

    /// The region `slug` with its comparison's versions (404 when there is none).
    pub async fn region(
        &self,
        pool: &PgPool,
        synced: Option<Synced>,
        slug: &str,
        indicator_key: Option<&str>,
    ) -> crate::error::Result<RegionRecord> {
        let key = (slug.to_owned(), indicator_key.map(str::to_owned));
        let held = |copies: &Copies| copies.regions.get(&key);
        let read = comparison::find_region(pool, slug, indicator_key);
        let keep = |copies: &mut Copies, found: RegionRecord| copies.regions.insert(key.clone(), found, 1);
        self.held_or_read(synced, Kind::Tenants, held, read, keep).await
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// A request's sync with the mirror: made at most once, and only when something asks for it
/// (a `/healthz` never waits for a barrier).
#[derive(Clone, Default)]
pub struct Freshness(Arc<OnceCell<Option<Synced>>>);

impl Freshness {
    pub async fn synced(&self, mirror: &Mirror) -> Option<Synced> {
        *self.0.get_or_init(|| mirror.sync()).await
    }
}

/// Applies every notification; on a lost connection forgets everything and listens again.
async fn listen(shared: Arc<Shared>, options: PgConnectOptions) {
    loop {
        match listening(&options).await {
            Ok(mut listener) => {
                // Anything read before this point may have missed a notification.
                lock(&shared.copies).forget_everything();
                shared.listening.send_modify(|l| *l = Listening { up: true, connections: l.connections + 1 });
                while let Ok(Some(notification)) = listener.try_recv().await {
                    match read_notice(notification.payload()) {
                        Notice::Barrier(instance, n) if instance == shared.instance => {
                            shared.barrier_back.send_if_modified(|back| {
                                let newer = n > *back;
                                *back = (*back).max(n);
                                newer
                            });
                        }
                        Notice::Barrier(..) => {}
                        Notice::Change(change) => lock(&shared.copies).apply(change),
                    }
                }
                shared.listening.send_modify(|l| l.up = false);
                lock(&shared.copies).forget_everything();
                tracing::warn!("lost the connection that listens for changes; reading PostgreSQL until it is back");
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen for changes; reading PostgreSQL meanwhile"),
        }
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

async fn listening(options: &PgConnectOptions) -> sqlx::Result<PgListener> {
    let pool = PgPoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    // A lost connection ends this listener (and empties the mirror) rather than being
    // reconnected behind our back.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Sends the barriers requests ask for, one after another, on a connection of its own.
async fn send_barriers(shared: Arc<Shared>, options: PgConnectOptions) {
    let mut connection: Option<PgConnection> = None;
    loop {
        shared.barrier_wanted.notified().await;
        loop {
            let next = {
                let mut barriers = lock(&shared.barriers);
                if barriers.wanted <= barriers.sent {
                    break;
                }
                barriers.sent += 1;
                barriers.sent
            };
            if connection.is_none() {
                connection = barrier_connection(&options).await.ok();
            }
            // Without a connection the waiting requests time out and read PostgreSQL.
            let Some(conn) = connection.as_mut() else { break };
            let sent = sqlx::query("select pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(format!("b:{}:{next}", shared.instance))
                .execute(&mut *conn)
                .await;
            match sent {
                Ok(_) => {
                    shared.stats.barriers.fetch_add(1, Ordering::Relaxed);
                }
                Err(_) => connection = None,
            }
        }
    }
}

async fn barrier_connection(options: &PgConnectOptions) -> sqlx::Result<PgConnection> {
    let mut conn = PgConnection::connect_with(options).await?;
    // A barrier carries no data: its commit need not wait for the disk.
    sqlx::query("set synchronous_commit = off").execute(&mut conn).await?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_read_as_the_triggers_write_them() {
        let tenant = Uuid::new_v4();
        let region = Uuid::new_v4();
        assert_eq!(read_notice("b:ab12:7"), Notice::Barrier("ab12", 7));
        assert_eq!(read_notice(&format!("s:{}", "0f".repeat(32))), Notice::Change(Change::SessionEnded([15; 32])));
        assert_eq!(read_notice(&format!("u:{tenant}")), Notice::Change(Change::User(tenant)));
        assert_eq!(read_notice(&format!("t:{tenant}:{region}")), Notice::Change(Change::Tenant { tenant, region }));
        assert_eq!(
            read_notice(&format!("v:{tenant}:{region}:42")),
            Notice::Change(Change::DataVersion { tenant, region, version: 42 })
        );
        assert_eq!(read_notice(&format!("r:{region}")), Notice::Change(Change::Region(region)));
        assert_eq!(read_notice("c:gdp:per_capita"), Notice::Change(Change::CatalogEntry("gdp:per_capita".into())));
        assert_eq!(read_notice(&format!("p:{tenant}")), Notice::Change(Change::Plan(tenant)));
        for garbled in ["", "x", "s:12", "v:1:2:3", "t:only-one", "b:no-number", "q:anything"] {
            assert_eq!(read_notice(garbled), Notice::Change(Change::Unreadable), "{garbled:?}");
        }
    }

    fn tenant(tenant_id: Uuid, region_id: Uuid, slug: &str, data_version: i64) -> TenantRecord {
        TenantRecord {
            tenant_id,
            region_id,
            slug: slug.into(),
            name: String::new(),
            name_en: String::new(),
            region_slug: String::new(),
            time_zone: "Asia/Shanghai".into(),
            is_demo: false,
            data_version,
        }
    }

    #[test]
    fn a_version_moves_held_copies_forward_and_other_changes_drop_them() {
        let (a, b, region, other_region) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let mut copies = Copies::new();
        for t in [tenant(a, region, "a", 5), tenant(b, other_region, "b", 9)] {
            copies.slugs.insert(t.tenant_id, t.slug.clone());
            copies.tenants.insert(t.slug.clone(), t);
        }
        let record = RegionRecord {
            region_id: region,
            name: String::new(),
            name_en: String::new(),
            newest: Some(5),
            districts: 1,
            catalog_version: None,
        };
        copies.regions.insert(("r".into(), Some("gdp".into())), record, 1);
        let epoch = copies.tenant_epoch;

        copies.apply(Change::DataVersion { tenant: a, region, version: 11 });
        assert_eq!(copies.tenants["a"].data_version, 11);
        assert_eq!(copies.regions.get(&("r".to_owned(), Some("gdp".to_owned()))).unwrap().newest, Some(11));
        copies.apply(Change::DataVersion { tenant: a, region, version: 8 });
        assert_eq!(copies.tenants["a"].data_version, 11, "versions never go back");
        assert!(copies.tenant_epoch > epoch, "a read in flight meanwhile is not kept");

        copies.apply(Change::CatalogEntry("gdp".into()));
        assert!(copies.regions.get(&("r".to_owned(), Some("gdp".to_owned()))).is_none());
        copies.apply(Change::Tenant { tenant: a, region });
        assert!(!copies.tenants.contains_key("a") && copies.tenants.contains_key("b"));
        copies.apply(Change::Region(other_region));
        assert!(copies.tenants.is_empty() && copies.slugs.is_empty());
    }

    #[test]
    fn session_changes_drop_the_sessions_they_name() {
        let (u, v) = (Uuid::new_v4(), Uuid::new_v4());
        let live = |user_id| LiveSession {
            user: SessionUser { user_id, grants_version: 0, must_change_password: false },
            last_seen_at: Utc::now(),
            expires_at: Utc::now(),
        };
        let mut copies = Copies::new();
        copies.sessions.insert([1; 32], live(u), 1);
        copies.sessions.insert([2; 32], live(u), 1);
        copies.sessions.insert([3; 32], live(v), 1);
        copies.apply(Change::SessionEnded([3; 32]));
        assert!(copies.sessions.get(&[3; 32]).is_none());
        copies.apply(Change::User(u));
        assert!(copies.sessions.get(&[1; 32]).is_none() && copies.sessions.get(&[2; 32]).is_none());
        assert_eq!(copies.session_epoch, 2);
        copies.apply(Change::Unreadable);
        assert_eq!((copies.session_epoch, copies.tenant_epoch, copies.plan_epoch), (3, 1, 1));
    }
}
