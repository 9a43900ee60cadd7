//! The Excel reader (zip, XML, the template's sheets), then the document's checks: no
//! panic, no hang, on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = backend::import::xlsx::looks_like_xlsx(data);
    let reading = backend::import::xlsx::read(data);
    if let Some(document) = reading.document {
        let _ = document.problems();
    }
});
