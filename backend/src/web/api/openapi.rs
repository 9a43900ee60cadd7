//! The API's OpenAPI 3.1 document (`GET /api/openapi.json`), generated from the code: the
//! routing table gives each operation with its parameters, bodies and the schemas of the
//! `shared` types (`routes.rs`); this module adds what every route has in common, in one
//! place, so that the document says exactly what the middleware does (docs/api.md):
//! - the error answers each operation can give, all `{"error": {code, message, field}}`;
//! - conditional reads: every GET answers with an `ETag` and takes `If-None-Match` (304);
//! - `Idempotency-Key` on every POST but signing in and out;
//! - `Location` on every 201, `Link: <…>; rel="next"` on every paginated list;
//! - the security schemes: the session cookie and bearer tokens with their scopes.

use super::routes::{Access, RouteAccess};
use axum::http::Method;
use serde_json::{Map, Value, json};
use shared::api::ErrorBody;
use std::collections::HashMap;
use std::sync::LazyLock;
use utoipa::openapi::OpenApi;
use utoipa::{PartialSchema, ToSchema};

/// The document as served, and who may call each route.
pub struct ApiDescription {
    /// The document, serialised once.
    pub json: bytes::Bytes,
    access: HashMap<(Method, String), Access>,
}

impl ApiDescription {
    /// How the route `path` (its template, as matched) with `method` may be called; None for
    /// a path that is not an API route.
    pub fn access(&self, method: &Method, path: &str) -> Option<Access> {
        self.access.get(&(method.clone(), path.to_owned())).copied()
    }
}

/// Built on first use from the routing table.
pub fn description() -> &'static ApiDescription {
    static DESCRIPTION: LazyLock<ApiDescription> = LazyLock::new(|| {
        let (_, document, table) = super::api().into_parts();
        let document = complete(document, &table);
        ApiDescription {
            json: serde_json::to_vec(&document).unwrap_or_default().into(),
            access: table.into_iter().map(|r| ((r.method, r.path), r.access)).collect(),
        }
    });
    &DESCRIPTION
}

/// The generated document with the conventions every route shares.
pub fn complete(document: OpenApi, table: &[RouteAccess]) -> Value {
    let mut doc = serde_json::to_value(document).unwrap_or_default();
    doc["info"] = json!({
        "title": "Planboard API",
        "version": "1",
        "description": DESCRIPTION,
        "license": {"name": "MIT", "identifier": "MIT"},
    });
    let components = doc["components"].as_object_mut().map(std::mem::take).unwrap_or_default();
    doc["components"] = Value::Object(components);
    doc["components"]["schemas"][ErrorBody::name().as_ref()] = json!(ErrorBody::schema());
    doc["components"]["schemas"]["ErrorDetail"] = json!(shared::api::ErrorDetail::schema());
    doc["components"]["securitySchemes"] = security_schemes();
    doc["components"]["responses"] = error_responses();
    doc["components"]["headers"] = headers();
    doc["components"]["parameters"] = parameters();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            for (method, operation) in item.as_object_mut().into_iter().flatten() {
                let access = table.iter().find(|r| r.path == *path && r.method.as_str().eq_ignore_ascii_case(method));
                complete_operation(method, path, operation, access.map(|r| r.access));
                files_as_files(operation);
            }
        }
    }
    doc
}

/// A file in a body (an Excel workbook, a document to import) is bytes of its media type, as
/// OpenAPI 3.1 writes it: a string with `contentMediaType`. The handlers declare such bodies
/// as `Vec<u8>`, which would otherwise read as an array of numbers.
fn files_as_files(operation: &mut Value) {
    let Some(operation) = operation.as_object_mut() else { return };
    let mut contents: Vec<&mut Value> = Vec::new();
    for (key, part) in operation.iter_mut() {
        match key.as_str() {
            "requestBody" => contents.extend(part.get_mut("content")),
            "responses" => contents.extend(
                part.as_object_mut().into_iter().flat_map(|r| r.values_mut()).filter_map(|r| r.get_mut("content")),
            ),
            _ => {}
        }
    }
    for content in contents {
        for (media_type, media) in content.as_object_mut().into_iter().flatten() {
            let bytes = media["schema"]["type"] == "array" && media["schema"]["items"]["type"] == "integer";
            if bytes && !media_type.ends_with("json") {
                media["schema"] = json!({"type": "string", "contentMediaType": media_type});
            }
        }
    }
}

