//! Numbers, money and dates per locale, after the CLDR rules of each stored language.
//!
//! Only what the server prints is covered: grouped integers and decimals, amounts in a
//! currency's own minor units (ISO 4217: none for JPY, three for KWD), and long dates. A
//! language without a row here formats like English.

use fluent_bundle::FluentValue;
use intl_memoizer::concurrent::IntlLangMemoizer;

/// The separators and currency pattern of one language (CLDR `latn` number symbols).
struct Symbols {
    decimal: char,
    group: char,
    /// `true`: `1 234,50 €`; `false`: `€1,234.50`.
    currency_after: bool,
    months: [&'static str; 12],
    /// `{d}`, `{m}`, `{y}` in the order of the long date.
    long_date: &'static str,
}

const EN: Symbols = Symbols {
    decimal: '.',
    group: ',',
    currency_after: false,
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    long_date: "{m} {d}, {y}",
};

const FR: Symbols = Symbols {
    decimal: ',',
    // CLDR's French group separator is the narrow no-break space.
    group: '\u{202F}',
    currency_after: true,
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    long_date: "{d} {m} {y}",
};

fn symbols(locale: &str) -> &'static Symbols {
    match language(locale) {
        "fr" => &FR,
        _ => &EN,
    }
}

fn language(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or(locale)
}

