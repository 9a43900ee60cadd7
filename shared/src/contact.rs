//! How people are reached and sign in: an e-mail address or a mainland mobile number
//! (docs/model.md). Numbers are kept as their 11 digits; people write them with spaces,
//! hyphens or the country code, and all of those name the same number.

/// The 11 digits of a mainland mobile number written as people write it (`138 0013 8000`,
/// `138-0013-8000`, `+86 13800138000`, `0086…`), or None when it is not one.
pub fn mobile(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    let bytes = digits.as_bytes();
    let ok = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    ok.then(|| digits.to_owned())
}

/// What a person typed to sign in: a mobile number, or else an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Mobile(String),
    Email(String),
}

impl Login {
    pub fn parse(text: &str) -> Login {
        match mobile(text) {
            Some(number) => Login::Mobile(number),
            None => Login::Email(text.trim().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mobile_number_is_read_however_it_is_written() {
        for written in ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "0086-13800138000"] {
            assert_eq!(mobile(written).as_deref(), Some("13800138000"), "{written}");
        }
        for not in ["12800138000", "1380013800", "138001380000", "a13800138000", "", "+1 415 555 0100"] {
            assert_eq!(mobile(not), None, "{not}");
        }
        assert_eq!(Login::parse(" 138 0013 8000 "), Login::Mobile("13800138000".into()));
        assert_eq!(Login::parse("Admin@Qianjiang.gov.cn"), Login::Email("Admin@Qianjiang.gov.cn".into()));
    }
}
