//! A reporting period: a year (`2023`) or a quarter of a year (`2023Q2`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    year: i32,
    quarter: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a period: write a year (2023) or a quarter (2023Q2)")]
pub struct InvalidPeriod(pub String);

impl Period {
    pub fn year(year: i32) -> Result<Self, InvalidPeriod> {
        Self::new(year, None)
    }

    pub fn new(year: i32, quarter: Option<u8>) -> Result<Self, InvalidPeriod> {
        let year_ok = (1900..=2200).contains(&year);
        let quarter_ok = quarter.is_none_or(|q| (1..=4).contains(&q));
        if year_ok && quarter_ok {
            Ok(Period { year, quarter })
        } else {
            Err(InvalidPeriod(match quarter {
                Some(q) => format!("{year}Q{q}"),
                None => year.to_string(),
            }))
        }
    }

    pub fn calendar_year(self) -> i32 {
        self.year
    }

    pub fn quarter(self) -> Option<u8> {
        self.quarter
    }

    /// The period's end as a fractional year count: a year's value stands at the end of that
    /// year (2023 → 2023.0, the same point as 2023Q4); 2023Q1 → 2022.25.
    pub fn elapsed_years_since(self, baseline_year: i32) -> rust_decimal::Decimal {
        use rust_decimal::Decimal;
        let whole = Decimal::from(self.year - baseline_year);
        match self.quarter {
            Some(q) => whole - Decimal::ONE + Decimal::from(q) / Decimal::from(4),
            None => whole,
        }
    }

    /// Sort key: later periods sort later; a whole year sorts with its fourth quarter.
    pub fn sort_key(self) -> (i32, u8) {
        (self.year, self.quarter.unwrap_or(4))
    }
}

impl FromStr for Period {
    type Err = InvalidPeriod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidPeriod(s.to_owned());
        let t = s.trim();
        let (year, quarter) = match t.split_once(['Q', 'q']) {
            Some((y, q)) => (y, Some(q.parse::<u8>().map_err(|_| invalid())?)),
            None => (t, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let year = year.parse::<i32>().map_err(|_| invalid())?;
        Period::new(year, quarter).map_err(|_| invalid())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quarter {
            Some(q) => write!(f, "{}Q{}", self.year, q),
            None => write!(f, "{}", self.year),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// In the OpenAPI document: text, a year or a quarter.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^[0-9]{4}(Q[1-4])?$"))
            .description(Some("A year (`2023`) or a quarter of a year (`2023Q2`)."))
            .examples([serde_json::json!("2023"), serde_json::json!("2023Q2")])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Period {}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn years_and_quarters_parse_and_print_the_same() {
        for text in ["2023", "2023Q2", "2025Q4"] {
            let p: Period = text.parse().unwrap();
            assert_eq!(p.to_string(), text);
        }
    }

    #[test]
    fn malformed_periods_are_refused() {
        for text in ["", "23", "2023Q5", "2023Q0", "2023-1", "abcd", "20231", "2023Q"] {
            assert!(text.parse::<Period>().is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn a_year_ends_where_its_fourth_quarter_ends() {
        let year: Period = "2023".parse().unwrap();
        let q4: Period = "2023Q4".parse().unwrap();
        let q1: Period = "2023Q1".parse().unwrap();
        assert_eq!(year.elapsed_years_since(2020), Decimal::from(3));
        assert_eq!(q4.elapsed_years_since(2020), Decimal::from(3));
        assert_eq!(q1.elapsed_years_since(2020), Decimal::new(225, 2));
        assert_eq!(year.sort_key(), q4.sort_key());
    }
}
