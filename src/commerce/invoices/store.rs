//! SQL for invoices, credit notes, their series counters and their archived files.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::content::{DocumentContent, DocumentKind};
use crate::http::Page;

/// An issued document as listed (its printed content is in `content`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InvoiceView {
    pub id: String,
    pub kind: DocumentKind,
    pub number: String,
    pub order_id: String,
    pub order_number: String,
    /// For a credit note: the invoice it corrects.
    pub invoice_id: Option<String>,
    pub refund_id: Option<String>,
    pub user_id: String,
    pub currency: String,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub issued_at: String,
    /// Where the buyer (or staff) download the PDF.
    pub pdf_url: String,
}

/// A document about to be stored.
pub struct NewDocument<'a> {
    pub id: &'a str,
    pub seq: i64,
    pub order_id: &'a str,
    pub invoice_id: Option<&'a str>,
    pub refund_id: Option<&'a str>,
    pub user_id: &'a str,
    pub issued_at: &'a str,
    pub content: &'a DocumentContent,
}

/// The archived PDF of a document.
#[derive(Debug, Clone)]
pub struct ArchivedFile {
    pub path: String,
    pub sha256: String,
    pub size_bytes: i64,
}

const VIEW: &str = "SELECT i.id, i.kind, i.number, i.order_id, o.number, i.invoice_id, i.refund_id,
        i.user_id, i.currency, i.net_cents, i.tax_cents, i.total_cents, i.issued_at
    FROM invoices i JOIN orders o ON o.id = i.order_id";

fn view(r: &Row<'_>) -> rusqlite::Result<InvoiceView> {
    let kind: String = r.get(1)?;
    let kind = if kind == "credit_note" {
        DocumentKind::CreditNote
    } else {
        DocumentKind::Invoice
    };
    let id: String = r.get(0)?;
    let order_id: String = r.get(3)?;
    let pdf_url = match kind {
        DocumentKind::Invoice => format!("/api/orders/{order_id}/invoice"),
        DocumentKind::CreditNote => format!("/api/orders/{order_id}/credit-notes/{id}"),
    };
    Ok(InvoiceView {
        id,
        kind,
        number: r.get(2)?,
        order_id,
        order_number: r.get(4)?,
        invoice_id: r.get(5)?,
        refund_id: r.get(6)?,
        user_id: r.get(7)?,
        currency: r.get(8)?,
        net_cents: r.get(9)?,
        tax_cents: r.get(10)?,
        total_cents: r.get(11)?,
        issued_at: r.get(12)?,
        pdf_url,
    })
}

/// Takes the next number of `kind`'s series inside the caller's transaction: `first` while
/// the series is empty, else one more than the last (a rollback gives it back).
pub fn next_seq(conn: &Connection, kind: DocumentKind, first: u64) -> rusqlite::Result<i64> {
    let first = i64::try_from(first).unwrap_or(1);
    conn.prepare_cached(
        "UPDATE counters SET value = CASE WHEN value = 0 THEN ?2 ELSE value + 1 END
         WHERE name = ?1 RETURNING value",
    )?
    .query_row(params![kind.counter(), first], |r| r.get(0))
}

pub fn insert(conn: &Connection, doc: &NewDocument<'_>) -> rusqlite::Result<()> {
    let c = doc.content;
    let content =
        serde_json::to_string(c).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    conn.prepare_cached(
        "INSERT INTO invoices (id, kind, seq, number, order_id, invoice_id, refund_id, user_id,
            currency, net_cents, tax_cents, total_cents, issued_at, content)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        doc.id,
        c.kind.as_str(),
        doc.seq,
        c.number,
        doc.order_id,
        doc.invoice_id,
        doc.refund_id,
        doc.user_id,
        c.currency,
        c.net_cents,
        c.tax_cents,
        c.total_cents,
        doc.issued_at,
        content
    ])?;
    Ok(())
}

fn content_of(text: String) -> rusqlite::Result<DocumentContent> {
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

/// The content of one document.
pub fn content(conn: &Connection, id: &str) -> rusqlite::Result<Option<DocumentContent>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT content FROM invoices WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    text.map(content_of).transpose()
}

/// The invoice of an order.
pub fn invoice_of_order(
    conn: &Connection,
    order_id: &str,
) -> rusqlite::Result<Option<InvoiceView>> {
    conn.prepare_cached(&format!(
        "{VIEW} WHERE i.order_id = ?1 AND i.kind = 'invoice'"
    ))?
    .query_row([order_id], view)
    .optional()
}

