//! The one vocabulary people read (docs/model.md), in Chinese and English: the words for each
//! status and state, the same on the pages, in the files the API gives (CSV, Excel) and in
//! explanations. Codes (`on_track`) are for machines; these are for people.

use crate::api::ReportState;
use crate::model::{Comparator, IndicatorStatus, PlanStatus, Role, TaskStatus, TokenScope, Visibility};

/// The language a person reads: Chinese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Zh,
    En,
}

/// A vocabulary value's word for people, and back.
pub trait Word: Copy + Sized {
    fn word(self, language: Language) -> &'static str;

    /// The value a person's word (in either language, any case of the English) or the code
    /// (`in_progress`) names: what a file people edited says back.
    fn from_word(text: &str) -> Option<Self>;
}

macro_rules! words {
    ($type:ty { $($variant:path => $zh:literal, $en:literal),+ $(,)? }) => {
        impl Word for $type {
            fn word(self, language: Language) -> &'static str {
                match (self, language) {
                    $(($variant, Language::Zh) => $zh, ($variant, Language::En) => $en,)+
                }
            }

            fn from_word(text: &str) -> Option<Self> {
                let text = text.trim();
                [$($variant),+]
                    .into_iter()
                    .find(|v| v.word(Language::Zh) == text || v.word(Language::En).eq_ignore_ascii_case(text))
                    .or_else(|| serde_json::from_value(serde_json::Value::String(text.to_owned())).ok())
            }
        }
    };
}

words!(IndicatorStatus {
    IndicatorStatus::Achieved => "已达标", "Achieved",
    IndicatorStatus::OnTrack => "进度正常", "On track",
    IndicatorStatus::AtRisk => "有风险", "At risk",
    IndicatorStatus::Behind => "滞后", "Behind",
    IndicatorStatus::NoData => "暂无数据", "No data",
});

words!(TaskStatus {
    TaskStatus::NotStarted => "未开始", "Not started",
    TaskStatus::InProgress => "进行中", "In progress",
    TaskStatus::Completed => "已完成", "Completed",
    TaskStatus::Blocked => "受阻", "Blocked",
});

words!(ReportState {
    ReportState::Submitted => "已提交", "Submitted",
    ReportState::Approved => "已通过", "Approved",
    ReportState::Rejected => "已退回", "Returned",
});

words!(PlanStatus {
    PlanStatus::Draft => "草稿", "Draft",
    PlanStatus::Published => "已发布", "Published",
    PlanStatus::Archived => "已归档", "Archived",
});

words!(Visibility {
    Visibility::Public => "公开", "Public",
    Visibility::Internal => "内部", "Internal",
});

words!(Role {
    Role::PlatformAdmin => "平台管理员", "Platform admin",
    Role::Supervisor => "市级督查", "Supervisor",
    Role::TenantAdmin => "区县管理员", "District admin",
    Role::Reporter => "填报员", "Reporter",
    Role::Viewer => "查看者", "Viewer",
});

words!(Comparator {
    Comparator::Ge => "≥（越大越好）", "≥ (more is better)",
    Comparator::Le => "≤（越小越好）", "≤ (less is better)",
    Comparator::Eq => "=", "=",
});

words!(TokenScope {
    TokenScope::Read => "读取", "Read",
    TokenScope::Report => "填报", "Report",
    TokenScope::Import => "导入", "Import",
});

/// Overdue and due-soon are not statuses a task holds but how it stands against its deadline.
pub fn overdue(language: Language) -> &'static str {
    match language {
        Language::Zh => "已逾期",
        Language::En => "Overdue",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_word_in_each_language_and_no_two_share_one() {
        for language in [Language::Zh, Language::En] {
            let words: Vec<&str> = IndicatorStatus::ALL.iter().map(|s| s.word(language)).collect();
            let mut unique = words.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), words.len(), "{words:?}");
        }
        assert_eq!(TaskStatus::InProgress.word(Language::Zh), "进行中");
        assert_eq!(ReportState::Rejected.word(Language::Zh), "已退回");
    }

    #[test]
    fn a_word_in_either_language_or_a_code_reads_back_as_its_value() {
        for text in ["进行中", "In progress", "in progress", " in_progress "] {
            assert_eq!(TaskStatus::from_word(text), Some(TaskStatus::InProgress), "{text}");
        }
        assert_eq!(ReportState::from_word("已通过"), Some(ReportState::Approved));
        assert_eq!(Visibility::from_word("Internal"), Some(Visibility::Internal));
        assert_eq!(TaskStatus::from_word("推进"), None);
    }
}
