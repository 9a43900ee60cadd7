//! Every word the pages show, in Chinese (the default) and English. Components take their text
//! from here; none is written inline.
//!
//! The locale comes from the `lang` cookie. The server reads it from the request and writes it
//! into `<html lang>`; the browser reads it back from there, so both render the same markup.

use leptos::prelude::*;
use shared::model::{IndicatorStatus, PlanStatus, Role, TaskStatus, Visibility};

pub const COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Zh,
    En,
}

impl Locale {
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag {
            "zh-CN" | "zh" => Some(Locale::Zh),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The locale a `Cookie:` header asks for; Chinese when it asks for none we know.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .and_then(|(_, value)| Locale::from_tag(value))
            .unwrap_or_default()
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::Zh => Locale::En,
            Locale::En => Locale::Zh,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::Zh => &ZH,
            Locale::En => &EN,
        }
    }
}

/// The locale of the page being rendered, from context (see `app::provide_locale`).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

pub fn t() -> &'static Texts {
    use_locale().texts()
}

pub struct Texts {
    pub locale: Locale,
    pub product: &'static str,
    pub switch_language: &'static str,
    pub districts: &'static str,
    pub districts_intro: &'static str,
    pub region: &'static str,
    pub demo_label: &'static str,
    pub no_districts: &'static str,
    pub plans: &'static str,
    pub no_plans: &'static str,
    pub issuer: &'static str,
    pub issued_on: &'static str,
    pub document_number: &'static str,
    pub period: &'static str,
    pub indicators: &'static str,
    pub tasks: &'static str,
    pub all_areas: &'static str,
    pub area: &'static str,
    pub code: &'static str,
    pub indicator_name: &'static str,
    pub unit: &'static str,
    pub baseline: &'static str,
    pub target: &'static str,
    pub latest: &'static str,
    pub progress: &'static str,
    pub status: &'static str,
    pub seq: &'static str,
    pub task_text: &'static str,
    pub lead_units: &'static str,
    pub responsible_units: &'static str,
    pub cooperating_units: &'static str,
    pub deadline: &'static str,
    pub ongoing: &'static str,
    pub overdue: &'static str,
    pub expand_texts: &'static str,
    pub collapse_texts: &'static str,
    pub notes: &'static str,
    pub not_found: &'static str,
    pub load_failed: &'static str,
    pub loading: &'static str,
    pub empty_value: &'static str,
    pub back_to_districts: &'static str,
    pub summary_indicators: &'static str,
    pub summary_tasks: &'static str,
    pub year_suffix: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in_failed: &'static str,
    pub sign_in_throttled: &'static str,
    pub sign_in_needed: &'static str,
    pub forbidden: &'static str,
    pub saved: &'static str,
    pub account: &'static str,
    pub my_grants: &'static str,
    pub role: &'static str,
    pub scope: &'static str,
    pub organisations: &'static str,
    pub my_work: &'static str,
    pub approvals: &'static str,
    pub dashboard: &'static str,
    pub comparison: &'static str,
    pub mean_progress: &'static str,
    pub task_completion: &'static str,
    pub overdue_tasks: &'static str,
    pub unit_workload: &'static str,
    pub lead_count: &'static str,
    pub responsible_count: &'static str,
    pub completed: &'static str,
    pub completion: &'static str,
    pub compare_indicator: &'static str,
    pub no_indicator: &'static str,
    pub show: &'static str,
    pub report_value: &'static str,
    pub report_period: &'static str,
    pub period_hint: &'static str,
    pub value: &'static str,
    pub note: &'static str,
    pub source: &'static str,
    pub submit: &'static str,
    pub update_task: &'static str,
    pub percent: &'static str,
    pub approve: &'static str,
    pub reject: &'static str,
    pub reason: &'static str,
    pub no_pending: &'static str,
    pub no_work: &'static str,
    pub view_dashboard: &'static str,
    pub view_plan: &'static str,
    pub reported_by: &'static str,
    pub overall: &'static str,
    pub indicator_count: &'static str,
    pub task_count: &'static str,
    pub as_of: &'static str,
    pub district: &'static str,
    pub rank: &'static str,
    pub no_data_yet: &'static str,
    pub submitted_at: &'static str,
}

