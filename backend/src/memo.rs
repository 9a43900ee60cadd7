//! In-process memory for the read path: records that cannot change without their version
//! changing, kept under that version. A lookup names the current version (read fresh from
//! PostgreSQL, or carried by a cache key), so a remembered record is never stale: a change
//! makes a new key, and the old entry is merely unused until it is evicted.
//!
//! - callers, under (user, grants_version, must_change_password): a user's grants_version
//!   moves with every change of their grants (a trigger), and the password flag is read with
//!   the session;
//! - plans, under (plan, tenant data_version): a plan's status and visibility change only
//!   with a tenant write, which bumps the version.
//!
//! (View bodies are kept the same way, under their cache key: see `cache`.) Each map is
//! bounded; when full, the oldest entries go first.

use crate::bounded::{Bounded, lock};
use shared::api::PlanSummary;
use shared::page_data::Caller;
use std::sync::Mutex;
use uuid::Uuid;

/// What the read path needs of a plan to decide who may see it.
#[derive(Debug, Clone)]
pub struct PlanEntry {
    pub tenant_id: Uuid,
    pub plan: PlanSummary,
    pub notes: Option<String>,
}

pub type CallerKey = (Uuid, i64, bool);

pub struct Memo {
    callers: Mutex<Bounded<CallerKey, Caller>>,
    plans: Mutex<Bounded<(Uuid, i64), PlanEntry>>,
}

const MAX_CALLERS: usize = 20_000;
const MAX_PLANS: usize = 20_000;

impl Default for Memo {
    fn default() -> Self {
        Memo {
            callers: Mutex::new(Bounded::new(MAX_CALLERS, usize::MAX)),
            plans: Mutex::new(Bounded::new(MAX_PLANS, usize::MAX)),
        }
    }
}

impl Memo {
    pub fn caller(&self, key: &CallerKey) -> Option<Caller> {
        lock(&self.callers).get(key)
    }

    pub fn remember_caller(&self, key: CallerKey, caller: Caller) {
        lock(&self.callers).insert(key, caller, 1);
    }

    pub fn plan(&self, plan_id: Uuid, data_version: i64) -> Option<PlanEntry> {
        lock(&self.plans).get(&(plan_id, data_version))
    }

    pub fn remember_plan(&self, plan_id: Uuid, data_version: i64, entry: PlanEntry) {
        lock(&self.plans).insert((plan_id, data_version), entry, 1);
    }
}
