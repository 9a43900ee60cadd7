//! The deployment files cannot run here (no container engine): check that they parse and
//! that what they name exists.

use serde_yaml::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn deploy(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy").join(path)).expect("a deploy file")
}

fn documents(path: &str) -> Vec<Value> {
    let text = deploy(path);
    serde_yaml::Deserializer::from_str(&text).map(|d| serde::Deserialize::deserialize(d).expect("valid YAML")).collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

#[test]
fn the_compose_services_refer_to_each_other_correctly() {
    let compose = &documents("compose/compose.yaml")[0];
    let services = compose["services"].as_mapping().unwrap();
    let names: BTreeSet<&str> = services.keys().map(s).collect();
    for needed in ["postgres", "redis", "migrate", "app", "proxy", "otel-collector", "jaeger"] {
        assert!(names.contains(needed), "service {needed} is missing");
    }
    for (name, service) in services {
        if let Some(deps) = service["depends_on"].as_mapping() {
            for dep in deps.keys() {
                assert!(names.contains(s(dep)), "{} depends on unknown {}", s(name), s(dep));
            }
        }
    }
    assert_eq!(compose["services"]["app"]["deploy"]["replicas"].as_u64(), Some(2));
    // The app's URLs name services of this file.
    let env = &compose["services"]["app"]["environment"];
    for (var, host) in [
        ("DATABASE_URL", "@postgres:"),
        ("REDIS_URL", "//redis:"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "//otel-collector:"),
    ] {
        assert!(s(&env[var]).contains(host), "{var} = {:?}", env[var]);
    }
    assert!(deploy("compose/nginx.conf").contains("server app:3000"));
    let collector = &documents("compose/otel-collector.yaml")[0];
    assert!(s(&collector["exporters"]["otlp/jaeger"]["endpoint"]).starts_with("jaeger:"));
}

#[test]
fn the_kubernetes_objects_refer_to_each_other_correctly() {
    let mut objects = documents("k8s/config.yaml");
    objects.extend(documents("k8s/app.yaml"));
    let named =
        |kind: &str, name: &str| objects.iter().any(|o| s(&o["kind"]) == kind && s(&o["metadata"]["name"]) == name);
    let deployment = objects.iter().find(|o| s(&o["kind"]) == "Deployment").expect("a Deployment");
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    assert_eq!(&deployment["spec"]["selector"]["matchLabels"], labels, "the selector matches the pods");
    let service = objects.iter().find(|o| s(&o["kind"]) == "Service").expect("a Service");
    assert_eq!(&service["spec"]["selector"], labels, "the Service selects the Deployment's pods");
    let hpa = objects.iter().find(|o| s(&o["kind"]) == "HorizontalPodAutoscaler").expect("an HPA");
    assert!(named("Deployment", s(&hpa["spec"]["scaleTargetRef"]["name"])));
    let job = objects.iter().find(|o| s(&o["kind"]) == "Job").expect("a migration Job");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(s(&job["spec"]["template"]["spec"]["containers"][0]["image"]), s(&container["image"]));
    for source in container["envFrom"].as_sequence().unwrap() {
        if let Some(map) = source["configMapRef"]["name"].as_str() {
            assert!(named("ConfigMap", map), "{map}");
        }
        if let Some(secret) = source["secretRef"]["name"].as_str() {
            assert!(named("Secret", secret), "{secret}");
        }
    }
    assert!(
        container["resources"]["limits"]["memory"].is_string() && container["resources"]["requests"]["cpu"].is_string()
    );
    // The probes call routes the server has.
    let routes: BTreeSet<String> = backend::web::api_routes().into_iter().map(|(_, path)| path).collect();
    for probe in ["readinessProbe", "livenessProbe"] {
        let path = s(&container[probe]["httpGet"]["path"]);
        assert!(routes.contains(path), "{probe} calls {path}, which the server does not serve");
    }
    assert_eq!(deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"].as_bool(), Some(true));
}

#[test]
fn the_image_runs_the_server_as_a_non_root_user() {
    let dockerfile = deploy("Dockerfile");
    assert_eq!(dockerfile.matches("\nFROM ").count() + usize::from(dockerfile.starts_with("FROM ")), 2, "two stages");
    let runtime = dockerfile.split("AS runtime").nth(1).expect("a runtime stage");
    assert!(runtime.contains("USER 10001"));
    assert!(runtime.contains("COPY --from=build /out/backend"));
    assert!(dockerfile.contains("wasm-bindgen-cli --version 0.2.130"), "the CLI matches the library version");
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock")).unwrap();
    assert!(lock.contains("name = \"wasm-bindgen\"\nversion = \"0.2.130\""));
}