impl Texts {
    pub fn indicator_status(&self, s: IndicatorStatus) -> &'static str {
        let zh = self.locale == Locale::Zh;
        match (s, zh) {
            (IndicatorStatus::Achieved, true) => "已达标",
            (IndicatorStatus::OnTrack, true) => "进度正常",
            (IndicatorStatus::AtRisk, true) => "有风险",
            (IndicatorStatus::Behind, true) => "滞后",
            (IndicatorStatus::NoData, true) => "暂无数据",
            (IndicatorStatus::Achieved, false) => "Achieved",
            (IndicatorStatus::OnTrack, false) => "On track",
            (IndicatorStatus::AtRisk, false) => "At risk",
            (IndicatorStatus::Behind, false) => "Behind",
            (IndicatorStatus::NoData, false) => "No data",
        }
    }

    pub fn task_status(&self, s: TaskStatus) -> &'static str {
        let zh = self.locale == Locale::Zh;
        match (s, zh) {
            (TaskStatus::NotStarted, true) => "未开始",
            (TaskStatus::InProgress, true) => "推进中",
            (TaskStatus::Completed, true) => "已完成",
            (TaskStatus::Blocked, true) => "受阻",
            (TaskStatus::NotStarted, false) => "Not started",
            (TaskStatus::InProgress, false) => "In progress",
            (TaskStatus::Completed, false) => "Completed",
            (TaskStatus::Blocked, false) => "Blocked",
        }
    }

    pub fn plan_status(&self, s: PlanStatus) -> &'static str {
        let zh = self.locale == Locale::Zh;
        match (s, zh) {
            (PlanStatus::Draft, true) => "草稿",
            (PlanStatus::Published, true) => "已发布",
            (PlanStatus::Archived, true) => "已归档",
            (PlanStatus::Draft, false) => "Draft",
            (PlanStatus::Published, false) => "Published",
            (PlanStatus::Archived, false) => "Archived",
        }
    }

    pub fn role(&self, r: Role) -> &'static str {
        let zh = self.locale == Locale::Zh;
        match (r, zh) {
            (Role::PlatformAdmin, true) => "平台管理员",
            (Role::Supervisor, true) => "市级督查",
            (Role::TenantAdmin, true) => "区县管理员",
            (Role::Reporter, true) => "填报员",
            (Role::Viewer, true) => "查看者",
            (Role::PlatformAdmin, false) => "Platform admin",
            (Role::Supervisor, false) => "Supervisor",
            (Role::TenantAdmin, false) => "District admin",
            (Role::Reporter, false) => "Reporter",
            (Role::Viewer, false) => "Viewer",
        }
    }

    pub fn visibility(&self, v: Visibility) -> &'static str {
        let zh = self.locale == Locale::Zh;
        match (v, zh) {
            (Visibility::Public, true) => "公开",
            (Visibility::Internal, true) => "内部",
            (Visibility::Public, false) => "Public",
            (Visibility::Internal, false) => "Internal",
        }
    }
}

pub static ZH: Texts = Texts {
    locale: Locale::Zh,
    product: "规划通 Planboard",
    switch_language: "English",
    districts: "区县",
    districts_intro: "各区县发展规划的目标指标与重点任务推进情况。",
    region: "所属地区",
    demo_label: "示例数据",
    no_districts: "暂无可查看的区县。",
    plans: "规划",
    no_plans: "暂无可查看的规划。",
    issuer: "发文机关",
    issued_on: "印发日期",
    document_number: "文号",
    period: "规划期",
    indicators: "主要目标指标",
    tasks: "重点任务",
    all_areas: "全部类别",
    area: "工作类别",
    code: "编号",
    indicator_name: "指标名称",
    unit: "单位",
    baseline: "基期值",
    target: "目标值",
    latest: "最新值",
    progress: "完成进度",
    status: "状态",
    seq: "序号",
    task_text: "任务内容",
    lead_units: "牵头单位",
    responsible_units: "责任单位",
    cooperating_units: "配合单位",
    deadline: "完成时限",
    ongoing: "长期",
    overdue: "已逾期",
    expand_texts: "展开全文",
    collapse_texts: "收起全文",
    notes: "备注",
    not_found: "未找到该页面，或您无权查看。",
    load_failed: "数据加载失败，请稍后重试。",
    loading: "加载中…",
    empty_value: "——",
    back_to_districts: "返回区县列表",
    summary_indicators: "项指标",
    summary_tasks: "项任务",
    year_suffix: "年",
    sign_in: "登录",
    sign_out: "退出登录",
    email: "电子邮箱",
    password: "密码",
    sign_in_failed: "邮箱或密码错误。",
    sign_in_throttled: "尝试次数过多，请稍后再试。",
    sign_in_needed: "请先登录。",
    forbidden: "您的角色无权执行此操作。",
    saved: "已保存。",
    account: "我的账户",
    my_grants: "我的角色",
    role: "角色",
    scope: "范围",
    organisations: "单位",
    my_work: "本单位工作",
    approvals: "待审核填报",
    dashboard: "进展看板",
    comparison: "区县对比",
    mean_progress: "平均进度",
    task_completion: "任务完成率",
    overdue_tasks: "逾期任务",
    unit_workload: "各单位任务",
    lead_count: "牵头",
    responsible_count: "负责",
    completed: "已完成",
    completion: "完成率",
    compare_indicator: "对比指标",
    no_indicator: "（不选指标）",
    show: "显示",
    report_value: "填报数值",
    report_period: "期间",
    period_hint: "年份如 2023，季度如 2023Q2",
    value: "数值",
    note: "说明",
    source: "数据来源",
    submit: "提交",
    update_task: "更新进展",
    percent: "完成百分比",
    approve: "通过",
    reject: "退回",
    reason: "退回理由",
    no_pending: "暂无待审核的填报。",
    no_work: "您的单位暂无负责的指标或任务。",
    view_dashboard: "查看看板",
    view_plan: "查看规划",
    reported_by: "填报人",
    overall: "全部",
    indicator_count: "指标数",
    task_count: "任务数",
    as_of: "统计日期",
    district: "区县",
    rank: "排名",
    no_data_yet: "暂无数据",
    submitted_at: "提交时间",
};

