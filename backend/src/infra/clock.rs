//! The time, as a parameter. Handlers ask the clock in the application state, never the system
//! directly, so tests can set the date ("today" in the progress rules comes from a clock
//! the code receives, docs/model.md).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in a tenant's time zone (an unknown zone name falls back to Asia/Shanghai,
    /// the product's default; zone names are checked when a tenant is created).
    fn today_in(&self, time_zone: &str) -> NaiveDate {
        date_in(self.now(), time_zone)
    }
}

/// The date at `now` in `time_zone`, which falls back as in `Clock::today_in`.
pub fn date_in(now: DateTime<Utc>, time_zone: &str) -> NaiveDate {
    let tz: Tz = time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
    now.with_timezone(&tz).date_naive()
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until a test moves it.
pub struct FixedClock(std::sync::Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(instant: DateTime<Utc>) -> Self {
        FixedClock(std::sync::Mutex::new(instant))
    }

    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut now) = self.0.lock() {
            *now += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        // A poisoned lock still holds a valid instant.
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_taken_in_the_tenant_time_zone() {
        // 2025-12-31 17:00 UTC is already 2026-01-01 in Shanghai.
        let clock = FixedClock::at("2025-12-31T17:00:00Z".parse().unwrap());
        assert_eq!(clock.today_in("Asia/Shanghai").to_string(), "2026-01-01");
        assert_eq!(clock.today_in("UTC").to_string(), "2025-12-31");
    }
}
