//! Issuing inside the caller's write transaction: the invoice of an order being paid, the
//! credit note of a refund being processed or a paid order being cancelled. The number is
//! taken from the series counter in that same transaction, so a rollback leaves no gap.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rusqlite::Connection;

use super::content::{
    Buyer, DocumentContent, DocumentKind, PaidItem, Seller, invoice_lines, payment_method,
    rate_totals, reverse_charge_mention, totals,
};
use super::credit::credit_for;
use super::store::{self, NewDocument};
use crate::commerce::model::OrderSummary;
use crate::commerce::store as commerce_store;
use crate::commerce::tax_facts::{VatFacts, vat_facts_for_order};
use crate::config::invoices::{InvoicesConfig, NumberFormat};
use crate::http::AppError;

/// The seller identity and series formats in force for one database.
#[derive(Debug, Clone)]
pub struct InvoiceSettings {
    pub config: InvoicesConfig,
    /// `[store] name`, the legal name when none is configured.
    pub store_name: String,
    /// `[site] default_locale`: the language of a buyer who chose none.
    pub default_locale: String,
}

fn registry() -> &'static Mutex<HashMap<PathBuf, InvoiceSettings>> {
    static SETTINGS: OnceLock<Mutex<HashMap<PathBuf, InvoiceSettings>>> = OnceLock::new();
    SETTINGS.get_or_init(|| Mutex::new(HashMap::new()))
}

fn key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Remembers the settings for the database file at `db_path` (`AppState::open` does this),
/// because documents are issued deep in payment paths that hold only a connection.
pub fn register(db_path: &Path, settings: InvoiceSettings) {
    let mut all = registry().lock().unwrap_or_else(|p| p.into_inner());
    all.insert(key(db_path), settings);
}

fn settings_for(conn: &Connection) -> InvoiceSettings {
    let found = conn.path().filter(|p| !p.is_empty()).and_then(|path| {
        let all = registry().lock().unwrap_or_else(|p| p.into_inner());
        all.get(Path::new(path))
            .or_else(|| all.get(&key(Path::new(path))))
            .cloned()
    });
    found.unwrap_or_else(|| {
        tracing::error!("no invoice settings for this database; issuing with the defaults");
        InvoiceSettings {
            config: InvoicesConfig::default(),
            store_name: "Schoolhouse".into(),
            default_locale: crate::i18n::SOURCE_LOCALE.into(),
        }
    })
}

impl InvoiceSettings {
    fn seller(&self) -> Seller {
        let c = &self.config;
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Seller {
            legal_name: some(&c.legal_name).unwrap_or_else(|| self.store_name.clone()),
            address: c.address.clone(),
            vat_number: some(&c.vat_number),
            tax_number: some(&c.tax_number),
            registration: some(&c.registration),
            footer: some(&c.footer),
        }
    }

    /// The next number of `kind`'s series, taken in the caller's transaction.
    fn take_number(
        &self,
        conn: &Connection,
        kind: DocumentKind,
        now: &str,
    ) -> Result<(i64, String), AppError> {
        let (format, first) = match kind {
            DocumentKind::Invoice => (&self.config.number_format, self.config.first_number),
            DocumentKind::CreditNote => (
                &self.config.credit_note_format,
                self.config.credit_note_first_number,
            ),
        };
        let format =
            NumberFormat::parse(format).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
        let seq = store::next_seq(conn, kind, first)?;
        let year = now.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
        Ok((seq, format.render(year, u64::try_from(seq).unwrap_or(0))))
    }
}

fn date(text: &str) -> String {
    text.get(..10).unwrap_or(text).to_string()
}

/// Issues the invoice of `order_id`, which is being paid in this transaction; an order that
/// already has one keeps it. Answers the invoice id.
pub fn issue_invoice(conn: &Connection, order_id: &str, now: &str) -> Result<String, AppError> {
    if let Some(existing) = store::invoice_of_order(conn, order_id)? {
        return Ok(existing.id);
    }
    let settings = settings_for(conn);
    let order =
        commerce_store::orders::get(conn, order_id, None)?.ok_or(AppError::NotFound("order"))?;
    let items = paid_items(conn, order_id)?;
    let payments = commerce_store::orders::payments(conn, order_id)?;
    let paid_with = payments
        .iter()
        .rev()
        .find(|p| p.status == "completed")
        .map(|p| p.gateway.as_str());
    let vat = vat_facts_for_order(conn, order_id)?;
    let buyer = buyer_of(conn, &order, &vat)?;
    let lines = invoice_lines(
        &items,
        order.shipping_cents,
        order.shipping_method.as_deref(),
    );
    let (net_cents, tax_cents, total_cents) = totals(&lines);
    let (seq, number) = settings.take_number(conn, DocumentKind::Invoice, now)?;
    // Printed in the buyer's language as it is now, and kept: a reprint never changes.
    let locale = crate::users::store::locale(conn, &order.user_id)?
        .and_then(|l| crate::i18n::canonical(&l).map(str::to_string))
        .unwrap_or_else(|| settings.default_locale.clone());
    let content = DocumentContent {
        kind: DocumentKind::Invoice,
        locale: locale.clone(),
        number,
        issue_date: date(now),
        supply_date: date(order.paid_at.as_deref().unwrap_or(now)),
        seller: settings.seller(),
        buyer,
        order_number: order.number.clone(),
        currency: order.currency.clone(),
        prices_include_tax: order.prices_include_tax,
        rates: rate_totals(&lines),
        lines,
        net_cents,
        tax_cents,
        total_cents,
        payment_method: payment_method(&locale, paid_with.filter(|_| order.total_cents > 0)),
        reverse_charge: vat.reverse_charge,
        mentions: if vat.reverse_charge {
            vec![reverse_charge_mention(&locale)]
        } else {
            Vec::new()
        },
        corrects: None,
        reason: None,
    };
    let id = uuid::Uuid::now_v7().to_string();
    store::insert(
        conn,
        &NewDocument {
            id: &id,
            seq,
            order_id,
            invoice_id: None,
            refund_id: None,
            user_id: &order.user_id,
            issued_at: now,
            content: &content,
        },
    )?;
    Ok(id)
}

