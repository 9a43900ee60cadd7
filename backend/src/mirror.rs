//! An in-process mirror of the rows a request reads before anything else: its session, the
//! tenant and plan it names, and the versions a region comparison's cache key is made of. With it a
//! view served from the cache costs no query of its own to PostgreSQL.
//!
//! Exact, not eventual. PostgreSQL tells every instance of each change to those rows (the
//! triggers of migration `change_notifications`, on one LISTEN connection per instance), in
//! commit order. Before a request trusts the mirror it waits for a *barrier*: a round trip on
//! that same connection, sent after the request arrived. It is enough because of two things
//! PostgreSQL (14 and later) does:
//! - a transaction that notified signals every listening session before its commit is
//!   acknowledged (`AtCommit_Notify`), and queue order is commit order (a notifying commit
//!   holds a global lock);
//! - a listening session sends every notification it has been signalled of before it reports
//!   ready for the next query (`PostgresMain`, before `ReadyForQuery`).
//!
//! So once the barrier's answer is in, every change committed before the request arrived has
//! been received, and it is applied before the barrier counts as back, whichever instance
//! made the change: a write acknowledged anywhere is in the next read everywhere,
//! and a session ended anywhere is refused at once. One barrier serves every request
//! that arrived before it was sent; it costs one trivial statement per batch of requests and
//! touches no other session.
//!
//! When the LISTEN connection is down, or a barrier is not back within `SYNC_TIMEOUT`,
//! requests read PostgreSQL as they would without a mirror. Every (re)connection empties the
//! mirror, since notifications may have been missed meanwhile.
//!
//! A copy read from PostgreSQL is kept only if no notification of its kind arrived while it
//! was being read (an epoch per kind): a change landing during the read can never be
//! overwritten by the older copy.

use crate::auth::session::{self, LiveSession, SessionPolicy, SessionUser};
use crate::infra::bounded::{Bounded, lock};
use crate::infra::metrics::MirrorStats;
use crate::plans::read::{self, PlanEntry, VisiblePlan};
use crate::tenancy::TenantRecord;
use crate::views::comparison::{self, RegionRecord};
use chrono::{DateTime, Utc};
use shared::page_data::Caller;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{Executor, PgPool, Row};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, OnceCell, watch};
use uuid::Uuid;

/// The channel the triggers notify on.
pub const CHANNEL: &str = "planboard_changes";
/// How the listening connection names itself (`pg_stat_activity.application_name`).
pub const APPLICATION_NAME: &str = "planboard mirror";
/// Longest wait for a barrier before reading PostgreSQL instead.
const SYNC_TIMEOUT: Duration = Duration::from_millis(250);
/// Pause before listening again after the connection was lost.
const RECONNECT_AFTER: Duration = Duration::from_millis(500);
/// With no request waiting, the connection is still read this often: notifications do not
/// pile up, and a lost connection is noticed.
const IDLE_READ: Duration = Duration::from_millis(100);
const MAX_SESSIONS: usize = 100_000;
const MAX_PLANS: usize = 20_000;
/// Region comparisons are kept per (region, catalog key) of the catalog; weighed by their
/// keys' length as well, so that no spelling of a URL can grow the map past this.
const MAX_REGIONS: usize = 10_000;
const MAX_REGION_BYTES: usize = 4 * 1024 * 1024;
/// What a region record weighs beside its key's text.
const REGION_RECORD_BYTES: usize = 256;

/// Proof that the mirror held every change committed before the request that got it arrived.
#[derive(Debug, Clone, Copy)]
pub struct Synced(());

/// Whether the mirror listens now, and how many connections it has listened on so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Listening {
    pub up: bool,
    pub connections: u64,
}

/// The mirror of one instance; its task ends when it is dropped.
pub struct Mirror {
    shared: Arc<Shared>,
    task: tokio::task::AbortHandle,
}

