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
use crate::i18n::{Args, format, t};
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

/// A label of the document's language (`invoice-*` in the catalogue).
fn label(doc: &DocumentContent, key: &str) -> String {
    t(&doc.locale, key, &Args::new())
}

/// A label with one value: `Number: INV-1`, `Numéro : INV-1`.
fn labelled(doc: &DocumentContent, key: &str, value: &str) -> String {
    t(&doc.locale, key, &Args::new().text("value", value))
}

/// An amount as printed in the table, in the document's language: `1,234.50`, `1 234,50`.
fn amount(doc: &DocumentContent, cents: i64) -> String {
    format::amount(&doc.locale, cents, &doc.currency)
}

/// A total with its currency: `119.00 USD` (en), `119,00 $US` (fr).
fn money(doc: &DocumentContent, cents: i64) -> String {
    let args = Args::new()
        .text("amount", amount(doc, cents))
        .text("currency", doc.currency.as_str())
        .text(
            "symbol",
            format::currency_symbol(&doc.locale, &doc.currency),
        );
    t(&doc.locale, "invoice-money", &args)
}

fn title(doc: &DocumentContent) -> String {
    label(doc, doc.kind.title_key())
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
            .title(format!("{} {}", title(doc), doc.number))
            .description(t(
                &doc.locale,
                "invoice-description",
                &Args::new()
                    .text("title", title(doc))
                    .text("number", doc.number.as_str())
                    .text("order", doc.order_number.as_str()),
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
        y = table_header(&mut s, &pen, y, doc);
        while let Some(line) = rows.next_if(|_| y < LAST_ROW_Y) {
            y = row(&mut s, &pen, y, line, doc);
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
            &label(doc, "invoice-continued"),
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
            .map(|v| labelled(doc, "invoice-vat-number", v)),
        seller
            .tax_number
            .as_ref()
            .map(|v| labelled(doc, "invoice-tax-number", v)),
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
    pen.right(s, true, 20.0, RIGHT, 62.0, &title(doc));
    let day = |d: &str| format::short_date(&doc.locale, d);
    let mut facts = vec![
        labelled(doc, "invoice-number", &doc.number),
        labelled(doc, "invoice-issue-date", &day(&doc.issue_date)),
        labelled(doc, "invoice-supply-date", &day(&doc.supply_date)),
        labelled(doc, "invoice-order", &doc.order_number),
    ];
    if let Some(invoice) = &doc.corrects {
        facts.push(labelled(doc, "invoice-corrects", invoice));
    }
    let mut ry = 80.0;
    for fact in &facts {
        pen.right(s, false, 9.0, RIGHT, ry, fact);
        ry += 12.0;
    }
    y = y.max(ry) + 16.0;
    let buyer_title = match doc.kind {
        DocumentKind::Invoice => "invoice-bill-to",
        DocumentKind::CreditNote => "invoice-credited-to",
    };
    pen.muted(s, 8.5, LEFT, y, &label(doc, buyer_title));
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
                .map(|v| labelled(doc, "invoice-vat-number", v)),
        ])
        .flatten();
    for line in lines {
        pen.left(s, false, 9.0, LEFT, y, &line);
        y += 11.0;
    }
    if let Some(reason) = &doc.reason {
        y += 4.0;
        pen.muted(s, 8.5, LEFT, y, &labelled(doc, "invoice-reason", reason));
        y += 11.0;
    }
    y + 18.0
}

fn table_header(s: &mut Surface<'_>, pen: &Pen<'_>, y: f32, doc: &DocumentContent) -> f32 {
    pen.left(
        s,
        true,
        8.0,
        LEFT,
        y,
        &label(doc, "invoice-description-column"),
    );
    let names = [
        "invoice-quantity",
        "invoice-unit-price",
        "invoice-discount",
        "invoice-net",
        "invoice-vat-percent",
        "invoice-vat",
        "invoice-total",
    ];
    for (x, name) in COLUMNS.iter().zip(names) {
        pen.right(s, true, 8.0, *x, y, &label(doc, name));
    }
    rule(s, y + 4.0);
    y + 16.0
}

fn row(
    s: &mut Surface<'_>,
    pen: &Pen<'_>,
    y: f32,
    line: &DocumentLine,
    doc: &DocumentContent,
) -> f32 {
    let description = pen
        .regular
        .ellipsize(&line.description, 8.0, COLUMNS[0] - 30.0 - LEFT);
    pen.left(s, false, 8.0, LEFT, y, &description);
    let cells = [
        format::integer(&doc.locale, line.quantity),
        amount(doc, line.unit_price_cents),
        amount(doc, line.discount_cents),
        amount(doc, line.net_cents),
        rate(&doc.locale, line.tax_rate_bps),
        amount(doc, line.tax_cents),
        amount(doc, line.total_cents),
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
    pen.left(s, true, 8.0, 300.0, y, &label(doc, "invoice-vat-rate"));
    let heads = [
        (425.0, "invoice-net"),
        (507.0, "invoice-vat"),
        (RIGHT, "invoice-total"),
    ];
    for (x, name) in heads {
        pen.right(s, true, 8.0, x, y, &label(doc, name));
    }
    y += 12.0;
    for r in &doc.rates {
        pen.left(s, false, 8.0, 300.0, y, &rate(&doc.locale, r.tax_rate_bps));
        pen.right(s, false, 8.0, 425.0, y, &amount(doc, r.net_cents));
        pen.right(s, false, 8.0, 507.0, y, &amount(doc, r.tax_cents));
        pen.right(s, false, 8.0, RIGHT, y, &amount(doc, r.total_cents));
        y += 12.0;
    }
    y += 8.0;
    let total_label = match doc.kind {
        DocumentKind::Invoice => "invoice-grand-total",
        DocumentKind::CreditNote => "invoice-total-credited",
    };
    let sums = [
        ("invoice-net-total", doc.net_cents, false),
        ("invoice-vat-total", doc.tax_cents, false),
        (total_label, doc.total_cents, true),
    ];
    for (name, cents, bold) in sums {
        pen.left(s, bold, 10.0, 300.0, y, &label(doc, name));
        pen.right(s, bold, 10.0, RIGHT, y, &money(doc, cents));
        y += 14.0;
    }
    y += 10.0;
    pen.left(
        s,
        false,
        9.0,
        LEFT,
        y,
        &labelled(doc, "invoice-payment-method", &doc.payment_method),
    );
    y += 12.0;
    if doc.prices_include_tax {
        pen.muted(s, 8.0, LEFT, y, &label(doc, "invoice-prices-include-vat"));
        y += 12.0;
    }
    for mention in &doc.mentions {
        pen.left(s, true, 8.5, LEFT, y, mention);
        y += 12.0;
    }
}

fn foot(s: &mut Surface<'_>, pen: &Pen<'_>, doc: &DocumentContent) {
    let who = doc.seller.footer.as_ref().unwrap_or(&doc.seller.legal_name);
    let text = format!("{who} · {} {}", title(doc), doc.number);
    pen.muted(s, 7.5, LEFT, PAGE_H - 40.0, &text);
}
