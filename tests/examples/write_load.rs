//! Write throughput with fresh reads, for `scripts/bench.sh` (not a test): each connection
//! signs in as the admin of one district and, until time is up, goes round the district's
//! indicators correcting the latest approved value, approving the correction, and reading the
//! plan dashboard.
//!
//! Every approval moves what the dashboard shows, as a new value for the current period does:
//! the value alternates between the indicator's baseline (progress 0) and its target
//! (progress 1), so its progress and status change, and with them the district's rollups and
//! the catalog standings the write triggers keep. The next read is fresh when it shows the
//! approval: its data version (`X-Data-Version`) has reached the one the approval made, and
//! its overall mean progress has moved by exactly that indicator's change.
//!
//!     cargo run --release -p tests --example write_load -- URL SECONDS PASSWORD SLUG...
//!
//! One connection per district (its admin is `bench-admin@<slug>.cn`), so no two connections
//! ever write to the same indicator or read the same dashboard. Prints one line:
//! `pairs_per_s write_requests_per_s p50_ms p99_ms stale_reads errors`.

use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;

#[derive(Default)]
struct Tally {
    pairs: u64,
    stale: u64,
    errors: u64,
    latencies_ms: Vec<f64>,
}

/// An indicator as the load writes it: the approved report standing for its latest period
/// (the one a correction replaces), and the two values it alternates between.
struct Written {
    id: String,
    period: String,
    current: String,
    progress: f64,
    baseline: f64,
    target: f64,
}

fn version(response: &reqwest::Response) -> Option<i64> {
    response.headers().get("x-data-version")?.to_str().ok()?.parse().ok()
}

async fn get_json(client: &reqwest::Client, url: String) -> Result<Value, String> {
    client.get(url).send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())
}

/// The overall mean progress a dashboard shows, and over how many indicators.
fn mean_progress(dashboard: &Value) -> Option<(f64, f64)> {
    let overall = &dashboard["overall"];
    let counted = overall["indicators"]["total"].as_f64()? - overall["indicators"]["no_data"].as_f64()?;
    Some((overall["mean_progress"].as_f64()?, counted))
}

/// The district's indicators that have an approved value and a target apart from their
/// baseline (so that the two values give progress 0 and 1).
async fn writable(client: &reqwest::Client, base: &str, slug: &str, plan: &str) -> Result<Vec<Written>, String> {
    let indicators = get_json(client, format!("{base}/api/v1/tenants/{slug}/plans/{plan}/indicators")).await?;
    let mut written = Vec::new();
    for i in indicators.as_array().into_iter().flatten() {
        let (Some(id), Some(period), Some(progress), Some(baseline), Some(target)) = (
            i["id"].as_str(),
            i["latest"]["period"].as_str(),
            i["progress"].as_f64(),
            i["baseline_value"].as_f64(),
            i["target_value"].as_f64(),
        ) else {
            continue;
        };
        if baseline == target {
            continue;
        }
        // Newest first: the first approved report of the latest period is the one standing.
        let reports = get_json(client, format!("{base}/api/v1/tenants/{slug}/indicators/{id}/reports")).await?;
        let current =
            reports.as_array().into_iter().flatten().find(|r| r["period"] == period && r["state"] == "approved");
        if let Some(current) = current.and_then(|r| r["id"].as_str()) {
            written.push(Written {
                id: id.to_owned(),
                period: period.to_owned(),
                current: current.to_owned(),
                progress,
                baseline,
                target,
            });
        }
    }
    if written.is_empty() {
        return Err(format!("{slug} has no indicator to write"));
    }
    Ok(written)
}

/// A district's admin, signed in, with what it writes and the dashboard it reads.
struct Prepared {
    client: reqwest::Client,
    slug: String,
    indicators: Vec<Written>,
    dashboard: String,
    /// The dashboard's overall mean progress, and over how many indicators.
    mean: f64,
    counted: f64,
}

