//! Turning a catalogue's mail body into what is sent: deferred values (money, translated
//! phrases) resolved in the recipient's locale, inline styles for mail clients, and the
//! plain-text body made from the HTML one.
//!
//! Values are composed before the recipient's locale is known (inside the event's
//! transaction), so a value may hold markers: `money(..)` and `phrase(..)` write them and
//! [`resolve`] replaces them when the mail is rendered.

use crate::i18n::{self, Args, format};

const MARK: char = '\u{1}';

/// An amount in minor units, shown in the recipient's locale (`€12.00`, `12,00 €`).
pub fn money(minor: i64, currency: &str) -> String {
    format!("{MARK}money:{minor}:{currency}{MARK}")
}

/// A catalogue message without arguments, in the recipient's locale.
pub fn phrase(key: &str) -> String {
    format!("{MARK}t:{key}{MARK}")
}

/// An argument of a [`phrase_with`] message.
#[derive(Debug, Clone, Copy)]
pub enum PhraseArg<'a> {
    Text(&'a str),
    /// A count: plural selection and the locale's digits.
    Number(i64),
    /// An RFC 3339 time or a `YYYY-MM-DD` day, written as the locale's long date.
    Date(&'a str),
}

/// A catalogue message with arguments, in the recipient's locale.
pub fn phrase_with(key: &str, args: &[(&str, PhraseArg<'_>)]) -> String {
    let args: Vec<serde_json::Value> = args
        .iter()
        .map(|(name, value)| match value {
            PhraseArg::Text(v) => serde_json::json!([name, "t", v]),
            PhraseArg::Number(n) => serde_json::json!([name, "n", n]),
            PhraseArg::Date(d) => serde_json::json!([name, "d", d]),
        })
        .collect();
    // JSON escapes control characters, so the marker cannot occur inside.
    let spec = serde_json::json!({ "k": key, "a": args });
    format!("{MARK}tj:{spec}{MARK}")
}

/// The message a [`phrase_with`] marker names, in `locale`; `None` when it is garbled.
fn resolve_phrase(locale: &str, spec: &str) -> Option<String> {
    let spec: serde_json::Value = serde_json::from_str(spec).ok()?;
    let key = spec["k"].as_str()?;
    let mut args = Args::new();
    for arg in spec["a"].as_array()? {
        let name = arg[0].as_str()?;
        args = match (arg[1].as_str()?, &arg[2]) {
            ("n", value) => args.number(name, value.as_i64()?),
            ("d", value) => args.text(name, long_date(locale, value.as_str()?)),
            (_, value) => args.text(name, value.as_str()?),
        };
    }
    Some(i18n::t(locale, key, &args))
}

/// A time or a day in the locale's long form; the text itself when it is neither.
fn long_date(locale: &str, text: &str) -> String {
    let day_format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(text, &day_format) {
        Ok(day) => format::long_date(locale, day),
        Err(_) => format::date(locale, text),
    }
}

/// `value` with every marker replaced in `locale`; an unknown marker is dropped.
pub fn resolve(locale: &str, value: &str) -> String {
    if !value.contains(MARK) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut pieces = value.split(MARK);
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = pieces.collect();
    for (i, piece) in rest.iter().enumerate() {
        // Odd pieces are inside markers.
        if i % 2 == 1 {
            out.push_str(piece);
            continue;
        }
        if let Some(key) = piece.strip_prefix("t:") {
            out.push_str(&i18n::t(locale, key, &Args::new()));
        } else if let Some(spec) = piece.strip_prefix("tj:") {
            out.push_str(&resolve_phrase(locale, spec).unwrap_or_default());
        } else if let Some(spec) = piece.strip_prefix("money:")
            && let Some((minor, currency)) = spec.split_once(':')
            && let Ok(minor) = minor.parse::<i64>()
        {
            out.push_str(&format::money(locale, minor, currency));
        }
    }
    out
}

const BUTTON: &str = "style=\"display:inline-block;background:#2563eb;color:#ffffff;\
padding:10px 18px;border-radius:6px;text-decoration:none\"";

/// The catalogue's plain markup with the inline styles mail clients need.
pub fn styled(body: &str) -> String {
    body.replace("class=\"button\"", BUTTON)
        .replace(
            "<p class=\"small\">",
            "<p style=\"font-size:13px;color:#52525b\">",
        )
        .replace("<p class=\"pre\">", "<p style=\"white-space:pre-wrap\">")
        .replace(
            "<pre>",
            "<pre style=\"font-family:inherit;white-space:pre-wrap;margin:0 0 8px\">",
        )
        .replace(
            "<blockquote>",
            "<blockquote style=\"margin:0 0 16px;padding:8px 12px;\
             border-left:3px solid #d4d4d8;white-space:pre-wrap\">",
        )
}

/// The plain-text body of an HTML body (whose values are escaped): paragraphs apart by a
/// blank line, a button as its label and address on the next line, tags dropped.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let name = tag.split_whitespace().next().unwrap_or("");
        match name {
            "br" => out.push('\n'),
            "/p" | "/pre" | "/blockquote" => {
                out.push_str("\n\n");
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            }
            "a" => {
                let href = attribute(tag, "href").unwrap_or_default();
                let close = rest.find("</a>").unwrap_or(rest.len());
                let label = &rest[..close];
                rest = rest.get(close + 4..).unwrap_or("");
                if label == href {
                    out.push_str(&href);
                } else if tag.contains("class=\"button\"") {
                    out.push_str(&format!("{label}:\n{href}"));
                } else {
                    out.push_str(&format!("{label} ({href})"));
                }
            }
            _ => {}
        }
    }
    out.push_str(rest);
    let text = unescape_html(&out);
    let mut collapsed = String::with_capacity(text.len());
    for line in text.lines() {
        if line.trim().is_empty() && collapsed.ends_with("\n\n") {
            continue;
        }
        collapsed.push_str(line.trim_end());
        collapsed.push('\n');
    }
    collapsed.trim().to_string() + "\n"
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[at..].find('"')?;
    Some(tag[at..at + end].to_string())
}

fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_shown_in_the_recipients_locale_with_the_currencys_minor_units() {
        let value = format!("2 × Mug — {}", money(2400, "EUR"));
        assert_eq!(resolve("en", &value), "2 × Mug — €24.00");
        assert_eq!(resolve("fr", &value), "2 × Mug — 24,00\u{A0}€");
        assert_eq!(resolve("en", &money(1200, "JPY")), "¥1,200");
    }

    #[test]
    fn phrases_are_resolved_in_the_locale() {
        assert_eq!(resolve("fr", &phrase("mail-not-given")), "non précisé");
        assert_eq!(resolve("en", "plain"), "plain");
    }

    #[test]
    fn phrases_with_arguments_take_plurals_and_dates_of_the_locale() {
        let one = phrase_with(
            "refund-reason-outside_window",
            &[
                ("window_days", PhraseArg::Number(14)),
                ("days_since_payment", PhraseArg::Number(1)),
            ],
        );
        assert_eq!(
            resolve("en", &one),
            "refunds must be requested within 14 days of payment, and this order was paid 1 day ago"
        );
        assert_eq!(
            resolve("fr", &one),
            "un remboursement doit être demandé au plus 14 jours après le paiement, et cette commande a été payée il y a 1 jour"
        );
        let ends = phrase_with(
            "membership-when-ends-on",
            &[("date", PhraseArg::Date("2026-07-01"))],
        );
        assert!(
            resolve("en", &ends).contains("July 1, 2026"),
            "{}",
            resolve("en", &ends)
        );
        assert!(
            resolve("fr", &ends).contains("juillet 2026"),
            "{}",
            resolve("fr", &ends)
        );
        let odd = phrase_with("mail-not-given", &[("x", PhraseArg::Text("a\u{1}\"b"))]);
        assert_eq!(resolve("fr", &format!("[{odd}]")), "[non précisé]");
    }

    #[test]
    fn the_text_body_keeps_paragraphs_buttons_and_escaped_values() {
        let html = "<p>Hello &lt;b&gt;,</p>\n<p><a class=\"button\" href=\"https://x/y\">Log in</a></p>\n<p>See you,<br>A &amp; B</p>";
        assert_eq!(
            html_to_text(html),
            "Hello <b>,\n\nLog in:\nhttps://x/y\n\nSee you,\nA & B\n"
        );
    }
}
