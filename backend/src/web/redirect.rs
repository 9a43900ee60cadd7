//! Where a redirect may send the browser: only to a path of this site. Browsers are lenient
//! with a `Location`: they read `\` as `/`, drop tabs and line breaks, and decode
//! percent-escapes before resolving, so `/\evil.example/` and `/%09/evil.example/` both
//! become `//evil.example/`, another site. A path is accepted only when neither its text nor
//! its decoded text leaves room for such a reading.

/// `candidate` if it is a path of this site that no browser reads as another site.
pub fn local_path(candidate: &str) -> Option<&str> {
    (plain_local_path(candidate) && plain_local_path(&percent_decoded(candidate))).then_some(candidate)
}

/// The path and query of a Referer URL, if it is a local path by the rule above.
pub fn same_site_path(referer: &str) -> Option<String> {
    let after_scheme = referer.split_once("://")?.1;
    let path = &after_scheme[after_scheme.find('/')?..];
    local_path(path).map(str::to_owned)
}

/// One leading `/` and then no second one, no backslash, no control, format or white-space
/// character anywhere (a scheme or host can then only follow a `//` or `\`, which are out).
fn plain_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !path.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace() || shared::text::is_invisible(c))
}

/// The text with its percent-escapes decoded (bytes that do not form UTF-8 as U+FFFD).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_site_are_kept() {
        for path in ["/", "/me", "/t/qianjiang?area=2", "/t/%E9%BB%94%E6%B1%9F", "/regions/x?indicator=a_b&sort=name"] {
            assert_eq!(local_path(path), Some(path), "{path}");
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_is_refused() {
        for path in [
            "",
            "me",
            "//evil.example/",
            "/\\evil.example/",
            "/\\/evil.example/",
            "\\\\evil.example",
            "/\t/evil.example/",
            "/%09/evil.example/",
            "/%2F/evil.example/",
            "/%2f%2fevil.example/",
            "/%5Cevil.example/",
            "/\r\n/evil.example",
            "/%0d%0a/evil.example",
            "/\u{0}/evil",
            "/%00/evil",
            "/\u{200b}/evil.example",
            "/\u{202e}/evil.example",
            "/%E2%80%AE/evil",
            "/ /evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(path), None, "{path:?}");
        }
    }

    #[test]
    fn redirects_keep_only_the_path_of_a_referer() {
        assert_eq!(same_site_path("http://localhost:3000/t/x?area=2").as_deref(), Some("/t/x?area=2"));
        assert_eq!(same_site_path("https://evil.example//other.example/").as_deref(), None);
        assert_eq!(same_site_path("http://localhost:3000/\\evil.example/").as_deref(), None);
        assert_eq!(same_site_path("http://localhost:3000").as_deref(), None);
        assert_eq!(same_site_path("garbage"), None);
    }

    /// What a browser could make of an accepted path: the rules below, checked on inputs
    /// built from the characters that matter (the fuzz target `redirect` runs the same
    /// oracle for long).
    fn plainly_local(path: &str) -> bool {
        let mut chars = path.chars();
        chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && !path.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
    }

    proptest::proptest! {
        #[test]
        fn whatever_is_accepted_is_plainly_local_also_once_decoded(
            path in "[/\\\\%a-z0-9\t .:?#=&@\u{202e}\u{200b}]{0,24}|/%[0-9a-fA-F]{2}[/a-z%0-9]{0,12}"
        ) {
            if let Some(accepted) = local_path(&path) {
                proptest::prop_assert!(plainly_local(accepted), "{:?}", accepted);
                proptest::prop_assert!(plainly_local(&percent_decoded(accepted)), "{:?}", accepted);
            }
        }
    }
}
