//! In-process memory of callers, kept under the version of what they are built from:
//! (user, grants_version, must_change_password). A user's grants_version moves with every
//! change of their grants (a trigger) and comes with the session, as does the password flag,
//! so a remembered caller is never stale: a change makes a new key, and the old entry is
//! merely unused until it is evicted.
//!
//! (View bodies are kept the same way, under their cache key: see `cache`; sessions, tenants
//! and plans are kept current by notifications instead: see `mirror`.) The map is bounded;
//! when full, the oldest entries go first.

use crate::bounded::{Bounded, lock};
use shared::page_data::Caller;
use std::sync::Mutex;
use uuid::Uuid;

pub type CallerKey = (Uuid, i64, bool);

pub struct Memo {
    callers: Mutex<Bounded<CallerKey, Caller>>,
}

const MAX_CALLERS: usize = 20_000;

impl Default for Memo {
    fn default() -> Self {
        Memo { callers: Mutex::new(Bounded::new(MAX_CALLERS, usize::MAX)) }
    }
}

impl Memo {
    pub fn caller(&self, key: &CallerKey) -> Option<Caller> {
        lock(&self.callers).get(key)
    }

    pub fn remember_caller(&self, key: CallerKey, caller: Caller) {
        lock(&self.callers).insert(key, caller, 1);
    }
}
