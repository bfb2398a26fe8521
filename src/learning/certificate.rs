//! Renders a course completion certificate (landscape A4 PDF with a verification QR code).

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use qrcode::{Color as QrColor, EcLevel, QrCode};
use time::Date;
use time::macros::format_description;

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
static REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
/// DejaVu Sans Bold (same licence).
static BOLD_TTF: &[u8] = include_bytes!(concat!(
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
    let date_text = data.completed_on.format(format_description!(
        "[day padding:none] [month repr:long] [year]"
    ))?;
    let qr = QrCode::with_error_correction_level(verify_url.as_bytes(), EcLevel::M)?;

    let regular = Face::load(REGULAR_TTF)?;
    let bold = Face::load(BOLD_TTF)?;

    let mut document = Document::new();
    document.set_metadata(metadata(data, &learner, &course, &school, &serial));

    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| CertificateError::Pdf("invalid page size".to_owned()))?;
    let mut page = document.start_page_with(settings);
    let mut s = page.surface();

    draw_frame(&mut s);

    // Header: school name and title.
    if !school.is_empty() {
        let caps = school.to_uppercase();
        let size = bold.fit_size(&caps, 13.0, 8.0, TEXT_MAX_W);
        let caps = bold.ellipsize(&caps, size, TEXT_MAX_W);
        Style::new(&bold, size, GOLD).draw(&mut s, CENTER_X, 100.0, &caps);
    }
    let heading = Style::new(&bold, 34.0, INK);
    heading.draw(&mut s, CENTER_X, 150.0, "Certificate of Completion");
    ornament_rule(&mut s, 172.0);

    // Learner: one line, or two smaller ones, sitting on a gold rule.
    let caption = Style::new(&regular, 13.0, MUTED);
    caption.draw(&mut s, CENTER_X, 214.0, "This is to certify that");
    let (name_size, name_lines) = fit_name(&bold, &learner);
    let name_style = Style::new(&bold, name_size, INK);
    let name_line_h = name_size * 1.2;
    let name_first = 266.0 - name_line_h * (name_lines.len() - 1) as f32;
    let mut name_w: f32 = 0.0;
    for (i, line) in name_lines.iter().enumerate() {
        name_style.draw(&mut s, CENTER_X, name_first + name_line_h * i as f32, line);
        name_w = name_w.max(bold.width(line, name_size));
    }
    let half = (name_w.clamp(260.0, TEXT_MAX_W) + 40.0) / 2.0;
    hline(&mut s, CENTER_X - half, CENTER_X + half, 282.0, 0.8, GOLD);

    // Course: up to two lines.
    caption.draw(
        &mut s,
        CENTER_X,
        312.0,
        "has successfully completed the course",
    );
    let (title_size, lines) = bold.fit_lines(&course, 22.0, 11.0, TEXT_MAX_W, 2);
    let title_style = Style::new(&bold, title_size, INK);
    let line_h = title_size * 1.3;
    let first = if lines.len() > 1 { 344.0 } else { 352.0 };
    for (i, line) in lines.iter().enumerate() {
        title_style.draw(&mut s, CENTER_X, first + line_h * i as f32, line);
    }

    // Bottom row: instructor (left), verification QR code (centre), date (right).
    let row_y = 470.0;
    let (left, right) = (CENTER_X - 215.0, CENTER_X + 215.0);
    signature_block(&mut s, &regular, left, row_y, &instructor, "Instructor");
    signature_block(
        &mut s,
        &regular,
        right,
        row_y,
        &date_text,
        "Date of completion",
    );
    let qr_size = 76.0;
    let qr_y = 412.0;
    draw_qr(&mut s, &qr, CENTER_X - qr_size / 2.0, qr_y, qr_size);
    let small = Style::new(&regular, 7.5, MUTED);
    small.draw(&mut s, CENTER_X, qr_y + qr_size + 15.0, "Scan to verify");

    // Footer: serial and verification URL; on two lines if they do not fit on one.
    let footer_w = PAGE_W - 130.0;
    let serial_text = format!("Certificate No. {serial}");
    let url_text = format!("Verify at {verify_url}");
    let footer = format!("{serial_text}   ·   {url_text}");
    let footer_size = regular.fit_size(&footer, 8.5, 6.0, footer_w);
    if regular.width(&footer, footer_size) <= footer_w {
        Style::new(&regular, footer_size, MUTED).draw(&mut s, CENTER_X, 540.0, &footer);
    } else {
        for (line, baseline) in [(serial_text, 533.0), (url_text, 544.0)] {
            let size = regular.fit_size(&line, 8.5, 5.0, footer_w);
            let line = regular.ellipsize(&line, size, footer_w);
            Style::new(&regular, size, MUTED).draw(&mut s, CENTER_X, baseline, &line);
        }
    }

    s.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| CertificateError::Pdf(e.to_string()))
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

