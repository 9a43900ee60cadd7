//! Small pieces several pages show: status lights, progress meters, names by locale.

use crate::format;
use crate::i18n::{Locale, t};
use leptos::prelude::*;
use shared::api::TenantSummary;
use shared::model::{IndicatorStatus, TaskStatus};

pub fn tenant_name(tenant: &TenantSummary, locale: Locale) -> &str {
    match locale {
        Locale::En if !tenant.name_en.is_empty() => &tenant.name_en,
        _ => &tenant.name,
    }
}

/// 红黄绿灯 with its word beside it, so colour is never the only signal.
#[component]
pub fn StatusLight(status: IndicatorStatus) -> impl IntoView {
    let class = format!("light light-{}", status.light().as_str());
    view! {
        <span class="status" data-status=status.as_str()>
            <span class=class aria-hidden="true"></span>
            {t().indicator_status(status)}
        </span>
    }
}

#[component]
pub fn TaskStatusTag(status: TaskStatus, overdue: bool) -> impl IntoView {
    let texts = t();
    view! {
        <span class=format!("tag task-{}", status.as_str())>{texts.task_status(status)}</span>
        {overdue.then(|| view! { <span class="tag overdue">{texts.overdue}</span> })}
    }
}

/// A progress share 0–1 as a meter and a number; a dash when there is none.
#[component]
pub fn ProgressMeter(progress: Option<f64>) -> impl IntoView {
    match progress {
        Some(p) => view! {
            <span class="progress">
                <meter min="0" max="1" low="0.5" high="0.9" optimum="1" value=p.to_string()></meter>
                <span class="num">{format::percent(p)}</span>
            </span>
        }
        .into_any(),
        None => view! { <span class="muted">{t().empty_value}</span> }.into_any(),
    }
}

/// A number cell, red when it counts overdue tasks.
pub fn overdue_class(overdue: i64) -> &'static str {
    if overdue > 0 { "num cell-red" } else { "num" }
}

/// Links that give the table below as CSV and as Excel, from the list route `href` of the
/// API, in the page's language (docs/api.md).
#[component]
pub fn Downloads(href: String) -> impl IntoView {
    let texts = t();
    let sep = if href.contains('?') { '&' } else { '?' };
    let lang = texts.locale.tag();
    view! {
        <p class="downloads" data-testid="downloads">
            {texts.download_table}": "
            <a href=format!("{href}{sep}format=csv&lang={lang}") download="">"CSV"</a>
            " · "
            <a href=format!("{href}{sep}format=xlsx&lang={lang}") download="">"Excel"</a>
        </p>
    }
}
