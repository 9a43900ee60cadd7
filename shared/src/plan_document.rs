//! The canonical plan document: one JSON file that holds a whole plan in the generic model
//! (areas, indicators, tasks and the units responsible for them). The seed tenant is loaded
//! from a file in this format, and the import of JSON reads it too.
//!
//! ```json
//! {
//!   "format": "planboard.plan/1",
//!   "title": "…实施方案", "issuer": "…人民政府办公室", "document_number": null,
//!   "issued_on": "2022-01-11", "period_start": 2021, "period_end": 2025,
//!   "visibility": "public", "status": "published", "notes": null, "source_text": "…",
//!   "areas": [{"name": "绿色发展专项行动"}],
//!   "indicators": [{"code": "4.1", "area": "绿色发展专项行动", "name": "万元工业增加值能耗",
//!                   "unit": "吨标煤", "baseline_year": 2020, "baseline_value": 0.84,
//!                   "target_year": 2025, "target_value": 0.6, "comparator": "le",
//!                   "catalog_key": null, "notes": null}],
//!   "tasks": [{"area": "绿色发展专项行动", "seq": 12, "text": "…", "due": {"year": 2025},
//!              "lead": ["区生态环境局"], "responsible": ["区发展改革委"], "cooperating": []}]
//! }
//! ```
//! `due` is `{"year": N}`, `"ongoing"` (长期) or `null` when the document states no deadline.
//! A baseline value the document leaves empty (——) is `null`.

use crate::model::{Comparator, PlanStatus, UnitRole, Visibility};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const FORMAT: &str = "planboard.plan/1";

/// Longest title, name or unit text accepted (characters).
pub const MAX_NAME_CHARS: usize = 500;
/// Longest task text or note accepted (characters).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Longest source text accepted (characters).
pub const MAX_SOURCE_CHARS: usize = 2_000_000;
/// Most areas, indicators or tasks in one plan.
pub const MAX_ITEMS: usize = 5_000;

