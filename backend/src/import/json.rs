//! The canonical JSON reader: errors name the line and column, or the JSON path.

use super::{Finding, Reading};
use shared::plan_document::PlanDocument;

pub fn read(bytes: &[u8]) -> Reading {
    match serde_json::from_slice::<PlanDocument>(bytes) {
        Ok(document) => Reading { document: Some(document), warnings: vec![], errors: vec![] },
        Err(e) => Reading {
            document: None,
            warnings: vec![],
            errors: vec![Finding { at: format!("line {}, column {}", e.line(), e.column()), message: e.to_string() }],
        },
    }
}