pub static EN: Texts = Texts {
    locale: Locale::En,
    product: "Planboard",
    switch_language: "中文",
    districts: "Districts",
    districts_intro: "Targets and key tasks of each district's development plan, and how far they have come.",
    region: "Region",
    demo_label: "Demo data",
    no_districts: "No districts to show.",
    plans: "Plans",
    no_plans: "No plans to show.",
    issuer: "Issued by",
    issued_on: "Issued on",
    document_number: "Document no.",
    period: "Period",
    indicators: "Main targets",
    tasks: "Key tasks",
    all_areas: "All areas",
    area: "Area",
    code: "No.",
    indicator_name: "Indicator",
    unit: "Unit",
    baseline: "Baseline",
    target: "Target",
    latest: "Latest",
    progress: "Progress",
    status: "Status",
    seq: "No.",
    task_text: "Task",
    lead_units: "Lead units",
    responsible_units: "Responsible units",
    cooperating_units: "Cooperating units",
    deadline: "Deadline",
    ongoing: "Ongoing",
    overdue: "Overdue",
    expand_texts: "Show full texts",
    collapse_texts: "Shorten texts",
    notes: "Notes",
    not_found: "This page does not exist, or you may not see it.",
    load_failed: "The data could not be loaded. Please try again.",
    loading: "Loading…",
    empty_value: "—",
    back_to_districts: "Back to districts",
    summary_indicators: " indicators",
    summary_tasks: " tasks",
    year_suffix: "",
    sign_in: "Sign in",
    sign_out: "Sign out",
    email: "Email",
    password: "Password",
    sign_in_failed: "Wrong email or password.",
    sign_in_throttled: "Too many attempts; please wait and try again.",
    sign_in_needed: "Please sign in first.",
    forbidden: "Your role may not do this.",
    saved: "Saved.",
    account: "My account",
    my_grants: "My roles",
    role: "Role",
    scope: "Scope",
    organisations: "Units",
    my_work: "My unit's work",
    approvals: "Reports to review",
    dashboard: "Dashboard",
    comparison: "District comparison",
    mean_progress: "Mean progress",
    task_completion: "Tasks completed",
    overdue_tasks: "Overdue tasks",
    unit_workload: "Tasks by unit",
    lead_count: "Leads",
    responsible_count: "Responsible",
    completed: "Completed",
    completion: "Completion",
    compare_indicator: "Compare indicator",
    no_indicator: "(no indicator)",
    show: "Show",
    report_value: "Report a value",
    report_period: "Period",
    period_hint: "A year (2023) or quarter (2023Q2)",
    value: "Value",
    note: "Note",
    source: "Source",
    submit: "Submit",
    update_task: "Update progress",
    percent: "Percent done",
    approve: "Approve",
    reject: "Reject",
    reason: "Reason",
    no_pending: "No reports await a decision.",
    no_work: "Your units answer for no indicator or task yet.",
    view_dashboard: "Dashboard",
    view_plan: "View plan",
    reported_by: "Reported by",
    overall: "Overall",
    indicator_count: "Indicators",
    task_count: "Tasks",
    as_of: "As of",
    district: "District",
    rank: "Rank",
    no_data_yet: "No data",
    submitted_at: "Submitted",
};
