//! Refund mail: queues the buyer's mail for a refund event into the outbox, inside the write
//! transaction of the event (request decided, money sent back, request turned down).

use rusqlite::Connection;

use super::model::{Refund, RefundStatus};
use super::store;
use crate::http::AppError;
use crate::mail::context::enqueue_with;
use crate::mail::refund_events::{self, Decision, RefundFacts};

enum Event<'a> {
    Requested(Decision),
    Processed,
    Rejected(&'a str),
}

/// "We received your refund request", with the decision taken on it.
pub fn requested(conn: &Connection, refund: &Refund, now: &str) -> Result<(), AppError> {
    let decision = match refund.status {
        RefundStatus::Rejected => Decision::Rejected(
            refund.eligibility["reasons"]
                .as_array()
                .map(|reasons| {
                    reasons
                        .iter()
                        .filter_map(|r| r["message"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        RefundStatus::ReturnRequested => Decision::ReturnFirst,
        RefundStatus::Approved | RefundStatus::Processed => Decision::Approved,
        _ => Decision::Review,
    };
    send(conn, refund, Event::Requested(decision), now)
}

/// "We refunded ... for order ...".
pub fn processed(conn: &Connection, refund: &Refund, now: &str) -> Result<(), AppError> {
    send(conn, refund, Event::Processed, now)
}

/// "Your refund request was not approved", with the staff's note.
pub fn rejected(conn: &Connection, refund: &Refund, note: &str, now: &str) -> Result<(), AppError> {
    send(conn, refund, Event::Rejected(note), now)
}

fn send(conn: &Connection, refund: &Refund, event: Event<'_>, now: &str) -> Result<(), AppError> {
    let Some((name, email)) = store::recipient(conn, &refund.user_id)? else {
        return Ok(());
    };
    if email.is_empty() || crate::privacy::service::is_erased(&email) {
        return Ok(()); // the buyer's account is gone: nobody to write to
    }
    let order = store::order(conn, &refund.order_id)?.ok_or(AppError::NotFound("order"))?;
    let facts = RefundFacts {
        name: &name,
        order_id: &order.id,
        number: &order.number,
        amount_cents: refund.amount_cents,
        currency: &order.currency,
    };
    enqueue_with(conn, now, &email, |ctx| match &event {
        Event::Requested(decision) => refund_events::refund_requested(ctx, &facts, decision),
        Event::Processed => refund_events::refund_processed(ctx, &facts, &refund.reason),
        Event::Rejected(note) => refund_events::refund_rejected(ctx, &facts, note),
    })?;
    Ok(())
}
