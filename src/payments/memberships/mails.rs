//! Queues a member's membership mail into the outbox, inside the write of the event.

use rusqlite::Connection;

use super::model::{Membership, Plan};
use super::store;
use crate::http::AppError;
use crate::mail::context::enqueue_with;
use crate::mail::membership_events::{self, MemberFacts};

pub enum Mail<'a> {
    Welcome,
    Receipt {
        amount_cents: i64,
        note: &'a str,
    },
    PaymentFailed {
        amount_cents: i64,
        grace_until: &'a str,
    },
    Paused,
    Cancelled {
        when: &'a str,
    },
}

pub fn send(
    conn: &Connection,
    membership: &Membership,
    plan: &Plan,
    mail: Mail<'_>,
    now: &str,
) -> Result<(), AppError> {
    let Some((name, email)) = store::recipient(conn, &membership.user_id)? else {
        return Ok(());
    };
    if email.is_empty() || crate::privacy::service::is_erased(&email) {
        return Ok(());
    }
    let facts = MemberFacts {
        name: &name,
        plan: &plan.name,
        price_cents: plan.price_cents,
        currency: &plan.currency,
        interval: plan.interval.as_str(),
    };
    enqueue_with(conn, now, &email, |ctx| match mail {
        Mail::Welcome => membership_events::welcome(ctx, &facts),
        Mail::Receipt { amount_cents, note } => {
            membership_events::receipt(ctx, &facts, amount_cents, note)
        }
        Mail::PaymentFailed {
            amount_cents,
            grace_until,
        } => membership_events::payment_failed(ctx, &facts, amount_cents, grace_until),
        Mail::Paused => membership_events::paused(ctx, &facts),
        Mail::Cancelled { when } => membership_events::cancelled(ctx, &facts, when),
    })?;
    Ok(())
}
