//! The OpenAPI document against the server: served at `/api/openapi.json`, describing every
//! route the router serves and only those, each with what every route promises (its path
//! parameters, security, errors, `Location` on creations, pages on lists). Every answer of
//! every other API test is checked against the same document (`tests::contract`).

use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;
use tests::spawn_app;

async fn document(app: &tests::TestApp) -> Value {
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    doc
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            out.push((method.to_uppercase(), path.clone(), operation));
        }
    }
    out
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_route_served_is_documented_and_every_documented_route_is_served(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: BTreeSet<(String, String)> = operations(&doc).into_iter().map(|(m, p, _)| (m, p)).collect();
    let routed: BTreeSet<(String, String)> = backend::web::api_routes().into_iter().collect();
    assert_eq!(documented, routed, "the router's table and the document list the same operations");

    let plan = app.seed_plan_id().await;
    let id = uuid::Uuid::new_v4();
    let concrete = |path: &str| {
        path.replace("{slug}", "qianjiang")
            .replace("{region}", "chongqing")
            .replace("{key}", "industrial_output_above_scale")
            .replace("/plans/{id}", &format!("/plans/{plan}"))
            .replace("{id}", &id.to_string())
            .replace("{rid}", &id.to_string())
            .replace("{uid}", &id.to_string())
    };
    let client = reqwest::Client::new();
    let mut unserved = Vec::new();
    let paths: BTreeSet<&String> = documented.iter().map(|(_, p)| p).collect();
    for path in paths {
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            let url = app.url(&concrete(path));
            let response = client.request(method.parse().unwrap(), url).send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            // The router's own answers for what it does not serve: 405 for another method on
            // a path it has, the API's catch-all 404 ("resource not found") for a path it lacks.
            let not_served = status == 405 || body["error"]["message"] == "resource not found";
            let is_documented = documented.contains(&(method.to_owned(), path.clone()));
            if is_documented == not_served {
                unserved.push(format!("{method} {path}: documented {is_documented}, answered {status} {body}"));
            }
        }
    }
    assert!(unserved.is_empty(), "served and documented differ:\n{}", unserved.join("\n"));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_operation_states_its_parameters_security_errors_and_conventions(pool: PgPool) {
    let app = spawn_app(pool).await;
    let doc = document(&app).await;
    let resolve = |value: &Value| -> Value {
        match value["$ref"].as_str() {
            Some(r) => doc.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
            None => value.clone(),
        }
    };
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for (method, path, op) in operations(&doc) {
        let name = format!("{method} {path}");
        let params: Vec<Value> = op["parameters"].as_array().into_iter().flatten().map(&resolve).collect();
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let param = segment.trim_matches(|c| c == '{' || c == '}');
            if !params.iter().any(|p| p["name"] == param && p["in"] == "path" && p["required"] == true) {
                problems.push(format!("{name}: path parameter {param} is not declared"));
            }
        }
        let id = op["operationId"].as_str().unwrap_or_default().to_owned();
        if id.is_empty() || !ids.insert(id.clone()) {
            problems.push(format!("{name}: operationId {id:?} missing or repeated"));
        }
        if op["summary"].as_str().is_none_or(|s| s.is_empty() || s.contains('\n')) {
            problems.push(format!("{name}: no one-line summary"));
        }
        if op["tags"].as_array().is_none_or(|t| t.is_empty()) {
            problems.push(format!("{name}: no tag"));
        }
        if op["security"].as_array().is_none_or(|s| s.is_empty()) {
            problems.push(format!("{name}: no security requirement"));
        }
        let responses = op["responses"].as_object().expect("responses");
        for status in ["400", "401", "403", "404", "429", "500"] {
            let error = resolve(&responses.get(status).cloned().unwrap_or(Value::Null));
            if error["content"]["application/json"]["schema"]["$ref"] != "#/components/schemas/ErrorBody" {
                problems.push(format!("{name}: {status} is not the error body"));
            }
        }
        for (status, response) in responses {
            let response = resolve(response);
            if status == "201" && response["headers"]["Location"].is_null() {
                problems.push(format!("{name}: 201 without Location"));
            }
            for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                if media["schema"].is_null() || media["schema"] == serde_json::json!({}) {
                    problems.push(format!("{name}: {status} has an untyped body"));
                }
                if !media_type.ends_with("json") && media["schema"]["type"] != "string" {
                    problems.push(format!("{name}: {status} {media_type} is not described as text or bytes"));
                }
            }
        }
        if method == "GET" {
            let ok = resolve(&responses["200"]);
            let list = ok["content"]["application/json"]["schema"]["type"] == "array";
            let paged = params.iter().any(|p| p["name"] == "cursor") && params.iter().any(|p| p["name"] == "limit");
            if list && !(paged && ok["headers"]["Link"].is_object()) {
                problems.push(format!("{name}: a list without limit, cursor and Link"));
            }
            if !params.iter().any(|p| p["name"] == "If-None-Match") || responses.get("304").is_none() {
                problems.push(format!("{name}: no conditional read"));
            }
        }
        if method == "POST"
            && !path.starts_with("/api/v1/auth/")
            && !params.iter().any(|p| p["name"] == "Idempotency-Key")
        {
            problems.push(format!("{name}: no Idempotency-Key"));
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    for scheme in ["session", "bearer"] {
        assert!(doc["components"]["securitySchemes"][scheme].is_object(), "{scheme}");
    }
}
