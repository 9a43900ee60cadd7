//! `/regions/{region}[?indicator=KEY&sort=progress|name|overdue]`: supervisors compare the
//! districts of their region: a heat map of indicator statuses per district, ranked by
//! progress (never by raw value), and one catalog indicator side by side.

use super::widgets::overdue_class;
use super::widgets::{ProgressMeter, StatusLight};
use super::{LoadFailed, Loading, query_param};
use crate::data::{LoadError, fetch_catalog, fetch_comparison};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{CatalogEntry, RegionComparison, TenantComparison};
use shared::model::{Comparator, IndicatorStatus};

#[component]
pub fn ComparisonPage() -> impl IntoView {
    let params = use_params_map();
    let indicator = query_param("indicator");
    let sort = query_param("sort");
    let comparison = Resource::new(
        move || (params.read().get("region"), indicator().filter(|k| !k.is_empty())),
        |(region, indicator)| async move {
            let Some(region) = region else { return Err(LoadError::NotFound) };
            fetch_comparison(region, indicator).await
        },
    );
    let catalog = Resource::new(|| (), |_| fetch_catalog());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (comparison.await, catalog.await) {
                    (Ok(c), Ok(catalog)) => view! { <Comparison comparison=c catalog sort=sort().unwrap_or_default()/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn share(part: i64, total: i64) -> f64 {
    if total == 0 { 0.0 } else { part as f64 / total as f64 }
}

fn sorted(mut rows: Vec<TenantComparison>, sort: &str) -> Vec<TenantComparison> {
    match sort {
        "name" => rows.sort_by(|a, b| a.slug.cmp(&b.slug)),
        "overdue" => rows.sort_by(|a, b| b.tasks.overdue.cmp(&a.tasks.overdue).then_with(|| a.slug.cmp(&b.slug))),
        // The server ranks by mean progress.
        _ => {}
    }
    rows
}

#[component]
fn Comparison(comparison: RegionComparison, catalog: Vec<CatalogEntry>, sort: String) -> impl IntoView {
    let texts = t();
    let RegionComparison { region, tenants, indicator } = comparison;
    let selected = indicator.as_ref().map(|i| i.key.clone()).unwrap_or_default();
    let sort_link = |key: &str| match &indicator {
        Some(i) => format!("?indicator={}&sort={key}", i.key),
        None => format!("?sort={key}"),
    };
    let statuses = [
        IndicatorStatus::Achieved,
        IndicatorStatus::OnTrack,
        IndicatorStatus::AtRisk,
        IndicatorStatus::Behind,
        IndicatorStatus::NoData,
    ];
    let region_name = match texts.locale {
        crate::i18n::Locale::En if !region.name_en.is_empty() => region.name_en.clone(),
        _ => region.name.clone(),
    };
    view! {
        <h1>{region_name}" · "{texts.comparison}</h1>
        <form method="get" class="inline-form">
            <label for="indicator">{texts.compare_indicator}</label>
            <select id="indicator" name="indicator">
                <option value="">{texts.no_indicator}</option>
                {catalog.into_iter().map(|e| {
                    let chosen = e.key == selected;
                    view! { <option value=e.key.clone() selected=chosen>{format!("{}（{}）", e.name, e.unit)}</option> }
                }).collect_view()}
            </select>
            <button type="submit">{texts.show}</button>
        </form>
        <div class="table-wrap">
        <table class="grid heat" data-testid="comparison">
            <thead>
                <tr>
                    <th scope="col">{texts.rank}</th>
                    <th scope="col"><a href=sort_link("name")>{texts.district}</a></th>
                    {statuses.iter().map(|s| view! { <th scope="col">{texts.indicator_status(*s)}</th> }).collect_view()}
                    <th scope="col"><a href=sort_link("progress")>{texts.mean_progress}</a></th>
                    <th scope="col">{texts.task_completion}</th>
                    <th scope="col"><a href=sort_link("overdue")>{texts.overdue_tasks}</a></th>
                </tr>
            </thead>
            <tbody>
                {sorted(tenants, &sort).into_iter().enumerate().map(|(i, row)| {
                    let c = row.indicators.clone();
                    let counts = [c.achieved, c.on_track, c.at_risk, c.behind, c.no_data];
                    view! {
                        <tr data-tenant=row.slug.clone()>
                            <td class="num">{i + 1}</td>
                            <td>
                                <a href=format!("/t/{}", row.slug)>{row.name.clone()}</a>
                                {row.is_demo.then(|| view! { <span class="tag demo">{texts.demo_label}</span> })}
                            </td>
                            {statuses.iter().zip(counts).map(|(s, n)| {
                                // Heat: the cell's colour is its status, its strength the share of indicators.
                                let level = (share(n, c.total) * 4.0).ceil() as u8;
                                view! { <td class=format!("num heat-{} level-{level}", s.light().as_str())>{n}</td> }
                            }).collect_view()}
                            <td><ProgressMeter progress=row.mean_progress/></td>
                            <td><ProgressMeter progress=row.task_completion/></td>
                            <td class=overdue_class(row.tasks.overdue)>{row.tasks.overdue}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        {indicator.map(|ind| view! {
            <h2>{format!("{}（{}）", ind.name, ind.unit)}</h2>
            <div class="table-wrap">
            <table class="grid" data-testid="indicator-comparison">
                <thead>
                    <tr>
                        <th scope="col">{texts.rank}</th><th scope="col">{texts.district}</th>
                        <th scope="col">{texts.indicator_name}</th><th scope="col" class="num">{texts.baseline}</th>
                        <th scope="col" class="num">{texts.target}</th><th scope="col" class="num">{texts.latest}</th>
                        <th scope="col">{texts.progress}</th><th scope="col">{texts.status}</th>
                    </tr>
                </thead>
                <tbody>
                    {ind.rows.into_iter().enumerate().map(|(i, r)| {
                        let target = match r.comparator {
                            Comparator::Ge => format::value(r.target_value),
                            c => format!("{}{}", c.symbol(), format::value(r.target_value)),
                        };
                        view! {
                            <tr data-tenant=r.tenant.clone()>
                                <td class="num">{i + 1}</td>
                                <td><a href=format!("/t/{}", r.tenant)>{r.tenant_name}</a></td>
                                <td>{r.indicator_name}</td>
                                <td class="num">{r.baseline_value.map(format::value).unwrap_or_else(|| texts.empty_value.to_owned())}</td>
                                <td class="num">{target}</td>
                                <td class="num">{r.latest.map(|l| format!("{}（{}）", format::value(l.value), l.period)).unwrap_or_else(|| texts.empty_value.to_owned())}</td>
                                <td><ProgressMeter progress=r.progress/></td>
                                <td><StatusLight status=r.status/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        })}
    }
}
