//! Planboard's domain, shared by the server and the browser: the generic plan model's
//! vocabulary, the canonical plan document, the progress rules (docs/model.md), the JSON
//! shapes of the API, and the interface that the pages' server functions call.
//!
//! Nothing here does I/O or reads a clock: dates come in as parameters.

pub mod api;
pub mod contact;
pub mod import_report;
pub mod model;
pub mod page_data;
pub mod period;
pub mod plan_document;
pub mod progress;
pub mod text;
pub mod words;
