//! Invoices and credit notes (see docs/invoices.md): issued in the transaction that pays an
//! order or processes its refund, numbered in two gap-free series, frozen, archived as PDF.

pub mod archive;
pub mod content;
pub mod credit;
pub mod issue;
pub mod pdf;
pub mod routes;
pub mod store;
#[cfg(test)]
mod tests;
pub mod zip;

pub use archive::{INVOICES_DIR, archive_pending};
pub use issue::{Correction, InvoiceSettings, issue_credit_note, issue_invoice, register};
