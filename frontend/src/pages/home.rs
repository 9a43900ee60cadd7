//! `/[?q=…]`: every district, grouped by region (real regions first; demo regions folded
//! away), with a search box that works without the wasm (a GET form), and each district's
//! headline figures beside its name where the reader may see them.

use super::query_param;
use super::widgets::tenant_name;
use super::{LoadFailed, Loading};
use crate::data::fetch_home;
use crate::i18n::{Locale, t};
use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::{Home, HomeDistrict, HomeRegion};
use shared::model::IndicatorStatus;

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| fetch_home());
    let query = query_param("q");
    view! {
        <h1>{t().districts}</h1>
        <p class="lead">{t().districts_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <Districts home query=query().unwrap_or_default()/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Whether a district answers the search: its name, English name or code holds the words.
fn matches(district: &HomeDistrict, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    let t = &district.tenant;
    q.is_empty() || [&t.name, &t.name_en, &t.slug].iter().any(|field| field.to_lowercase().contains(&q))
}

fn region_name(region: &HomeRegion, locale: Locale) -> &str {
    match locale {
        Locale::En if !region.name_en.is_empty() => &region.name_en,
        _ => &region.name,
    }
}

#[component]
fn Districts(home: Home, query: String) -> impl IntoView {
    let texts = t();
    let total: usize = home.regions.iter().map(|r| r.districts.len()).sum();
    if total == 0 {
        return view! { <p class="empty">{texts.no_districts}</p> }.into_any();
    }
    let searching = !query.trim().is_empty();
    let regions: Vec<HomeRegion> = home
        .regions
        .into_iter()
        .map(|mut r| {
            r.districts.retain(|d| matches(d, &query));
            r
        })
        .filter(|r| !r.districts.is_empty())
        .collect();
    let shown: usize = regions.iter().map(|r| r.districts.len()).sum();
    view! {
        <form method="get" action="/" class="inline-form search" role="search">
            <label for="q">{texts.search_districts}</label>
            <input id="q" name="q" type="search" value=query.clone() data-testid="search"/>
            <button type="submit">{texts.search}</button>
        </form>
        {searching.then(|| view! { <p class="muted" data-testid="search-count">{texts.shown_of}" "{shown}" / "{total}</p> })}
        <div data-testid="tenants">
            {regions.into_iter().map(|region| {
                let name = region_name(&region, texts.locale).to_owned();
                let count = region.districts.len();
                let slug = region.slug.clone();
                let table = view! { <RegionTable districts=region.districts/> };
                if region.is_demo {
                    // Synthetic districts: folded away unless a search found some.
                    view! {
                        <details class="region demo" open=searching data-region=slug>
                            <summary><h2>{name}" "<span class="tag demo">{texts.demo_label}</span>" · "{count}</h2></summary>
                            {table}
                        </details>
                    }.into_any()
                } else {
                    view! {
                        <section class="region" data-region=slug>
                            <h2>{name}" · "{count}</h2>
                            {table}
                        </section>
                    }.into_any()
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}

const STATUSES: [IndicatorStatus; 5] = [
    IndicatorStatus::Achieved,
    IndicatorStatus::OnTrack,
    IndicatorStatus::AtRisk,
    IndicatorStatus::Behind,
    IndicatorStatus::NoData,
];

#[component]
fn RegionTable(districts: Vec<HomeDistrict>) -> impl IntoView {
    let texts = t();
    view! {
        <div class="table-wrap">
        <table class="grid districts">
            <thead><tr>
                <th scope="col">{texts.districts}</th>
                {STATUSES.iter().map(|s| view! { <th scope="col" class="num">{texts.indicator_status(*s)}</th> }).collect_view()}
                <th scope="col" class="num">{texts.overdue_tasks}</th>
            </tr></thead>
            <tbody>
                {districts.into_iter().map(|d| {
                    let href = format!("/t/{}", d.tenant.slug);
                    let name = tenant_name(&d.tenant, texts.locale).to_owned();
                    let figures = match d.headline {
                        Some(h) => {
                            let i = h.indicators;
                            let counts = [i.achieved, i.on_track, i.at_risk, i.behind, i.no_data];
                            view! {
                                {STATUSES.iter().zip(counts).map(|(s, n)| {
                                    // A light tint of the status's colour where there is any.
                                    let tint = if n > 0 { format!("num heat-{} level-1", s.light().as_str()) } else { "num".to_owned() };
                                    view! { <td class=tint>{n}</td> }
                                }).collect_view()}
                                <td class=super::widgets::overdue_class(h.overdue)>{h.overdue}</td>
                            }.into_any()
                        }
                        None => view! { <td colspan="6" class="muted">{texts.figures_internal}</td> }.into_any(),
                    };
                    view! {
                        <tr data-tenant=d.tenant.slug.clone()>
                            <th scope="row">
                                <A href=href>{name}</A>
                                {d.tenant.is_demo.then(|| view! { " " <span class="tag demo">{texts.demo_label}</span> })}
                            </th>
                            {figures}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