fn paid_items(conn: &Connection, order_id: &str) -> Result<Vec<PaidItem>, AppError> {
    Ok(commerce_store::orders::items(conn, order_id)?
        .into_iter()
        .map(|i| PaidItem {
            id: i.id,
            name: i.name,
            quantity: i.quantity,
            unit_price_cents: i.unit_price_cents,
            discount_cents: i.discount_cents,
            tax_cents: i.tax_cents,
            tax_rate_bps: i.tax_rate_bps,
            total_cents: i.total_cents,
        })
        .collect())
}

/// The buyer as printed: the shipping address's name and lines when there is one, else the
/// account's name; the country and VAT number the VAT rules recorded.
fn buyer_of(conn: &Connection, order: &OrderSummary, vat: &VatFacts) -> Result<Buyer, AppError> {
    let user =
        crate::users::store::by_id(conn, &order.user_id)?.ok_or(AppError::NotFound("user"))?;
    let address = order.shipping_address.as_ref();
    let country = vat
        .buyer_country
        .clone()
        .or(order.billing_country.clone())
        .or(address.map(|a| a.country.clone()));
    let lines = address.map(|a| {
        [
            Some(a.line1.clone()),
            a.line2.clone(),
            Some(format!("{} {}", a.postal_code, a.city)),
        ]
        .into_iter()
        .flatten()
        .filter(|l| !l.trim().is_empty())
        .collect()
    });
    Ok(Buyer {
        name: address.map(|a| a.name.clone()).unwrap_or(user.name),
        email: user.email,
        address: lines.unwrap_or_default(),
        country,
        vat_number: vat.buyer_vat_number.clone(),
    })
}

/// What a credit note documents.
#[derive(Debug, Clone)]
pub struct Correction<'a> {
    /// The processed refund (none when a paid order that cost nothing is cancelled).
    pub refund_id: Option<&'a str>,
    /// The order items refunded or cancelled.
    pub item_ids: &'a [String],
    /// The money given back.
    pub amount_cents: i64,
    pub reason: &'a str,
}

/// Issues the credit note of a correction to `order_id`'s invoice in this transaction; none
/// when the order has no invoice (paid before invoices existed). A refund already documented
/// keeps its credit note. Answers the credit note id.
pub fn issue_credit_note(
    conn: &Connection,
    order_id: &str,
    correction: &Correction<'_>,
    now: &str,
) -> Result<Option<String>, AppError> {
    let Some(invoice) = store::invoice_of_order(conn, order_id)? else {
        return Ok(None);
    };
    if let Some(existing) = correction
        .refund_id
        .map(|r| store::credit_note_of_refund(conn, r))
        .transpose()?
        .flatten()
    {
        return Ok(Some(existing));
    }
    let original = store::content(conn, &invoice.id)?.ok_or(AppError::NotFound("invoice"))?;
    let mut credited: HashMap<String, i64> = HashMap::new();
    for earlier in store::credit_contents(conn, &invoice.id)? {
        for line in earlier.lines {
            *credited.entry(line.key).or_default() += line.total_cents;
        }
    }
    let before: Vec<i64> = original
        .lines
        .iter()
        .map(|l| credited.get(&l.key).copied().unwrap_or(0))
        .collect();
    let credit = credit_for(
        &original.lines,
        &before,
        correction.item_ids,
        correction.amount_cents,
    );
    if credit.capped {
        tracing::warn!(
            order = order_id,
            amount = correction.amount_cents,
            "a refund exceeds what the invoice still holds; the credit note stops at the invoice"
        );
    }
    let (net_cents, tax_cents, total_cents) = totals(&credit.lines);
    let settings = settings_for(conn);
    let (seq, number) = settings.take_number(conn, DocumentKind::CreditNote, now)?;
    let content = DocumentContent {
        kind: DocumentKind::CreditNote,
        number,
        issue_date: date(now),
        seller: settings.seller(),
        rates: rate_totals(&credit.lines),
        lines: credit.lines,
        net_cents,
        tax_cents,
        total_cents,
        corrects: Some(original.number.clone()),
        // A credit note speaks the language of the invoice it corrects.
        reason: Some(crate::commerce::history_note::in_locale(
            &original.locale,
            correction.reason,
        ))
        .filter(|r| !r.is_empty()),
        ..original
    };
    let id = uuid::Uuid::now_v7().to_string();
    store::insert(
        conn,
        &NewDocument {
            id: &id,
            seq,
            order_id,
            invoice_id: Some(&invoice.id),
            refund_id: correction.refund_id,
            user_id: &invoice.user_id,
            issued_at: now,
            content: &content,
        },
    )?;
    Ok(Some(id))
}
