//! The refund flow: requests checked by `eligibility::refund_eligibility`, staff decisions,
//! returns of physical goods, and processing through the payment's gateway (never more in
//! total than was captured), after which payment, order and enrolments follow.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::config::GatewayKind;
use super::eligibility::{RefundItem, refund_eligibility};
use super::gateway::{RefundOutcome, SendRefund, gateway_for};
use super::model::{OrderFacts, OrderItemFacts, Payment, PaymentStatus, Refund, RefundStatus};
use super::store;
use crate::app::AppState;
use crate::commerce::lifecycle::{
    OrderStatus, TransitionCause, payment_transition, refund_transition,
};
use crate::commerce::service::{Actor, apply_status_change};
use crate::http::{AppError, Problem};

/// Who acts, owned so it can move into database closures.
#[derive(Debug, Clone, Default)]
pub struct By {
    pub user_id: Option<String>,
    pub ip: Option<String>,
}

impl By {
    fn actor(&self) -> Actor<'_> {
        Actor {
            user_id: self.user_id.as_deref(),
            ip: self.ip.as_deref(),
        }
    }
}

/// A buyer's refund request, as validated fields.
#[derive(Debug, Clone)]
pub struct NewRefund {
    pub order_id: String,
    pub reason: String,
    pub amount_cents: Option<i64>,
    pub item_ids: Option<Vec<String>>,
}

fn conflict(detail: impl Into<String>) -> AppError {
    AppError::conflict(detail)
}

fn refundable_order(conn: &Connection, order: &OrderFacts) -> Result<Payment, AppError> {
    match order.status {
        OrderStatus::Paid
        | OrderStatus::Fulfilled
        | OrderStatus::Delivered
        | OrderStatus::PartiallyRefunded => {}
        OrderStatus::Shipped => {
            return Err(conflict(
                "the order is on its way; request a refund once it has been delivered",
            ));
        }
        other => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                format!(
                    "order {} is {other}; only paid orders can be refunded",
                    order.number
                ),
            )
            .with("order_status", other.as_str())
            .into_error());
        }
    }
    store::captured_payment_for_order(conn, &order.id)?.ok_or_else(|| {
        conflict("no payment was captured for this order, so there is nothing to refund it through")
    })
}

/// Picks the refunded items and the amount, refusing more than what is left (409).
fn scope(
    conn: &Connection,
    order: &OrderFacts,
    payment: &Payment,
    item_ids: Option<&[String]>,
    amount_cents: Option<i64>,
) -> Result<(Vec<OrderItemFacts>, i64), AppError> {
    let all = store::order_items(conn, &order.id)?;
    let taken = store::refunded_item_ids(conn, &order.id)?;
    let open: Vec<OrderItemFacts> = all
        .iter()
        .filter(|i| !taken.contains(&i.id))
        .cloned()
        .collect();
    let remaining = payment.amount_cents - store::committed_refund_cents(conn, &payment.id)?;
    let items = match item_ids {
        None => open.clone(),
        Some(ids) => {
            if ids.is_empty() {
                return Err(AppError::field(
                    "item_ids",
                    "must name at least one order item",
                ));
            }
            let mut chosen = Vec::new();
            for id in ids {
                let Some(item) = all.iter().find(|i| &i.id == id) else {
                    return Err(AppError::field(
                        "item_ids",
                        format!("{id} is not an item of this order"),
                    ));
                };
                if taken.contains(id) {
                    return Err(Problem::new(
                        StatusCode::CONFLICT,
                        format!("item {id} is already being refunded"),
                    )
                    .with("item_id", id)
                    .into_error());
                }
                if !chosen.iter().any(|c: &OrderItemFacts| &c.id == id) {
                    chosen.push(item.clone());
                }
            }
            chosen
        }
    };
    let whole_rest = items.len() == open.len();
    let amount = match amount_cents {
        Some(a) if a <= 0 => return Err(AppError::field("amount_cents", "must be positive")),
        Some(a) => a,
        None if whole_rest => remaining,
        None => items
            .iter()
            .map(|i| i.total_cents)
            .sum::<i64>()
            .min(remaining),
    };
    if remaining <= 0 || amount > remaining || (items.is_empty() && amount_cents.is_none()) {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            format!(
                "that is more than can still be refunded: {remaining} of {} cents captured",
                payment.amount_cents
            ),
        )
        .with("refundable_cents", remaining.max(0))
        .into_error());
    }
    Ok((items, amount))
}

