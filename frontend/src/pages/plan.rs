//! `/t/{tenant}/plans/{plan}`: one plan with its indicator table and task table. Filters and
//! sorting live in the URL (`?area=N&status=behind&unit=…&due=2025&sort=progress`), so a
//! filtered view can be linked, and they work without the wasm (links and a GET form).

use super::plan_filter::{Sort, TableFilter, due_years, unit_list};
use super::widgets::{Downloads, ProgressMeter, StatusLight, TaskStatusTag, tenant_name};
use super::{LoadFailed, Loading};
use crate::data::{LoadError, fetch_plan_detail};
use crate::format;
use crate::i18n::{Texts, t};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::api::{IndicatorRow, PlanDetail, TaskRow, UnitRef};
use shared::model::{Comparator, IndicatorStatus};
use uuid::Uuid;

#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || (params.read().get("tenant"), params.read().get("plan")),
        |(tenant, plan)| async move {
            let (Some(tenant), Some(plan)) = (tenant, plan) else {
                return Err(LoadError::NotFound);
            };
            // A malformed id names no plan: the page says "not found" (the API says 400).
            let plan = Uuid::parse_str(&plan).map_err(|_| LoadError::NotFound)?;
            fetch_plan_detail(tenant, plan).await
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <PlanView detail=d/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanView(detail: PlanDetail) -> impl IntoView {
    let texts = t();
    let query = use_query_map();
    // 1-based index into the plan's areas; anything else shows every area.
    let selected = move || query.read().get("area").and_then(|a| a.parse::<usize>().ok()).filter(|i| *i >= 1);
    let filter = move || TableFilter::from_query(|name| query.read().get(name));
    let PlanDetail { tenant, plan, notes, areas, indicators, tasks } = detail;
    let base = format!("/t/{}/plans/{}", tenant.slug, plan.id);
    let tenant_href = format!("/t/{}", tenant.slug);
    let tenant_label = tenant_name(&tenant, texts.locale).to_owned();
    let slug = tenant.slug.clone();
    let is_demo = tenant.is_demo;

    let mut by_status = std::collections::BTreeMap::<IndicatorStatus, usize>::new();
    for i in &indicators {
        *by_status.entry(i.status).or_default() += 1;
    }
    let overdue = tasks.iter().filter(|t| t.overdue).count();
    let (indicator_count, task_count) = (indicators.len(), tasks.len());

    let units = StoredValue::new(unit_list(&tasks));
    let years = StoredValue::new(due_years(&tasks));
    let areas = StoredValue::new(areas);
    let indicators = StoredValue::new(indicators);
    let tasks = StoredValue::new(tasks);
    let area_name = move || selected().and_then(|i| areas.with_value(|a| a.get(i - 1).cloned()));
    let list_href = |list: &str| format!("/api/v1/tenants/{}/plans/{}/{list}", tenant.slug, plan.id);
    let (indicators_href, tasks_href) = (list_href("indicators"), list_href("tasks"));

    let header = view! {
        <nav class="crumbs">
            <A href="/">{texts.back_to_districts}</A>" / "
            <A href=tenant_href>{tenant_label}</A>
        </nav>
        <h1 data-testid="plan-title">{plan.title.clone()}</h1>
        <p>
            <a class="action" href=format!("/t/{}/plans/{}/dashboard", tenant.slug, plan.id) data-testid="dashboard-link">{texts.view_dashboard}</a>
            <a class="action" href=format!("/api/v1/tenants/{}/plans/{}/export.xlsx?lang={}", tenant.slug, plan.id, texts.locale.tag()) data-testid="excel-link">{texts.download_excel}</a>
        </p>
        <dl class="facts">
            <dt>{texts.issuer}</dt><dd>{plan.issuer.clone()}</dd>
            {plan.document_number.clone().map(|n| view! { <dt>{texts.document_number}</dt><dd>{n}</dd> })}
            <dt>{texts.issued_on}</dt><dd>{format::date(plan.issued_on, texts.locale)}</dd>
            <dt>{texts.period}</dt><dd>{format!("{}–{}", plan.period_start, plan.period_end)}</dd>
            <dt>{texts.status}</dt>
            <dd>
                <span class="tag">{texts.plan_status(plan.status)}</span>
                <span class="tag">{texts.visibility(plan.visibility)}</span>
                {is_demo.then(|| view! { <span class="tag demo">{texts.demo_label}</span> })}
            </dd>
        </dl>
    }
    .into_any();
    let summary = view! {
        <p class="summary" data-testid="summary">
            <strong>{indicator_count}</strong>{texts.summary_indicators}": "
            {by_status.into_iter().map(|(status, n)| view! {
                <span class="chip"><StatusLight status/>" "{n}</span>
            }).collect_view()}
            " · "<strong>{task_count}</strong>{texts.summary_tasks}
            {(overdue > 0).then(|| view! { " · "<span class="tag overdue">{texts.overdue}" "{overdue}</span> })}
        </p>
    }
    .into_any();
    let filters = view! {
        <nav class="filters" aria-label=texts.area>
            // Plain links: the router's <A> marks every link to this path as current,
            // whatever its query.
            <a href=base.clone() aria-current=move || selected().is_none().then_some("page")>
                {texts.all_areas}
            </a>
            {areas.get_value().into_iter().enumerate().map(|(i, name)| {
                let n = i + 1;
                let href = format!("{base}?area={n}");
                view! {
                    <a href=href aria-current=move || (selected() == Some(n)).then_some("page")>
                        {name}
                    </a>
                }
            }).collect_view()}
        </nav>
    }
    .into_any();

    view! {
        {header}
        {summary}
        {filters}
        {move || view! { <FilterForm filter=filter() area=selected() units=units.get_value() years=years.get_value()/> }}
        <section>
            <h2>{texts.indicators}</h2>
            <Downloads href=indicators_href/>
            {move || {
                let area = area_name();
                let filter = filter();
                let (rows, total) = indicators.with_value(|all| {
                    let in_area: Vec<&IndicatorRow> = all.iter().filter(|i| area.as_ref().is_none_or(|a| &i.area == a)).collect();
                    (filter.indicators(&in_area), in_area.len())
                });
                let shown = rows.len();
                view! {
                    {(shown != total).then(|| view! { <p class="muted" data-testid="indicators-shown">{texts.shown_of}" "{shown}" / "{total}</p> })}
                    <IndicatorTable rows slug=slug.clone() grouped_by_area=filter.sort == Sort::Document/>
                }
            }}
        </section>

        <section>
            <h2>{texts.tasks}</h2>
            <Downloads href=tasks_href/>
            {move || {
                let area = area_name();
                let filter = filter();
                let (rows, total) = tasks.with_value(|all| {
                    let in_area: Vec<&TaskRow> = all.iter().filter(|t| area.as_ref().is_none_or(|a| &t.area == a)).collect();
                    (filter.tasks(&in_area), in_area.len())
                });
                let shown = rows.len();
                view! {
                    {(shown != total).then(|| view! { <p class="muted" data-testid="tasks-shown">{texts.shown_of}" "{shown}" / "{total}</p> })}
                    <TaskTable rows grouped_by_area=filter.sort == Sort::Document/>
                }
            }}
        </section>

        {notes.map(|n| view! { <p class="notes"><strong>{texts.notes}"："</strong><bdi>{n}</bdi></p> })}
    }
}

/// Rows grouped under a heading row per area, in the plan's order.
fn grouped<T: Clone>(rows: &[T], area_of: impl Fn(&T) -> &str) -> Vec<(String, Vec<T>)> {
    let mut groups: Vec<(String, Vec<T>)> = Vec::new();
    for row in rows {
        match groups.last_mut() {
            Some((area, members)) if area == area_of(row) => members.push(row.clone()),
            _ => groups.push((area_of(row).to_owned(), vec![row.clone()])),
        }
    }
    groups
}

/// The year every row shares, if they all share one: then it goes in the header, once.
fn common_year(rows: &[IndicatorRow], year: impl Fn(&IndicatorRow) -> i32) -> Option<i32> {
    let first = year(rows.first()?);
    rows.iter().all(|r| year(r) == first).then_some(first)
}

fn with_year(label: &str, year: Option<i32>, texts: &Texts) -> String {
    match year {
        Some(y) => format!("{label}（{y}{}）", texts.year_suffix),
        None => label.to_owned(),
    }
}

#[component]
fn IndicatorTable(rows: Vec<IndicatorRow>, slug: String, grouped_by_area: bool) -> impl IntoView {
    let texts = t();
    let baseline_year = common_year(&rows, |r| r.baseline_year);
    let target_year = common_year(&rows, |r| r.target_year);
    let groups = if grouped_by_area { grouped(&rows, |r| r.area.as_str()) } else { vec![(String::new(), rows)] };
    view! {
        <div class="table-wrap">
        <table class="grid indicators" data-testid="indicators">
            <thead>
                <tr>
                    <th scope="col">{texts.code}</th>
                    <th scope="col">{texts.indicator_name}</th>
                    <th scope="col">{texts.unit}</th>
                    <th scope="col" class="num">{with_year(texts.baseline, baseline_year, texts)}</th>
                    <th scope="col" class="num">{with_year(texts.target, target_year, texts)}</th>
                    <th scope="col" class="num">{texts.latest}</th>
                    <th scope="col">{texts.progress}</th>
                    <th scope="col">{texts.status}</th>
                </tr>
            </thead>
            {groups.into_iter().map(|(area, members)| view! {
                <tbody>
                    {(!area.is_empty()).then(|| view! { <tr class="group"><th colspan="8" scope="rowgroup">{area}</th></tr> })}
                    {members.into_iter().map(|row| {
                        let baseline = row.baseline_value.map(format::value).unwrap_or_else(|| texts.empty_value.to_owned());
                        let baseline = if baseline_year.is_some() { baseline } else { format!("{baseline}（{}）", row.baseline_year) };
                        let target = match row.comparator {
                            Comparator::Ge => format::value(row.target_value),
                            c => format!("{}{}", c.symbol(), format::value(row.target_value)),
                        };
                        let target = if target_year.is_some() { target } else { format!("{target}（{}）", row.target_year) };
                        let latest = row.latest.as_ref().map(|l| format!("{}（{}）", format::value(l.value), l.period));
                        view! {
                            <tr data-indicator=row.id.to_string()>
                                <td class="code">{row.code}</td>
                                <td><a href=format!("/t/{}/indicators/{}", slug, row.id)>{row.name}</a></td>
                                <td>{row.unit}</td>
                                <td class="num">{baseline}</td>
                                <td class="num">{target}</td>
                                <td class="num">{latest.unwrap_or_else(|| texts.empty_value.to_owned())}</td>
                                <td><ProgressMeter progress=row.progress/></td>
                                <td><StatusLight status=row.status/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            }).collect_view()}
        </table>
        </div>
    }
}

fn unit_names(units: &[UnitRef]) -> String {
    units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、")
}

#[component]
fn TaskTable(rows: Vec<TaskRow>, grouped_by_area: bool) -> impl IntoView {
    let texts = t();
    // Long task texts are clamped to a few lines; the button shows them whole. It needs the
    // wasm, so it also marks the page as hydrated for the browser tests.
    let (expanded, set_expanded) = signal(false);
    Effect::new(move |_| mark_hydrated());
    let groups = if grouped_by_area { grouped(&rows, |r| r.area.as_str()) } else { vec![(String::new(), rows)] };
    view! {
        <button type="button" class="toggle" data-testid="toggle-texts"
            aria-pressed=move || expanded.get().to_string()
            on:click=move |_| set_expanded.update(|e| *e = !*e)>
            {move || if expanded.get() { texts.collapse_texts } else { texts.expand_texts }}
        </button>
        <div class="table-wrap">
        <table class="grid tasks" class:clamped=move || !expanded.get() data-testid="tasks">
            <thead>
                <tr>
                    <th scope="col">{texts.seq}</th>
                    <th scope="col">{texts.task_text}</th>
                    <th scope="col">{texts.lead_units}</th>
                    <th scope="col">{texts.responsible_units}</th>
                    <th scope="col">{texts.cooperating_units}</th>
                    <th scope="col">{texts.deadline}</th>
                    <th scope="col">{texts.status}</th>
                </tr>
            </thead>
            {groups.into_iter().map(|(area, members)| view! {
                <tbody>
                    {(!area.is_empty()).then(|| view! { <tr class="group"><th colspan="7" scope="rowgroup">{area}</th></tr> })}
                    {members.into_iter().map(|row| {
                        let deadline = match (row.due_year, row.ongoing) {
                            (_, true) => texts.ongoing.to_owned(),
                            (Some(y), false) => format!("{y}{}", texts.year_suffix),
                            (None, false) => texts.empty_value.to_owned(),
                        };
                        view! {
                            <tr data-task=row.id.to_string() class:overdue=row.overdue>
                                <td class="code">{row.seq}</td>
                                <td class="text"><div class="clamp"><bdi>{row.text}</bdi></div></td>
                                <td>{unit_names(&row.lead_units)}</td>
                                <td>{unit_names(&row.responsible_units)}</td>
                                <td>{unit_names(&row.cooperating_units)}</td>
                                <td class="nowrap">{deadline}</td>
                                <td><TaskStatusTag status=row.status overdue=row.overdue/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            }).collect_view()}
        </table>
        </div>
    }
}

/// Sets `data-hydrated` on `<html>`; effects run only in the browser, after hydration.
fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-hydrated", "true");
    }
}

/// The filters and sort as a GET form: it works without the wasm, and its URL can be shared.
#[component]
fn FilterForm(filter: TableFilter, area: Option<usize>, units: Vec<String>, years: Vec<i32>) -> impl IntoView {
    let texts = t();
    let statuses = [
        IndicatorStatus::Achieved,
        IndicatorStatus::OnTrack,
        IndicatorStatus::AtRisk,
        IndicatorStatus::Behind,
        IndicatorStatus::NoData,
    ];
    let due = filter.due.clone().unwrap_or_default();
    let unit = filter.unit.clone().unwrap_or_default();
    view! {
        <form method="get" class="toolbar" data-testid="table-filter">
            {area.map(|a| view! { <input type="hidden" name="area" value=a.to_string()/> })}
            <label for="filter-status">{texts.filter_status}</label>
            <select id="filter-status" name="status">
                <option value="">{texts.all}</option>
                {statuses.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=filter.status == Some(s)>{texts.indicator_status(s)}</option>
                }).collect_view()}
            </select>
            <label for="filter-unit">{texts.filter_unit}</label>
            <select id="filter-unit" name="unit">
                <option value="">{texts.all}</option>
                {units.into_iter().map(|u| {
                    let selected = u == unit;
                    view! { <option value=u.clone() selected=selected>{u.clone()}</option> }
                }).collect_view()}
            </select>
            <label for="filter-due">{texts.filter_deadline}</label>
            <select id="filter-due" name="due">
                <option value="">{texts.all}</option>
                <option value="overdue" selected=due == "overdue">{texts.overdue}</option>
                <option value="ongoing" selected=due == "ongoing">{texts.ongoing}</option>
                {years.into_iter().map(|y| {
                    let value = y.to_string();
                    let selected = due == value;
                    view! { <option value=value selected=selected>{y}{texts.year_suffix}</option> }
                }).collect_view()}
            </select>
            <label for="filter-sort">{texts.sort_by}</label>
            <select id="filter-sort" name="sort">
                <option value="" selected=filter.sort == Sort::Document>{texts.sort_document}</option>
                <option value="progress" selected=filter.sort == Sort::Progress>{texts.sort_progress}</option>
                <option value="deadline" selected=filter.sort == Sort::Deadline>{texts.sort_deadline}</option>
            </select>
            <button type="submit">{texts.apply_filter}</button>
        </form>
    }
}
