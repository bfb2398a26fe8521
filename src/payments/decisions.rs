//! Staff decisions on refunds (approve, override a rejection, reject, goods returned) and
//! cancelling a paid, unshipped order through the refund path.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::config::GatewayKind;
use super::eligibility::refund_eligibility;
use super::model::{Refund, RefundStatus};
use super::refunds::{
    By, Ending, audit, audit_detail, conflict, move_refund, process, refundable_order,
};
use super::scope::{eligibility_items, scope};
use super::store;
use crate::app::AppState;
use crate::commerce::lifecycle::OrderStatus;
use crate::http::{AppError, Problem};

/// `POST /api/admin/refunds/:id/approve`: approves a request (or retries a failed one, or
/// overrides a rejection) and processes it. For manual payments this records that staff paid
/// the money back.
pub async fn approve(
    state: &AppState,
    id: &str,
    by: By,
    note: Option<String>,
) -> Result<Refund, AppError> {
    let (rid, now, b) = (id.to_string(), state.now_text(), by.clone());
    state
        .db
        .write(move |conn| {
            let mut refund = store::refund(conn, &rid)?.ok_or(AppError::NotFound("refund"))?;
            match refund.status {
                RefundStatus::Failed => {} // a retry of a refund the gateway refused
                RefundStatus::Rejected => {
                    override_rejection(conn, &mut refund, &b, note.as_deref(), &now)?;
                }
                _ => {
                    move_refund(conn, &mut refund, RefundStatus::Approved, &now)?;
                    store::set_refund_decision(
                        conn,
                        &rid,
                        b.user_id.as_deref(),
                        note.as_deref(),
                        &now,
                    )?;
                    audit(conn, &b, "refund.approved", &refund, &now)?;
                }
            }
            Ok(())
        })
        .await?;
    process(state, id, by, Ending::Refund).await
}

/// An admin approves a rejected (for instance ineligible) request by hand: the items and the
/// amount must still be free (409 otherwise); the audit row keeps the original reasons.
fn override_rejection(
    conn: &Connection,
    refund: &mut Refund,
    by: &By,
    note: Option<&str>,
    now: &str,
) -> Result<(), AppError> {
    let order = store::order(conn, &refund.order_id)?.ok_or(AppError::NotFound("order"))?;
    let payment = refundable_order(conn, &order)?;
    if payment.id != refund.payment_id {
        return Err(conflict(
            "the payment this request was made against no longer holds the order's money",
        ));
    }
    let taken = store::refunded_item_ids(conn, &order.id)?;
    if let Some(item) = refund.item_ids.iter().find(|i| taken.contains(i)) {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            format!("item {item} is already covered by another refund"),
        )
        .with("item_id", item)
        .into_error());
    }
    let remaining = payment.amount_cents - store::committed_refund_cents(conn, &payment.id)?;
    if refund.amount_cents > remaining {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            format!(
                "only {} of the requested {} cents can still be refunded",
                remaining.max(0),
                refund.amount_cents
            ),
        )
        .with("refundable_cents", remaining.max(0))
        .into_error());
    }
    let original_reasons: Vec<serde_json::Value> = refund.eligibility["reasons"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let previous_note = refund.decision_note.clone();
    // Rejected is final for the lifecycle; only this explicit override leaves it.
    store::set_refund_status(conn, &refund.id, RefundStatus::Approved, now)?;
    refund.status = RefundStatus::Approved;
    let note = note.unwrap_or("approved by hand despite the rejection");
    store::set_refund_decision(conn, &refund.id, by.user_id.as_deref(), Some(note), now)?;
    audit_detail(
        conn,
        by,
        "refund.override",
        refund,
        serde_json::json!({
            "from": "rejected",
            "note": note,
            "original_reasons": original_reasons,
            "original_note": previous_note,
        }),
        now,
    )
}

/// `POST /api/admin/refunds/:id/reject`.
pub async fn reject(state: &AppState, id: &str, by: By, note: String) -> Result<Refund, AppError> {
    let (rid, now) = (id.to_string(), state.now_text());
    let refund = state
        .db
        .write(move |conn| {
            let mut refund = store::refund(conn, &rid)?.ok_or(AppError::NotFound("refund"))?;
            move_refund(conn, &mut refund, RefundStatus::Rejected, &now)?;
            store::set_refund_decision(conn, &rid, by.user_id.as_deref(), Some(&note), &now)?;
            audit(conn, &by, "refund.rejected", &refund, &now)?;
            super::mails::rejected(conn, &refund, &note, &now)?;
            store::refund(conn, &rid)?.ok_or(AppError::NotFound("refund"))
        })
        .await?;
    crate::mail::wake(state);
    Ok(refund)
}