/// The buyer's completion of a course (percent of required lessons) and whether a
/// certificate stands, from the learning records.
fn course_facts(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> Result<(u32, bool), AppError> {
    use crate::learning::store::{certificates, courses, enrollments, progress};
    let Some(enrollment) = enrollments::find(conn, user_id, course_id)? else {
        return Ok((0, false));
    };
    let done = progress::completed_required_count(conn, &enrollment.id)?;
    let required = courses::required_count(conn, course_id)?;
    let percent = crate::learning::progress::percent(done, required).clamp(0, 100);
    let certificate = certificates::current(conn, &enrollment.id)?.is_some();
    Ok((u32::try_from(percent).unwrap_or(100), certificate))
}

fn eligibility_items(
    conn: &Connection,
    user_id: &str,
    items: &[OrderItemFacts],
) -> Result<Vec<RefundItem>, AppError> {
    let mut out = Vec::new();
    for item in items {
        out.push(match item.item_kind.as_str() {
            "course" => {
                let (progress_percent, certificate_issued) =
                    course_facts(conn, user_id, &item.item_id)?;
                RefundItem::Course {
                    course_id: item.item_id.clone(),
                    progress_percent,
                    certificate_issued,
                }
            }
            "physical_product" => RefundItem::PhysicalProduct {
                product_id: item.item_id.clone(),
            },
            _ => RefundItem::DigitalProduct {
                product_id: item.item_id.clone(),
                downloaded: false,
            },
        });
    }
    Ok(out)
}

fn audit(
    conn: &Connection,
    by: &By,
    action: &str,
    refund: &Refund,
    now: &str,
) -> Result<(), AppError> {
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: by.user_id.as_deref(),
            action,
            target_type: Some("refund"),
            target_id: Some(&refund.id),
            ip: by.ip.as_deref(),
            detail: Some(serde_json::json!({
                "order_id": refund.order_id,
                "amount_cents": refund.amount_cents,
                "status": refund.status.as_str(),
            })),
        },
    )?;
    Ok(())
}

fn move_refund(
    conn: &Connection,
    refund: &mut Refund,
    to: RefundStatus,
    now: &str,
) -> Result<(), AppError> {
    refund_transition(refund.status, to).map_err(|e| {
        Problem::new(StatusCode::CONFLICT, e.to_string())
            .with("from", e.from.as_str())
            .with("to", e.to.as_str())
            .into_error()
    })?;
    store::set_refund_status(conn, &refund.id, to, now)?;
    refund.status = to;
    Ok(())
}