struct Shared {
    /// Whether the LISTEN connection is up, and how many times it has come up: requests
    /// read the first, tests and operators wait on either.
    listening: watch::Sender<Listening>,
    barriers: Mutex<Barriers>,
    /// Wakes the task that runs barriers.
    barrier_wanted: Notify,
    /// The newest barrier that came back.
    barrier_back: watch::Sender<u64>,
    copies: Mutex<Copies>,
    stats: Arc<MirrorStats>,
}

/// Barriers are numbered: `sent` went out, requests that arrived since want `sent + 1`
/// (`wanted`).
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
            regions: Bounded::new(MAX_REGIONS, MAX_REGION_BYTES),
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

fn read_change(payload: &str) -> Change {
    let Some((kind, rest)) = payload.split_once(':') else { return Change::Unreadable };
    let ids = |text: &str| text.split(':').map(|id| id.parse::<Uuid>().ok()).collect::<Option<Vec<_>>>();
    let change = match kind {
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
    change.unwrap_or(Change::Unreadable)
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
        let shared = Arc::new(Shared {
            listening: watch::Sender::new(Listening::default()),
            barriers: Mutex::default(),
            barrier_wanted: Notify::new(),
            barrier_back: watch::Sender::new(0),
            copies: Mutex::new(Copies::new()),
            stats: Arc::default(),
        });
        let options = pool.connect_options().as_ref().clone().application_name(APPLICATION_NAME);
        let task = tokio::spawn(listen(shared.clone(), options)).abort_handle();
        Mirror { shared, task }
    }

    pub fn stats(&self) -> &Arc<MirrorStats> {
        &self.shared.stats
    }

    /// How many region records (one per region and compared catalog key) are held.
    pub fn held_regions(&self) -> usize {
        lock(&self.shared.copies).regions.len()
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
            let mut listening = shared.listening.subscribe();
            // A lost connection answers at once: its barrier will never come back.
            let waited = tokio::time::timeout(SYNC_TIMEOUT, async {
                tokio::select! {
                    back = back.wait_for(|n| *n >= needed) => back.is_ok(),
                    _ = listening.wait_for(|l| !l.up) => false,
                }
            });
            waited.await.unwrap_or(false)
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
        self.held_or_read(synced, Kind::Tenants, held, crate::tenancy::find_tenant(pool, slug), keep).await
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
        let weight = REGION_RECORD_BYTES + slug.len() + indicator_key.map_or(0, str::len);
        let keep = |copies: &mut Copies, found: RegionRecord| copies.regions.insert(key.clone(), found, weight);
        self.held_or_read(synced, Kind::Tenants, held, read, keep).await
    }

    /// The plan `plan_id` of `tenant` as `caller` may see it (`plans::read::visible_plan`),
    /// for a handler that needs nothing else from PostgreSQL: from the mirror when this
    /// request is synced with it.
    pub async fn visible_plan(
        &self,
        pool: &PgPool,
        synced: Option<Synced>,
        tenant: TenantRecord,
        caller: &Caller,
        plan_id: Uuid,
    ) -> crate::error::Result<VisiblePlan> {
        let entry = self.plan(pool, synced, tenant.tenant_id, plan_id).await?;
        // The mirror keeps plans by id: one asked for under another tenant is not found, as
        // from PostgreSQL.
        if entry.tenant_id != tenant.tenant_id {
            return Err(crate::error::Error::NotFound("plan"));
        }
        read::shown_to(caller, tenant, entry.plan, entry.notes)
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        self.task.abort();
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

/// Keeps the mirror in step on one listening connection; on a lost connection forgets
/// everything and listens again.
async fn listen(shared: Arc<Shared>, options: PgConnectOptions) {
    loop {
        match listening(&options).await {
            Ok(None) => {
                tracing::error!(
                    "PostgreSQL before 14 may send notifications after a query's answer; the mirror stays off and every request reads PostgreSQL"
                );
                return;
            }
            Ok(Some(mut listener)) => {
                // Anything read before this point may have missed a notification.
                lock(&shared.copies).forget_everything();
                shared.listening.send_modify(|l| *l = Listening { up: true, connections: l.connections + 1 });
                let lost = run_barriers(&shared, &mut listener).await;
                shared.listening.send_modify(|l| l.up = false);
                lock(&shared.copies).forget_everything();
                tracing::warn!(error = %lost, "lost the connection that listens for changes; reading PostgreSQL until it is back");
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen for changes; reading PostgreSQL meanwhile"),
        }
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

/// A listener on `CHANNEL`; None when the server is older than PostgreSQL 14, which may send
/// a session's pending notifications after a query's answer (the barriers rely on before).
async fn listening(options: &PgConnectOptions) -> sqlx::Result<Option<PgListener>> {
    let pool = PgPoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    let version: String = listener.fetch_one("show server_version_num").await?.try_get(0)?;
    if !version.parse::<u32>().is_ok_and(|v| v >= 140_000) {
        return Ok(None);
    }
    // A lost connection ends this listener (and empties the mirror) rather than being
    // reconnected behind our back.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok(Some(listener))
}

/// Runs the barriers requests ask for (and one every `IDLE_READ` without them) until the
/// connection fails. The notifications that arrive during a barrier's round trip are
/// buffered by the listener in order; all are applied before the barrier counts as back.
async fn run_barriers(shared: &Shared, listener: &mut PgListener) -> sqlx::Error {
    loop {
        let _ = tokio::time::timeout(IDLE_READ, shared.barrier_wanted.notified()).await;
        // One turn of the scheduler before sending (its I/O is polled meanwhile): requests that
        // have arrived but not yet run ask for this barrier rather than the next, so one
        // barrier serves several times more requests under load (docs/benchmarks.md); idle, it
        // costs nothing. Any barrier sent after a request arrived serves it, so a later one is
        // as exact.
        tokio::task::yield_now().await;
        let (round, wanted) = {
            let mut barriers = lock(&shared.barriers);
            let wanted = barriers.wanted > barriers.sent;
            barriers.sent += 1;
            (barriers.sent, wanted)
        };
        // An empty query: PostgreSQL answers it without parsing, planning or executing
        // anything (less CPU on the listening session than `select 1`), yet sends the notifications it was signalled of before its answer all the
        // same. The trait's method, not `sqlx::raw_sql`: the latter's future is not provably
        // `Send` for the spawned task.
        if let Err(e) = listener.execute("").await {
            return e;
        }
        {
            let mut copies = lock(&shared.copies);
            while let Some(notification) = listener.next_buffered() {
                copies.apply(read_change(notification.payload()));
            }
        }
        if wanted {
            shared.stats.barriers.fetch_add(1, Ordering::Relaxed);
        }
        shared.barrier_back.send_replace(round);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_read_as_the_triggers_write_them() {
        let tenant = Uuid::new_v4();
        let region = Uuid::new_v4();
        assert_eq!(read_change(&format!("s:{}", "0f".repeat(32))), Change::SessionEnded([15; 32]));
        assert_eq!(read_change(&format!("u:{tenant}")), Change::User(tenant));
        assert_eq!(read_change(&format!("t:{tenant}:{region}")), Change::Tenant { tenant, region });
        assert_eq!(
            read_change(&format!("v:{tenant}:{region}:42")),
            Change::DataVersion { tenant, region, version: 42 }
        );
        assert_eq!(read_change(&format!("r:{region}")), Change::Region(region));
        assert_eq!(read_change("c:gdp:per_capita"), Change::CatalogEntry("gdp:per_capita".into()));
        assert_eq!(read_change(&format!("p:{tenant}")), Change::Plan(tenant));
        for garbled in ["", "x", "s:12", "v:1:2:3", "t:only-one", "b:old-barrier:7", "q:anything"] {
            assert_eq!(read_change(garbled), Change::Unreadable, "{garbled:?}");
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
            catalog_key: None,
            catalog_name: None,
            catalog_name_en: None,
            catalog_unit: None,
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
