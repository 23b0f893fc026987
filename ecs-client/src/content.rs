//! Command content as the caller gave it, and the wire `CommandContent`/`ContentEncoding` derived from it.
//!
//! `command_content("script")` keeps plain text and `command_content_raw("…")` keeps text to send verbatim; an
//! explicit `content_encoding(…)` is kept beside it. The wire values are derived from both, so the setters can come
//! in any order and the last content setter wins without leaving a stale encoding label behind.

use crate::models::ContentEncoding;

/// What the caller gave as a command's content.
#[derive(Clone, Debug)]
pub(crate) enum ContentInput {
    /// A script as plain text: Base64-encoded on the wire unless the caller asked for `PlainText`.
    PlainText(String),
    /// Text sent exactly as given, labelled with the caller's encoding (if any).
    Raw(String),
}

/// The wire `CommandContent` and `ContentEncoding`:
/// - plain text with an explicit `PlainText` encoding goes as is, labelled `PlainText`;
/// - other plain text is Base64-encoded and labelled `Base64`;
/// - raw text goes as is with the caller's encoding (none: the service default);
/// - without content, the caller's encoding is sent alone.
pub(crate) fn resolve(
    input: Option<&ContentInput>,
    encoding: Option<&ContentEncoding>,
) -> (Option<String>, Option<ContentEncoding>) {
    match input {
        Some(ContentInput::PlainText(text)) if encoding == Some(&ContentEncoding::PlainText) => {
            (Some(text.clone()), Some(ContentEncoding::PlainText))
        }
        Some(ContentInput::PlainText(text)) => {
            (Some(acs_core::params::base64_text(text)), Some(ContentEncoding::Base64))
        }
        Some(ContentInput::Raw(text)) => (Some(text.clone()), encoding.cloned()),
        None => (None, encoding.cloned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination() {
        let plain = ContentInput::PlainText("whoami".into());
        let raw = ContentInput::Raw("d2hvYW1p".into());
        let b64 = (Some("d2hvYW1p".to_owned()), Some(ContentEncoding::Base64));
        assert_eq!(resolve(Some(&plain), None), b64);
        assert_eq!(resolve(Some(&plain), Some(&ContentEncoding::Base64)), b64);
        assert_eq!(
            resolve(Some(&plain), Some(&ContentEncoding::PlainText)),
            (Some("whoami".to_owned()), Some(ContentEncoding::PlainText))
        );
        assert_eq!(resolve(Some(&raw), None), (Some("d2hvYW1p".to_owned()), None));
        assert_eq!(
            resolve(Some(&raw), Some(&ContentEncoding::PlainText)),
            (Some("d2hvYW1p".to_owned()), Some(ContentEncoding::PlainText))
        );
        assert_eq!(resolve(None, Some(&ContentEncoding::Base64)), (None, Some(ContentEncoding::Base64)));
    }
}
