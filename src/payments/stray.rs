//! Money that arrives for an order that cannot take it any more (cancelled meanwhile, or
//! already paid by another attempt) is sent straight back: an automatic refund is recorded
//! in the transaction that records the payment, then sent through the gateway after it.

use rusqlite::Connection;

use super::model::{OrderFacts, Payment, Refund, RefundStatus};
use super::refunds::{By, Ending, audit_detail, process};
use super::store;
use crate::http::AppError;
use crate::state::AppState;

/// Records an approved, automatic refund of everything `payment` took for `order`.
pub fn queue_refund(
    conn: &Connection,
    payment: &Payment,
    order: &OrderFacts,
    now: &str,
) -> Result<(), AppError> {
    let reason = format!(
        "the payment arrived while order {} was {}, so it was sent back automatically",
        order.number, order.status
    );
    let refund = Refund {
        id: uuid::Uuid::now_v7().to_string(),
        order_id: order.id.clone(),
        order_number: order.number.clone(),
        currency: order.currency.clone(),
        payment_id: payment.id.clone(),
        user_id: payment.user_id.clone(),
        status: RefundStatus::Approved,
        amount_cents: payment.amount_cents,
        reason,
        eligibility: serde_json::json!({"eligible": true, "reasons": [], "return_required": false}),
        item_ids: Vec::new(),
        gateway_refund_id: None,
        failure_message: None,
        decided_by: None,
        decision_note: Some("order not payable when the money arrived".into()),
        created_at: now.to_string(),
        updated_at: now.to_string(),
        processed_at: None,
        automatic: true,
    };
    store::insert_refund(conn, &refund)?;
    audit_detail(
        conn,
        &By::default(),
        "refund.requested",
        &refund,
        serde_json::json!({"automatic": true, "order_status": order.status.as_str()}),
        now,
    )
}

/// Sends the approved refunds of `payment_id` that never reached the gateway; failures stay
/// `failed` in the refund queue for staff to retry.
pub async fn send(state: &AppState, payment_id: &str) {
    let id = payment_id.to_string();
    let waiting = match state
        .db
        .read(move |conn| Ok(store::approved_refund_ids(conn, &id)?))
        .await
    {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(payment = %payment_id, error = %e, "could not look for refunds to send");
            return;
        }
    };
    for refund_id in waiting {
        match process(state, &refund_id, By::default(), Ending::Keep).await {
            Ok(refund) if refund.status == RefundStatus::Failed => {
                tracing::warn!(refund = %refund.id, "the automatic refund failed; it waits for staff");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(refund = %refund_id, error = %e, "could not send a refund"),
        }
    }
}
