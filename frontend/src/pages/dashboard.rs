//! `/t/{tenant}/plans/{plan}/dashboard`: areas × statuses, overdue tasks, units' workload.

use super::widgets::ProgressMeter;
use super::widgets::overdue_class;
use super::{LoadFailed, Loading};
use crate::data::{LoadError, fetch_dashboard};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{AreaSummary, Dashboard};
use shared::model::IndicatorStatus;
use uuid::Uuid;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let board = Resource::new(
        move || (params.read().get("tenant"), params.read().get("plan")),
        |(tenant, plan)| async move {
            let (Some(tenant), Some(plan)) = (tenant, plan) else { return Err(LoadError::NotFound) };
            let plan = Uuid::parse_str(&plan).map_err(|_| LoadError::NotFound)?;
            fetch_dashboard(tenant, plan).await
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <Board board=b/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

const STATUSES: [IndicatorStatus; 5] = [
    IndicatorStatus::Achieved,
    IndicatorStatus::OnTrack,
    IndicatorStatus::AtRisk,
    IndicatorStatus::Behind,
    IndicatorStatus::NoData,
];

fn count(a: &AreaSummary, s: IndicatorStatus) -> i64 {
    let c = &a.indicators;
    match s {
        IndicatorStatus::Achieved => c.achieved,
        IndicatorStatus::OnTrack => c.on_track,
        IndicatorStatus::AtRisk => c.at_risk,
        IndicatorStatus::Behind => c.behind,
        IndicatorStatus::NoData => c.no_data,
    }
}

#[component]
fn Board(board: Dashboard) -> impl IntoView {
    let texts = t();
    let Dashboard { plan, as_of, overall, areas, units } = board;
    let row = move |a: AreaSummary, name: String| {
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num">{a.indicators.total}</td>
                {STATUSES.iter().map(|s| {
                    let n = count(&a, *s);
                    view! { <td class=format!("num cell-{}", if n > 0 { s.light().as_str() } else { "none" }) data-status=s.as_str()>{n}</td> }
                }).collect_view()}
                <td><ProgressMeter progress=a.mean_progress/></td>
                <td class="num">{a.tasks.total}</td>
                <td class="num">{a.tasks.completed}</td>
                <td class=overdue_class(a.tasks.overdue)>{a.tasks.overdue}</td>
            </tr>
        }
    };
    view! {
        <nav class="crumbs"><a href=format!("../{}", plan.id)>{texts.view_plan}</a></nav>
        <h1>{plan.title.clone()}" · "{texts.dashboard}</h1>
        <p class="muted">{texts.as_of}": "{format::date(as_of, texts.locale)}</p>
        <div class="table-wrap">
        <table class="grid dashboard" data-testid="dashboard">
            <thead>
                <tr>
                    <th scope="col">{texts.area}</th>
                    <th scope="col">{texts.indicator_count}</th>
                    {STATUSES.iter().map(|s| view! { <th scope="col">{texts.indicator_status(*s)}</th> }).collect_view()}
                    <th scope="col">{texts.mean_progress}</th>
                    <th scope="col">{texts.task_count}</th>
                    <th scope="col">{texts.completed}</th>
                    <th scope="col">{texts.overdue_tasks}</th>
                </tr>
            </thead>
            <tbody>
                {areas.into_iter().map(|a| { let name = a.area.clone().unwrap_or_default(); row(a, name) }).collect_view()}
            </tbody>
            <tfoot data-testid="overall">{row(overall, texts.overall.to_owned())}</tfoot>
        </table>
        </div>
        <h2>{texts.unit_workload}</h2>
        <div class="table-wrap">
        <table class="grid" data-testid="units">
            <thead>
                <tr>
                    <th scope="col">{texts.organisations}</th><th scope="col">{texts.lead_count}</th>
                    <th scope="col">{texts.responsible_count}</th><th scope="col">{texts.completed}</th>
                    <th scope="col">{texts.overdue_tasks}</th><th scope="col">{texts.completion}</th>
                </tr>
            </thead>
            <tbody>
                {units.into_iter().map(|u| view! {
                    <tr>
                        <td>{u.name}</td>
                        <td class="num">{u.lead}</td>
                        <td class="num">{u.responsible}</td>
                        <td class="num">{u.completed}</td>
                        <td class=overdue_class(u.overdue)>{u.overdue}</td>
                        <td><ProgressMeter progress=Some(u.completion)/></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