fn metadata(
    data: &CertificateData,
    learner: &str,
    course: &str,
    school: &str,
    serial: &str,
) -> Metadata {
    let date = data.completed_on;
    let mut subject = format!("Certificate of Completion {serial}: {learner} completed {course}");
    if !school.is_empty() {
        subject.push_str(&format!(" at {school}"));
    }
    let mut meta = Metadata::new()
        .title(format!("Certificate {serial}"))
        .description(subject)
        .keywords(vec![
            "certificate".to_owned(),
            "completion".to_owned(),
            serial.to_owned(),
        ])
        .language("en".to_owned())
        .creator("schoolhouse".to_owned())
        .document_id(format!("schoolhouse-certificate-{serial}"))
        .creation_date(
            DateTime::new(u16::try_from(date.year()).unwrap_or(0))
                .month(u8::from(date.month()))
                .day(date.day()),
        );
    if !school.is_empty() {
        meta = meta.authors(vec![school.to_owned()]);
    }
    meta
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

/// A face, size and colour for one run of text.
#[derive(Clone, Copy)]
struct Style<'f> {
    face: &'f Face,
    size: f32,
    color: Rgb,
}

impl<'f> Style<'f> {
    fn new(face: &'f Face, size: f32, color: Rgb) -> Self {
        Self { face, size, color }
    }

    /// Draws `text` on one line, centred on `cx`, with its baseline at `baseline`.
    fn draw(self, s: &mut Surface<'_>, cx: f32, baseline: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let x = cx - self.face.width(text, self.size) / 2.0;
        s.set_stroke(None);
        s.set_fill(Some(fill(self.color)));
        s.draw_text(
            Point::from_xy(x, baseline),
            self.face.font.clone(),
            self.size,
            text,
            false,
            TextDirection::Auto,
        );
    }
}

/// A krilla font plus the horizontal metrics needed to measure text before drawing it.
///
/// krilla shapes text itself but does not expose widths, so this reads the font's
/// `cmap` and `hmtx` tables. Kerning is ignored, which only ever overestimates a
/// Latin line slightly, so fitted text stays inside its box.
struct Face {
    font: Font,
    metrics: Metrics,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Result<Self, CertificateError> {
        let metrics = Metrics::parse(bytes).ok_or(CertificateError::Font)?;
        let font = Font::new(bytes.into(), 0).ok_or(CertificateError::Font)?;
        Ok(Self { font, metrics })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        self.metrics.advance_em(text) * size
    }

    /// Largest size in `[min, max]` (half-point steps) at which `text` fits `max_w`.
    fn fit_size(&self, text: &str, max: f32, min: f32, max_w: f32) -> f32 {
        let em = self.metrics.advance_em(text);
        if em <= 0.0 {
            return max;
        }
        let exact = max_w / em;
        if exact >= max {
            max
        } else {
            ((exact * 2.0).floor() / 2.0).max(min)
        }
    }

    /// Shortens `text` with an ellipsis until it fits `max_w` at `size`.
    fn ellipsize(&self, text: &str, size: f32, max_w: f32) -> String {
        if self.width(text, size) <= max_w {
            return text.to_owned();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate = format!("{}…", chars.iter().collect::<String>().trim_end());
            if self.width(&candidate, size) <= max_w {
                return candidate;
            }
        }
        "…".to_owned()
    }

    /// Wraps `text` into at most `max_lines` lines of `max_w`, shrinking from `max`
    /// towards `min`; at `min` the last line is ellipsized.
    fn fit_lines(
        &self,
        text: &str,
        max: f32,
        min: f32,
        max_w: f32,
        max_lines: usize,
    ) -> (f32, Vec<String>) {
        let mut size = max;
        loop {
            let lines = self.wrap(text, size, max_w);
            if lines.len() <= max_lines {
                return (size, self.balance(text, size, max_w, lines));
            }
            if size <= min {
                let mut kept: Vec<String> = lines.into_iter().take(max_lines).collect();
                if let Some(last) = kept.last_mut() {
                    *last = self.ellipsize(&format!("{last}…"), size, max_w);
                }
                return (size, kept);
            }
            size = (size - 0.5).max(min);
        }
    }

    /// Re-wraps `lines` into the narrowest width that still needs no more lines, so a
    /// two-line title splits near its middle instead of leaving a short last line.
    fn balance(&self, text: &str, size: f32, max_w: f32, lines: Vec<String>) -> Vec<String> {
        if lines.len() < 2 {
            return lines;
        }
        let count = lines.len();
        // Only accept wraps that break where the original did not split a word.
        let joined = lines.join(" ");
        let (mut lo, mut hi) = (max_w / count as f32, max_w);
        let mut best = lines;
        for _ in 0..16 {
            let mid = (lo + hi) / 2.0;
            let candidate = self.wrap(text, size, mid);
            if candidate.len() <= count && candidate.join(" ") == joined {
                best = candidate;
                hi = mid;
            } else {
                lo = mid;
            }
        }
        best
    }

