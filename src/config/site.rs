//! `[site]`: the school's own language, used when neither the user nor the browser names one.

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// BCP 47 code of a catalogue under `assets/locales/` (`en`, `fr`).
    pub default_locale: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            default_locale: "en".into(),
        }
    }
}

/// A language code's shape (`fr`, `pt-BR`, `en-XA`); whether a catalogue exists for it is
/// checked when the state opens, where the catalogues are known.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && code.len() <= 35
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

pub(crate) fn validate(site: &SiteConfig) -> Result<(), ConfigError> {
    if !is_language_code(&site.default_locale) {
        return Err(key_error(
            "site.default_locale",
            "must be a language code such as en or fr",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_are_recognised_by_shape() {
        for good in ["en", "fr", "pt-BR", "en-XA", "zh-Hant-TW"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["", "e", "english", "fr_FR", "fr-", "12", "fr-toolongpart"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }
}
