//! Form bodies and query strings: what the NUL guard lets through decodes to text without
//! NUL (so PostgreSQL never sees one), and the values forms and queries carry (periods,
//! numbers, a comparison's page, the API's form-shaped inputs) parse or fail without panic.
#![no_main]
use backend::web::middleware::nul_bytes::{encoded_nul, json_nul};
use libfuzzer_sys::fuzz_target;
use std::str::FromStr;

fn no_nul_in(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => !s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().all(no_nul_in),
        serde_json::Value::Object(fields) => fields.iter().all(|(k, v)| !k.contains('\0') && no_nul_in(v)),
        _ => true,
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) {
        if !encoded_nul(data) {
            assert!(pairs.iter().all(|(k, v)| !k.contains('\0') && !v.contains('\0')), "a NUL got past the guard");
        }
        let value = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let number = |name: &str| value(name).and_then(|v| v.parse::<i64>().ok());
        let _ = shared::api::ComparisonPage::new(value("sort"), number("offset"), number("limit"));
        for (_, v) in &pairs {
            let _ = shared::period::Period::from_str(v);
            let _ = rust_decimal::Decimal::from_str(v.trim());
            let _ = shared::text::check_name(v);
        }
    }
    let _ = serde_urlencoded::from_bytes::<shared::api::NewInvitation>(data);
    let _ = serde_urlencoded::from_bytes::<shared::api::NewTenant>(data);
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) {
        if !json_nul(data) {
            assert!(no_nul_in(&json), "a NUL got past the JSON guard");
        }
        let _ = serde_json::from_value::<shared::api::NewReport>(json.clone());
        let _ = serde_json::from_value::<shared::api::NewTaskUpdate>(json);
    }
});
