//! The canonical JSON reader and the document's checks: no panic, no hang, on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reading = backend::import::json::read(data);
    if let Some(document) = reading.document {
        let _ = document.problems();
    }
});
