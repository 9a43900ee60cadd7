//! The API's contract, checked on every answer the tests get: each test server runs behind a
//! layer that matches every request under `/api/` (and the health routes) to its operation in
//! the OpenAPI document the server serves, and checks the answer against it: the status is
//! one the operation lists, the content type one it lists for that status, a 201 names its
//! `Location`, and a JSON body is valid against the listed schema (formats included). A
//! route that answers but is not in the document is a mismatch too. The test whose server
//! saw a mismatch fails when its `TestApp` is dropped (`Contract::assert_kept`).

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// What one test server saw: how many answers were checked, and what broke the contract.
#[derive(Clone, Default)]
pub struct Contract {
    checked: Arc<AtomicUsize>,
    mismatches: Arc<Mutex<Vec<String>>>,
}

impl Contract {
    pub fn checked(&self) -> usize {
        self.checked.load(Ordering::Relaxed)
    }

    pub fn mismatches(&self) -> Vec<String> {
        self.mismatches.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Panics, listing them, when any answer broke the contract.
    pub fn assert_kept(&self) {
        let mismatches = self.mismatches();
        assert!(
            mismatches.is_empty(),
            "{} answer(s) broke the API contract:\n{}",
            mismatches.len(),
            mismatches.join("\n")
        );
    }

    fn record(&self, mismatch: String) {
        if let Ok(mut m) = self.mismatches.lock() {
            m.push(mismatch);
        }
    }
}

/// The layer's function: passes the request on, then checks the answer.
pub async fn check(State(contract): State<Contract>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if !(path.starts_with("/api/") || path == "/healthz" || path == "/readyz") || path == "/api/openapi.json" {
        return response;
    }
    if path.starts_with("/api/docs") {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        contract.record(format!("{method} {path}: the body could not be read"));
        return Response::from_parts(parts, Body::empty());
    };
    contract.checked.fetch_add(1, Ordering::Relaxed);
    for problem in problems(&method, &path, parts.status, &parts.headers, &bytes) {
        contract.record(format!("{method} {path} → {}: {problem}", parts.status.as_u16()));
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The served document.
static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_slice(&backend::web::api::openapi::description().json).unwrap_or_default());

/// The operation for `method` on a concrete `path`, with its path template. Like the router,
/// a literal segment wins over a parameter (`/plans/import` is not `/plans/{id}`); a path
/// whose template has no such method is no operation (the router answers 405).
fn operation(method: &Method, path: &str) -> Option<(String, &'static Value)> {
    let paths = DOCUMENT["paths"].as_object()?;
    let method = method.as_str().to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').collect();
    let literal_matches = |template: &str| {
        let parts: Vec<&str> = template.split('/').collect();
        let fits = parts.len() == segments.len()
            && parts
                .iter()
                .zip(&segments)
                .all(|(t, s)| (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s);
        fits.then(|| parts.iter().filter(|t| !t.starts_with('{')).count())
    };
    let (template, item) = paths
        .iter()
        .filter_map(|(template, item)| literal_matches(template).map(|literals| (literals, template, item)))
        .max_by_key(|(literals, _, _)| *literals)
        .map(|(_, template, item)| (template, item))?;
    item.get(&method).map(|op| (template.clone(), op))
}

/// Follows a `$ref` to the components.
fn resolve(value: &'static Value) -> &'static Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix("#/")) {
        Some(pointer) => DOCUMENT.pointer(&format!("/{pointer}")).unwrap_or(&Value::Null),
        None => value,
    }
}

fn problems(method: &Method, path: &str, status: StatusCode, headers: &HeaderMap, body: &Bytes) -> Vec<String> {
    let Some((template, operation)) = operation(method, path) else {
        // Not a route: the router's own 404 and 405 answers are what any unknown path gets.
        return if matches!(status, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED) {
            Vec::new()
        } else {
            vec!["the server answered a route the document does not have".into()]
        };
    };
    let code = status.as_u16().to_string();
    let Some(listed) = operation["responses"].get(&code).or_else(|| operation["responses"].get("default")) else {
        return vec![format!("status {code} is not listed for {template}")];
    };
    let response = resolve(listed);
    let mut problems = Vec::new();
    if status == StatusCode::CREATED && !headers.contains_key(header::LOCATION) {
        problems.push("a 201 without Location".to_owned());
    }
    let content = response["content"].as_object();
    if body.is_empty() {
        if content.is_some_and(|c| !c.is_empty()) && *method != Method::HEAD {
            problems.push("an empty body where the document lists content".into());
        }
        return problems;
    }
    let Some(content) = content else {
        problems.push("a body where the document lists none".into());
        return problems;
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let Some(media) = content.get(essence) else {
        problems
            .push(format!("content type {essence:?} is not listed (listed: {:?})", content.keys().collect::<Vec<_>>()));
        return problems;
    };
    if essence == "application/json" {
        let decoded = decoded(headers, body);
        match serde_json::from_slice::<Value>(&decoded) {
            Err(e) => problems.push(format!("the body is not JSON: {e}")),
            Ok(instance) => problems.extend(schema_problems(&template, method, &code, &media["schema"], &instance)),
        }
    }
    problems
}

/// The body as sent before any `Content-Encoding`.
fn decoded(headers: &HeaderMap, body: &Bytes) -> Vec<u8> {
    let gzip = headers.get(header::CONTENT_ENCODING).is_some_and(|v| v == "gzip");
    if !gzip {
        return body.to_vec();
    }
    let mut out = Vec::new();
    match flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut out) {
        Ok(_) => out,
        Err(_) => body.to_vec(),
    }
}

type Validators = HashMap<String, Arc<jsonschema::Validator>>;
static VALIDATORS: LazyLock<Mutex<Validators>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The listed schema's complaints about `instance`, each with its place in the body.
fn schema_problems(template: &str, method: &Method, code: &str, schema: &Value, instance: &Value) -> Vec<String> {
    let key = format!("{method} {template} {code}");
    let validator = {
        let mut validators = match VALIDATORS.lock() {
            Ok(v) => v,
            Err(p) => p.into_inner(),
        };
        match validators.get(&key) {
            Some(v) => v.clone(),
            None => {
                // The schema with the document's components beside it, so its `$ref`s resolve.
                let mut root = json!({"$schema": "https://json-schema.org/draft/2020-12/schema"});
                if let (Some(root), Some(schema)) = (root.as_object_mut(), schema.as_object()) {
                    root.extend(schema.clone());
                }
                root["components"] = DOCUMENT["components"].clone();
                match jsonschema::options().should_validate_formats(true).build(&root) {
                    Ok(v) => {
                        let v = Arc::new(v);
                        validators.insert(key, v.clone());
                        v
                    }
                    Err(e) => return vec![format!("the document's schema does not compile: {e}")],
                }
            }
        }
    };
    validator.iter_errors(instance).take(5).map(|e| format!("at {}: {e}", e.instance_path())).collect()
}
