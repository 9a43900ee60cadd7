//! In-process memory of what is kept under the version of what it is built from, so that a
//! change makes a new key and the old entry is merely unused until it is evicted:
//! - callers, under (user, grants_version, must_change_password). A user's grants_version
//!   moves with every change of their grants (a trigger) and comes with the session, as does
//!   the password flag;
//! - the task halves of plan dashboards, under (plan, the tenant's structure version, date),
//!   read in the transaction that builds the dashboard (`dashboard::TaskHalf`).
//!
//! (View bodies are kept the same way, under their cache key: see `cache`; sessions, tenants
//! and plans are kept current by notifications instead: see `mirror`.) The map is bounded;
//! when full, the oldest entries go first.

use crate::bounded::{Bounded, lock};
use crate::dashboard::TaskHalf;
use chrono::NaiveDate;
use shared::page_data::Caller;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

pub type CallerKey = (Uuid, i64, bool);
pub type TaskHalfKey = (Uuid, i64, NaiveDate);

pub struct Memo {
    callers: Mutex<Bounded<CallerKey, Caller>>,
    task_halves: Mutex<Bounded<TaskHalfKey, Arc<TaskHalf>>>,
}

const MAX_CALLERS: usize = 20_000;
/// Rows (areas and organisations) of all task halves held: a few MB.
const MAX_TASK_HALF_ROWS: usize = 50_000;

impl Default for Memo {
    fn default() -> Self {
        Memo {
            callers: Mutex::new(Bounded::new(MAX_CALLERS, usize::MAX)),
            task_halves: Mutex::new(Bounded::new(usize::MAX, MAX_TASK_HALF_ROWS)),
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

    pub fn task_half(&self, key: &TaskHalfKey) -> Option<Arc<TaskHalf>> {
        lock(&self.task_halves).get(key)
    }

    pub fn remember_task_half(&self, key: TaskHalfKey, half: Arc<TaskHalf>) {
        let rows = half.rows();
        lock(&self.task_halves).insert(key, half, rows);
    }
}
