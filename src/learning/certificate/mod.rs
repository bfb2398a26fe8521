//! Renders a course completion certificate (landscape A4 PDF with a verification QR code).

use crate::i18n::Args;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Rect};

use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, Stroke};
use krilla::surface::Surface;
use qrcode::{Color as QrColor, EcLevel, QrCode};
use time::Date;

#[cfg(test)]
pub(crate) mod tests;
/// Fonts and text measuring, shared with the invoice PDFs (`commerce::invoices::pdf`).
pub(crate) mod text;
mod words;

use text::{Face, Style};
use words::{Words, metadata};

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
/// DejaVu Sans Bold (same licence).
pub(crate) static BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// Everything printed on a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateData {
    pub learner_name: String,
    pub course_title: String,
    pub instructor_name: String,
    pub completed_on: Date,
    /// Public certificate number, also written into the PDF title and subject.
    pub serial: String,
    /// Public page where anyone can check the certificate; printed and encoded as a QR code.
    pub verify_url: String,
    pub school_name: String,
    /// The course's language: the certificate's words, date and PDF language are in it
    /// (English when no catalogue has it).
    pub language: String,
}

/// Why a certificate could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("{0} must not be empty")]
    EmptyField(&'static str),
    #[error("the embedded certificate font could not be loaded")]
    Font,
    #[error("the verification URL cannot be encoded as a QR code: {0}")]
    QrCode(#[from] qrcode::types::QrError),
    #[error("the completion date cannot be formatted: {0}")]
    Date(#[from] time::error::Format),
    #[error("PDF generation failed: {0}")]
    Pdf(String),
}

// Landscape A4 in PDF points.
const PAGE_W: f32 = 841.89;
const PAGE_H: f32 = 595.28;
const CENTER_X: f32 = PAGE_W / 2.0;
/// Widest line allowed for the big centred texts (name, course title).
const TEXT_MAX_W: f32 = 640.0;

/// An sRGB colour.
type Rgb = (u8, u8, u8);

const INK: Rgb = (0x1d, 0x2b, 0x4a); // deep navy
const GOLD: Rgb = (0xb0, 0x8d, 0x57);
const MUTED: Rgb = (0x5b, 0x63, 0x72);
const PAPER: Rgb = (0xfd, 0xfb, 0xf5);
const WHITE: Rgb = (0xff, 0xff, 0xff);

/// Renders the certificate as the bytes of a one-page PDF.
pub fn render_certificate(data: &CertificateData) -> Result<Vec<u8>, CertificateError> {
    let learner = required(&data.learner_name, "learner name")?;
    let course = required(&data.course_title, "course title")?;
    let serial = required(&data.serial, "serial")?;
    let verify_url = required(&data.verify_url, "verification URL")?;
    let school = clean(&data.school_name);
    let instructor = clean(&data.instructor_name);
    let words = Words::new(&data.language);
    let date_text = crate::i18n::format::long_date(&words.locale, data.completed_on);
    let qr = QrCode::with_error_correction_level(verify_url.as_bytes(), EcLevel::M)?;

    let regular = Face::load(REGULAR_TTF)?;
    let bold = Face::load(BOLD_TTF)?;

    let mut document = Document::new();
    document.set_metadata(metadata(data, &words, &learner, &course, &school, &serial));

    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| CertificateError::Pdf("invalid page size".to_owned()))?;
    let mut page = document.start_page_with(settings);
    let mut s = page.surface();

    draw_frame(&mut s);
    draw_heading(&mut s, &bold, &school, &words);
    draw_learner(&mut s, &regular, &bold, &learner, &words);
    draw_course(&mut s, &regular, &bold, &course, &words);
    draw_bottom_row(&mut s, &regular, &instructor, &date_text, &qr, &words);
    draw_footer(&mut s, &regular, &serial, &verify_url, &words);

    s.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| CertificateError::Pdf(e.to_string()))
}

/// Header: the school's name in gold capitals (when there is one), the title and a rule.
fn draw_heading(s: &mut Surface<'_>, bold: &Face, school: &str, words: &Words) {
    if !school.is_empty() {
        let caps = school.to_uppercase();
        let size = bold.fit_size(&caps, 13.0, 8.0, TEXT_MAX_W);
        let caps = bold.ellipsize(&caps, size, TEXT_MAX_W);
        Style::new(bold, size, GOLD).draw(s, CENTER_X, 100.0, &caps);
    }
    let title = words.tr("cert-heading", Args::new());
    let size = bold.fit_size(&title, 34.0, 20.0, TEXT_MAX_W);
    Style::new(bold, size, INK).draw(s, CENTER_X, 150.0, &title);
    ornament_rule(s, 172.0);
}