const DESCRIPTION: &str = "Track government development plans across districts: indicators with \
their baselines and targets, tasks with their lead and responsible units, reports and their \
approval, dashboards and region comparisons.\n\n\
**Signing in.** People sign in with `POST /api/v1/auth/login` and get a session cookie; a write \
carrying the cookie must also carry `Origin` (or `Referer`) naming this site. Machine clients use \
API tokens (`Authorization: Bearer pb_…`), created on the account page or as service accounts by \
an administrator, each scoped to one district or region and to `read`, `report` or `import`.\n\n\
**Conventions.** Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`. A resource the caller \
may not see answers 404, like a missing one. Lists are arrays, a page at a time (`limit`, \
`cursor`; the next page's URL is in `Link: <…>; rel=\"next\"`). Reads answer with an `ETag`; \
send it back in `If-None-Match` to get 304 when nothing changed. Edits of versioned records \
send the version in `If-Match` (428 without, 409 when stale). A POST may carry an \
`Idempotency-Key`: the same key within 24 hours answers the first answer again and changes \
nothing. Creations answer 201 with the created resource and its `Location`.";

fn security_schemes() -> Value {
    json!({
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": crate::auth::session::COOKIE,
            "description": "The session cookie set by signing in (HttpOnly). A write that carries it \
                            must also send `Origin` (or `Referer`) naming this site: the CSRF check.",
        },
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "pb_…",
            "description": "An API token (`pb_` and 43 characters), scoped to one district or region \
                            and to some of `read`, `report`, `import`. The scopes an operation needs are \
                            listed in its security requirement. JSON API only.",
        },
    })
}

/// The error answers, by status.
const ERRORS: [(&str, &str, &str); 10] = [
    ("400", "bad_request", "The request cannot be read: malformed JSON, a path id that is not an id, a bad query."),
    ("401", "unauthorized", "Not signed in (or a token that is unknown, expired or revoked)."),
    ("403", "forbidden", "Signed in, but the role (or the token's scope) may not do this; or a cross-site write."),
    ("404", "not_found", "Missing, or not visible to the caller: the same answer."),
    ("409", "conflict", "Stale `If-Match`, already decided, already taken, or an `Idempotency-Key` in use."),
    ("413", "payload_too_large", "The request body is too large."),
    ("422", "unprocessable", "Well-formed but invalid; `field` names the field at fault when one is."),
    ("428", "precondition_required", "An edit of a versioned record needs `If-Match`."),
    ("429", "too_many_requests", "Too many requests; `Retry-After` says when to try again."),
    ("500", "internal", "Something failed on the server; the details are in its log only."),
];

