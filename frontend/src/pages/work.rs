//! `/work`: a reporter's work: the indicators and tasks its units lead or answer for, each
//! with a form to report a value or update the task. The forms post to the server, which
//! sends the reader back here with `?ok` or `?error=…&field=…` (shown next to the field).

use super::widgets::{ProgressMeter, StatusLight, TaskStatusTag};
use super::{FormOutcome, LoadFailed, Loading, field_error};
use crate::data::fetch_my_work;
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use shared::api::{IndicatorRow, TaskRow, TenantWork};
use shared::model::TaskStatus;

#[component]
pub fn WorkPage() -> impl IntoView {
    let work = Resource::new(|| (), |_| fetch_my_work());
    view! {
        <h1>{t().my_work}</h1>
        <FormOutcome/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match work.await {
                    Ok(list) if list.iter().all(|w| w.indicators.is_empty() && w.tasks.is_empty()) => {
                        view! { <p class="empty">{t().no_work}</p> }.into_any()
                    }
                    Ok(list) => list.into_iter().map(|w| view! { <Work work=w/> }).collect_view().into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Work(work: TenantWork) -> impl IntoView {
    let texts = t();
    let slug = work.tenant.slug.clone();
    view! {
        <h2>{work.tenant.name.clone()}" · "{work.plan.title.clone()}</h2>
        <h3>{texts.indicators}</h3>
        <div class="table-wrap">
        <table class="grid" data-testid="work-indicators">
            <thead>
                <tr>
                    <th>{texts.code}</th><th>{texts.indicator_name}</th><th class="num">{texts.target}</th>
                    <th class="num">{texts.latest}</th><th>{texts.progress}</th><th>{texts.status}</th><th>{texts.report_value}</th>
                </tr>
            </thead>
            <tbody>
                {work.indicators.into_iter().map(|row| view! { <IndicatorLine row slug=slug.clone()/> }).collect_view()}
            </tbody>
        </table>
        </div>
        <h3>{texts.tasks}</h3>
        <div class="table-wrap">
        <table class="grid" data-testid="work-tasks">
            <thead>
                <tr><th>{texts.seq}</th><th>{texts.task_text}</th><th>{texts.deadline}</th><th>{texts.status}</th><th>{texts.update_task}</th></tr>
            </thead>
            <tbody>
                {work.tasks.into_iter().map(|row| view! { <TaskLine row slug=slug.clone()/> }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

#[component]
fn IndicatorLine(row: IndicatorRow, slug: String) -> impl IntoView {
    let texts = t();
    let id = row.id.to_string();
    let period_id = format!("period-{id}");
    let value_id = format!("value-{id}");
    view! {
        <tr data-indicator=id.clone()>
            <td class="code">{row.code.clone()}</td>
            <td>{row.name.clone()}" ("{row.unit.clone()}")"</td>
            <td class="num">{format::value(row.target_value)}</td>
            <td class="num">{row.latest.map(|l| format!("{}（{}）", format::value(l.value), l.period)).unwrap_or_else(|| texts.empty_value.to_owned())}</td>
            <td><ProgressMeter progress=row.progress/></td>
            <td><StatusLight status=row.status/></td>
            <td>
                <form method="post" action="/forms/reports" class="line-form">
                    <input type="hidden" name="tenant" value=slug/>
                    <input type="hidden" name="indicator" value=id.clone()/>
                    <label for=period_id.clone()>{texts.report_period}</label>
                    <input id=period_id name="period" required size="7" placeholder="2023" title=texts.period_hint/>
                    {field_error("period", id.clone())}
                    <label for=value_id.clone()>{texts.value}</label>
                    <input id=value_id name="value" required size="9" inputmode="decimal"/>
                    {field_error("value", id.clone())}
                    <input name="note" placeholder=texts.note aria-label=texts.note maxlength="2000"/>
                    <button type="submit">{texts.submit}</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn TaskLine(row: TaskRow, slug: String) -> impl IntoView {
    let texts = t();
    let id = row.id.to_string();
    let status_id = format!("status-{id}");
    let deadline = match (row.due_year, row.ongoing) {
        (_, true) => texts.ongoing.to_owned(),
        (Some(y), false) => format!("{y}{}", texts.year_suffix),
        (None, false) => texts.empty_value.to_owned(),
    };
    view! {
        <tr data-task=id.clone()>
            <td class="code">{row.seq}</td>
            <td class="text"><div class="clamp">{row.text.clone()}</div></td>
            <td class="nowrap">{deadline}</td>
            <td><TaskStatusTag status=row.status overdue=row.overdue/></td>
            <td>
                <form method="post" action="/forms/task-updates" class="line-form">
                    <input type="hidden" name="tenant" value=slug/>
                    <input type="hidden" name="task" value=id.clone()/>
                    <label for=status_id.clone()>{texts.status}</label>
                    <select id=status_id name="status">
                        {TaskStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == row.status>{texts.task_status(*s)}</option> }).collect_view()}
                    </select>
                    <input name="percent" size="4" inputmode="decimal" placeholder="%" aria-label=texts.percent/>
                    {field_error("percent", id.clone())}
                    <input name="note" placeholder=texts.note aria-label=texts.note maxlength="2000"/>
                    <button type="submit">{texts.submit}</button>
                </form>
            </td>
        </tr>
    }
}