/// `POST /api/refunds`: records the owner's request with its eligibility; eligible requests
/// are approved at once when `refunds.auto_approve` (Stripe payments), physical goods wait
/// for their return, ineligible ones are rejected with the reasons. Processing follows.
pub async fn request_refund(
    state: &AppState,
    user_id: &str,
    by: By,
    req: NewRefund,
) -> Result<Refund, AppError> {
    let reason = req.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(AppError::field("reason", "must be 1 to 2000 characters"));
    }
    let (now, now_text) = (state.now(), state.now_text());
    let policy = state.config.refunds.policy();
    let auto_approve = state.config.refunds.auto_approve;
    let uid = user_id.to_string();
    let refund = state
        .db
        .write(move |conn| {
            let order = store::order(conn, &req.order_id)?
                .filter(|o| o.user_id == uid)
                .ok_or(AppError::NotFound("order"))?;
            let payment = refundable_order(conn, &order)?;
            let (items, amount) = scope(
                conn,
                &order,
                &payment,
                req.item_ids.as_deref(),
                req.amount_cents,
            )?;
            let paid_at = order
                .paid_at
                .clone()
                .or(payment.completed_at.clone())
                .and_then(|t| crate::clock::parse_rfc3339(&t))
                .unwrap_or(now);
            let verdict = refund_eligibility(
                &policy,
                paid_at,
                now,
                &eligibility_items(conn, &uid, &items)?,
            );
            let status = if !verdict.eligible {
                RefundStatus::Rejected
            } else if verdict.return_required {
                RefundStatus::ReturnRequested
            } else if auto_approve && payment.gateway == GatewayKind::Stripe {
                RefundStatus::Approved
            } else {
                RefundStatus::Requested
            };
            let refund = Refund {
                id: uuid::Uuid::now_v7().to_string(),
                order_id: order.id.clone(),
                payment_id: payment.id.clone(),
                user_id: uid.clone(),
                status,
                amount_cents: amount,
                reason,
                eligibility: serde_json::to_value(&verdict).unwrap_or_default(),
                item_ids: items.iter().map(|i| i.id.clone()).collect(),
                gateway_refund_id: None,
                failure_message: None,
                decided_by: None,
                decision_note: (!verdict.eligible).then(|| {
                    verdict
                        .reasons
                        .iter()
                        .map(|r| r.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
                created_at: now_text.clone(),
                updated_at: now_text.clone(),
                processed_at: None,
            };
            store::insert_refund(conn, &refund)?;
            audit(conn, &by, "refund.requested", &refund, &now_text)?;
            // Mail hook: "refund request received" (with the decision) goes into the outbox.
            Ok(refund)
        })
        .await?;
    if refund.status == RefundStatus::Approved {
        return process(state, &refund.id, By::default(), Ending::Refund).await;
    }
    Ok(refund)
}

/// What the order becomes once the money is back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `refunded` or `partially_refunded`.
    Refund,
    /// `cancelled`, stock released (cancelling a paid, unshipped order).
    Cancel,
}

/// Sends an approved (or failed, for a retry) refund through the payment's gateway and
/// records the answer. Never holds a transaction while the gateway is called.
pub async fn process(
    state: &AppState,
    refund_id: &str,
    by: By,
    ending: Ending,
) -> Result<Refund, AppError> {
    let id = refund_id.to_string();
    let (refund, payment) = state
        .db
        .read(move |conn| {
            let refund = store::refund(conn, &id)?.ok_or(AppError::NotFound("refund"))?;
            let payment =
                store::payment(conn, &refund.payment_id)?.ok_or(AppError::NotFound("payment"))?;
            Ok((refund, payment))
        })
        .await?;
    if !matches!(refund.status, RefundStatus::Approved | RefundStatus::Failed) {
        return Err(conflict(format!(
            "the refund is {}, not approved",
            refund.status
        )));
    }
    let outcome = gateway_for(&state.config.payments, payment.gateway)
        .refund(&SendRefund {
            refund_id: refund.id.clone(),
            transaction_id: payment.transaction_id.clone(),
            amount_cents: refund.amount_cents,
        })
        .await
        .unwrap_or_else(|e| RefundOutcome::Failed {
            gateway_refund_id: None,
            message: e.to_string(),
        });
    let now = state.now_text();
    let id = refund.id.clone();
    state
        .db
        .write(move |conn| {
            let mut refund = store::refund(conn, &id)?.ok_or(AppError::NotFound("refund"))?;
            apply_outcome(conn, &mut refund, &outcome, &by, ending, &now)?;
            store::refund(conn, &id)?.ok_or(AppError::NotFound("refund"))
        })
        .await
}

/// Applies a gateway's answer about a refund (from processing or a `refund.*` webhook);
/// returns whether anything changed. Monotonic: a processed refund stays processed.
pub fn apply_outcome(
    conn: &Connection,
    refund: &mut Refund,
    outcome: &RefundOutcome,
    by: &By,
    ending: Ending,
    now: &str,
) -> Result<bool, AppError> {
    if !matches!(refund.status, RefundStatus::Approved | RefundStatus::Failed) {
        return Ok(false);
    }
    match outcome {
        RefundOutcome::Succeeded { gateway_refund_id } => {
            store::set_refund_gateway(conn, &refund.id, gateway_refund_id.as_deref(), None, now)?;
            complete(conn, refund, by, ending, now)?;
            Ok(true)
        }
        RefundOutcome::Pending { gateway_refund_id } => {
            store::set_refund_gateway(conn, &refund.id, Some(gateway_refund_id), None, now)?;
            Ok(true)
        }
        RefundOutcome::Failed {
            gateway_refund_id,
            message,
        } => {
            store::set_refund_gateway(
                conn,
                &refund.id,
                gateway_refund_id.as_deref(),
                Some(message),
                now,
            )?;
            if refund.status == RefundStatus::Approved {
                move_refund(conn, refund, RefundStatus::Failed, now)?;
            }
            audit(conn, by, "refund.failed", refund, now)?;
            Ok(true)
        }
    }
}

/// The money is back: refund processed, payment and order statuses follow, enrolments in the
/// refunded courses (and their certificates) are revoked at once.
fn complete(
    conn: &Connection,
    refund: &mut Refund,
    by: &By,
    ending: Ending,
    now: &str,
) -> Result<(), AppError> {
    move_refund(conn, refund, RefundStatus::Processed, now)?;
    let payment = store::payment(conn, &refund.payment_id)?.ok_or(AppError::NotFound("payment"))?;
    // Processed refunds (this one included), or more if Stripe reported more refunded.
    let processed = store::processed_refund_cents(conn, &payment.id)?;
    let refunded = processed
        .max(payment.refunded_cents)
        .min(payment.amount_cents);
    let full = refunded >= payment.amount_cents;
    let status = if full {
        PaymentStatus::Refunded
    } else {
        PaymentStatus::PartiallyRefunded
    };
    if payment_transition(payment.status, status).is_ok() {
        store::set_payment_refunded(conn, &payment.id, refunded, status, now)?;
    }
    let order = crate::commerce::store::orders::get(conn, &refund.order_id, None)?
        .ok_or(AppError::NotFound("order"))?;
    let items = store::order_items(conn, &refund.order_id)?;
    let actor = by.actor();
    match ending {
        Ending::Cancel => {
            apply_status_change(
                conn,
                &order,
                OrderStatus::Cancelled,
                TransitionCause::Cancellation,
                &actor,
                "cancelled and refunded",
                now,
            )?;
            for item in items.iter().filter(|i| i.item_kind != "course") {
                crate::commerce::store::release_stock(conn, &item.item_id, item.quantity)?;
            }
        }
        Ending::Refund => {
            let to = if full {
                OrderStatus::Refunded
            } else {
                OrderStatus::PartiallyRefunded
            };
            apply_status_change(
                conn,
                &order,
                to,
                TransitionCause::Refund,
                &actor,
                "refund processed",
                now,
            )?;
        }
    }
    for item in items
        .iter()
        .filter(|i| i.item_kind == "course" && refund.item_ids.contains(&i.id))
    {
        let enrollment =
            crate::learning::store::enrollments::find(conn, &refund.user_id, &item.item_id)?;
        if let Some(enrollment) = enrollment.filter(|e| e.status.has_access()) {
            crate::learning::service::revoke_enrollment(conn, &enrollment, now)?;
        }
    }
    audit(conn, by, "refund.processed", refund, now)?;
    // Mail hook: "your refund was processed" goes into the outbox here.
    Ok(())
}

/// `POST /api/admin/refunds/:id/approve`: approves a request (or retries a failed one) and
/// processes it. For manual payments this records that staff paid the money back.
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
            if refund.status != RefundStatus::Failed {
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
            Ok(())
        })
        .await?;
    process(state, id, by, Ending::Refund).await
}

