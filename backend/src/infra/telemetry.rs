//! Logs, traces and metrics, set up once per process.
//!
//! Logs: `RUST_LOG` filters; `PLANBOARD_LOG_FORMAT=json` gives structured lines.
//! Traces and metrics go over OTLP when the standard variables ask for it
//! (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, with
//! `OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_PROTOCOL` = `http/protobuf` (the default) or
//! `http/json`, `OTEL_BSP_*`, `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_SDK_DISABLED`); otherwise
//! nothing is exported and the instruments are no-ops. `Telemetry::shutdown` flushes.

use opentelemetry::global;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{MetricExporter, Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::metrics::{PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// The exporters in use; flush them before the process ends.
#[derive(Default)]
pub struct Telemetry {
    tracer: Option<SdkTracerProvider>,
    meter: Option<SdkMeterProvider>,
}

impl Telemetry {
    pub fn shutdown(self) {
        if let Some(t) = self.tracer
            && let Err(e) = t.shutdown()
        {
            eprintln!("flushing traces failed: {e}");
        }
        if let Some(m) = self.meter
            && let Err(e) = m.shutdown()
        {
            eprintln!("flushing metrics failed: {e}");
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Whether the standard variables ask for OTLP export.
fn otlp_wanted() -> bool {
    let disabled = env("OTEL_SDK_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    !disabled && (env("OTEL_EXPORTER_OTLP_ENDPOINT").is_some() || env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").is_some())
}

/// The OTLP protocol: `http/json` when asked for, else the specification's default.
fn protocol() -> Protocol {
    match env("OTEL_EXPORTER_OTLP_PROTOCOL").as_deref() {
        Some("http/json") => Protocol::HttpJson,
        _ => Protocol::HttpBinary,
    }
}

fn exporters() -> anyhow::Result<(SdkTracerProvider, SdkMeterProvider)> {
    let resource = Resource::builder().build();
    let spans = SpanExporter::builder().with_http().with_protocol(protocol()).build()?;
    let tracer = SdkTracerProvider::builder().with_batch_exporter(spans).with_resource(resource.clone()).build();
    let metrics = MetricExporter::builder().with_http().with_protocol(protocol()).build()?;
    let meter = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(metrics).build())
        .with_resource(resource)
        .build();
    Ok((tracer, meter))
}

pub fn init() -> Telemetry {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = env("PLANBOARD_LOG_FORMAT").is_some_and(|v| v == "json");
    let fmt_layer = if json { fmt::layer().json().boxed() } else { fmt::layer().boxed() };
    let mut telemetry = Telemetry::default();
    let otel_layer = if otlp_wanted() {
        match exporters() {
            Ok((tracer, meter)) => {
                global::set_text_map_propagator(TraceContextPropagator::new());
                global::set_meter_provider(meter.clone());
                let layer = tracing_opentelemetry::layer().with_tracer(tracer.tracer("planboard"));
                telemetry = Telemetry { tracer: Some(tracer), meter: Some(meter) };
                Some(layer)
            }
            Err(e) => {
                eprintln!("OpenTelemetry export is off: {e}");
                None
            }
        }
    } else {
        None
    };
    // A second init (tests start several apps in one process) is harmless: keep the first.
    let _ = tracing_subscriber::registry().with(filter).with(fmt_layer).with(otel_layer).try_init();
    telemetry
}