/// The credit note documenting a refund.
pub fn credit_note_of_refund(
    conn: &Connection,
    refund_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT id FROM invoices WHERE refund_id = ?1")?
        .query_row([refund_id], |r| r.get(0))
        .optional()
}

/// The contents of the credit notes correcting `invoice_id`, in series order.
pub fn credit_contents(
    conn: &Connection,
    invoice_id: &str,
) -> rusqlite::Result<Vec<DocumentContent>> {
    conn.prepare_cached("SELECT content FROM invoices WHERE invoice_id = ?1 ORDER BY seq")?
        .query_map([invoice_id], |r| r.get::<_, String>(0))?
        .map(|text| content_of(text?))
        .collect()
}

/// An order's documents: its invoice, then its credit notes in series order.
pub fn of_order(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<InvoiceView>> {
    conn.prepare_cached(&format!(
        "{VIEW} WHERE i.order_id = ?1 ORDER BY i.kind = 'credit_note', i.seq"
    ))?
    .query_map([order_id], view)?
    .collect()
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<InvoiceView>> {
    conn.prepare_cached(&format!("{VIEW} WHERE i.id = ?1"))?
        .query_row([id], view)
        .optional()
}

/// What the admin list filters on; `from`/`to` compare with `issued_at` (`to` exclusive).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub kind: Option<DocumentKind>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub order_id: Option<String>,
    pub user_id: Option<String>,
}

const FILTER: &str = "WHERE (?1 IS NULL OR i.kind = ?1) AND (?2 IS NULL OR i.issued_at >= ?2)
    AND (?3 IS NULL OR i.issued_at < ?3) AND (?4 IS NULL OR i.order_id = ?4)
    AND (?5 IS NULL OR i.user_id = ?5)";

pub fn list(
    conn: &Connection,
    f: &ListFilter,
    page: Page,
) -> rusqlite::Result<(Vec<InvoiceView>, i64)> {
    let kind = f.kind.map(DocumentKind::as_str);
    let args = params![
        kind,
        f.from,
        f.to,
        f.order_id,
        f.user_id,
        page.limit(),
        page.offset()
    ];
    let items = conn
        .prepare_cached(&format!(
            "{VIEW} {FILTER} ORDER BY i.issued_at DESC, i.kind, i.seq DESC LIMIT ?6 OFFSET ?7"
        ))?
        .query_map(args, view)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM invoices i {FILTER}"))?
        .query_row(params![kind, f.from, f.to, f.order_id, f.user_id], |r| {
            r.get(0)
        })?;
    Ok((items, total))
}

/// Every document issued in `[from, to)`, series order (for the period ZIP).
pub fn in_period(conn: &Connection, from: &str, to: &str) -> rusqlite::Result<Vec<InvoiceView>> {
    conn.prepare_cached(&format!(
        "{VIEW} WHERE i.issued_at >= ?1 AND i.issued_at < ?2 ORDER BY i.kind, i.seq"
    ))?
    .query_map([from, to], view)?
    .collect()
}

/// Documents whose PDF is not archived yet (issued just before a crash, or not yet swept).
pub fn unarchived(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT i.id FROM invoices i LEFT JOIN invoice_files f ON f.invoice_id = i.id
         WHERE f.invoice_id IS NULL ORDER BY i.issued_at, i.kind, i.seq LIMIT ?1",
    )?
    .query_map([limit], |r| r.get(0))?
    .collect()
}

pub fn file(conn: &Connection, id: &str) -> rusqlite::Result<Option<ArchivedFile>> {
    conn.prepare_cached("SELECT path, sha256, size_bytes FROM invoice_files WHERE invoice_id = ?1")?
        .query_row([id], |r| {
            Ok(ArchivedFile {
                path: r.get(0)?,
                sha256: r.get(1)?,
                size_bytes: r.get(2)?,
            })
        })
        .optional()
}

/// Records an archived PDF; a document already archived keeps its first file (`false`).
pub fn insert_file(
    conn: &Connection,
    id: &str,
    file: &ArchivedFile,
    now: &str,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO invoice_files (invoice_id, path, sha256, size_bytes, archived_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, file.path, file.sha256, file.size_bytes, now])?;
    Ok(n == 1)
}

/// Every archived file (path, sha256), for the backup check.
pub fn all_files(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    conn.prepare_cached("SELECT path, sha256 FROM invoice_files ORDER BY path")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}