/// `POST /api/admin/refunds/:id/return-received`: the goods are back; they are restocked,
/// and with `refunds.auto_approve` the refund is approved and processed.
pub async fn return_received(state: &AppState, id: &str, by: By) -> Result<Refund, AppError> {
    let (rid, now, b) = (id.to_string(), state.now_text(), by.clone());
    let auto = state.config.refunds.auto_approve;
    let refund = state
        .db
        .write(move |conn| {
            let mut refund = store::refund(conn, &rid)?.ok_or(AppError::NotFound("refund"))?;
            move_refund(conn, &mut refund, RefundStatus::ReturnReceived, &now)?;
            for item in store::order_items(conn, &refund.order_id)? {
                if item.item_kind == "physical_product" && refund.item_ids.contains(&item.id) {
                    store::restock(conn, &item.item_id, item.quantity)?;
                }
            }
            audit(conn, &b, "refund.return_received", &refund, &now)?;
            let payment =
                store::payment(conn, &refund.payment_id)?.ok_or(AppError::NotFound("payment"))?;
            if auto && payment.gateway == GatewayKind::Stripe {
                move_refund(conn, &mut refund, RefundStatus::Approved, &now)?;
            }
            Ok(refund)
        })
        .await?;
    if refund.status == RefundStatus::Approved {
        return process(state, id, by, Ending::Refund).await;
    }
    Ok(refund)
}

/// Cancels a paid, unshipped order through the refund path: everything still captured is
/// refunded, enrolments revoked, stock released, and the order ends `cancelled`.
///
/// Money paid by hand is returned by hand: unless `staff` cancels, a manually paid order is
/// refused (409) and the buyer is told to ask staff.
pub async fn refund_whole_order(
    state: &AppState,
    order_id: &str,
    by: By,
    staff: bool,
    note: &str,
) -> Result<Refund, AppError> {
    let (oid, now, b, note) = (
        order_id.to_string(),
        state.now_text(),
        by.clone(),
        note.to_string(),
    );
    let policy = state.config.refunds.policy();
    let clock = state.now();
    let refund = state
        .db
        .write(move |conn| {
            let order = store::order(conn, &oid)?.ok_or(AppError::NotFound("order"))?;
            if order.status != OrderStatus::Paid {
                return Err(conflict(format!(
                    "order {} is {}; only paid, unshipped orders can be cancelled",
                    order.number, order.status
                )));
            }
            let payment = refundable_order(conn, &order)?;
            if payment.gateway == GatewayKind::Manual && !staff {
                return Err(conflict(
                    "this order was paid by hand (office or bank transfer): ask staff to cancel \
                     it, they return the money the same way",
                ));
            }
            let (items, amount) = scope(conn, &order, &payment, None, None)?;
            let verdict = refund_eligibility(
                &policy,
                clock,
                clock,
                &eligibility_items(conn, &order.user_id, &order.id, &items)?,
            );
            let refund = Refund {
                id: uuid::Uuid::now_v7().to_string(),
                order_id: order.id.clone(),
                order_number: order.number.clone(),
                currency: order.currency.clone(),
                payment_id: payment.id.clone(),
                user_id: order.user_id.clone(),
                status: RefundStatus::Approved,
                amount_cents: amount,
                reason: note.clone(),
                eligibility: serde_json::to_value(&verdict).unwrap_or_default(),
                item_ids: items.iter().map(|i| i.id.clone()).collect(),
                gateway_refund_id: None,
                failure_message: None,
                decided_by: b.user_id.clone(),
                decision_note: Some("order cancelled before shipping".into()),
                created_at: now.clone(),
                updated_at: now.clone(),
                processed_at: None,
                automatic: false,
            };
            store::insert_refund(conn, &refund)?;
            audit(conn, &b, "refund.requested", &refund, &now)?;
            Ok(refund)
        })
        .await?;
    process(state, &refund.id, by, Ending::Cancel).await
}

/// `DELETE /api/orders/:id` on a paid order: refunds everything and cancels it; when the
/// gateway refuses, the order stays paid and the answer is 502 naming the failed refund.
pub async fn cancel_paid_order(
    state: &AppState,
    order_id: &str,
    by: By,
    staff: bool,
) -> Result<Refund, AppError> {
    let note = if by.user_id.is_some() {
        "order cancelled"
    } else {
        "order cancelled by the system"
    };
    let refund = refund_whole_order(state, order_id, by, staff, note).await?;
    // Approved means Stripe accepted it as pending: `refund.updated` finishes it.
    if refund.status == RefundStatus::Failed {
        return Err(Problem::new(
            StatusCode::BAD_GATEWAY,
            format!(
                "the refund could not be sent ({}); the order stays paid and the refund is queued for staff",
                refund.failure_message.as_deref().unwrap_or("no answer")
            ),
        )
        .with("refund_id", &refund.id)
        .into_error());
    }
    Ok(refund)
}
