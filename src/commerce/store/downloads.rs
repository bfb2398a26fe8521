//! SQL for buyers' digital downloads: what an order item delivers, and the first download.

use rusqlite::{Connection, OptionalExtension, params};

use crate::commerce::lifecycle::OrderStatus;

/// An order item of the caller's order, with what its download needs.
#[derive(Debug, Clone)]
pub struct DownloadTarget {
    pub order_status: OrderStatus,
    pub item_kind: String,
    /// The product's file, if one is attached.
    pub media_id: Option<String>,
    /// Covered by a refund that was not rejected (asked for, on its way, or paid back); a
    /// product a bundle included also by a refund of the bundle's line.
    pub in_refund: bool,
}

/// The item `item_id` of order `order_id` when `user_id` bought it.
pub fn target(
    conn: &Connection,
    order_id: &str,
    item_id: &str,
    user_id: &str,
) -> rusqlite::Result<Option<DownloadTarget>> {
    conn.query_row(
        "SELECT o.status, i.item_kind,
            (SELECT p.download_media_id FROM products p
              WHERE p.id = i.item_id AND i.item_type = 'product'),
            EXISTS (SELECT 1 FROM refund_items ri JOIN refunds r ON r.id = ri.refund_id
                     WHERE (ri.order_item_id = i.id OR ri.order_item_id = i.bundle_item_id)
                       AND r.status <> 'rejected')
         FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE i.id = ?2 AND o.id = ?1 AND o.user_id = ?3",
        params![order_id, item_id, user_id],
        |r| {
            Ok(DownloadTarget {
                order_status: r.get(0)?,
                item_kind: r.get(1)?,
                media_id: r.get(2)?,
                in_refund: r.get(3)?,
            })
        },
    )
    .optional()
}

/// Records the first download of an order item (later ones change nothing); returns when
/// it was first downloaded.
pub fn record(
    conn: &Connection,
    item_id: &str,
    user_id: &str,
    now: &str,
) -> rusqlite::Result<String> {
    conn.execute(
        "INSERT OR IGNORE INTO downloads (order_item_id, user_id, first_downloaded_at)
         VALUES (?1, ?2, ?3)",
        params![item_id, user_id, now],
    )?;
    conn.query_row(
        "SELECT first_downloaded_at FROM downloads WHERE order_item_id = ?1",
        [item_id],
        |r| r.get(0),
    )
}
