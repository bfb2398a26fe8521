//! `[invoices]`: the seller identity printed on invoices and credit notes, and the format of
//! their two number series; owned by `commerce::invoices`.

use std::path::{Path, PathBuf};

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
    /// A PNG or JPEG file printed at the top of every document (none by default); checked
    /// at start, so a missing or unreadable file is a configuration error.
    pub logo: Option<PathBuf>,
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
            logo: None,
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
    if let Some(path) = &config.logo {
        Logo::read(path).map_err(|e| key_error("invoices.logo", e))?;
    }
    Ok(())
}

/// The seller's logo as the PDF stack draws it.
#[derive(Debug, Clone)]
pub struct Logo {
    pub image: krilla::image::Image,
}

impl Logo {
    /// Reads `path` and checks that it is a PNG or JPEG the PDF stack can draw, by drawing it
    /// once, so a broken file is refused here and never makes a broken document.
    pub fn read(path: &Path) -> Result<Logo, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read the logo file {}: {e}", path.display()))?;
        let data = krilla::Data::from(bytes.clone());
        let image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            krilla::image::Image::from_png(data, true)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            krilla::image::Image::from_jpeg(data, true)
        } else {
            return Err(format!("{} is not a PNG or JPEG file", path.display()));
        }
        .map_err(|e| format!("the logo file {} cannot be read: {e}", path.display()))?;
        let logo = Logo { image };
        let mut document = krilla::Document::new();
        let settings = krilla::page::PageSettings::from_wh(100.0, 100.0).ok_or("page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        logo.draw(&mut surface, 0.0, 0.0, 100.0, 100.0);
        surface.finish();
        page.finish();
        document
            .finish()
            .map_err(|e| format!("the logo file {} cannot be drawn: {e:?}", path.display()))?;
        Ok(logo)
    }

    /// Draws the logo scaled to fit `width` × `height` (aspect kept), its top-right corner at
    /// `(right, top)`.
    pub fn draw(
        &self,
        s: &mut krilla::surface::Surface<'_>,
        right: f32,
        top: f32,
        width: f32,
        height: f32,
    ) {
        let (w, h) = self.image.size();
        if w == 0 || h == 0 {
            return;
        }
        let scale = (width / w as f32).min(height / h as f32);
        let (dw, dh) = (w as f32 * scale, h as f32 * scale);
        let Some(size) = krilla::geom::Size::from_wh(dw, dh) else {
            return;
        };
        let x = if right > 0.0 { right - dw } else { 0.0 };
        s.push_transform(&krilla::geom::Transform::from_translate(x, top));
        s.draw_image(self.image.clone(), size);
        s.pop();
    }
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

    /// A 1×1 PNG.
    pub const TINY_PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xFC,
        0xCF, 0xC0, 0x50, 0x0F, 0x00, 0x04, 0x85, 0x01, 0x80, 0x84, 0xA9, 0x8C, 0x21, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn a_logo_must_be_a_readable_png_or_jpeg() {
        let dir = tempfile::tempdir().unwrap();
        let with = |name: &str, bytes: Option<&[u8]>| {
            let path = dir.path().join(name);
            if let Some(bytes) = bytes {
                std::fs::write(&path, bytes).unwrap();
            }
            InvoicesConfig {
                logo: Some(path),
                ..InvoicesConfig::default()
            }
        };
        assert!(validate(&with("logo.png", Some(TINY_PNG))).is_ok());
        let missing = validate(&with("missing.png", None)).unwrap_err();
        assert!(
            format!("{missing:?}").contains("invoices.logo"),
            "{missing:?}"
        );
        assert!(validate(&with("logo.svg", Some(b"<svg/>"))).is_err());
        let mut cut = TINY_PNG.to_vec();
        cut.truncate(40);
        assert!(
            validate(&with("cut.png", Some(&cut))).is_err(),
            "a truncated PNG"
        );
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
