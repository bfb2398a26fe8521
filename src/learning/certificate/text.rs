//! Text on the certificate (and the invoices): fonts, measuring, fitting and wrapping lines.

use krilla::geom::Point;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider};

use super::{CertificateError, Rgb, fill};

/// A face, size and colour for one run of text.
#[derive(Clone, Copy)]
pub(crate) struct Style<'f> {
    face: &'f Face,
    size: f32,
    color: Rgb,
}

impl<'f> Style<'f> {
    pub(crate) fn new(face: &'f Face, size: f32, color: Rgb) -> Self {
        Self { face, size, color }
    }

    /// Draws `text` on one line, centred on `cx`, with its baseline at `baseline`.
    pub(crate) fn draw(self, s: &mut Surface<'_>, cx: f32, baseline: f32, text: &str) {
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
pub(crate) struct Face {
    pub(super) font: Font,
    pub(super) metrics: Metrics,
}

impl Face {
    pub(crate) fn load(bytes: &'static [u8]) -> Result<Self, CertificateError> {
        let metrics = Metrics::parse(bytes).ok_or(CertificateError::Font)?;
        let font = Font::new(bytes.into(), 0).ok_or(CertificateError::Font)?;
        Ok(Self { font, metrics })
    }

    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        self.metrics.advance_em(text) * size
    }

    /// Largest size in `[min, max]` (half-point steps) at which `text` fits `max_w`.
    pub(crate) fn fit_size(&self, text: &str, max: f32, min: f32, max_w: f32) -> f32 {
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
    pub(crate) fn ellipsize(&self, text: &str, size: f32, max_w: f32) -> String {
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
    pub(crate) fn fit_lines(
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

/// Horizontal advances in em units, read with skrifa (the font library krilla builds on).
pub(super) struct Metrics {
    charmap: Charmap<'static>,
    glyphs: GlyphMetrics<'static>,
}

impl Metrics {
    fn parse(data: &'static [u8]) -> Option<Self> {
        let font = FontRef::new(data).ok()?;
        Some(Self {
            charmap: font.charmap(),
            // One pixel per em, so advances come out in em units.
            glyphs: font.glyph_metrics(Size::new(1.0), LocationRef::default()),
        })
    }

    /// Width of `text` in ems; characters the font lacks count as zero.
    fn advance_em(&self, text: &str) -> f32 {
        text.chars()
            .filter_map(|c| self.glyph(c).and_then(|g| self.glyphs.advance_width(g)))
            .sum()
    }

    pub(super) fn glyph(&self, c: char) -> Option<GlyphId> {
        self.charmap.map(c)
    }
}