/// Learner: one line, or two smaller ones, sitting on a gold rule as wide as the name.
fn draw_learner(s: &mut Surface<'_>, regular: &Face, bold: &Face, learner: &str, words: &Words) {
    let caption = Style::new(regular, 13.0, MUTED);
    caption.draw(s, CENTER_X, 214.0, &words.tr("cert-certify", Args::new()));
    let (name_size, name_lines) = fit_name(bold, learner);
    let name_style = Style::new(bold, name_size, INK);
    let name_line_h = name_size * 1.2;
    let name_first = 266.0 - name_line_h * (name_lines.len() - 1) as f32;
    let mut name_w: f32 = 0.0;
    for (i, line) in name_lines.iter().enumerate() {
        name_style.draw(s, CENTER_X, name_first + name_line_h * i as f32, line);
        name_w = name_w.max(bold.width(line, name_size));
    }
    let half = (name_w.clamp(260.0, TEXT_MAX_W) + 40.0) / 2.0;
    hline(s, CENTER_X - half, CENTER_X + half, 282.0, 0.8, GOLD);
}

/// Course: up to two lines.
fn draw_course(s: &mut Surface<'_>, regular: &Face, bold: &Face, course: &str, words: &Words) {
    let caption = Style::new(regular, 13.0, MUTED);
    caption.draw(s, CENTER_X, 312.0, &words.tr("cert-completed", Args::new()));
    let (title_size, lines) = bold.fit_lines(course, 22.0, 11.0, TEXT_MAX_W, 2);
    let title_style = Style::new(bold, title_size, INK);
    let line_h = title_size * 1.3;
    let first = if lines.len() > 1 { 344.0 } else { 352.0 };
    for (i, line) in lines.iter().enumerate() {
        title_style.draw(s, CENTER_X, first + line_h * i as f32, line);
    }
}

/// Bottom row: instructor (left), verification QR code (centre), date (right).
fn draw_bottom_row(
    s: &mut Surface<'_>,
    regular: &Face,
    instructor: &str,
    date: &str,
    qr: &QrCode,
    words: &Words,
) {
    let row_y = 470.0;
    let (left, right) = (CENTER_X - 215.0, CENTER_X + 215.0);
    let (instructor_label, date_label) = (
        words.tr("cert-instructor", Args::new()),
        words.tr("cert-date", Args::new()),
    );
    signature_block(s, regular, left, row_y, instructor, &instructor_label);
    signature_block(s, regular, right, row_y, date, &date_label);
    let qr_size = 76.0;
    let qr_y = 412.0;
    draw_qr(s, qr, CENTER_X - qr_size / 2.0, qr_y, qr_size);
    let small = Style::new(regular, 7.5, MUTED);
    small.draw(
        s,
        CENTER_X,
        qr_y + qr_size + 15.0,
        &words.tr("cert-scan", Args::new()),
    );
}

/// Footer: serial and verification URL; on two lines if they do not fit on one.
fn draw_footer(s: &mut Surface<'_>, regular: &Face, serial: &str, verify_url: &str, words: &Words) {
    let footer_w = PAGE_W - 130.0;
    let serial_text = words.tr("cert-number", Args::new().text("serial", serial));
    let url_text = words.tr("cert-verify-at", Args::new().text("url", verify_url));
    let footer = format!("{serial_text}   ·   {url_text}");
    let footer_size = regular.fit_size(&footer, 8.5, 6.0, footer_w);
    if regular.width(&footer, footer_size) <= footer_w {
        Style::new(regular, footer_size, MUTED).draw(s, CENTER_X, 540.0, &footer);
    } else {
        for (line, baseline) in [(serial_text, 533.0), (url_text, 544.0)] {
            let size = regular.fit_size(&line, 8.5, 5.0, footer_w);
            let line = regular.ellipsize(&line, size, footer_w);
            Style::new(regular, size, MUTED).draw(s, CENTER_X, baseline, &line);
        }
    }
}

/// The learner's name on one line from 38 pt down to 22 pt; a longer name is set on two
/// smaller lines (never cut unless it is absurdly long).
fn fit_name(bold: &Face, name: &str) -> (f32, Vec<String>) {
    let size = bold.fit_size(name, 38.0, 22.0, TEXT_MAX_W);
    if bold.width(name, size) <= TEXT_MAX_W {
        (size, vec![name.to_owned()])
    } else {
        bold.fit_lines(name, 18.0, 12.0, TEXT_MAX_W, 2)
    }
}

