//! How often reading a pending payment may re-check it at the gateway (issue 23).
//!
//! A buyer's page polls its payment; each poll used to call Stripe, so anyone could spend the
//! school's Stripe rate limit. A pending payment is now re-checked on a read at most once per
//! `payments.recheck_interval_seconds`; in between, the stored state is answered (the webhook
//! or reconciliation still bring news at any time). The last check is stored on the payment
//! and claimed inside the single write transaction, so parallel reads make one call.

use time::{Duration, OffsetDateTime};

use super::store;
use crate::http::AppError;
use crate::state::AppState;

/// Whether a payment last checked at `last` may be checked again at `now`.
pub fn recheck_due(
    last: Option<OffsetDateTime>,
    now: OffsetDateTime,
    interval_seconds: u32,
) -> bool {
    match last {
        None => true,
        // A check stamped in the future (clock set back) waits no longer than one interval.
        Some(last) => {
            let since = now - last;
            since >= Duration::seconds(i64::from(interval_seconds))
                || since < -Duration::seconds(i64::from(interval_seconds))
        }
    }
}

/// Claims the next gateway check of `payment_id`: true (and stamped now) when it is due.
pub async fn claim(state: &AppState, payment_id: &str) -> Result<bool, AppError> {
    let interval = state.config.payments.recheck_interval_seconds;
    let now = state.now();
    let last =
        |conn: &rusqlite::Connection, id: &str| -> Result<Option<OffsetDateTime>, AppError> {
            Ok(store::payment_checked_at(conn, id)?
                .as_deref()
                .and_then(crate::clock::parse_rfc3339))
        };
    let id = payment_id.to_string();
    // Most polls fall inside the interval: answered from a read, without queueing a write.
    let seen = state.db.read(move |conn| last(conn, &id)).await?;
    if !recheck_due(seen, now, interval) {
        return Ok(false);
    }
    let (id, now_text) = (payment_id.to_string(), crate::clock::rfc3339(now));
    state
        .db
        .write(move |conn| {
            if !recheck_due(last(conn, &id)?, now, interval) {
                return Ok(false); // another read claimed it meanwhile
            }
            store::set_payment_checked_at(conn, &id, &now_text)?;
            Ok(true)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_pending_payment_is_rechecked_at_most_once_per_interval() {
        let last = datetime!(2026-03-01 10:00:00 UTC);
        // (seconds after the last check, due)
        let cases = [
            (0, false),
            (1, false),
            (9, false),
            (10, true),
            (11, true),
            (3600, true),
            (-1, false),
            (-10, false),
            (-11, true),
        ];
        for (after, due) in cases {
            let now = last + Duration::seconds(after);
            assert_eq!(recheck_due(Some(last), now, 10), due, "{after} s");
        }
        assert!(recheck_due(None, last, 10), "never checked: due at once");
    }
}
