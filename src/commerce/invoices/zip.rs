//! The period ZIP: each archived PDF under its kind's folder, and an `index.csv` listing them.

use std::io::Write;

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::store::InvoiceView;
use crate::analytics::csv_out::{Table, to_bytes};
use crate::http::AppError;

fn entry_name(doc: &InvoiceView) -> String {
    let safe: String = doc
        .number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}/{safe}.pdf", doc.kind.as_str())
}

/// The ZIP of `docs` with their archived `pdfs` (same order).
pub fn build(docs: &[InvoiceView], pdfs: Vec<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    let fail = |e: &dyn std::fmt::Display| AppError::Internal(anyhow::anyhow!("ZIP: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut index = Table::new(&[
        "kind",
        "number",
        "file",
        "issued_at",
        "order_number",
        "currency",
        "net_cents",
        "tax_cents",
        "total_cents",
        "invoice_id",
    ]);
    for (doc, pdf) in docs.iter().zip(pdfs) {
        let name = entry_name(doc);
        zip.start_file(name.as_str(), options)
            .map_err(|e| fail(&e))?;
        zip.write_all(&pdf).map_err(|e| fail(&e))?;
        index.push(vec![
            doc.kind.as_str().into(),
            doc.number.clone(),
            name,
            doc.issued_at.clone(),
            doc.order_number.clone(),
            doc.currency.clone(),
            doc.net_cents.to_string(),
            doc.tax_cents.to_string(),
            doc.total_cents.to_string(),
            doc.invoice_id.clone().unwrap_or_default(),
        ]);
    }
    zip.start_file("index.csv", options).map_err(|e| fail(&e))?;
    zip.write_all(&to_bytes(&index).map_err(|e| fail(&e))?)
        .map_err(|e| fail(&e))?;
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}