/// A region, a tenant and its plans: the unit `backend seed` loads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantBundle {
    pub region: RegionDef,
    pub tenant: TenantDef,
    pub plans: Vec<PlanDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionDef {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantDef {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

fn default_time_zone() -> String {
    "Asia/Shanghai".to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanDocument {
    pub format: String,
    pub title: String,
    pub issuer: String,
    #[serde(default)]
    pub document_number: Option<String>,
    pub issued_on: NaiveDate,
    pub period_start: i32,
    pub period_end: i32,
    pub visibility: Visibility,
    pub status: PlanStatus,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub source_text: Option<String>,
    pub areas: Vec<AreaDef>,
    pub indicators: Vec<IndicatorDef>,
    pub tasks: Vec<TaskDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AreaDef {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub code: String,
    pub area: String,
    pub name: String,
    pub unit: String,
    pub baseline_year: i32,
    pub baseline_value: Option<Decimal>,
    pub target_year: i32,
    pub target_value: Decimal,
    pub comparator: Comparator,
    #[serde(default)]
    pub catalog_key: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Due {
    Year(i32),
    Ongoing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskDef {
    pub area: String,
    pub seq: i32,
    pub text: String,
    pub due: Option<Due>,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub responsible: Vec<String>,
    #[serde(default)]
    pub cooperating: Vec<String>,
}

impl TaskDef {
    /// The task's units with their roles, in document order: leads, responsible, cooperating.
    pub fn assignments(&self) -> impl Iterator<Item = (UnitRole, &str)> + '_ {
        [
            (UnitRole::Lead, &self.lead),
            (UnitRole::Responsible, &self.responsible),
            (UnitRole::Cooperating, &self.cooperating),
        ]
        .into_iter()
        .flat_map(|(role, names)| names.iter().map(move |n| (role, n.as_str())))
    }
}

/// One thing wrong with a document, at a JSON path such as `indicators[3].unit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentProblem {
    pub path: String,
    pub message: String,
}

impl PlanDocument {
    /// Every organisation the plan names, once each, in order of first appearance.
    pub fn organisation_names(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.tasks
            .iter()
            .flat_map(|t| t.assignments().map(|(_, name)| name))
            .filter(|name| seen.insert(*name))
            .collect()
    }

    /// All problems with the document; empty when it can be stored as it is.
    pub fn problems(&self) -> Vec<DocumentProblem> {
        let mut out = Problems::default();
        if self.format != FORMAT {
            out.add("format", format!("must be {FORMAT:?}"));
        }
        out.name("title", &self.title);
        out.name("issuer", &self.issuer);
        if let Some(n) = &self.document_number {
            out.name("document_number", n);
        }
        out.year("period_start", self.period_start);
        out.year("period_end", self.period_end);
        if self.period_end < self.period_start {
            out.add("period_end", "must not be before period_start".to_owned());
        }
        if let Some(notes) = &self.notes {
            out.text("notes", notes);
        }
        if let Some(source) = &self.source_text {
            if source.chars().count() > MAX_SOURCE_CHARS {
                out.add("source_text", format!("is longer than {MAX_SOURCE_CHARS} characters"));
            }
            out.no_nul("source_text", source);
        }
        for (list, len) in
            [("areas", self.areas.len()), ("indicators", self.indicators.len()), ("tasks", self.tasks.len())]
        {
            if len > MAX_ITEMS {
                out.add(list, format!("has {len} entries; at most {MAX_ITEMS} are accepted"));
            }
        }

        let mut area_names = HashSet::new();
        for (i, area) in self.areas.iter().enumerate() {
            let path = format!("areas[{i}].name");
            out.name(&path, &area.name);
            if !area_names.insert(area.name.as_str()) {
                out.add(&path, format!("area {:?} is listed twice", area.name));
            }
        }

        let mut codes = HashSet::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            let at = |field: &str| format!("indicators[{i}].{field}");
            out.area(&at("area"), &ind.area, &area_names);
            out.name(&at("code"), &ind.code);
            out.name(&at("name"), &ind.name);
            out.name(&at("unit"), &ind.unit);
            if !codes.insert(ind.code.as_str()) {
                out.add(&at("code"), format!("code {:?} is used by another indicator", ind.code));
            }
            out.year(&at("baseline_year"), ind.baseline_year);
            out.year(&at("target_year"), ind.target_year);
            if ind.target_year <= ind.baseline_year {
                out.add(&at("target_year"), "must be after baseline_year".to_owned());
            }
            if let Some(key) = &ind.catalog_key {
                out.catalog_key(&at("catalog_key"), key);
            }
            if let Some(notes) = &ind.notes {
                out.text(&at("notes"), notes);
            }
        }

        let mut seqs = HashSet::new();
        for (i, task) in self.tasks.iter().enumerate() {
            let at = |field: &str| format!("tasks[{i}].{field}");
            out.area(&at("area"), &task.area, &area_names);
            if task.seq < 1 {
                out.add(&at("seq"), "must be 1 or more".to_owned());
            }
            if !seqs.insert((task.area.as_str(), task.seq)) {
                out.add(&at("seq"), format!("number {} is used twice in area {:?}", task.seq, task.area));
            }
            out.text(&at("text"), &task.text);
            if let Some(Due::Year(y)) = task.due {
                out.year(&at("due"), y);
            }
            let mut held = HashSet::new();
            for (role, names) in
                [("lead", &task.lead), ("responsible", &task.responsible), ("cooperating", &task.cooperating)]
            {
                for (j, name) in names.iter().enumerate() {
                    out.name(&format!("tasks[{i}].{role}[{j}]"), name);
                    if !held.insert((role, name.as_str())) {
                        out.add(&format!("tasks[{i}].{role}[{j}]"), format!("unit {name:?} is listed twice"));
                    }
                }
            }
        }
        out.0
    }
}

#[derive(Default)]
struct Problems(Vec<DocumentProblem>);

impl Problems {
    fn add(&mut self, path: &str, message: String) {
        self.0.push(DocumentProblem { path: path.to_owned(), message });
    }

    /// A name (title, area, indicator, organisation): shown and matched as written, so no
    /// control or invisible character (`crate::text`).
    fn name(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(path, "must not be empty".to_owned());
        } else if value.chars().count() > MAX_NAME_CHARS {
            self.add(path, format!("is longer than {MAX_NAME_CHARS} characters"));
        } else if let Err(problem) = crate::text::check_name(value) {
            self.add(path, problem.to_string());
        }
    }

    fn text(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(path, "must not be empty".to_owned());
        } else if value.chars().count() > MAX_TEXT_CHARS {
            self.add(path, format!("is longer than {MAX_TEXT_CHARS} characters"));
        } else {
            self.no_nul(path, value);
        }
    }

    /// PostgreSQL stores no NUL in text; a document carrying one is refused, naming the line.
    fn no_nul(&mut self, path: &str, value: &str) {
        if let Some(line) = value.lines().position(|l| l.contains('\0')) {
            self.add(path, format!("line {} contains a NUL character", line + 1));
        }
    }

    fn year(&mut self, path: &str, year: i32) {
        if !(1900..=2200).contains(&year) {
            self.add(path, format!("{year} is not a plausible year"));
        }
    }

    fn area(&mut self, path: &str, area: &str, known: &HashSet<&str>) {
        if !known.contains(area) {
            self.add(path, format!("area {area:?} is not in the plan's areas"));
        }
    }

    fn catalog_key(&mut self, path: &str, key: &str) {
        let ok = !key.is_empty()
            && key.len() <= 100
            && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            self.add(path, format!("{key:?} is not a catalog key (lowercase letters, digits, _)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PlanDocument {
        serde_json::from_value(serde_json::json!({
            "format": FORMAT, "title": "方案", "issuer": "区政府办公室", "issued_on": "2022-01-11",
            "period_start": 2021, "period_end": 2025, "visibility": "public", "status": "published",
            "areas": [{"name": "绿色发展"}],
            "indicators": [{"code": "1", "area": "绿色发展", "name": "能耗", "unit": "吨标煤",
                "baseline_year": 2020, "baseline_value": 0.84, "target_year": 2025, "target_value": 0.6,
                "comparator": "le"}],
            "tasks": [{"area": "绿色发展", "seq": 1, "text": "节能", "due": {"year": 2025},
                "lead": ["甲"], "responsible": ["乙", "甲"]},
                {"area": "绿色发展", "seq": 2, "text": "长期", "due": "ongoing", "lead": ["乙"]}]
        }))
        .unwrap()
    }

    #[test]
    fn a_well_formed_document_has_no_problems() {
        let doc = sample();
        assert_eq!(doc.problems(), vec![]);
        assert_eq!(doc.tasks[1].due, Some(Due::Ongoing));
        assert_eq!(doc.indicators[0].target_value.to_string(), "0.6");
        assert_eq!(doc.organisation_names(), vec!["甲", "乙"]);
    }

    #[test]
    fn names_with_hidden_characters_and_text_with_nul_are_refused() {
        let mut doc = sample();
        doc.title = "某区\u{202E}规划".into();
        doc.tasks[0].text = "第一行\n第二\0行".into();
        doc.source_text = Some("一\n二\n\0".into());
        let found: Vec<_> = doc.problems().into_iter().map(|p| format!("{}: {}", p.path, p.message)).collect();
        assert_eq!(
            found,
            vec![
                "title: contains an invisible formatting character (such as a direction override)",
                "source_text: line 3 contains a NUL character",
                "tasks[0].text: line 2 contains a NUL character",
            ]
        );
    }

    #[test]
    fn problems_name_the_path_of_the_bad_field() {
        let mut doc = sample();
        doc.indicators[0].area = "不存在".into();
        doc.tasks[1].seq = 1;
        doc.tasks[0].lead.push("甲".into());
        let paths: Vec<_> = doc.problems().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, vec!["indicators[0].area", "tasks[0].lead[1]", "tasks[1].seq"]);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["colour"] = serde_json::json!("red");
        assert!(serde_json::from_value::<PlanDocument>(value).is_err());
    }
}