/// Collapses whitespace (including newlines and control characters) to single spaces.
fn clean(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn required(s: &str, field: &'static str) -> Result<String, CertificateError> {
    let s = clean(s);
    if s.is_empty() {
        Err(CertificateError::EmptyField(field))
    } else {
        Ok(s)
    }
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(color: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        width,
        line_cap: LineCap::Butt,
        ..Default::default()
    }
}

fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(x, y, w, h)?);
    pb.finish()
}

fn diamond_path(cx: f32, cy: f32, r: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    pb.move_to(cx, cy - r);
    pb.line_to(cx + r, cy);
    pb.line_to(cx, cy + r);
    pb.line_to(cx - r, cy);
    pb.close();
    pb.finish()
}

fn fill_path(s: &mut Surface<'_>, path: Option<Path>, color: Rgb) {
    if let Some(path) = path {
        s.set_stroke(None);
        s.set_fill(Some(fill(color)));
        s.draw_path(&path);
    }
}

fn stroke_path(s: &mut Surface<'_>, path: Option<Path>, color: Rgb, width: f32) {
    if let Some(path) = path {
        s.set_fill(None);
        s.set_stroke(Some(stroke(color, width)));
        s.draw_path(&path);
    }
}

fn hline(s: &mut Surface<'_>, x0: f32, x1: f32, y: f32, width: f32, color: Rgb) {
    let mut pb = PathBuilder::new();
    pb.move_to(x0, y);
    pb.line_to(x1, y);
    stroke_path(s, pb.finish(), color, width);
}

/// Paper tone, a double border and corner ornaments.
fn draw_frame(s: &mut Surface<'_>) {
    fill_path(s, rect_path(0.0, 0.0, PAGE_W, PAGE_H), PAPER);
    let outer = 22.0;
    stroke_path(
        s,
        rect_path(outer, outer, PAGE_W - 2.0 * outer, PAGE_H - 2.0 * outer),
        INK,
        2.5,
    );
    let inner = 31.0;
    stroke_path(
        s,
        rect_path(inner, inner, PAGE_W - 2.0 * inner, PAGE_H - 2.0 * inner),
        GOLD,
        0.9,
    );
    for (x, y) in [
        (inner, inner),
        (PAGE_W - inner, inner),
        (inner, PAGE_H - inner),
        (PAGE_W - inner, PAGE_H - inner),
    ] {
        fill_path(s, diamond_path(x, y, 6.0), GOLD);
        fill_path(s, diamond_path(x, y, 2.5), PAPER);
    }
}

/// A short gold rule with a diamond in the middle.
fn ornament_rule(s: &mut Surface<'_>, y: f32) {
    hline(s, CENTER_X - 90.0, CENTER_X - 10.0, y, 0.8, GOLD);
    hline(s, CENTER_X + 10.0, CENTER_X + 90.0, y, 0.8, GOLD);
    fill_path(s, diamond_path(CENTER_X, y, 4.0), GOLD);
}

fn signature_block(
    s: &mut Surface<'_>,
    face: &Face,
    cx: f32,
    line_y: f32,
    value: &str,
    label: &str,
) {
    let half = 100.0;
    let size = face.fit_size(value, 14.0, 8.0, 2.0 * half);
    let value = face.ellipsize(value, size, 2.0 * half);
    Style::new(face, size, INK).draw(s, cx, line_y - 8.0, &value);
    hline(s, cx - half, cx + half, line_y, 0.7, MUTED);
    Style::new(face, 9.0, MUTED).draw(s, cx, line_y + 16.0, label);
}

fn draw_qr(s: &mut Surface<'_>, qr: &QrCode, x: f32, y: f32, size: f32) {
    let n = qr.width();
    let module = size / n as f32;
    let quiet = module * 2.0;
    fill_path(
        s,
        rect_path(x - quiet, y - quiet, size + 2.0 * quiet, size + 2.0 * quiet),
        WHITE,
    );
    // One path; each horizontal run of dark modules is one rectangle.
    let colors = qr.to_colors();
    let mut pb = PathBuilder::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != QrColor::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && colors[row * n + col] == QrColor::Dark {
                col += 1;
            }
            if let Some(r) = Rect::from_xywh(
                x + start as f32 * module,
                y + row as f32 * module,
                (col - start) as f32 * module,
                module,
            ) {
                pb.push_rect(r);
            }
        }
    }
    fill_path(s, pb.finish(), INK);
}
