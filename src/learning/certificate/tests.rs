//! Tests of the certificate PDF: content, fitting of long texts, fonts and bad input.

use super::*;
use std::collections::HashMap;
use time::macros::date;

fn sample() -> CertificateData {
    CertificateData {
        learner_name: "Zoë Łukasiewicz".to_owned(),
        course_title: "Sourdough Baking from First Principles".to_owned(),
        instructor_name: "José Álvarez".to_owned(),
        completed_on: date!(2026 - 11 - 25),
        language: "en".into(),
        serial: "SH-2026-7F3K-9QXD".to_owned(),
        verify_url: "https://school.example.com/certificates/SH-2026-7F3K-9QXD".to_owned(),
        school_name: "Riverside Bakehouse School".to_owned(),
    }
}

/// `CERT_SAMPLE_DIR=/tmp cargo test` writes the rendered PDFs there for a look.
fn save_if_requested(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("CERT_SAMPLE_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(name), pdf).expect("write sample");
    }
}

fn parse(pdf: &[u8]) -> lopdf::Document {
    let doc = lopdf::Document::load_mem(pdf).expect("output is a readable PDF");
    assert_eq!(doc.get_pages().len(), 1, "one page");
    doc
}

fn info_string(doc: &lopdf::Document, key: &[u8]) -> String {
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_dictionary(r))
        .expect("document info dictionary");
    let value = info.get(key).and_then(|o| o.as_str()).expect("info entry");
    lopdf::decode_text_string(&lopdf::Object::String(
        value.to_vec(),
        lopdf::StringFormat::Literal,
    ))
    .expect("text string")
}

/// Page text decoded through each font's ToUnicode map.
///
/// lopdf's own `extract_text` cannot parse the PostScript-style ToUnicode CMaps
/// krilla writes, so this reads the `bfchar` entries and decodes the two-byte
/// glyph codes of every `Tj`/`TJ` string; each text object becomes one line.
pub(crate) fn text(doc: &lopdf::Document) -> String {
    use lopdf::Object;
    let page = doc.get_pages()[&1];
    let maps: HashMap<Vec<u8>, HashMap<u16, String>> = doc
        .get_page_fonts(page)
        .expect("page fonts")
        .into_iter()
        .map(|(name, font)| (name, to_unicode(doc, font)))
        .collect();
    let content = doc.get_page_content(page).expect("page content");
    let content = lopdf::content::Content::decode(&content).expect("content stream");
    let mut out = String::new();
    let mut map = None;
    for op in content.operations {
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok());
                map = name.and_then(|n| maps.get(n));
            }
            "Tj" | "TJ" => {
                let map = map.expect("a font is selected before text is shown");
                let mut strings = Vec::new();
                for operand in &op.operands {
                    match operand {
                        Object::String(bytes, _) => strings.push(bytes.clone()),
                        Object::Array(items) => strings.extend(
                            items
                                .iter()
                                .filter_map(|i| i.as_str().ok().map(<[u8]>::to_vec)),
                        ),
                        _ => {}
                    }
                }
                for code in strings.concat().chunks(2) {
                    let code = u16::from_be_bytes([code[0], *code.get(1).unwrap_or(&0)]);
                    out.push_str(map.get(&code).map_or("\u{fffd}", String::as_str));
                }
            }
            "ET" => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn to_unicode(doc: &lopdf::Document, font: &lopdf::Dictionary) -> HashMap<u16, String> {
    let stream = font
        .get(b"ToUnicode")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_object(r))
        .and_then(|o| o.as_stream())
        .expect("font has a ToUnicode map");
    let cmap = stream.decompressed_content().expect("ToUnicode stream");
    let cmap = String::from_utf8_lossy(&cmap);
    let hex = |s: &str| s.trim_matches(|c| c == '<' || c == '>').to_owned();
    let mut map = HashMap::new();
    for block in cmap.split("beginbfchar").skip(1) {
        let block = block.split("endbfchar").next().unwrap_or_default();
        for line in block.lines() {
            let mut parts = line.split_whitespace();
            let (Some(code), Some(dest)) = (parts.next(), parts.next()) else {
                continue;
            };
            let code = u16::from_str_radix(&hex(code), 16).expect("hex code");
            let units: Vec<u16> = hex(dest)
                .as_bytes()
                .chunks(4)
                .map(|c| u16::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
                .collect();
            map.insert(code, String::from_utf16(&units).expect("UTF-16 text"));
        }
    }
    assert!(!map.is_empty(), "ToUnicode map has entries");
    map
}

/// Text extraction may break lines differently; compare without whitespace.
pub(crate) fn squashed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn renders_a_pdf_with_serial_in_metadata_and_text() {
    let data = sample();
    let pdf = render_certificate(&data).expect("renders");
    assert!(pdf.starts_with(b"%PDF-"));
    save_if_requested("cert-sample.pdf", &pdf);
    let doc = parse(&pdf);
    assert_eq!(info_string(&doc, b"Title"), "Certificate SH-2026-7F3K-9QXD");
    assert!(info_string(&doc, b"Subject").contains("SH-2026-7F3K-9QXD"));
    let page = squashed(&text(&doc));
    for expected in [
        "CertificateofCompletion",
        "SH-2026-7F3K-9QXD",
        "November25,2026",
        "SourdoughBakingfromFirstPrinciples",
        "https://school.example.com/certificates/SH-2026-7F3K-9QXD",
    ] {
        assert!(page.contains(expected), "{expected} missing from {page}");
    }
}

