//! The Excel reader (zip, XML, the template's sheets), then the document's checks: no
//! panic, no hang, on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // calamine panics on some malformed workbooks; the reader catches those panics and
        // refuses the workbook with a finding (`import::xlsx::sheets`). libFuzzer's panic hook
        // would abort on the caught panic, so a panic raised inside calamine skips it. One that
        // escaped the reader still ends the run: libfuzzer-sys aborts on any panic that
        // reaches the target's edge.
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.location().is_some_and(|l| l.file().contains("/calamine-")) {
                fuzzer_hook(info);
            }
        }));
    },
    |data: &[u8]| {
        let _ = backend::import::xlsx::looks_like_xlsx(data);
        let reading = backend::import::xlsx::read(data);
        if let Some(document) = reading.document {
            let _ = document.problems();
        }
    }
);
