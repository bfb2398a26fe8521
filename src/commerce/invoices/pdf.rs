//! Renders an invoice or credit note as an A4 PDF with the certificate's PDF stack (krilla and
//! its embedded DejaVu fonts). Only what the document's frozen content says is printed, with
//! the seller's logo when one is configured.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::PathBuilder;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{LineCap, Stroke};
use krilla::surface::Surface;

use super::content::{DocumentContent, DocumentKind, DocumentLine, rate};
use crate::config::invoices::Logo;
use crate::learning::certificate::text::{Face, Style};
use crate::learning::certificate::{BOLD_TTF, REGULAR_TTF};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 42.0;
const RIGHT: f32 = PAGE_W - 42.0;
/// Below this, table rows continue on a new page.
const LAST_ROW_Y: f32 = PAGE_H - 90.0;

const INK: (u8, u8, u8) = (0x1d, 0x2b, 0x4a);
const MUTED: (u8, u8, u8) = (0x5b, 0x63, 0x72);

/// Right edges of the table's number columns: qty, unit price, discount, net, rate, tax, total.
const COLUMNS: [f32; 7] = [262.0, 322.0, 372.0, 425.0, 462.0, 507.0, RIGHT];

struct Pen<'a> {
    regular: &'a Face,
    bold: &'a Face,
}

impl Pen<'_> {
    fn left(&self, s: &mut Surface<'_>, bold: bool, size: f32, x: f32, y: f32, text: &str) {
        let face = if bold { self.bold } else { self.regular };
        let text = face.ellipsize(text, size, RIGHT - x);
        let w = face.width(&text, size);
        Style::new(face, size, INK).draw(s, x + w / 2.0, y, &text);
    }

    fn right(&self, s: &mut Surface<'_>, bold: bool, size: f32, x: f32, y: f32, text: &str) {
        let face = if bold { self.bold } else { self.regular };
        let w = face.width(text, size);
        Style::new(face, size, INK).draw(s, x - w / 2.0, y, text);
    }

    fn muted(&self, s: &mut Surface<'_>, size: f32, x: f32, y: f32, text: &str) {
        let text = self.regular.ellipsize(text, size, RIGHT - x);
        let w = self.regular.width(&text, size);
        Style::new(self.regular, size, MUTED).draw(s, x + w / 2.0, y, &text);
    }
}

/// Cents as printed in the table: `1234` is `12.34`.
fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn rule(s: &mut Surface<'_>, y: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(LEFT, y);
    pb.line_to(RIGHT, y);
    if let Some(path) = pb.finish() {
        s.set_fill(None);
        s.set_stroke(Some(Stroke {
            paint: rgb::Color::new(MUTED.0, MUTED.1, MUTED.2).into(),
            width: 0.5,
            line_cap: LineCap::Butt,
            ..Default::default()
        }));
        s.draw_path(&path);
    }
}

