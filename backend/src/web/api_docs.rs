//! `/api/docs`: the OpenAPI document (`/api/openapi.json`) as a page people can read and try
//! requests from, with Swagger UI. Its script and styles are vendored
//! (`backend/assets/api-docs`, with their provenance) and built into the binary: the page loads
//! nothing from anywhere but this server, and it runs under the site's Content-Security-Policy
//! as it is (scripts from this origin only: no inline script, so no nonce is needed).

use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::sync::LazyLock;

const BUNDLE: &[u8] = include_bytes!("../../assets/api-docs/swagger-ui-bundle.js");
const STYLES: &[u8] = include_bytes!("../../assets/api-docs/swagger-ui.css");

/// Starts Swagger UI on the document. `validatorUrl: null`: Swagger UI would otherwise send
/// the document to an online validator.
const INIT: &str = "window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayOperationId: true
  });
});
";

const PAGE: &str = r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Planboard API 文档 · API documentation</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="stylesheet" href="/api/docs/page.css">
</head>
<body>
<header class="api-intro">
  <h1>Planboard API</h1>
  <p>本页列出全部接口、参数、返回结构与错误。机器调用请使用 API 令牌（在“我的账号”页面创建）：
     <code>Authorization: Bearer pb_…</code>。文档原文：<a href="/api/openapi.json">/api/openapi.json</a>（OpenAPI 3.1）。</p>
  <p lang="en">Every route, its parameters, answers and errors. Machine clients use an API token (made on
     the account page): <code>Authorization: Bearer pb_…</code>. The document itself:
     <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
  <p><a href="/">返回首页 · Back to Planboard</a></p>
</header>
<main id="swagger-ui"><noscript>本页需要 JavaScript；文档原文见 /api/openapi.json。This page needs JavaScript; the document is at /api/openapi.json.</noscript></main>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
"#;

/// The few rules of our own around Swagger UI, with contrast that passes WCAG AA.
const PAGE_STYLES: &str = ".api-intro { max-width: 1460px; margin: 0 auto; padding: 16px 20px 0;
  font-family: system-ui, 'Noto Sans CJK SC', sans-serif; color: #1b1b1b; }
.api-intro h1 { font-size: 1.6rem; margin: 0 0 8px; }
.api-intro p { margin: 4px 0; line-height: 1.5; }
.api-intro a { color: #0b5394; }
.api-intro code { background: #f0f0f0; padding: 1px 4px; }
";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/docs", get(|| async { Html(PAGE) }))
        .route("/api/docs/swagger-ui-bundle.js", get(bundle))
        .route("/api/docs/swagger-ui.css", get(styles))
        .route(
            "/api/docs/init.js",
            get(|| async { asset("text/javascript; charset=utf-8", Bytes::from_static(INIT.as_bytes())) }),
        )
        .route(
            "/api/docs/page.css",
            get(|| async { asset("text/css; charset=utf-8", Bytes::from_static(PAGE_STYLES.as_bytes())) }),
        )
}

/// The bundle is 1.8 MB: compressed once, on first use, and sent so to clients that take gzip.
static BUNDLE_GZ: LazyLock<Vec<u8>> = LazyLock::new(|| gzip(BUNDLE));
static STYLES_GZ: LazyLock<Vec<u8>> = LazyLock::new(|| gzip(STYLES));

async fn bundle(headers: HeaderMap) -> Response {
    vendored("text/javascript; charset=utf-8", BUNDLE, &BUNDLE_GZ, &headers)
}

async fn styles(headers: HeaderMap) -> Response {
    vendored("text/css; charset=utf-8", STYLES, &STYLES_GZ, &headers)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).and_then(|()| encoder.finish()).unwrap_or_default()
}

fn vendored(content_type: &'static str, plain: &'static [u8], zipped: &'static [u8], request: &HeaderMap) -> Response {
    let accepts_gzip = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().split(';').next() == Some("gzip")));
    let mut response = if accepts_gzip && !zipped.is_empty() {
        let mut response = asset(content_type, Bytes::from_static(zipped));
        response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        response
    } else {
        asset(content_type, Bytes::from_static(plain))
    };
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Cached for an hour: the files change only with the server.
fn asset(content_type: &'static str, body: Bytes) -> Response {
    let headers = [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")];
    (headers, body).into_response()
}
