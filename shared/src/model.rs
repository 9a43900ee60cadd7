//! The closed vocabularies of the plan model. Each is stored as text in PostgreSQL (guarded by
//! a check constraint there) and travels as the same snake_case text in JSON.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A value that is not one of a vocabulary's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {kind}")]
pub struct UnknownWord {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $kind:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownWord { kind: $kind, value: s.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// How a reported value is compared with the target.
    Comparator, "comparator" { Ge => "ge", Le => "le", Eq => "eq" }
}

vocabulary! {
    /// Who may read a plan: everyone (approved figures only) or the tenant's own users.
    Visibility, "visibility" { Public => "public", Internal => "internal" }
}

vocabulary! {
    /// The order of a region comparison's districts: by mean progress (no data last), by
    /// name, or most overdue tasks first.
    ComparisonSort, "comparison order" { Progress => "progress", Name => "name", Overdue => "overdue" }
}

vocabulary! {
    PlanStatus, "plan status" { Draft => "draft", Published => "published", Archived => "archived" }
}

vocabulary! {
    /// The part an organisation plays in a task (牵头单位 / 责任单位 / 配合单位).
    UnitRole, "unit role" { Lead => "lead", Responsible => "responsible", Cooperating => "cooperating" }
}

vocabulary! {
    TaskStatus, "task status" {
        NotStarted => "not_started",
        InProgress => "in_progress",
        Completed => "completed",
        Blocked => "blocked",
    }
}

vocabulary! {
    /// Where an indicator stands against its target (docs/model.md).
    IndicatorStatus, "indicator status" {
        Achieved => "achieved",
        OnTrack => "on_track",
        AtRisk => "at_risk",
        Behind => "behind",
        NoData => "no_data",
    }
}

vocabulary! {
    /// What an API token may be used for (docs/api.md): reading, reporting values and task
    /// progress, importing plans. A token never does more than its owner's grants allow.
    TokenScope, "token scope" { Read => "read", Report => "report", Import => "import" }
}

vocabulary! {
    /// The roles (docs/model.md).
    Role, "role" {
        PlatformAdmin => "platform_admin",
        Supervisor => "supervisor",
        TenantAdmin => "tenant_admin",
        Reporter => "reporter",
        Viewer => "viewer",
    }
}

vocabulary! {
    /// 红黄绿灯: the colour a status is shown in.
    TrafficLight, "traffic light" { Green => "green", Yellow => "yellow", Red => "red", Grey => "grey" }
}

impl IndicatorStatus {
    pub fn light(self) -> TrafficLight {
        match self {
            IndicatorStatus::Achieved | IndicatorStatus::OnTrack => TrafficLight::Green,
            IndicatorStatus::AtRisk => TrafficLight::Yellow,
            IndicatorStatus::Behind => TrafficLight::Red,
            IndicatorStatus::NoData => TrafficLight::Grey,
        }
    }
}

impl Comparator {
    /// The sign the published documents put before a target (≥, ≤, =).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Le => "≤",
            Comparator::Eq => "=",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_round_trips_through_text_and_json() {
        for s in TaskStatus::ALL {
            assert_eq!(s.as_str().parse::<TaskStatus>(), Ok(*s));
            let json = serde_json::to_string(s).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(*r));
        }
    }

    #[test]
    fn an_unknown_word_names_its_vocabulary() {
        let err = "gt".parse::<Comparator>().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("\"gt\" is not a valid comparator"));
    }
}
