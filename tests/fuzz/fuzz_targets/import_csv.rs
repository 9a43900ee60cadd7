//! The template's CSV form: decoding (UTF-8 or GB18030) and reading, then the document's
//! checks: no panic, no hang, on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = backend::import::csv::decode(data);
    let _ = backend::import::csv::looks_like_csv(&text);
    let reading = backend::import::csv::read(&text);
    if let Some(document) = reading.document {
        let _ = document.problems();
    }
});
