//! Who a signed-in user is for a request: their grants, loaded from PostgreSQL once and then
//! remembered under (user, grants_version, must_change_password). A user's grants_version
//! moves with every change of their grants (a trigger) and comes with the session, as does the
//! password flag, so a change makes a new key and the old entry is merely unused until the
//! bounded map lets it go (oldest first).

use crate::auth::session::SessionUser;
use crate::auth::users;
use crate::infra::bounded::{Bounded, lock};
use shared::page_data::Caller;
use sqlx::PgPool;
use std::sync::Mutex;
use uuid::Uuid;

type CallerKey = (Uuid, i64, bool);

const MAX_CALLERS: usize = 20_000;

pub struct Callers {
    memo: Mutex<Bounded<CallerKey, Caller>>,
}

impl Default for Callers {
    fn default() -> Self {
        Callers { memo: Mutex::new(Bounded::new(MAX_CALLERS, usize::MAX)) }
    }
}

impl Callers {
    /// The caller that `user`'s session stands for.
    pub async fn caller(&self, pool: &PgPool, user: &SessionUser) -> sqlx::Result<Caller> {
        let key = (user.user_id, user.grants_version, user.must_change_password);
        if let Some(caller) = lock(&self.memo).get(&key) {
            return Ok(caller);
        }
        let caller = users::load_caller(pool, user.user_id).await?;
        lock(&self.memo).insert(key, caller.clone(), 1);
        Ok(caller)
    }
}