    /// Greedy word wrap; a word wider than the line is broken between characters.
    fn wrap(&self, text: &str, size: f32, max_w: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, size) <= max_w {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            for ch in word.chars() {
                current.push(ch);
                if self.width(&current, size) > max_w && current.chars().count() > 1 {
                    current.pop();
                    lines.push(std::mem::take(&mut current));
                    current.push(ch);
                }
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }
}

/// Advance widths from a TrueType font's `head`, `hhea`, `hmtx` and `cmap` tables.
struct Metrics {
    data: &'static [u8],
    units_per_em: f32,
    hmtx: usize,
    h_metrics: usize,
    cmap: Cmap,
}

enum Cmap {
    /// Format 12 subtable offset (full Unicode).
    Segmented(usize),
    /// Format 4 subtable offset (Basic Multilingual Plane).
    SegmentDelta(usize),
}

fn be_u16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn be_u32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// Binary search over a table sorted by `key`: the first index whose key is `>= target`.
fn first_at_least<K: Ord>(
    len: usize,
    key: impl Fn(usize) -> Option<K>,
    target: K,
) -> Option<usize> {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if key(mid)? < target {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (lo < len).then_some(lo)
}

impl Metrics {
    fn parse(data: &'static [u8]) -> Option<Self> {
        let table = |tag: &[u8; 4]| -> Option<usize> {
            let count = usize::from(be_u16(data, 4)?);
            (0..count).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag).then_some(())?;
                Some(be_u32(data, rec + 8)? as usize)
            })
        };
        let head = table(b"head")?;
        let hhea = table(b"hhea")?;
        let hmtx = table(b"hmtx")?;
        let cmap_at = table(b"cmap")?;
        let units_per_em = f32::from(be_u16(data, head + 18)?);
        let h_metrics = usize::from(be_u16(data, hhea + 34)?);
        if units_per_em <= 0.0 || h_metrics == 0 {
            return None;
        }

        let mut format4 = None;
        let mut format12 = None;
        for i in 0..usize::from(be_u16(data, cmap_at + 2)?) {
            let rec = cmap_at + 4 + 8 * i;
            let platform = be_u16(data, rec)?;
            let encoding = be_u16(data, rec + 2)?;
            let sub = cmap_at + be_u32(data, rec + 4)? as usize;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            match be_u16(data, sub)? {
                12 if unicode => format12 = Some(sub),
                4 if unicode => format4 = Some(sub),
                _ => {}
            }
        }
        let cmap = match (format12, format4) {
            (Some(sub), _) => Cmap::Segmented(sub),
            (None, Some(sub)) => Cmap::SegmentDelta(sub),
            (None, None) => return None,
        };
        Some(Self {
            data,
            units_per_em,
            hmtx,
            h_metrics,
            cmap,
        })
    }

    /// Width of `text` in ems (multiply by the font size for points).
    fn advance_em(&self, text: &str) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.glyph(c)
                    .and_then(|g| self.advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 / self.units_per_em
    }

    fn advance(&self, glyph: u16) -> Option<u16> {
        let index = usize::from(glyph).min(self.h_metrics - 1);
        be_u16(self.data, self.hmtx + 4 * index)
    }

    fn glyph(&self, c: char) -> Option<u16> {
        let d = self.data;
        let cp = u32::from(c);
        match self.cmap {
            Cmap::Segmented(sub) => {
                let groups = be_u32(d, sub + 12)? as usize;
                let group = |i: usize| sub + 16 + 12 * i;
                let i = first_at_least(groups, |i| be_u32(d, group(i) + 4), cp)?;
                let start = be_u32(d, group(i))?;
                if start > cp {
                    return None;
                }
                u16::try_from(be_u32(d, group(i) + 8)? + (cp - start)).ok()
            }
            Cmap::SegmentDelta(sub) => {
                let cp = u16::try_from(cp).ok()?;
                let segs = usize::from(be_u16(d, sub + 6)? / 2);
                let ends = sub + 14;
                let starts = ends + 2 * segs + 2;
                let deltas = starts + 2 * segs;
                let offsets = deltas + 2 * segs;
                let i = first_at_least(segs, |i| be_u16(d, ends + 2 * i), cp)?;
                let start = be_u16(d, starts + 2 * i)?;
                if start > cp {
                    return None;
                }
                let delta = be_u16(d, deltas + 2 * i)?;
                let range_offset = be_u16(d, offsets + 2 * i)?;
                if range_offset == 0 {
                    return Some(cp.wrapping_add(delta));
                }
                let at = offsets + 2 * i + usize::from(range_offset) + 2 * usize::from(cp - start);
                let g = be_u16(d, at)?;
                (g != 0).then(|| g.wrapping_add(delta))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use time::macros::date;

    fn sample() -> CertificateData {
        CertificateData {
            learner_name: "Zoë Łukasiewicz".to_owned(),
            course_title: "Sourdough Baking from First Principles".to_owned(),
            instructor_name: "José Álvarez".to_owned(),
            completed_on: date!(2026 - 11 - 25),
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
    fn text(doc: &lopdf::Document) -> String {
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
    fn squashed(s: &str) -> String {
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
            "25November2026",
            "SourdoughBakingfromFirstPrinciples",
            "https://school.example.com/certificates/SH-2026-7F3K-9QXD",
        ] {
            assert!(page.contains(expected), "{expected} missing from {page}");
        }
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
}
