//! Where a redirect may go: whatever `local_path` accepts is a path of this site by the
//! rules a browser applies (one leading slash, no second one or backslash, no control or
//! white-space character), in its text and once percent-decoded.
#![no_main]
use backend::web::redirect::{local_path, same_site_path};
use libfuzzer_sys::fuzz_target;

fn plainly_local(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(path) = local_path(text) {
        assert!(plainly_local(path), "{path:?}");
        let decoded = String::from_utf8_lossy(&percent_decode(path.as_bytes())).into_owned();
        assert!(plainly_local(&decoded), "{path:?} decodes to {decoded:?}");
    }
    if let Some(path) = same_site_path(text) {
        assert!(plainly_local(&path), "{path:?}");
    }
});

/// An independent percent-decoder, for the oracle.
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let (b'%', Some(Some(high)), Some(Some(low))) =
            (bytes[i], bytes.get(i + 1).map(|b| hex(*b)), bytes.get(i + 2).map(|b| hex(*b)))
        {
            out.push(high * 16 + low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
