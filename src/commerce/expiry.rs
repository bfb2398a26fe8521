//! The reservation-expiry job: cancels unpaid orders whose hold lapsed (ordinary or manual
//! payment) and tells staff a day before a manual-payment hold lapses.

use rusqlite::Connection;

use super::history_note::SystemNote;
use super::holds::{MANUAL_HOLD_NOTICE, hold_lapses_at};
use super::status::{Actor, cancel_order};
use super::store;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::config::OrdersConfig;
use crate::http::AppError;
use crate::mail::render::PhraseArg;
use crate::state::AppState;

/// Cancels every pending order whose hold lapsed at `now` (releasing its stock and coupon)
/// and queues the staff reminder for manual-payment holds lapsing within a day; returns how
/// many orders were cancelled.
pub async fn expire_reservations(
    state: &AppState,
    now: time::OffsetDateTime,
) -> Result<usize, AppError> {
    let limits = state.config.orders.clone();
    // No hold is shorter than the ordinary one, so younger orders need not be read.
    let cutoff = rfc3339(now - time::Duration::minutes(limits.reservation_minutes));
    let cancelled = state
        .db
        .write(move |conn| expire(conn, &limits, &cutoff, now))
        .await?;
    crate::mail::wake(state);
    Ok(cancelled)
}

fn expire(
    conn: &Connection,
    limits: &OrdersConfig,
    cutoff: &str,
    now: time::OffsetDateTime,
) -> Result<usize, AppError> {
    let now_text = rfc3339(now);
    let mut cancelled = 0;
    for hold in store::orders::pending_before(conn, cutoff)? {
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
    Ok(cancelled)
}

/// Mails every administrator once that this order's manual-payment hold lapses soon.
fn remind_staff(
    conn: &Connection,
    hold: &store::orders::PendingHold,
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
    store::orders::set_hold_reminded(conn, &order.id, now)?;
    Ok(())
}
