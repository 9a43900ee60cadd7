//! Write throughput with fresh reads, for `scripts/bench.sh` (not a test): each connection
//! signs in as the admin of one district and, until time is up, reports a quarterly value,
//! approves it, and reads the plan dashboard, checking that the dashboard's data version has
//! reached the one the approval made (`X-Data-Version`): every next read must be fresh.
//!
//!     cargo run --release -p tests --example write_load -- URL SECONDS PASSWORD SLUG...
//!
//! One connection per district (its admin is `bench-admin@<slug>.cn`), so no two connections
//! ever report on the same indicator and period. Prints one line:
//! `pairs_per_s write_requests_per_s p50_ms p99_ms stale_reads errors`.

use std::time::{Duration, Instant};

#[derive(Default)]
struct Tally {
    pairs: u64,
    stale: u64,
    errors: u64,
    latencies_ms: Vec<f64>,
}

fn version(response: &reqwest::Response) -> Option<i64> {
    response.headers().get("x-data-version")?.to_str().ok()?.parse().ok()
}

async fn get_json(client: &reqwest::Client, url: String) -> Result<serde_json::Value, String> {
    client.get(url).send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())
}

async fn worker(base: String, slug: String, password: String, until: Instant) -> Result<Tally, String> {
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
    let indicators = get_json(&client, format!("{base}/api/v1/tenants/{slug}/plans/{plan}/indicators")).await?;
    let ids: Vec<String> =
        indicators.as_array().into_iter().flatten().filter_map(|i| i["id"].as_str().map(str::to_owned)).collect();
    let periods: Vec<String> = (2021..=2025).flat_map(|y| (1..=4).map(move |q| format!("{y}Q{q}"))).collect();
    let dashboard = format!("{base}/api/v1/tenants/{slug}/plans/{plan}/dashboard");
    let pairs: Vec<(String, String)> =
        periods.iter().flat_map(|p| ids.iter().map(|i| (p.clone(), i.clone()))).collect();
    let mut tally = Tally::default();
    for (period, id) in pairs {
        if Instant::now() >= until {
            break;
        }
        let started = Instant::now();
        let reports = format!("{base}/api/v1/tenants/{slug}/indicators/{id}/reports");
        let body = serde_json::json!({"period": period, "value": 100 + tally.pairs % 50});
        let Ok(created) = client.post(&reports).json(&body).send().await else {
            tally.errors += 1;
            continue;
        };
        if created.status() != 201 {
            tally.errors += 1;
            continue;
        }
        let report: serde_json::Value = created.json().await.map_err(|e| e.to_string())?;
        let approve = format!("{reports}/{}/approve", report["id"].as_str().unwrap_or_default());
        let Ok(approved) = client.post(&approve).header("if-match", format!("\"{}\"", report["version"])).send().await
        else {
            tally.errors += 1;
            continue;
        };
        let (Some(written), true) = (version(&approved), approved.status() == 200) else {
            tally.errors += 1;
            continue;
        };
        let Ok(read) = client.get(&dashboard).send().await else {
            tally.errors += 1;
            continue;
        };
        if version(&read).is_none_or(|seen| seen < written) {
            tally.stale += 1;
        }
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
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let workers: Vec<_> =
        slugs.iter().map(|slug| tokio::spawn(worker(base.clone(), slug.clone(), password.clone(), until))).collect();
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
