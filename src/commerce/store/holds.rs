//! SQL of the hold-expiry job: the pending orders whose hold may have lapsed, oldest
//! first, a page at a time.

use rusqlite::{Connection, params};

/// A pending order's hold: when it was placed, and when its buyer started the manual
/// payment it waits for (if any), with whether staff were already told it is lapsing.
#[derive(Debug, Clone)]
pub struct PendingHold {
    pub order_id: String,
    pub number: String,
    pub created_at: String,
    pub manual_since: Option<String>,
    pub reminded: bool,
    /// Where the next page of holds starts.
    pub cursor: HoldCursor,
}

/// A place in the pending orders, oldest first: creation time, then rowid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HoldCursor {
    created_at: String,
    rowid: i64,
}

/// At most `limit` pending orders created before `cutoff` (oldest first) with their holds,
/// after `after` (from the start when it is the default).
pub fn pending_before(
    conn: &Connection,
    cutoff: &str,
    after: &HoldCursor,
    limit: usize,
) -> rusqlite::Result<Vec<PendingHold>> {
    conn.prepare_cached(
        "SELECT o.id, o.number, o.created_at,
            (SELECT MIN(p.created_at) FROM payments p
             WHERE p.order_id = o.id AND p.gateway = 'manual' AND p.status = 'pending'),
            o.hold_reminded_at IS NOT NULL, o.rowid
         FROM orders o WHERE o.status = 'pending' AND o.created_at < ?1
            AND (o.created_at, o.rowid) > (?2, ?3)
         ORDER BY o.created_at, o.rowid LIMIT ?4",
    )?
    .query_map(
        params![cutoff, after.created_at, after.rowid, limit as i64],
        |r| {
            let created_at: String = r.get(2)?;
            Ok(PendingHold {
                order_id: r.get(0)?,
                number: r.get(1)?,
                manual_since: r.get(3)?,
                reminded: r.get(4)?,
                cursor: HoldCursor {
                    created_at: created_at.clone(),
                    rowid: r.get(5)?,
                },
                created_at,
            })
        },
    )?
    .collect()
}

pub fn set_hold_reminded(conn: &Connection, order_id: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE orders SET hold_reminded_at = ?2 WHERE id = ?1")?
        .execute(params![order_id, now])?;
    Ok(())
}
