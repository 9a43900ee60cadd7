// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

//! The real server binary, with its OTLP endpoint pointed at a receiver inside this test:
//! spans and metrics arrive with the right attributes and parent/child links, and are
//! flushed when the server stops on SIGTERM.

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use serde_json::Value;
use sqlx::PgPool;
use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(String, Value)>>>);

async fn collect(State(received): State<Received>, uri: axum::http::Uri, body: axum::body::Bytes) -> &'static str {
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    received.0.lock().unwrap().push((uri.path().to_owned(), value));
    "{}"
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn attribute<'a>(item: &'a Value, key: &str) -> Option<&'a Value> {
    item["attributes"].as_array()?.iter().find(|a| a["key"] == key).map(|a| &a["value"])
}

/// The server process, killed when the test ends before it stopped the server (a failed
/// check), so that a failure leaves no server connected to the test's database.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn requests_reach_the_collector_as_spans_and_metrics(pool: PgPool) {
    backend::ops::seed::seed(&pool).await.unwrap();
    let plan: uuid::Uuid = sqlx::query_scalar("select plan_id from plan").fetch_one(&pool).await.unwrap();

    let received = Received::default();
    let collector = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector_port = collector.local_addr().unwrap().port();
    let app = Router::new()
        .route("/v1/traces", post(collect))
        .route("/v1/metrics", post(collect))
        .with_state(received.clone());
    tokio::spawn(async move { axum::serve(collector, app).await });

    let options = pool.connect_options();
    let database = options.get_database().unwrap().to_owned();
    let port = free_port();
    let mut server = Server(
        std::process::Command::new(env!("CARGO_BIN_EXE_backend"))
            .arg("serve")
            .env("DATABASE_URL", format!("postgres://planboard_app:planboard_app@127.0.0.1:5432/{database}"))
            .env("PLANBOARD_ADDR", format!("127.0.0.1:{port}"))
            .env_remove("REDIS_URL")
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://127.0.0.1:{collector_port}"))
            .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
            .env("OTEL_SERVICE_NAME", "planboard-test")
            .env("OTEL_BSP_SCHEDULE_DELAY", "100")
            .env("OTEL_METRIC_EXPORT_INTERVAL", "300")
            .env("PLANBOARD_LOG_FORMAT", "json")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // The server says where it listens once it does; its other lines are the logs, kept for
    // the checks below.
    let stdout = server.0.stdout.take().unwrap();
    let (listening, ready) = tokio::sync::oneshot::channel();
    let reader = std::thread::spawn(move || {
        let mut listening = Some(listening);
        let mut all = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("Planboard is running at")
                && let Some(signal) = listening.take()
            {
                let _ = signal.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    tokio::time::timeout(Duration::from_secs(20), ready)
        .await
        .expect("the server did not start within 20 s")
        .expect("the server exited before it listened");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    // The caller's trace goes on in the server.
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let caller_span = "00f067aa0ba902b7";
    let response = client
        .get(format!("{base}/api/v1/tenants/qianjiang/plans/{plan}/dashboard"))
        .header("traceparent", format!("00-{trace_id}-{caller_span}-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // SIGTERM: the server finishes, flushes traces and metrics, and exits.
    let stopped = std::process::Command::new("kill").args(["-TERM", &server.0.id().to_string()]).status().unwrap();
    assert!(stopped.success());
    // Waited for off this (single-threaded) runtime, which also runs the receiver.
    let status = tokio::task::spawn_blocking(move || server.0.wait()).await.unwrap().unwrap();
    assert!(status.success(), "the server exits cleanly on SIGTERM: {status:?}");
    // Structured logs carry the trace id of the request they belong to.
    let logs = reader.join().unwrap();
    let line = logs
        .lines()
        .find(|l| l.contains("/dashboard"))
        .unwrap_or_else(|| panic!("no log line of the request in {logs}"));
    let entry: Value = serde_json::from_str(line).unwrap();
    assert_eq!(entry["span"]["trace_id"], trace_id, "{line}");

    let received = received.0.lock().unwrap().clone();
    let spans: Vec<Value> = received
        .iter()
        .filter(|(path, _)| path == "/v1/traces")
        .flat_map(|(_, v)| v["resourceSpans"].as_array().cloned().unwrap_or_default())
        .flat_map(|r| r["scopeSpans"].as_array().cloned().unwrap_or_default())
        .flat_map(|s| s["spans"].as_array().cloned().unwrap_or_default())
        .collect();
    let request = spans
        .iter()
        .find(|s| s["name"] == "GET /api/v1/tenants/{slug}/plans/{id}/dashboard")
        .unwrap_or_else(|| panic!("no request span among {:?}", spans.iter().map(|s| &s["name"]).collect::<Vec<_>>()));
    assert_eq!(request["traceId"].as_str().map(str::to_lowercase).as_deref(), Some(trace_id));
    assert_eq!(request["parentSpanId"].as_str().map(str::to_lowercase).as_deref(), Some(caller_span));
    assert_eq!(
        attribute(request, "http.route").and_then(|v| v["stringValue"].as_str()),
        Some("/api/v1/tenants/{slug}/plans/{id}/dashboard")
    );
    assert_eq!(attribute(request, "tenant").and_then(|v| v["stringValue"].as_str()), Some("qianjiang"));
    let status = attribute(request, "http.response.status_code").unwrap();
    assert!(status["intValue"] == 200 || status["intValue"] == "200", "{status}");
    let children: Vec<&str> =
        spans.iter().filter(|s| s["parentSpanId"] == request["spanId"]).filter_map(|s| s["name"].as_str()).collect();
    assert!(children.contains(&"db.dashboard"), "children: {children:?}");
    assert!(children.contains(&"db.tenant"), "children: {children:?}");
    // Nothing secret travels: no cookie or authorization attribute anywhere.
    let all = serde_json::to_string(&spans).unwrap();
    assert!(!all.to_lowercase().contains("cookie") && !all.contains("authorization"));
    let resource_names: Vec<String> = received
        .iter()
        .filter(|(path, _)| path == "/v1/traces")
        .flat_map(|(_, v)| v["resourceSpans"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| {
            attribute(&r["resource"], "service.name").and_then(|v| v["stringValue"].as_str()).map(str::to_owned)
        })
        .collect();
    assert!(resource_names.iter().all(|n| n == "planboard-test") && !resource_names.is_empty());

    let metric_names: Vec<String> = received
        .iter()
        .filter(|(path, _)| path == "/v1/metrics")
        .flat_map(|(_, v)| v["resourceMetrics"].as_array().cloned().unwrap_or_default())
        .flat_map(|r| r["scopeMetrics"].as_array().cloned().unwrap_or_default())
        .flat_map(|s| s["metrics"].as_array().cloned().unwrap_or_default())
        .filter_map(|m| m["name"].as_str().map(str::to_owned))
        .collect();
    for name in [
        "http.server.request.duration",
        "planboard.cache.bypasses",
        "planboard.mirror.syncs",
        "db.client.connection.count",
    ] {
        assert!(metric_names.iter().any(|n| n == name), "metric {name} missing from {metric_names:?}");
    }
    eprintln!("span tree of the dashboard request:");
    eprintln!("  {} (parent {caller_span} from traceparent)", request["name"]);
    for s in spans.iter().filter(|s| s["traceId"] == request["traceId"] && s["spanId"] != request["spanId"]) {
        let depth = if s["parentSpanId"] == request["spanId"] { "    " } else { "      " };
        eprintln!("{depth}{}", s["name"]);
    }
}