fn error_responses() -> Value {
    let mut responses = Map::new();
    for (status, code, description) in ERRORS {
        let mut response = json!({
            "description": description,
            "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorBody"},
                "example": {"error": {"code": code, "message": description}},
            }},
        });
        if status == "429" {
            response["headers"] = json!({"Retry-After": {"$ref": "#/components/headers/Retry-After"}});
        }
        responses.insert(format!("E{status}"), response);
    }
    responses.insert(
        "NotModified".into(),
        json!({"description": "Not modified since the `ETag` sent in `If-None-Match`.",
               "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}}),
    );
    Value::Object(responses)
}

fn headers() -> Value {
    let text = |description: &str| json!({"description": description, "schema": {"type": "string"}});
    json!({
        "ETag": text("The representation's validator: `\"N\"` (a record's version, for `If-Match`) or `W/\"…\"`."),
        "Location": text("Where the created resource is: a GET there answers it."),
        "Link": text("`<URL>; rel=\"next\"`: the next page of the list; absent on the last page."),
        "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}},
        "X-Cache": {"description": "Whether the view came from the cache.",
                    "schema": {"type": "string", "enum": ["hit", "miss", "bypass"]}},
        "X-Data-Version": {"description": "The district's data version the answer is at (a read at this \
                                           version or later includes the write).",
                           "schema": {"type": "integer"}},
    })
}

fn parameters() -> Value {
    json!({
        "If-None-Match": {
            "name": "If-None-Match", "in": "header", "required": false,
            "description": "The `ETag` of the representation held: 304 when it is still current.",
            "schema": {"type": "string", "maxLength": 512},
        },
        "Idempotency-Key": {
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "A key of the client's choosing (a UUID, say) that makes the request safe to \
                            retry: within 24 hours the same key from the same caller answers the first \
                            answer again and creates nothing; sent with another request, 422; while the \
                            first is still running, 409.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
        },
    })
}

/// Adds the shared conventions to one operation.
fn complete_operation(method: &str, path: &str, operation: &mut Value, access: Option<Access>) {
    let is_get = method == "get";
    let if_match = operation["parameters"].as_array().and_then(|ps| ps.iter().find(|p| p["name"] == "If-Match"));
    let takes_if_match = if_match.is_some();
    let needs_if_match = if_match.is_some_and(|p| p["required"] == true);
    let paginated = operation["parameters"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["name"] == "cursor" && p["in"] == "query"));
    let signs_in_or_out = matches!(access, Some(Access::SignIn)) || path == "/api/v1/auth/logout";

    let Some(operation) = operation.as_object_mut() else { return };
    let mut parameters = match operation.remove("parameters") {
        Some(Value::Array(parameters)) => parameters,
        _ => Vec::new(),
    };
    if is_get {
        parameters.push(json!({"$ref": "#/components/parameters/If-None-Match"}));
    }
    if method == "post" && !signs_in_or_out {
        parameters.push(json!({"$ref": "#/components/parameters/Idempotency-Key"}));
    }
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Value::Array(parameters));
    }

    let mut responses = match operation.remove("responses") {
        Some(Value::Object(responses)) => responses,
        _ => Map::new(),
    };
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else { continue };
        if status.starts_with('4') {
            admit_error_body(response);
        }
        let mut headers = match response.remove("headers") {
            Some(Value::Object(headers)) => headers,
            _ => Map::new(),
        };
        if is_get && status == "200" {
            headers.insert("ETag".into(), json!({"$ref": "#/components/headers/ETag"}));
            if paginated {
                headers.insert("Link".into(), json!({"$ref": "#/components/headers/Link"}));
            }
        }
        if status == "201" {
            headers.insert("Location".into(), json!({"$ref": "#/components/headers/Location"}));
        }
        if !headers.is_empty() {
            response.insert("headers".into(), Value::Object(headers));
        }
    }
    if is_get {
        responses.insert("304".into(), json!({"$ref": "#/components/responses/NotModified"}));
    }
    let mut errors = vec!["400", "401", "403", "404", "429", "500"];
    if !is_get {
        errors.extend(["409", "413", "422"]);
    }
    if takes_if_match {
        errors.push("409");
    }
    if needs_if_match {
        errors.push("428");
    }
    for status in errors {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| json!({"$ref": format!("#/components/responses/E{status}")}));
    }
    operation.insert("responses".into(), Value::Object(responses));
}

/// A 4xx answer a route documents with a body of its own (an import's findings) may also be
/// the common error body: the layers before the handler (an `Idempotency-Key` used for
/// another request, say) answer with it.
fn admit_error_body(response: &mut Map<String, Value>) {
    let Some(schema) =
        response.get_mut("content").and_then(|c| c.get_mut("application/json")).and_then(|m| m.get_mut("schema"))
    else {
        return;
    };
    let error = json!({"$ref": "#/components/schemas/ErrorBody"});
    if *schema != error {
        *schema = json!({"oneOf": [schema.take(), error]});
    }
}
