//! What an invoice or credit note says, frozen as JSON when it is issued, and the pure rule
//! that turns a paid order into invoice lines with totals per tax rate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The legal mention printed when the buyer accounts for the VAT.
pub const REVERSE_CHARGE_MENTION: &str =
    "Reverse charge: VAT to be accounted for by the recipient, Article 196 Directive 2006/112/EC";

/// The line key of an order's shipping charge (other lines use their order item id).
pub const SHIPPING_KEY: &str = "shipping";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit_note",
        }
    }

    /// The `counters` row of the kind's series.
    pub fn counter(self) -> &'static str {
        self.as_str()
    }

    /// The catalogue key of the printed title (`Invoice`, `Facture`).
    pub fn title_key(self) -> &'static str {
        match self {
            Self::Invoice => "invoice-title",
            Self::CreditNote => "invoice-credit-note-title",
        }
    }
}

/// Who sells, as configured when the document was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Seller {
    pub legal_name: String,
    pub address: Vec<String>,
    pub vat_number: Option<String>,
    pub tax_number: Option<String>,
    pub registration: Option<String>,
    pub footer: Option<String>,
}

/// Who buys, as known when the document was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Buyer {
    pub name: String,
    pub email: String,
    pub address: Vec<String>,
    pub country: Option<String>,
    pub vat_number: Option<String>,
}

/// One line: amounts in cents; `total = net + tax`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentLine {
    /// The order item id, or `shipping`.
    pub key: String,
    pub description: String,
    pub quantity: i64,
    /// As listed (tax included when the store's prices include it).
    pub unit_price_cents: i64,
    /// This line's share of the order's discount.
    pub discount_cents: i64,
    pub net_cents: i64,
    pub tax_rate_bps: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}

/// The sums of the lines taxed at one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RateTotal {
    pub tax_rate_bps: i64,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}

/// Everything a document prints; stored with it and never recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentContent {
    pub kind: DocumentKind,
    /// The language it is printed in: the buyer's chosen locale when it was issued, else
    /// the school's default (documents issued before this existed are `en`).
    #[serde(default = "english")]
    pub locale: String,
    pub number: String,
    /// Date of issue (`YYYY-MM-DD`).
    pub issue_date: String,
    /// Date of supply (`YYYY-MM-DD`): the day the order was paid.
    pub supply_date: String,
    pub seller: Seller,
    pub buyer: Buyer,
    pub order_number: String,
    pub currency: String,
    pub prices_include_tax: bool,
    pub lines: Vec<DocumentLine>,
    pub rates: Vec<RateTotal>,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub payment_method: String,
    pub reverse_charge: bool,
    /// Legal mentions (the reverse charge's, when it applies).
    pub mentions: Vec<String>,
    /// For a credit note: the number of the invoice it corrects.
    pub corrects: Option<String>,
    /// For a credit note: why (the refund's reason, or the cancellation).
    pub reason: Option<String>,
}

/// An order item's stored pricing figures (see `commerce::pricing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidItem {
    pub id: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub tax_rate_bps: i64,
    /// `subtotal − discount (+ tax when prices exclude it)`.
    pub total_cents: i64,
}

/// The invoice lines of a paid order: one per item, plus shipping (untaxed) when charged.
/// Each line's `total` is what the order charged for it, so the lines sum to the order total.
pub fn invoice_lines(
    items: &[PaidItem],
    shipping_cents: i64,
    shipping_name: Option<&str>,
) -> Vec<DocumentLine> {
    let mut lines: Vec<DocumentLine> = items
        .iter()
        .map(|item| DocumentLine {
            key: item.id.clone(),
            description: item.name.clone(),
            quantity: item.quantity,
            unit_price_cents: item.unit_price_cents,
            discount_cents: item.discount_cents,
            net_cents: item.total_cents - item.tax_cents,
            tax_rate_bps: item.tax_rate_bps,
            tax_cents: item.tax_cents,
            total_cents: item.total_cents,
        })
        .collect();
    if shipping_cents > 0 {
        let name = shipping_name
            .filter(|n| !n.is_empty())
            .unwrap_or("Standard");
        lines.push(DocumentLine {
            key: SHIPPING_KEY.into(),
            description: format!("Shipping ({name})"),
            quantity: 1,
            unit_price_cents: shipping_cents,
            discount_cents: 0,
            net_cents: shipping_cents,
            tax_rate_bps: 0,
            tax_cents: 0,
            total_cents: shipping_cents,
        });
    }
    lines
}

/// Totals per tax rate, lowest rate first: each the plain sum of its lines, never re-rounded,
/// so the rates sum to the document's totals to the cent.
pub fn rate_totals(lines: &[DocumentLine]) -> Vec<RateTotal> {
    let mut by_rate: BTreeMap<i64, RateTotal> = BTreeMap::new();
    for line in lines {
        let total = by_rate.entry(line.tax_rate_bps).or_insert(RateTotal {
            tax_rate_bps: line.tax_rate_bps,
            net_cents: 0,
            tax_cents: 0,
            total_cents: 0,
        });
        total.net_cents += line.net_cents;
        total.tax_cents += line.tax_cents;
        total.total_cents += line.total_cents;
    }
    by_rate.into_values().collect()
}

/// The document's `(net, tax, total)`: the sums of its lines.
pub fn totals(lines: &[DocumentLine]) -> (i64, i64, i64) {
    lines.iter().fold((0, 0, 0), |(n, t, g), l| {
        (n + l.net_cents, t + l.tax_cents, g + l.total_cents)
    })
}

fn english() -> String {
    crate::i18n::SOURCE_LOCALE.to_string()
}

/// How the buyer paid, as printed in `locale`: by the completed payment's gateway, or none
/// was due.
pub fn payment_method(locale: &str, gateway: Option<&str>) -> String {
    let key = match gateway {
        Some("stripe") => "invoice-paid-stripe",
        Some("paypal") => "invoice-paid-paypal",
        Some("manual") => "invoice-paid-manual",
        Some(_) => "invoice-paid-online",
        None => "invoice-paid-nothing-due",
    };
    crate::i18n::t(locale, key, &crate::i18n::Args::new())
}

/// The reverse-charge mention in `locale` ([`REVERSE_CHARGE_MENTION`] in English).
pub fn reverse_charge_mention(locale: &str) -> String {
    crate::i18n::t(locale, "invoice-reverse-charge", &crate::i18n::Args::new())
}

/// Money as printed: `1234` cents of `EUR` is `12.34 EUR` (two decimals; no currency the
/// store sells in uses another exponent on these documents).
pub fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", abs / 100, abs % 100)
}

/// A rate in basis points as printed in `locale`: `1900` is `19 %`, `550` is `5.5 %`
/// (`5,5 %` in French).
pub fn rate(locale: &str, bps: i64) -> String {
    // Basis points are hundredths of a percent, like cents of a two-decimal currency.
    let number = crate::i18n::format::amount(locale, bps, "EUR");
    let number = number.trim_end_matches('0').trim_end_matches(['.', ',']);
    format!("{number} %")
}
