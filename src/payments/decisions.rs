//! Staff decisions on refunds (approve, override a rejection, reject, goods returned) and
//! cancelling a paid, unshipped order through the refund path.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::config::GatewayKind;
use super::model::{Refund, RefundStatus};
use super::refunds::{
    By, Ending, audit, audit_detail, conflict, move_refund, process, refundable_order,
};
use super::scope::{Asked, Rules, Scoped, recheck, scope};
use super::store;
use crate::commerce::lifecycle::OrderStatus;
use crate::http::{AppError, Problem};
use crate::state::AppState;

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
    let rules = rules(state);
    state
        .db
        .write(move |conn| {
            let mut refund = store::refund(conn, &rid)?.ok_or(AppError::NotFound("refund"))?;
            match refund.status {
                RefundStatus::Failed => {
                    // A retry of a refund the gateway refused: still within what is left.
                    still_refundable(conn, &refund, &rules)?;
                }
                RefundStatus::Rejected => {
                    override_rejection(conn, &mut refund, &b, note.as_deref(), &rules, &now)?;
                }
                _ => {
                    move_refund(conn, &mut refund, RefundStatus::Approved, &now)?;
                    still_refundable(conn, &refund, &rules)?;
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

/// The policy and the clock refunds are judged by now.
fn rules(state: &AppState) -> Rules {
    Rules {
        policy: state.config.refunds.policy(),
        now: state.now(),
    }
}

/// Re-checks a recorded refund by the refund rules (its items still free, its amount within
/// what they paid); 409 otherwise, and the transaction it runs in changes nothing.
fn still_refundable(conn: &Connection, refund: &Refund, rules: &Rules) -> Result<(), AppError> {
    let order = store::order(conn, &refund.order_id)?.ok_or(AppError::NotFound("order"))?;
    let payment = store::payment(conn, &refund.payment_id)?.ok_or(AppError::NotFound("payment"))?;
    recheck(conn, refund, &order, &payment, rules)?;
    Ok(())
}

/// An admin approves a rejected (for instance ineligible) request by hand: the items must
/// still be free and the amount within what they paid (409 otherwise); the audit row keeps
/// the reasons overridden.
fn override_rejection(
    conn: &Connection,
    refund: &mut Refund,
    by: &By,
    note: Option<&str>,
    rules: &Rules,
    now: &str,
) -> Result<(), AppError> {
    let order = store::order(conn, &refund.order_id)?.ok_or(AppError::NotFound("order"))?;
    let payment = refundable_order(conn, &order)?;
    if payment.id != refund.payment_id {
        return Err(conflict(
            "the payment this request was made against no longer holds the order's money",
        ));
    }
    recheck(conn, refund, &order, &payment, rules)?;
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
    let rules = rules(state);
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
            // A refund no longer within the rules waits for staff, whose approval says why.
            if auto
                && payment.gateway != GatewayKind::Manual
                && still_refundable(conn, &refund, &rules).is_ok()
            {
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

/// Cancels a paid, unshipped order through the refund path: every item not yet refunded
/// (and the shipping) is paid back by the refund rules, enrolments revoked, stock released,
/// and the order ends `cancelled`.
///
/// For its buyer this is a refund request of the whole order: refused (409 with every
/// eligibility reason, nothing recorded) unless every item is eligible and
/// `refunds.auto_approve` is on; money paid by hand is returned by hand, so a manually paid
/// order is refused too. Staff may cancel regardless: an override, audited with the reasons
/// it overrode.
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
    let rules = rules(state);
    let auto_approve = state.config.refunds.auto_approve;
    let refund = state
        .db
        .write(move |conn| {
            let order = store::order(conn, &oid)?.ok_or(AppError::NotFound("order"))?;
            if order.status != OrderStatus::Paid {
                return Err(conflict(crate::msg!(
                    "problem-cancel-order-status",
                    number = order.number.as_str(),
                    status = crate::status::word(order.status)
                )));
            }
            let payment = refundable_order(conn, &order)?;
            if payment.gateway == GatewayKind::Manual && !staff {
                return Err(conflict(
                    "this order was paid by hand (office or bank transfer): ask staff to cancel \
                     it, they return the money the same way",
                ));
            }
            let scoped = scope(conn, &order, &payment, &Asked::Everything, None, &rules)?;
            if !staff {
                buyer_may_cancel(&scoped, auto_approve)?;
            }
            let refund = Refund {
                id: uuid::Uuid::now_v7().to_string(),
                order_id: order.id.clone(),
                order_number: order.number.clone(),
                currency: order.currency.clone(),
                payment_id: payment.id.clone(),
                user_id: order.user_id.clone(),
                status: RefundStatus::Approved,
                amount_cents: scoped.amount_cents,
                reason: note.clone(),
                eligibility: serde_json::to_value(&scoped.verdict).unwrap_or_default(),
                item_ids: scoped.item_ids.clone(),
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
            if staff {
                audit_detail(
                    conn,
                    &b,
                    "refund.override",
                    &refund,
                    serde_json::json!({
                        "from": "cancellation",
                        "note": "cancelled by staff",
                        "original_reasons": scoped.verdict.reasons,
                    }),
                    &now,
                )?;
            }
            Ok(refund)
        })
        .await?;
    process(state, &refund.id, by, Ending::Cancel).await
}

/// A buyer's cancellation of a paid order is a refund of all of it, granted at once only
/// when every item is eligible and eligible refunds are approved without review.
fn buyer_may_cancel(scoped: &Scoped, auto_approve: bool) -> Result<(), AppError> {
    if !scoped.verdict.eligible {
        let reasons: Vec<String> = scoped
            .verdict
            .reasons
            .iter()
            .map(|r| r.to_string())
            .collect();
        return Err(Problem::new(
            StatusCode::CONFLICT,
            crate::msg!(
                "problem-cancel-refused",
                reasons = crate::http::Message::verbatim(reasons.join("; "))
            ),
        )
        .with("reasons", &scoped.verdict.reasons)
        .into_error());
    }
    if !auto_approve {
        return Err(conflict(
            "refunds are reviewed by staff here: ask for a refund of the order, or ask staff to \
             cancel it",
        ));
    }
    Ok(())
}

/// `DELETE /api/orders/:id` on a paid order: refunds it by the refund rules and cancels it
/// (see `refund_whole_order`); when the gateway refuses, the order stays paid and the answer
/// is 502 naming the failed refund.
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
            crate::msg!(
                "problem-refund-not-sent",
                cause = match refund.failure_message.as_deref() {
                    Some(answer) => crate::http::Message::verbatim(answer),
                    None => crate::msg!("problem-no-answer"),
                }
            ),
        )
        .with("refund_id", &refund.id)
        .into_error());
    }
    Ok(refund)
}