/// How many minor units a currency has (ISO 4217): most two, some none, a few three.
pub fn minor_units(currency: &str) -> u32 {
    match currency.to_ascii_uppercase().as_str() {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The currency's symbol in a language (CLDR short symbols), else its code.
pub fn currency_symbol(locale: &str, currency: &str) -> String {
    let code = currency.to_ascii_uppercase();
    let symbol = match (language(locale), code.as_str()) {
        (_, "EUR") => "€",
        ("fr", "USD") => "$US",
        ("fr", "GBP") => "£GB",
        ("fr", "CAD") => "$CA",
        ("fr", "AUD") => "$AU",
        (_, "USD") => "$",
        (_, "GBP") => "£",
        (_, "JPY") => "¥",
        (_, "CAD") => "CA$",
        (_, "AUD") => "A$",
        _ => return code,
    };
    symbol.to_string()
}

/// Digits of `n` with the locale's group separator every three digits.
fn grouped(digits: &str, group: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    out
}

/// `1234567` -> `1,234,567` (en) or `1 234 567` (fr).
pub fn integer(locale: &str, n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!(
        "{sign}{}",
        grouped(&n.unsigned_abs().to_string(), symbols(locale).group)
    )
}

/// `minor` units of `currency` as a number in the locale, without the currency:
/// `1,234.50` (en), `1 234,50` (fr), `1,234` for 1234 JPY.
pub fn amount(locale: &str, minor: i64, currency: &str) -> String {
    let s = symbols(locale);
    let units = minor_units(currency);
    let scale = 10u64.pow(units);
    let abs = minor.unsigned_abs();
    let mut number = grouped(&(abs / scale).to_string(), s.group);
    if units > 0 {
        number.push(s.decimal);
        number.push_str(&format!("{:0width$}", abs % scale, width = units as usize));
    }
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{number}")
}

/// A `YYYY-MM-DD` day in the locale's short numeric form: `2026-12-06` (en, as ISO 8601),
/// `06/12/2026` (fr); the text itself when it is not such a day.
pub fn short_date(locale: &str, day: &str) -> String {
    let parts: Vec<&str> = day.split('-').collect();
    match (language(locale), parts.as_slice()) {
        ("fr", [y, m, d]) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            format!("{d}/{m}/{y}")
        }
        _ => day.to_string(),
    }
}

/// `minor` units of `currency` (cents for EUR, yen for JPY) as the locale writes them:
/// `€1,234.50` (en), `1 234,50 €` (fr), `¥1,234` for 1234 JPY.
pub fn money(locale: &str, minor: i64, currency: &str) -> String {
    let s = symbols(locale);
    let number = amount(locale, minor.saturating_abs(), currency);
    let sign = if minor < 0 { "-" } else { "" };
    let symbol = currency_symbol(locale, currency);
    if s.currency_after {
        format!("{sign}{number}\u{A0}{symbol}")
    } else if symbol.chars().all(|c| c.is_ascii_uppercase()) {
        format!("{sign}{symbol}\u{A0}{number}")
    } else {
        format!("{sign}{symbol}{number}")
    }
}

/// The long date of an RFC 3339 time (its UTC day): `December 6, 2026`, `6 décembre 2026`;
/// the text itself when it is not a time.
pub fn date(locale: &str, rfc3339: &str) -> String {
    let Some(at) = crate::clock::parse_rfc3339(rfc3339) else {
        return rfc3339.to_string();
    };
    long_date(locale, at.date())
}

/// The long form of a calendar day: `November 25, 2026`, `25 novembre 2026`.
pub fn long_date(locale: &str, day: time::Date) -> String {
    let s = symbols(locale);
    let month = s.months[usize::from(u8::from(day.month())) - 1];
    s.long_date
        .replace("{d}", &day.day().to_string())
        .replace("{m}", month)
        .replace("{y}", &day.year().to_string())
}

/// A decimal with the locale's separators, at most `max_fraction` digits.
fn decimal(locale: &str, value: f64, min_fraction: usize, max_fraction: usize) -> String {
    let s = symbols(locale);
    let text = format!("{:.*}", max_fraction, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut fraction = fraction.trim_end_matches('0').to_string();
    while fraction.len() < min_fraction {
        fraction.push('0');
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let mut out = format!("{sign}{}", grouped(whole, s.group));
    if !fraction.is_empty() {
        out.push(s.decimal);
        out.push_str(&fraction);
    }
    out
}

type Formatter = fn(&FluentValue, &IntlLangMemoizer) -> Option<String>;

fn fluent_number(locale: &str, value: &FluentValue) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    let min = n.options.minimum_fraction_digits.unwrap_or(0);
    let max = n.options.maximum_fraction_digits.unwrap_or(3).max(min);
    Some(decimal(locale, n.value, min, max))
}

/// Fluent's number formatting for one language (Fluent itself prints `1234.5` everywhere).
pub fn fluent_formatter_for(language: &str) -> Formatter {
    match language {
        "fr" => |v, _| fluent_number("fr", v),
        _ => |v, _| fluent_number("en", v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_keep_their_own_minor_units() {
        assert_eq!(money("en", 123456, "EUR"), "€1,234.56");
        assert_eq!(money("en", 1234, "JPY"), "¥1,234");
        assert_eq!(money("en", 1234, "KWD"), "KWD\u{A0}1.234");
        assert_eq!(money("fr", 123456, "EUR"), "1\u{202F}234,56\u{A0}€");
        assert_eq!(money("fr", 500, "JPY"), "500\u{A0}¥");
        assert_eq!(money("fr", -250, "USD"), "-2,50\u{A0}$US");
    }

    #[test]
    fn integers_and_decimals_use_the_locale_separators() {
        assert_eq!(integer("en", 1234567), "1,234,567");
        assert_eq!(integer("fr", 1234567), "1\u{202F}234\u{202F}567");
        assert_eq!(integer("en-XA", -12), "-12");
        assert_eq!(decimal("fr", 2.5, 0, 3), "2,5");
        assert_eq!(decimal("en", 1000.0, 2, 2), "1,000.00");
    }

    #[test]
    fn amounts_without_a_symbol_and_short_dates_follow_each_language() {
        assert_eq!(amount("en", 123450, "EUR"), "1,234.50");
        assert_eq!(amount("fr", 123450, "EUR"), "1\u{202F}234,50");
        assert_eq!(amount("fr", -500, "JPY"), "-500");
        assert_eq!(short_date("en", "2026-12-06"), "2026-12-06");
        assert_eq!(short_date("fr", "2026-12-06"), "06/12/2026");
    }

    #[test]
    fn long_dates_follow_each_language() {
        assert_eq!(date("en", "2026-12-06T18:00:00Z"), "December 6, 2026");
        assert_eq!(date("fr", "2026-02-01T00:00:00Z"), "1 février 2026");
        assert_eq!(date("fr", "not a date"), "not a date");
    }
}
