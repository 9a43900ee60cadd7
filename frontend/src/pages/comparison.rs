//! `/regions/{region}[?indicator=KEY&sort=progress|name|overdue&page=N]`: supervisors
//! compare the districts of their region: a heat map of indicator statuses per district,
//! ranked by progress (never by raw value), and one catalog indicator side by side; 100
//! districts a page, ordered by the server.

use super::widgets::overdue_class;
use super::widgets::{Downloads, ProgressMeter, StatusLight};
use super::{LoadFailed, Loading, query_param};
use crate::data::{LoadError, fetch_catalog, fetch_comparison};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{CatalogEntry, ComparisonPage, RegionComparison};
use shared::model::{Comparator, ComparisonSort, IndicatorStatus};

#[component]
pub fn ComparisonPage() -> impl IntoView {
    let params = use_params_map();
    let indicator = query_param("indicator");
    let sort = query_param("sort");
    let page_number = query_param("page");
    let page = move || {
        let number = page_number().and_then(|n| n.parse::<i64>().ok()).filter(|n| *n >= 1).unwrap_or(1);
        let offset = (number - 1).saturating_mul(ComparisonPage::DEFAULT_LIMIT);
        ComparisonPage::new(sort().as_deref(), Some(offset), None).unwrap_or_default()
    };
    let comparison = Resource::new(
        move || (params.read().get("region"), indicator().filter(|k| !k.is_empty()), page()),
        |(region, indicator, page)| async move {
            let Some(region) = region else { return Err(LoadError::NotFound) };
            fetch_comparison(region, indicator, page).await
        },
    );
    let catalog = Resource::new(|| (), |_| fetch_catalog());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (comparison.await, catalog.await) {
                    (Ok(c), Ok(catalog)) => view! { <Comparison comparison=c catalog/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn share(part: i64, total: i64) -> f64 {
    if total == 0 { 0.0 } else { part as f64 / total as f64 }
}

/// The page's query: the compared indicator, the order and the page number.
fn page_link(indicator: Option<&str>, sort: ComparisonSort, number: i64) -> String {
    let mut link = format!("?sort={sort}");
    if let Some(key) = indicator {
        link.push_str(&format!("&indicator={key}"));
    }
    if number > 1 {
        link.push_str(&format!("&page={number}"));
    }
    link
}

/// "Showing 101–200 / 2850", with links to the pages either side.
#[component]
fn Pager(total: i64, page: ComparisonPage, indicator: Option<String>) -> impl IntoView {
    let texts = t();
    let number = page.offset / page.limit + 1;
    let last = page.offset + page.limit >= total;
    let link = move |n: i64| page_link(indicator.as_deref(), page.sort, n);
    (total > page.limit || page.offset > 0).then(|| {
        view! {
            <p class="pager" data-testid="pager">
                {texts.shown_of}" "{(page.offset + 1).min(total)}"–"{(page.offset + page.limit).min(total)}" / "{total}" "
                {(number > 1).then(|| view! { <a class="action" rel="prev" href=link(number - 1)>{texts.previous_page}</a> })}
                " "
                {(!last).then(|| view! { <a class="action" rel="next" href=link(number + 1)>{texts.next_page}</a> })}
            </p>
        }
    })
}

#[component]
fn Comparison(comparison: RegionComparison, catalog: Vec<CatalogEntry>) -> impl IntoView {
    let texts = t();
    let RegionComparison { region, total, page, tenants, indicator } = comparison;
    let selected = indicator.as_ref().map(|i| i.key.clone()).unwrap_or_default();
    let key = indicator.as_ref().map(|i| i.key.clone());
    let sort_link = |sort: ComparisonSort| page_link(key.as_deref(), sort, 1);
    let statuses = [
        IndicatorStatus::Achieved,
        IndicatorStatus::OnTrack,
        IndicatorStatus::AtRisk,
        IndicatorStatus::Behind,
        IndicatorStatus::NoData,
    ];
    let api = format!(
        "/api/v1/regions/{}/comparison?sort={}&offset={}&limit={}",
        region.slug, page.sort, page.offset, page.limit
    );
    let indicator_api = key.as_ref().map(|k| format!("{api}&indicator={k}"));
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
        <Downloads href=api/>
        <div class="table-wrap">
        <table class="grid heat" data-testid="comparison">
            <thead>
                <tr>
                    <th scope="col">{texts.rank}</th>
                    <th scope="col"><a href=sort_link(ComparisonSort::Name)>{texts.district}</a></th>
                    {statuses.iter().map(|s| view! { <th scope="col">{texts.indicator_status(*s)}</th> }).collect_view()}
                    <th scope="col"><a href=sort_link(ComparisonSort::Progress)>{texts.mean_progress}</a></th>
                    <th scope="col">{texts.task_completion}</th>
                    <th scope="col"><a href=sort_link(ComparisonSort::Overdue)>{texts.overdue_tasks}</a></th>
                </tr>
            </thead>
            <tbody>
                {tenants.into_iter().enumerate().map(|(i, row)| {
                    let c = row.indicators.clone();
                    let counts = [c.achieved, c.on_track, c.at_risk, c.behind, c.no_data];
                    view! {
                        <tr data-tenant=row.slug.clone()>
                            <td class="num">{page.offset + i as i64 + 1}</td>
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
        <Pager total page indicator=key.clone()/>
        {indicator.map(|ind| view! {
            <h2>{format!("{}（{}）", ind.name, ind.unit)}</h2>
            {indicator_api.map(|href| view! { <Downloads href/> })}
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
                                <td class="num">{page.offset + i as i64 + 1}</td>
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
            <Pager total=ind.total page indicator=key.clone()/>
        })}
    }
}
