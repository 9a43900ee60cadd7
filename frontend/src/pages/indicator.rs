//! `/t/{tenant}/indicators/{indicator}`: one indicator, its approved values over time as a
//! chart (inline SVG: baseline, reported values, target line, expected path), and as a table.

use super::widgets::{ProgressMeter, StatusLight};
use super::{LoadFailed, Loading};
use crate::data::{LoadError, fetch_indicator_history};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use shared::api::IndicatorHistory;
use shared::model::Comparator;
use uuid::Uuid;

#[component]
pub fn IndicatorPage() -> impl IntoView {
    let params = use_params_map();
    let history = Resource::new(
        move || (params.read().get("tenant"), params.read().get("indicator")),
        |(tenant, indicator)| async move {
            let (Some(tenant), Some(indicator)) = (tenant, indicator) else { return Err(LoadError::NotFound) };
            let indicator = Uuid::parse_str(&indicator).map_err(|_| LoadError::NotFound)?;
            fetch_indicator_history(tenant, indicator).await
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) => view! { <History history=h/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Chart geometry: a point per year from the baseline year to the target year.
pub struct Chart {
    pub years: (f64, f64),
    pub values: (f64, f64),
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const PAD: f64 = 40.0;

impl Chart {
    pub fn x(&self, year: f64) -> f64 {
        PAD + (year - self.years.0) / (self.years.1 - self.years.0).max(1.0) * (WIDTH - 2.0 * PAD)
    }

    pub fn y(&self, value: f64) -> f64 {
        let (lo, hi) = self.values;
        HEIGHT - PAD - (value - lo) / (hi - lo).max(f64::EPSILON) * (HEIGHT - 2.0 * PAD)
    }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

#[component]
fn History(history: IndicatorHistory) -> impl IntoView {
    let texts = t();
    let IndicatorHistory { tenant, plan, indicator: ind, points } = history;
    let baseline = ind.baseline_value.map(f).unwrap_or(0.0);
    let target = f(ind.target_value);
    let observed: Vec<(f64, f64, String)> = points
        .iter()
        .map(|p| {
            (
                f64::from(p.period.calendar_year() - 1) + f(p.period.elapsed_years_since(p.period.calendar_year() - 1)),
                f(p.value),
                format!("{}: {}", p.period, format::value(p.value)),
            )
        })
        .collect();
    let all = observed.iter().map(|o| o.1).chain([baseline, target]);
    let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let margin = ((hi - lo) * 0.1).max(f64::EPSILON);
    let chart =
        Chart { years: (f64::from(ind.baseline_year), f64::from(ind.target_year)), values: (lo - margin, hi + margin) };
    let (x0, x1) = (chart.x(chart.years.0), chart.x(chart.years.1));
    let path: String = std::iter::once((chart.years.0, baseline))
        .chain(observed.iter().map(|o| (o.0, o.1)))
        .map(|(x, y)| format!("{:.1},{:.1}", chart.x(x), chart.y(y)))
        .collect::<Vec<_>>()
        .join(" ");
    let target_label = match ind.comparator {
        Comparator::Ge => format::value(ind.target_value),
        c => format!("{}{}", c.symbol(), format::value(ind.target_value)),
    };
    let years: Vec<i32> = (ind.baseline_year..=ind.target_year).collect();
    view! {
        <nav class="crumbs"><a href=format!("/t/{}/plans/{}", tenant.slug, plan.id)>{plan.title.clone()}</a></nav>
        <h1>{ind.code.clone()}" "{ind.name.clone()}" ("{ind.unit.clone()}")"</h1>
        <p class="summary">
            {texts.baseline}": "{ind.baseline_value.map(format::value).unwrap_or_else(|| texts.empty_value.to_owned())}
            " · "{texts.target}": "{target_label.clone()}
            " · "<StatusLight status=ind.status/>" "<ProgressMeter progress=ind.progress/>
        </p>
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=format!("{} {}", ind.name, texts.progress) data-testid="chart">
            {years.iter().map(|y| {
                let x = chart.x(f64::from(*y));
                view! {
                    <line class="grid-line" x1=format!("{x:.1}") x2=format!("{x:.1}") y1=format!("{PAD}") y2=format!("{:.1}", HEIGHT - PAD)/>
                    <text class="axis" x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - PAD + 16.0) text-anchor="middle">{*y}</text>
                }
            }).collect_view()}
            <line class="target-line" data-testid="target-line" x1=format!("{x0:.1}") x2=format!("{x1:.1}")
                y1=format!("{:.1}", chart.y(target)) y2=format!("{:.1}", chart.y(target))/>
            <text class="axis" x=format!("{:.1}", x1 + 4.0) y=format!("{:.1}", chart.y(target) + 4.0)>{target_label}</text>
            <line class="expected-path" x1=format!("{x0:.1}") y1=format!("{:.1}", chart.y(baseline)) x2=format!("{x1:.1}") y2=format!("{:.1}", chart.y(target))/>
            <polyline class="reported-line" points=path/>
            <circle class="baseline-point" cx=format!("{x0:.1}") cy=format!("{:.1}", chart.y(baseline)) r="4"/>
            {observed.iter().map(|(x, y, label)| view! {
                <circle class="point" data-point="" cx=format!("{:.1}", chart.x(*x)) cy=format!("{:.1}", chart.y(*y)) r="4">
                    <title>{label.clone()}</title>
                </circle>
            }).collect_view()}
        </svg>
        <table class="grid narrow-table" data-testid="history">
            <thead><tr><th>{texts.report_period}</th><th class="num">{texts.value}</th></tr></thead>
            <tbody>
                {points.into_iter().map(|p| view! { <tr><td>{p.period.to_string()}</td><td class="num">{format::value(p.value)}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}
