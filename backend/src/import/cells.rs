//! Cell values as plan documents write them, shared by the text and the table readers:
//! numbers with ≤/≥ and "——", unit lists, deadlines (a year or 长期) and dates.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::model::Comparator;
use shared::plan_document::Due;
use std::str::FromStr;

/// A number cell: "——" or empty is None; ≤/≥ give the comparator; words are not a number.
pub fn number(text: &str) -> Result<(Option<Decimal>, Option<Comparator>), String> {
    let t = text.trim();
    if t.is_empty() || t.chars().all(|c| matches!(c, '—' | '-' | '－' | '/')) {
        return Ok((None, None));
    }
    let (comparator, rest) = match t.chars().next() {
        Some('≤' | '<') => (Some(Comparator::Le), &t[t.chars().next().map_or(0, char::len_utf8)..]),
        Some('≥' | '>') => (Some(Comparator::Ge), &t[t.chars().next().map_or(0, char::len_utf8)..]),
        _ => (None, t),
    };
    let digits: String = rest.trim().trim_end_matches('%').replace(',', "");
    Decimal::from_str(&digits).map(|d| (Some(d), comparator)).map_err(|_| format!("{t:?} is not a number"))
}

pub fn units(cell: &str) -> Vec<String> {
    cell.split(['、', '，', ',', '；', ';', '\n'])
        .map(|s| s.trim().trim_end_matches('。').trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn deadline(text: &str) -> Option<Due> {
    let t = text.trim();
    if t.contains("长期") || t.contains("持续") {
        return Some(Due::Ongoing);
    }
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok().filter(|y| (1990..=2100).contains(y)).map(Due::Year)
}

/// 2022年1月11日 (also 2022-01-11 and 2022/1/11).
pub fn date(line: &str) -> Option<NaiveDate> {
    let t = line.trim();
    if let Some((y, rest)) = t.split_once('年') {
        let (m, rest) = rest.split_once('月')?;
        let d = rest.strip_suffix('日')?;
        return NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    }
    let mut parts = t.split(['-', '/', '.']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}