#[test]
fn a_french_course_prints_its_certificate_in_french() {
    let data = CertificateData {
        language: "fr-CA".into(),
        ..sample()
    };
    let doc = parse(&render_certificate(&data).expect("renders"));
    assert_eq!(info_string(&doc, b"Title"), "Certificat SH-2026-7F3K-9QXD");
    let page = squashed(&text(&doc));
    for expected in [
        "Certificatderéussite",
        "Nouscertifionsque",
        "25novembre2026",
        "Formateur",
        "Vérifiersur",
    ] {
        assert!(page.contains(expected), "{expected} missing from {page}");
    }
    assert!(!page.contains("Completion"), "{page}");
}

#[test]
fn non_ascii_names_render_as_real_glyphs() {
    let pdf = render_certificate(&sample()).expect("renders");
    let page = squashed(&text(&parse(&pdf)));
    assert!(page.contains("ZoëŁukasiewicz"), "{page}");
    assert!(page.contains("JoséÁlvarez"), "{page}");
    // Every character used exists in the font (no .notdef boxes).
    let face = Face::load(BOLD_TTF).expect("font");
    assert!(
        "Zoë Łukasiewicz José Álvarez"
            .chars()
            .all(|c| face.metrics.glyph(c).is_some())
    );
}

#[test]
fn very_long_title_and_name_still_render_within_the_page() {
    let mut data = sample();
    data.course_title = "An Extraordinarily Comprehensive Introduction to the Theory and \
                         Practice of Naturally Leavened Breads, Pastries, Laminated Doughs and \
                         Everything Else a Home Baker Could Possibly Want to Know About Flour"
        .repeat(3);
    data.learner_name = "Maria Anna Sophia Cecilia Kalogeropoulou-Wittgenstein de la Vega y \
                         Montenegro"
        .to_owned();
    let pdf = render_certificate(&data).expect("renders");
    assert!(pdf.starts_with(b"%PDF-"));
    save_if_requested("cert-long.pdf", &pdf);
    let page = squashed(&text(&parse(&pdf)));
    assert!(page.contains("AnExtraordinarilyComprehensive"), "{page}");
    assert!(page.contains("SH-2026-7F3K-9QXD"), "{page}");

    let bold = Face::load(BOLD_TTF).expect("font");
    let (size, lines) = bold.fit_lines(&data.course_title, 22.0, 11.0, TEXT_MAX_W, 2);
    assert!(lines.len() <= 2);
    assert!(size >= 11.0);
    assert!(lines.iter().all(|l| bold.width(l, size) <= TEXT_MAX_W));
    assert!(lines[1].ends_with('…'));
    let (name_size, name_lines) = fit_name(&bold, &data.learner_name);
    assert_eq!(
        name_lines.len(),
        2,
        "a long name wraps instead of being cut"
    );
    assert_eq!(name_lines.join(" "), data.learner_name);
    assert!(
        name_lines
            .iter()
            .all(|l| bold.width(l, name_size) <= TEXT_MAX_W)
    );
}

#[test]
fn two_line_text_is_split_near_the_middle() {
    let bold = Face::load(BOLD_TTF).expect("font");
    let title = "Advanced Techniques in Naturally Leavened Breads: Hydration, \
                 Fermentation and Shaping for Home Bakers";
    let (size, lines) = bold.fit_lines(title, 22.0, 11.0, TEXT_MAX_W, 2);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines.join(" "), title);
    let (a, b) = (bold.width(&lines[0], size), bold.width(&lines[1], size));
    assert!((a - b).abs() < 0.25 * a.max(b), "{lines:?}");
}

#[test]
fn short_title_keeps_full_size_on_one_line() {
    let bold = Face::load(BOLD_TTF).expect("font");
    let (size, lines) = bold.fit_lines("Knife Skills", 22.0, 11.0, TEXT_MAX_W, 2);
    assert_eq!((size, lines), (22.0, vec!["Knife Skills".to_owned()]));
}

#[test]
fn measured_width_matches_font_metrics() {
    let regular = Face::load(REGULAR_TTF).expect("font");
    // DejaVu Sans: 'a' advances 1255 of 2048 units.
    let w = regular.width("aa", 2048.0);
    assert!((w - 2.0 * 1255.0).abs() < 0.01, "{w}");
    assert!(regular.width("Ł", 10.0) > 0.0);
    // Characters the font lacks are reported, not guessed (CJK, Hangul).
    assert_eq!(regular.metrics.glyph('\u{AC00}'), None);
    assert_eq!(regular.metrics.glyph('\u{4E2D}'), None);
    assert!(regular.metrics.glyph('\u{FFFD}').is_some());
}

#[test]
fn empty_learner_name_is_rejected() {
    let mut data = sample();
    data.learner_name = "  \n ".to_owned();
    assert!(matches!(
        render_certificate(&data),
        Err(CertificateError::EmptyField("learner name"))
    ));
}

#[test]
fn metadata_is_readable_without_text_extraction() {
    let pdf = render_certificate(&sample()).expect("renders");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("Certificate SH-2026-7F3K-9QXD"));
}
