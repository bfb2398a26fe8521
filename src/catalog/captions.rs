//! The rules of a video lesson's captions: a WebVTT file per language (a BCP 47 tag), its
//! label, and the caption list a learner's player gets.

use serde::{Deserialize, Serialize};

use crate::http::FieldError;

/// The MIME type captions are stored and served with.
pub const VTT_MIME: &str = "text/vtt";

/// A caption track as a learner's player (and the lesson editor) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaptionView {
    /// The BCP 47 tag, in canonical case (`fr`, `pt-BR`): the `<track srclang>`.
    pub language: String,
    /// What the player's caption menu shows (`Français`).
    pub label: String,
    /// A signed URL of the `.vtt` file, valid as long as the lesson video's.
    pub url: String,
    pub created_at: String,
}

/// A caption as stored: which lesson, language and label, and the uploaded file.
#[derive(Debug, Clone)]
pub struct Caption {
    pub lesson_id: String,
    pub language: String,
    pub label: String,
    pub media_id: String,
    pub created_at: String,
}

/// Why an uploaded caption file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadVtt {
    /// Not UTF-8 text (WebVTT is UTF-8 by definition).
    NotText,
    /// The first line is not `WEBVTT`, alone or followed by a space or tab and a comment.
    NoSignature,
}

/// Whether `bytes` are a WebVTT file: UTF-8 (a leading byte-order mark allowed), no NUL,
/// starting with the `WEBVTT` signature line. Cues are the browser's business: a cue it
/// cannot parse is skipped, never run.
pub fn check_vtt(bytes: &[u8]) -> Result<(), BadVtt> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| BadVtt::NotText)?;
    if text.contains('\0') {
        return Err(BadVtt::NotText);
    }
    let rest = text.strip_prefix("WEBVTT").ok_or(BadVtt::NoSignature)?;
    match rest.chars().next() {
        None | Some(' ' | '\t' | '\n' | '\r') => Ok(()),
        Some(_) => Err(BadVtt::NoSignature),
    }
}

/// A caption language: a well-formed BCP 47 tag naming a language (not `und`), returned in
/// canonical case so that `FR-ca` and `fr-CA` are the same track.
pub fn language_tag(given: &str) -> Result<String, FieldError> {
    let bad = || {
        FieldError::new(
            "language",
            "must be a BCP 47 language tag such as en, fr or pt-BR",
        )
    };
    let given = given.trim();
    if !crate::config::site::is_language_code(given) {
        return Err(bad());
    }
    let id: unic_langid::LanguageIdentifier = given.parse().map_err(|_| bad())?;
    if id.language.is_empty() {
        return Err(bad());
    }
    Ok(id.to_string())
}

/// The label shown in the player's menu: trimmed, 1 to 100 characters without control
/// characters; the language tag itself when none is given.
pub fn label(given: Option<&str>, language: &str) -> Result<String, FieldError> {
    let label = given.map(str::trim).filter(|l| !l.is_empty());
    let Some(label) = label else {
        return Ok(language.to_string());
    };
    if label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(FieldError::new(
            "label",
            "must be 1 to 100 characters without control characters",
        ));
    }
    Ok(label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caption_file_must_start_with_the_webvtt_signature() {
        assert_eq!(check_vtt(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi"), Ok(()));
        assert_eq!(check_vtt(b"WEBVTT - French\r\n"), Ok(()));
        assert_eq!(check_vtt(b"\xEF\xBB\xBFWEBVTT"), Ok(()));
        assert_eq!(check_vtt(b"WEBVTTX\n"), Err(BadVtt::NoSignature));
        assert_eq!(
            check_vtt(b"1\n00:00:00,000 --> 00:00:01,000\nSRT"),
            Err(BadVtt::NoSignature)
        );
        assert_eq!(check_vtt(b" WEBVTT\n"), Err(BadVtt::NoSignature));
        assert_eq!(check_vtt(b""), Err(BadVtt::NoSignature));
    }

    #[test]
    fn a_caption_file_must_be_utf8_text() {
        assert_eq!(check_vtt(b"WEBVTT\n\xFF\xFE"), Err(BadVtt::NotText));
        assert_eq!(check_vtt(b"WEBVTT\n\0"), Err(BadVtt::NotText));
    }

    #[test]
    fn language_tags_are_checked_and_put_in_canonical_case() {
        assert_eq!(language_tag("fr").unwrap(), "fr");
        assert_eq!(language_tag(" FR-ca ").unwrap(), "fr-CA");
        assert_eq!(language_tag("zh-hant-tw").unwrap(), "zh-Hant-TW");
        for bad in ["", "french", "fr_FR", "und", "12", "fr-", "../en"] {
            assert!(language_tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_caption_label_defaults_to_its_language_and_has_limits() {
        assert_eq!(label(None, "fr").unwrap(), "fr");
        assert_eq!(label(Some("  "), "fr").unwrap(), "fr");
        assert_eq!(label(Some(" Français "), "fr").unwrap(), "Français");
        assert!(label(Some(&"x".repeat(101)), "fr").is_err());
        assert!(label(Some("a\u{7}b"), "fr").is_err());
    }
}