/// Renders `doc` as the bytes of a PDF, with the seller's `logo` at the top right of the
/// first page when one is configured.
pub fn render(doc: &DocumentContent, logo: Option<&Logo>) -> Result<Vec<u8>, String> {
    let font_error = |_| "the embedded font could not be loaded".to_string();
    let regular = Face::load(REGULAR_TTF).map_err(font_error)?;
    let bold = Face::load(BOLD_TTF).map_err(font_error)?;
    let pen = Pen {
        regular: &regular,
        bold: &bold,
    };
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{} {}", doc.kind.title(), doc.number))
            .description(format!(
                "{} {} for order {}",
                doc.kind.title(),
                doc.number,
                doc.order_number
            ))
            .creator("schoolhouse".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("invalid page size")?;
    let mut rows = doc.lines.iter().peekable();
    let mut first = true;
    loop {
        let mut page = document.start_page_with(settings.clone());
        let mut s = page.surface();
        if let (true, Some(logo)) = (first, logo) {
            logo.draw(&mut s, RIGHT, 10.0, 150.0, 34.0);
        }
        let mut y = if first { head(&mut s, &pen, doc) } else { 60.0 };
        first = false;
        y = table_header(&mut s, &pen, y);
        while let Some(line) = rows.next_if(|_| y < LAST_ROW_Y) {
            y = row(&mut s, &pen, y, line);
        }
        if rows.peek().is_none() && y < LAST_ROW_Y - 150.0 {
            summary(&mut s, &pen, y, doc);
            foot(&mut s, &pen, doc);
            s.finish();
            page.finish();
            break;
        }
        pen.muted(
            &mut s,
            8.0,
            LEFT,
            PAGE_H - 60.0,
            "continued on the next page",
        );
        foot(&mut s, &pen, doc);
        s.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("PDF generation failed: {e:?}"))
}

/// Seller, title, number, dates and buyer; answers where the table starts.
fn head(s: &mut Surface<'_>, pen: &Pen<'_>, doc: &DocumentContent) -> f32 {
    let seller = &doc.seller;
    pen.left(s, true, 14.0, LEFT, 60.0, &seller.legal_name);
    let mut y = 76.0;
    let ids = [
        seller
            .vat_number
            .as_ref()
            .map(|v| format!("VAT number: {v}")),
        seller
            .tax_number
            .as_ref()
            .map(|v| format!("Tax number: {v}")),
        seller.registration.clone(),
    ];
    for line in seller
        .address
        .iter()
        .cloned()
        .chain(ids.into_iter().flatten())
    {
        pen.muted(s, 8.5, LEFT, y, &line);
        y += 11.0;
    }
    pen.right(s, true, 20.0, RIGHT, 62.0, doc.kind.title());
    let mut facts = vec![
        format!("Number: {}", doc.number),
        format!("Date of issue: {}", doc.issue_date),
        format!("Date of supply: {}", doc.supply_date),
        format!("Order: {}", doc.order_number),
    ];
    if let Some(invoice) = &doc.corrects {
        facts.push(format!("Corrects invoice: {invoice}"));
    }
    let mut ry = 80.0;
    for fact in &facts {
        pen.right(s, false, 9.0, RIGHT, ry, fact);
        ry += 12.0;
    }
    y = y.max(ry) + 16.0;
    let buyer_title = match doc.kind {
        DocumentKind::Invoice => "Bill to",
        DocumentKind::CreditNote => "Credited to",
    };
    pen.muted(s, 8.5, LEFT, y, buyer_title);
    y += 13.0;
    pen.left(s, true, 10.0, LEFT, y, &doc.buyer.name);
    y += 12.0;
    let buyer = &doc.buyer;
    let lines = [Some(buyer.email.clone())]
        .into_iter()
        .chain(buyer.address.iter().cloned().map(Some))
        .chain([
            buyer.country.clone(),
            buyer
                .vat_number
                .as_ref()
                .map(|v| format!("VAT number: {v}")),
        ])
        .flatten();
    for line in lines {
        pen.left(s, false, 9.0, LEFT, y, &line);
        y += 11.0;
    }
    if let Some(reason) = &doc.reason {
        y += 4.0;
        pen.muted(s, 8.5, LEFT, y, &format!("Reason: {reason}"));
        y += 11.0;
    }
    y + 18.0
}

fn table_header(s: &mut Surface<'_>, pen: &Pen<'_>, y: f32) -> f32 {
    pen.left(s, true, 8.0, LEFT, y, "Description");
    let names = [
        "Qty",
        "Unit price",
        "Discount",
        "Net",
        "VAT %",
        "VAT",
        "Total",
    ];
    for (x, name) in COLUMNS.iter().zip(names) {
        pen.right(s, true, 8.0, *x, y, name);
    }
    rule(s, y + 4.0);
    y + 16.0
}

fn row(s: &mut Surface<'_>, pen: &Pen<'_>, y: f32, line: &DocumentLine) -> f32 {
    let description = pen
        .regular
        .ellipsize(&line.description, 8.0, COLUMNS[0] - 30.0 - LEFT);
    pen.left(s, false, 8.0, LEFT, y, &description);
    let cells = [
        line.quantity.to_string(),
        amount(line.unit_price_cents),
        amount(line.discount_cents),
        amount(line.net_cents),
        rate(line.tax_rate_bps),
        amount(line.tax_cents),
        amount(line.total_cents),
    ];
    for (x, cell) in COLUMNS.iter().zip(&cells) {
        pen.right(s, false, 8.0, *x, y, cell);
    }
    y + 13.0
}

/// Totals per rate, the document's totals, payment method and mentions.
fn summary(s: &mut Surface<'_>, pen: &Pen<'_>, y: f32, doc: &DocumentContent) {
    rule(s, y - 6.0);
    let mut y = y + 10.0;
    let cur = &doc.currency;
    pen.left(s, true, 8.0, 300.0, y, "VAT rate");
    for (x, name) in [(425.0, "Net"), (507.0, "VAT"), (RIGHT, "Total")] {
        pen.right(s, true, 8.0, x, y, name);
    }
    y += 12.0;
    for r in &doc.rates {
        pen.left(s, false, 8.0, 300.0, y, &rate(r.tax_rate_bps));
        pen.right(s, false, 8.0, 425.0, y, &amount(r.net_cents));
        pen.right(s, false, 8.0, 507.0, y, &amount(r.tax_cents));
        pen.right(s, false, 8.0, RIGHT, y, &amount(r.total_cents));
        y += 12.0;
    }
    y += 8.0;
    let total_label = match doc.kind {
        DocumentKind::Invoice => "Total",
        DocumentKind::CreditNote => "Total credited",
    };
    let sums = [
        ("Net total", doc.net_cents, false),
        ("VAT total", doc.tax_cents, false),
        (total_label, doc.total_cents, true),
    ];
    for (label, cents, bold) in sums {
        pen.left(s, bold, 10.0, 300.0, y, label);
        pen.right(s, bold, 10.0, RIGHT, y, &format!("{} {cur}", amount(cents)));
        y += 14.0;
    }
    y += 10.0;
    pen.left(
        s,
        false,
        9.0,
        LEFT,
        y,
        &format!("Payment method: {}", doc.payment_method),
    );
    y += 12.0;
    if doc.prices_include_tax {
        pen.muted(s, 8.0, LEFT, y, "Unit prices include VAT.");
        y += 12.0;
    }
    for mention in &doc.mentions {
        pen.left(s, true, 8.5, LEFT, y, mention);
        y += 12.0;
    }
}

fn foot(s: &mut Surface<'_>, pen: &Pen<'_>, doc: &DocumentContent) {
    let text = match &doc.seller.footer {
        Some(footer) => format!("{} · {} {}", footer, doc.kind.title(), doc.number),
        None => format!(
            "{} · {} {}",
            doc.seller.legal_name,
            doc.kind.title(),
            doc.number
        ),
    };
    pen.muted(s, 7.5, LEFT, PAGE_H - 40.0, &text);
}