async fn prepare(base: &str, slug: String, password: &str) -> Result<Prepared, String> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, base.parse().map_err(|e| format!("{e}"))?);
    let client =
        reqwest::Client::builder().cookie_store(true).default_headers(headers).build().map_err(|e| e.to_string())?;
    let login = serde_json::json!({"email": format!("bench-admin@{slug}.cn"), "password": password});
    let r = client.post(format!("{base}/api/v1/auth/login")).json(&login).send().await.map_err(|e| e.to_string())?;
    if !r.status().is_success() {
        return Err(format!("{slug}: sign-in answered {}", r.status()));
    }
    let plans = get_json(&client, format!("{base}/api/v1/tenants/{slug}/plans")).await?;
    let plan = plans[0]["id"].as_str().ok_or(format!("{slug} has no plan"))?.to_owned();
    let indicators = writable(&client, base, &slug, &plan).await?;
    let dashboard = format!("{base}/api/v1/tenants/{slug}/plans/{plan}/dashboard");
    let (mean, counted) =
        mean_progress(&get_json(&client, dashboard.clone()).await?).ok_or(format!("{slug}: no mean progress"))?;
    Ok(Prepared { client, slug, indicators, dashboard, mean, counted })
}

/// Prepares, waits at `start` for every other worker (so that the measured time holds only
/// the writes), then writes for `seconds`.
async fn worker(
    base: String,
    slug: String,
    password: String,
    start: Arc<Barrier>,
    seconds: f64,
) -> Result<Tally, String> {
    let prepared = prepare(&base, slug, &password).await;
    start.wait().await;
    let Prepared { client, slug, mut indicators, dashboard, mut mean, counted } = prepared?;
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tally = Tally::default();
    for i in (0..indicators.len()).cycle() {
        if Instant::now() >= until {
            break;
        }
        let indicator = &mut indicators[i];
        let started = Instant::now();
        let (value, progress) =
            if indicator.progress >= 0.5 { (indicator.baseline, 0.0) } else { (indicator.target, 1.0) };
        let reports = format!("{base}/api/v1/tenants/{slug}/indicators/{}/reports", indicator.id);
        let body = serde_json::json!({"period": indicator.period, "value": value, "corrects": indicator.current});
        let Ok(created) = client.post(&reports).json(&body).send().await else {
            tally.errors += 1;
            continue;
        };
        if created.status() != 201 {
            tally.errors += 1;
            continue;
        }
        let report: Value = created.json().await.map_err(|e| e.to_string())?;
        let report_id = report["id"].as_str().unwrap_or_default().to_owned();
        let approve = format!("{reports}/{report_id}/approve");
        let Ok(approved) = client.post(&approve).header("if-match", format!("\"{}\"", report["version"])).send().await
        else {
            tally.errors += 1;
            continue;
        };
        let (Some(written), true) = (version(&approved), approved.status() == 200) else {
            tally.errors += 1;
            continue;
        };
        let expected = mean + (progress - indicator.progress) / counted;
        indicator.current = report_id;
        indicator.progress = progress;
        let Ok(read) = client.get(&dashboard).send().await else {
            tally.errors += 1;
            continue;
        };
        let read_version = version(&read);
        let shown = read.json::<Value>().await.ok().as_ref().and_then(mean_progress).map(|(m, _)| m);
        if read_version.is_none_or(|seen| seen < written) || shown.is_none_or(|m| (m - expected).abs() > 1e-9) {
            tally.stale += 1;
        }
        mean = shown.unwrap_or(expected);
        tally.pairs += 1;
        tally.latencies_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(tally)
}
#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, seconds, password, slugs @ ..] = &args[..] else {
        return Err("usage: write_load URL SECONDS PASSWORD SLUG...".into());
    };
    let seconds: f64 = seconds.parse().map_err(|_| "SECONDS is a number".to_owned())?;
    let start = Arc::new(Barrier::new(slugs.len() + 1));
    let workers: Vec<_> = slugs
        .iter()
        .map(|slug| tokio::spawn(worker(base.clone(), slug.clone(), password.clone(), start.clone(), seconds)))
        .collect();
    start.wait().await;
    let started = Instant::now();
    let mut total = Tally::default();
    for w in workers {
        let t = w.await.map_err(|e| e.to_string())??;
        total.pairs += t.pairs;
        total.stale += t.stale;
        total.errors += t.errors;
        total.latencies_ms.extend(t.latencies_ms);
    }
    let elapsed = started.elapsed().as_secs_f64();
    total.latencies_ms.sort_by(f64::total_cmp);
    let at =
        |q: f64| total.latencies_ms.get(((total.latencies_ms.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(0.0);
    println!(
        "{:.0} {:.0} {:.2} {:.2} {} {}",
        total.pairs as f64 / elapsed,
        2.0 * total.pairs as f64 / elapsed,
        at(0.5),
        at(0.99),
        total.stale,
        total.errors
    );
    Ok(())
}
