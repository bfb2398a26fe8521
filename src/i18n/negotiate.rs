//! Which locale a request gets: the signed-in user's preference, then the visitor's
//! `schoolhouse_locale` cookie (set by the UI's switcher), then `Accept-Language`, then
//! `[site] default_locale`; each only when it names an available locale.

use axum::http::{HeaderMap, header};

/// The cookie the web UI's language switcher sets.
pub const COOKIE: &str = "schoolhouse_locale";

/// The chosen locale's code, as listed by [`super::available`].
pub fn negotiate(
    user: Option<&str>,
    cookie: Option<&str>,
    accept_language: Option<&str>,
    default: &str,
) -> String {
    let explicit = [user, cookie]
        .into_iter()
        .flatten()
        .find_map(super::canonical);
    explicit
        .or_else(|| accept_language.and_then(from_accept_language))
        .or_else(|| super::canonical(default))
        .unwrap_or(super::SOURCE_LOCALE)
        .to_string()
}

/// The cookie's value and the `Accept-Language` header of a request.
pub fn from_headers(headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_string());
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (cookie, accept)
}

/// The best available locale for an `Accept-Language` value: ranges by falling quality,
/// each matching exactly (`fr`) or by its language (`fr-CA` -> `fr`); pseudo-locales are
/// only ever chosen explicitly.
fn from_accept_language(value: &str) -> Option<&'static str> {
    let mut ranges: Vec<(f32, usize, &str)> = value
        .split(',')
        .take(32)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && tag != "*" && q > 0.0).then_some((q, i, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let real = super::available().into_iter().filter(|l| !l.pseudo);
    let real: Vec<String> = real.map(|l| l.code).collect();
    ranges.into_iter().find_map(|(_, _, tag)| {
        let language = tag.split(['-', '_']).next().unwrap_or(tag);
        real.iter()
            .find(|code| code.eq_ignore_ascii_case(tag))
            .or_else(|| real.iter().find(|code| code.eq_ignore_ascii_case(language)))
            .and_then(|code| super::canonical(code))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_preference_wins_over_cookie_header_and_default() {
        assert_eq!(negotiate(Some("fr"), Some("en"), Some("en"), "en"), "fr");
    }

    #[test]
    fn the_cookie_wins_over_the_header_and_the_default() {
        assert_eq!(negotiate(None, Some("fr"), Some("en"), "en"), "fr");
        assert_eq!(negotiate(None, Some("en-XA"), Some("fr"), "fr"), "en-XA");
    }

    #[test]
    fn accept_language_is_read_by_quality_and_by_language() {
        assert_eq!(
            negotiate(None, None, Some("de, fr-CA;q=0.8, en;q=0.5"), "en"),
            "fr"
        );
        assert_eq!(
            negotiate(None, None, Some("fr;q=0.2, en;q=0.9"), "fr"),
            "en"
        );
        assert_eq!(negotiate(None, None, Some("de-DE"), "fr"), "fr");
    }

    #[test]
    fn unknown_codes_fall_through_to_the_next_source() {
        assert_eq!(negotiate(Some("xx"), Some("zz"), None, "fr"), "fr");
        assert_eq!(negotiate(None, None, None, "xx"), "en");
    }

    #[test]
    fn a_pseudo_locale_is_never_guessed_from_the_header() {
        assert_eq!(negotiate(None, None, Some("en-XA"), "fr"), "en");
    }
}
