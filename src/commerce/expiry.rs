//! The reservation-expiry job: cancels unpaid orders whose hold lapsed (ordinary or manual
//! payment) and tells staff a day before a manual-payment hold lapses.

use rusqlite::Connection;

use super::history_note::SystemNote;
use super::holds::{MANUAL_HOLD_NOTICE, hold_lapses_at};
use super::status::{Actor, cancel_order};
use super::store;
use super::store::holds::{self, HoldCursor};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::config::OrdersConfig;
use crate::http::AppError;
use crate::mail::render::PhraseArg;
use crate::state::AppState;

/// Holds looked at in one write. A wave of lapsed holds (a sale's unpaid orders) is
/// cancelled in short writes, so the writes of requests get their turn between them: one
/// write over 94,000 lapsed orders kept every other write waiting for 6 s.
pub const EXPIRY_BATCH: usize = 200;

/// Cancels every pending order whose hold lapsed at `now` (releasing its stock and coupon)
/// and queues the staff reminder for manual-payment holds lapsing within a day; returns how
/// many orders were cancelled.
pub async fn expire_reservations(
    state: &AppState,
    now: time::OffsetDateTime,
) -> Result<usize, AppError> {
    expire_reservations_by(state, now, EXPIRY_BATCH).await
}

/// [`expire_reservations`], looking at `batch` holds per write.
pub async fn expire_reservations_by(
    state: &AppState,
    now: time::OffsetDateTime,
    batch: usize,
) -> Result<usize, AppError> {
    let limits = state.config.orders.clone();
    // No hold is shorter than the ordinary one, so younger orders need not be read.
    let cutoff = rfc3339(now - time::Duration::minutes(limits.reservation_minutes));
    let (mut cancelled, mut after) = (0, Some(HoldCursor::default()));
    while let Some(from) = after {
        let (limits, cutoff) = (limits.clone(), cutoff.clone());
        let (done, next) = state
            .db
            .write(move |conn| expire(conn, &limits, &cutoff, now, &from, batch.max(1)))
            .await?;
        cancelled += done;
        after = next;
    }
    crate::mail::wake(state);
    Ok(cancelled)
}

/// Looks at up to `batch` holds after `after`; returns how many orders it cancelled and,
/// when there may be more, where the next batch starts.
fn expire(
    conn: &Connection,
    limits: &OrdersConfig,
    cutoff: &str,
    now: time::OffsetDateTime,
    after: &HoldCursor,
    batch: usize,
) -> Result<(usize, Option<HoldCursor>), AppError> {
    let now_text = rfc3339(now);
    let mut cancelled = 0;
    let holds = holds::pending_before(conn, cutoff, after, batch)?;
    let next = (holds.len() == batch)
        .then(|| holds.last().map(|h| h.cursor.clone()))
        .flatten();
    for hold in holds {
        let Some(placed) = parse_rfc3339(&hold.created_at) else {
            continue;
        };
        let manual_since = hold.manual_since.as_deref().and_then(parse_rfc3339);
        let lapses_at = hold_lapses_at(limits, placed, manual_since);
        if lapses_at <= now {
            let note = match manual_since {
                Some(_) => SystemNote::ManualHoldLapsed {
                    days: limits.manual_reservation_days,
                },
                None => SystemNote::HoldLapsed {
                    minutes: limits.reservation_minutes,
                },
            }
            .stored();
            if let Some(order) = store::orders::get(conn, &hold.order_id, None)? {
                cancel_order(conn, &order, &Actor::default(), &note, &now_text)?;
                cancelled += 1;
            }
        } else if manual_since.is_some() && !hold.reminded && lapses_at - now <= MANUAL_HOLD_NOTICE
        {
            remind_staff(conn, &hold, lapses_at, &now_text)?;
        }
    }
    Ok((cancelled, next))
}

/// Mails every administrator once that this order's manual-payment hold lapses soon.
fn remind_staff(
    conn: &Connection,
    hold: &holds::PendingHold,
    lapses_at: time::OffsetDateTime,
    now: &str,
) -> Result<(), AppError> {
    let Some(order) = store::orders::get(conn, &hold.order_id, None)? else {
        return Ok(());
    };
    let total = crate::mail::events::money(order.total_cents, &order.currency);
    // The day in the reader's language; the time of day is the same in every locale.
    let time_of_day = format!("{:02}:{:02}", lapses_at.hour(), lapses_at.minute());
    let lapses_at = crate::mail::render::phrase_with(
        "mail-date-time",
        &[
            ("date", PhraseArg::Date(&rfc3339(lapses_at))),
            ("time", PhraseArg::Text(&time_of_day)),
        ],
    );
    for email in store::orders::admin_emails(conn)? {
        crate::mail::context::enqueue_with(conn, now, &email, |ctx| {
            crate::mail::events::manual_hold_lapsing(
                ctx,
                &order.id,
                &hold.number,
                &total,
                &lapses_at,
            )
        })?;
    }
    holds::set_hold_reminded(conn, &order.id, now)?;
    Ok(())
}