/// `POST /api/admin/refunds/:id/reject`.
pub async fn reject(state: &AppState, id: &str, by: By, note: String) -> Result<Refund, AppError> {
    let (rid, now) = (id.to_string(), state.now_text());
    state
        .db
        .write(move |conn| {
            let mut refund = store::refund(conn, &rid)?.ok_or(AppError::NotFound("refund"))?;
            move_refund(conn, &mut refund, RefundStatus::Rejected, &now)?;
            store::set_refund_decision(conn, &rid, by.user_id.as_deref(), Some(&note), &now)?;
            audit(conn, &by, "refund.rejected", &refund, &now)?;
            store::refund(conn, &rid)?.ok_or(AppError::NotFound("refund"))
        })
        .await
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
                &eligibility_items(conn, &order.user_id, &items)?,
            );
            let refund = Refund {
                id: uuid::Uuid::now_v7().to_string(),
                order_id: order.id.clone(),
                payment_id: payment.id.clone(),
                user_id: order.user_id.clone(),
                status: RefundStatus::Approved,
                amount_cents: amount,
                reason: note,
                eligibility: serde_json::to_value(&verdict).unwrap_or_default(),
                item_ids: items.iter().map(|i| i.id.clone()).collect(),
                gateway_refund_id: None,
                failure_message: None,
                decided_by: b.user_id.clone(),
                decision_note: Some("order cancelled before shipping".into()),
                created_at: now.clone(),
                updated_at: now.clone(),
                processed_at: None,
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
