//! How numbers and dates are written on the pages, per locale.

use crate::i18n::Locale;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// A stored value as the document wrote it: no trailing zeros added or kept (350, 0.6, 109.43).
pub fn value(v: Decimal) -> String {
    v.normalize().to_string()
}

/// A share 0–1 as a percentage with one decimal.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

pub fn date(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Locale::En => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize % 12], d.year()),
    }
}

/// A moment in Beijing time (UTC+8, no daylight saving: every district the product serves
/// keeps it), as `2026-11-27 17:43`, with the offset named in English.
pub fn date_time(t: chrono::DateTime<chrono::Utc>, locale: Locale) -> String {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).map(|o| t.with_timezone(&o));
    let text =
        beijing.map_or_else(|| t.format("%Y-%m-%d %H:%M").to_string(), |b| b.format("%Y-%m-%d %H:%M").to_string());
    match locale {
        Locale::Zh => text,
        Locale::En => format!("{text} UTC+8"),
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_written() {
        assert_eq!(value(Decimal::new(35000, 2)), "350");
        assert_eq!(value(Decimal::new(10943, 2)), "109.43");
        assert_eq!(percent(0.5), "50.0%");
    }

    #[test]
    fn dates_follow_the_locale() {
        let d = NaiveDate::from_ymd_opt(2022, 1, 11).unwrap();
        assert_eq!(date(d, Locale::Zh), "2022年1月11日");
        assert_eq!(date(d, Locale::En), "11 Jan 2022");
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-27T09:43:00Z").unwrap().to_utc();
        assert_eq!(date_time(t, Locale::Zh), "2026-11-27 17:43");
    }
}
