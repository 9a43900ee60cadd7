//! What text may hold. Names and identifiers (addresses, slugs, organisation names, titles)
//! are compared and shown as they are typed, so characters a reader cannot see — direction
//! overrides that make `gov.cn` display as `nc.vog`, zero-width spaces that make two names
//! differ invisibly — have no place in them. PostgreSQL refuses NUL in any text, so NUL is
//! refused at the edge everywhere text comes in, before it could cost a 500.

/// Characters that change how text is displayed or compared without being seen: the
/// Unicode format characters used for spoofing (bidirectional embeddings, overrides and
/// isolates, zero-width characters, the byte-order mark, tag characters) and the soft hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// Why a name or identifier was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// A NUL, line break or other control character.
    Control,
    /// A direction override, zero-width or other invisible formatting character.
    Invisible,
}

impl std::fmt::Display for NameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameProblem::Control => f.write_str("contains a control character (such as NUL or a line break)"),
            NameProblem::Invisible => {
                f.write_str("contains an invisible formatting character (such as a direction override)")
            }
        }
    }
}

/// Checks a name or identifier: no control and no invisible characters.
pub fn check_name(text: &str) -> Result<(), NameProblem> {
    if text.chars().any(char::is_control) {
        Err(NameProblem::Control)
    } else if text.chars().any(is_invisible) {
        Err(NameProblem::Invisible)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_invisible_or_control_characters_are_refused() {
        assert_eq!(check_name("区发展改革委"), Ok(()));
        assert_eq!(check_name("admin@qianjiang.gov.cn"), Ok(()));
        assert_eq!(check_name("admin@\u{202E}nc.vog"), Err(NameProblem::Invisible));
        assert_eq!(check_name("区\u{200B}发展改革委"), Err(NameProblem::Invisible));
        assert_eq!(check_name("a\u{0}b"), Err(NameProblem::Control));
        assert_eq!(check_name("a\nb"), Err(NameProblem::Control));
    }
}
