//! The card's issuing country as evidence, recorded once a card payment succeeded (the rule
//! is `evidence::card_evidence`): a contradiction is kept for the admin, the order is never
//! re-taxed.

use rusqlite::Connection;
use serde::Serialize;

use super::evidence::{CardEvidence, card_evidence};
use super::store;
use crate::http::AppError;

/// An order whose evidence the card contradicted, as the admin sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvidenceConflict {
    pub order_id: String,
    pub order_number: String,
    /// The country the order was taxed for (and stays taxed for).
    pub country: String,
    pub billing_country: Option<String>,
    pub ip_country: Option<String>,
    pub card_country: Option<String>,
    /// Pieces that named `country` at checkout.
    pub evidence_pieces: u8,
    pub conflict: String,
    pub recorded_at: Option<String>,
}

/// Records the card's country (`None`: the gateway had none) for `order_id`, once, and audits
/// a conflict. Orders without an evidence row (EU VAT off, physical goods only) and orders
/// already recorded answer `None`.
pub fn record_card_country(
    conn: &Connection,
    order_id: &str,
    card_country: Option<&str>,
    now: &str,
) -> Result<Option<CardEvidence>, AppError> {
    let Some(row) = store::evidence(conn, order_id)? else {
        return Ok(None);
    };
    if row.card_checked_at.is_some() {
        return Ok(None);
    }
    let card = card_country
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty());
    let outcome = card_evidence(
        &row.country,
        row.evidence_pieces,
        row.reverse_charge,
        card.as_deref(),
    );
    let conflict = outcome.conflict.as_deref();
    if !store::record_card(conn, order_id, card.as_deref(), conflict, now)? {
        return Ok(None);
    }
    if let Some(conflict) = conflict {
        crate::audit::store::record(
            conn,
            now,
            &crate::audit::Entry {
                actor_id: None,
                action: "order.tax_evidence_conflict",
                target_type: Some("order"),
                target_id: Some(order_id),
                ip: None,
                detail: Some(serde_json::json!({
                    "country": row.country,
                    "billing_country": row.billing_country,
                    "ip_country": row.ip_country,
                    "card_country": card,
                    "conflict": conflict,
                })),
            },
        )?;
    }
    Ok(Some(outcome))
}

/// `(order_id, PaymentIntent id)` of card-paid orders whose card country is still to ask.
pub fn awaiting_card_country(
    conn: &Connection,
    limit: i64,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(store::awaiting_card_country(conn, limit)?)
}

/// The latest orders whose evidence the card contradicted (at most `limit`).
pub fn conflicts(conn: &Connection, limit: i64) -> Result<Vec<EvidenceConflict>, AppError> {
    Ok(store::conflicts(conn, limit)?
        .into_iter()
        .map(|(order_number, e)| EvidenceConflict {
            order_id: e.order_id,
            order_number,
            country: e.country,
            billing_country: e.billing_country,
            ip_country: e.ip_country,
            card_country: e.card_country,
            evidence_pieces: e.evidence_pieces,
            conflict: e.evidence_conflict.unwrap_or_default(),
            recorded_at: e.card_checked_at,
        })
        .collect())
}
