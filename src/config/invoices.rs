//! `[invoices]`: the seller identity printed on invoices and credit notes, and the format of
//! their two number series; owned by `commerce::invoices`.

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InvoicesConfig {
    /// The seller's legal name; empty means `[store] name`.
    pub legal_name: String,
    /// Postal address, one entry per printed line.
    pub address: Vec<String>,
    /// VAT identification number (e.g. `DE123456789`); empty when the seller has none.
    pub vat_number: String,
    /// Other tax number (national tax id), printed when set.
    pub tax_number: String,
    /// Company registration (e.g. `Amtsgericht Berlin HRB 12345`), printed when set.
    pub registration: String,
    /// Free text at the foot of every document (bank details, thanks ...).
    pub footer: String,
    /// Invoice numbers: `{seq}` or `{seq:0N}` (zero-padded to N digits) once, `{year}`
    /// (the year of issue) optionally. One series that never restarts.
    pub number_format: String,
    /// The first invoice's sequence number (used only while no invoice exists).
    pub first_number: u64,
    /// Credit note numbers, same placeholders; must differ from `number_format`.
    pub credit_note_format: String,
    /// The first credit note's sequence number (used only while no credit note exists).
    pub credit_note_first_number: u64,
}

impl Default for InvoicesConfig {
    fn default() -> Self {
        InvoicesConfig {
            legal_name: String::new(),
            address: Vec::new(),
            vat_number: String::new(),
            tax_number: String::new(),
            registration: String::new(),
            footer: String::new(),
            number_format: "INV-{year}-{seq:06}".into(),
            first_number: 1,
            credit_note_format: "CN-{year}-{seq:06}".into(),
            credit_note_first_number: 1,
        }
    }
}

/// Highest first number accepted (a typo guard; series run far below it).
pub const MAX_FIRST_NUMBER: u64 = 1_000_000_000_000;
/// Longest rendered number (the format's literal text plus the digits).
const MAX_FORMAT_CHARS: usize = 40;
const MAX_TEXT_CHARS: usize = 500;

/// One piece of a number format.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Year,
    /// The sequence number, zero-padded to this many digits (0: no padding).
    Seq(usize),
}

/// A parsed number format such as `INV-{year}-{seq:06}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat(Vec<Piece>);

impl NumberFormat {
    /// Parses `format`: literal text (letters, digits, `-`, `/`, `_`, `.`) with `{year}`
    /// at most once and `{seq}` / `{seq:0N}` (N from 1 to 12) exactly once.
    pub fn parse(format: &str) -> Result<NumberFormat, String> {
        let mut pieces = Vec::new();
        let mut rest = format;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or("a `{` is not closed")?;
                pieces.push(placeholder(&after[..end])?);
                rest = &after[end + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let text = &rest[..end];
                if let Some(c) = text
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || "-/_.".contains(*c)))
                {
                    return Err(format!(
                        "{c:?} is not allowed: use letters, digits, -, /, _ and ."
                    ));
                }
                pieces.push(Piece::Text(text.to_string()));
                rest = &rest[end..];
            }
        }
        let count = |p: fn(&Piece) -> bool| pieces.iter().filter(|x| p(x)).count();
        if count(|p| matches!(p, Piece::Seq(_))) != 1 {
            return Err("must contain {seq} (or {seq:06}) exactly once".into());
        }
        if count(|p| matches!(p, Piece::Year)) > 1 {
            return Err("may contain {year} at most once".into());
        }
        let parsed = NumberFormat(pieces);
        if parsed.render(9999, MAX_FIRST_NUMBER).chars().count() > MAX_FORMAT_CHARS {
            return Err(format!(
                "numbers would be longer than {MAX_FORMAT_CHARS} characters"
            ));
        }
        Ok(parsed)
    }

    /// The number of the `seq`th document issued in `year`.
    pub fn render(&self, year: i32, seq: u64) -> String {
        self.0
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Year => format!("{year:04}"),
                Piece::Seq(width) => format!("{seq:0width$}"),
            })
            .collect()
    }
}

fn placeholder(name: &str) -> Result<Piece, String> {
    match name {
        "year" => Ok(Piece::Year),
        "seq" => Ok(Piece::Seq(0)),
        _ => {
            let width = name
                .strip_prefix("seq:0")
                .and_then(|w| w.parse::<usize>().ok())
                .filter(|w| (1..=12).contains(w))
                .ok_or_else(|| {
                    format!("{{{name}}} is not a placeholder: use {{year}}, {{seq}} or {{seq:0N}} (N 1 to 12)")
                })?;
            Ok(Piece::Seq(width))
        }
    }
}

pub fn validate(config: &InvoicesConfig) -> Result<(), ConfigError> {
    for (key, format) in [
        ("invoices.number_format", &config.number_format),
        ("invoices.credit_note_format", &config.credit_note_format),
    ] {
        NumberFormat::parse(format).map_err(|e| key_error(key, e))?;
    }
    if config.number_format == config.credit_note_format {
        return Err(key_error(
            "invoices.credit_note_format",
            "must differ from invoices.number_format, so an invoice and a credit note never share a number",
        ));
    }
    for (key, first) in [
        ("invoices.first_number", config.first_number),
        (
            "invoices.credit_note_first_number",
            config.credit_note_first_number,
        ),
    ] {
        if !(1..=MAX_FIRST_NUMBER).contains(&first) {
            return Err(key_error(key, format!("must be 1 to {MAX_FIRST_NUMBER}")));
        }
    }
    let texts = [
        ("invoices.legal_name", &config.legal_name),
        ("invoices.vat_number", &config.vat_number),
        ("invoices.tax_number", &config.tax_number),
        ("invoices.registration", &config.registration),
        ("invoices.footer", &config.footer),
    ];
    let lines = config.address.iter().map(|l| ("invoices.address", l));
    for (key, text) in texts.into_iter().chain(lines) {
        if text.chars().count() > MAX_TEXT_CHARS || text.chars().any(|c| c.is_control()) {
            return Err(key_error(
                key,
                format!("must be one line of at most {MAX_TEXT_CHARS} characters"),
            ));
        }
    }
    if config.address.len() > 6 {
        return Err(key_error("invoices.address", "at most 6 lines"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_formats_render_the_year_and_a_padded_sequence() {
        let format = NumberFormat::parse("INV-{year}-{seq:06}").unwrap();
        assert_eq!(format.render(2026, 42), "INV-2026-000042");
        assert_eq!(format.render(2027, 1234567), "INV-2027-1234567");
        assert_eq!(NumberFormat::parse("{seq}").unwrap().render(2026, 7), "7");
    }

    #[test]
    fn a_format_without_exactly_one_sequence_is_refused() {
        for bad in [
            "INV-{year}",
            "{seq}-{seq}",
            "INV {seq}",
            "{seq:00}",
            "{seq:013}",
            "{month}-{seq}",
            "{seq",
            "{year}{year}{seq}",
        ] {
            assert!(NumberFormat::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn equal_series_formats_or_a_zero_first_number_are_refused() {
        let mut config = InvoicesConfig::default();
        assert!(validate(&config).is_ok());
        config.credit_note_format = config.number_format.clone();
        assert!(validate(&config).is_err());
        let config = InvoicesConfig {
            first_number: 0,
            ..InvoicesConfig::default()
        };
        assert!(validate(&config).is_err());
    }

    #[test]
    fn a_multi_line_text_is_refused() {
        let config = InvoicesConfig {
            footer: "IBAN\nDE00".into(),
            ..InvoicesConfig::default()
        };
        assert!(validate(&config).is_err());
    }
}
