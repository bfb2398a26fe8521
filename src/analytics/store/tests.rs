//! The sales rollups against a full recomputation from the orders, on random orders,
//! status changes and refunds; the orders export's pages.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};
use time::macros::date;

use super::rollups;
use crate::analytics::period::DateRange;

/// A migrated in-memory school with foreign keys off (rows without all their parents), its
/// buyer, 6 products, 4 courses and 2 bundles.
pub(super) fn school() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::migrate(&mut conn).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
         VALUES ('u1', 'buyer@example.com', 'Buyer', 'x', 'student', '2026-01-01T08:00:00Z',
            '2026-01-01T08:00:00Z');",
    )
    .unwrap();
    for n in 0..6 {
        conn.execute(
            "INSERT INTO products (id, vendor_id, name, slug, kind, price_cents, currency,
                status, created_at, updated_at)
             VALUES (?1, 'v1', ?2, ?1, 'digital', 100, 'USD', 'published', 'x', 'x')",
            params![format!("p{n}"), format!("Product {n}")],
        )
        .unwrap();
    }
    for n in 0..4 {
        conn.execute(
            "INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, status,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?1, 100, 'USD', 'published', 'x', 'x')",
            params![
                format!("c{n}"),
                format!("i{}", n % 2),
                format!("Course {n}")
            ],
        )
        .unwrap();
    }
    for n in 0..2 {
        conn.execute(
            "INSERT INTO bundles (id, slug, name, price_cents, currency, status, owner_id,
                created_at, updated_at)
             VALUES (?1, ?1, ?2, 100, 'USD', 'published', 'v1', 'x', 'x')",
            params![format!("b{n}"), format!("Bundle {n}")],
        )
        .unwrap();
    }
    conn
}

const STATUSES_AFTER_PAYMENT: &[&str] = &[
    "paid",
    "fulfilled",
    "shipped",
    "delivered",
    "cancelled",
    "refunded",
    "partially_refunded",
];

pub(super) fn day_of(rng: &mut StdRng) -> String {
    let day = date!(2025 - 12 - 20) + time::Duration::days(rng.random_range(0..400));
    format!(
        "{day}T{:02}:{:02}:00Z",
        rng.random_range(0..24),
        rng.random_range(0..60)
    )
}

/// Writes `orders` random orders through the same statements the app's writes amount to:
/// an order placed (pending, its lines), then paid, moved on, cancelled or refunded, and
/// refunds asked for, processed or failed.
fn random_sales(conn: &Connection, rng: &mut StdRng, orders: usize) {
    for n in 0..orders {
        let id = format!("o{n:04}");
        let created = day_of(rng);
        conn.execute(
            "INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents,
                discount_cents, tax_cents, shipping_cents, total_cents, prices_include_tax,
                created_at, updated_at)
             VALUES (?1, ?2, 'u1', 'pending', 'USD', 0, 0, 0, 0, 0, 0, ?3, ?3)",
            params![id, format!("SH-{n:05}"), created],
        )
        .unwrap();
        let mut total = 0;
        for position in 0..rng.random_range(1..4) {
            let (item_type, item_id) = match rng.random_range(0..3) {
                0 => ("product", format!("p{}", rng.random_range(0..6))),
                1 => ("course", format!("c{}", rng.random_range(0..4))),
                _ => ("bundle", format!("b{}", rng.random_range(0..2))),
            };
            let (quantity, cents) = (rng.random_range(1..4), rng.random_range(0..5000));
            total += cents;
            conn.execute(
                "INSERT INTO order_items (id, order_id, item_type, item_kind, item_id, name,
                    quantity, unit_price_cents, discount_cents, tax_cents, tax_rate_bps,
                    total_cents, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, 0, 0, 0, ?7, ?8)",
                params![
                    format!("{id}-{position}"),
                    id,
                    item_type,
                    if item_type == "product" {
                        "digital_product"
                    } else {
                        item_type
                    },
                    item_id,
                    quantity,
                    cents,
                    position
                ],
            )
            .unwrap();
        }
        conn.execute(
            "UPDATE orders SET total_cents = ?2, subtotal_cents = ?2 WHERE id = ?1",
            params![id, total],
        )
        .unwrap();
        if rng.random_bool(0.2) {
            continue; // stays pending
        }
        let paid = day_of(rng);
        conn.execute(
            "UPDATE orders SET status = 'paid', paid_at = ?2, updated_at = ?2 WHERE id = ?1",
            params![id, paid],
        )
        .unwrap();
        let to = STATUSES_AFTER_PAYMENT[rng.random_range(0..STATUSES_AFTER_PAYMENT.len())];
        conn.execute(
            "UPDATE orders SET status = ?2 WHERE id = ?1",
            params![id, to],
        )
        .unwrap();
        if rng.random_bool(0.4) {
            refund(conn, rng, &id, total);
        }
    }
}

fn refund(conn: &Connection, rng: &mut StdRng, order_id: &str, total: i64) {
    let id = format!("r-{order_id}");
    let asked = day_of(rng);
    let kind = if rng.random_bool(0.1) {
        "unpayable_order"
    } else {
        "request"
    };
    conn.execute(
        "INSERT INTO refunds (id, order_id, payment_id, user_id, status, amount_cents, reason,
            eligibility, created_at, updated_at, kind)
         VALUES (?1, ?2, 'pay', 'u1', 'requested', ?3, 'r', '{}', ?4, ?4, ?5)",
        params![id, order_id, total.max(1), asked, kind],
    )
    .unwrap();
    let outcome = ["processed", "rejected", "failed", "processed"][rng.random_range(0..4)];
    let at = day_of(rng);
    conn.execute(
        "UPDATE refunds SET status = ?2, updated_at = ?3,
            processed_at = CASE WHEN ?2 = 'processed' THEN ?3 ELSE processed_at END
         WHERE id = ?1",
        params![id, outcome, at],
    )
    .unwrap();
    if outcome == "processed" && rng.random_bool(0.3) {
        // Touched again later (a gateway id stored): its day stays the processed day.
        conn.execute(
            "UPDATE refunds SET gateway_refund_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, format!("re_{order_id}"), day_of(rng)],
        )
        .unwrap();
    }
}

pub(super) fn ranges() -> Vec<DateRange> {
    [
        (date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
        (date!(2025 - 12 - 20), date!(2027 - 01 - 31)),
        (date!(2026 - 02 - 14), date!(2026 - 05 - 03)),
        (date!(2026 - 03 - 01), date!(2026 - 03 - 31)),
        (date!(2026 - 06 - 10), date!(2026 - 06 - 10)),
        (date!(2026 - 07 - 28), date!(2026 - 08 - 05)),
        (date!(2025 - 01 - 01), date!(2027 - 12 - 31)),
        (date!(2025 - 06 - 15), date!(2027 - 01 - 03)),
        (date!(2025 - 11 - 01), date!(2026 - 02 - 28)),
    ]
    .into_iter()
    .map(|(from, to)| DateRange { from, to })
    .collect()
}

/// Every report the rollups serve equals its recomputation from the orders, to the cent.
fn assert_reconciles(conn: &Connection, seed: u64) {
    for range in ranges() {
        let why = format!("seed {seed}, {range:?}");
        let (sales, refunds) = rollups::sales_by_day(conn, &range, None).unwrap();
        assert_eq!(
            sales,
            super::daily_sales(conn, &range, None).unwrap(),
            "{why}"
        );
        assert_eq!(
            refunds,
            super::daily_refunds(conn, &range, None).unwrap(),
            "{why}"
        );
        let products = rollups::top_products(conn, &range, None, 100).unwrap();
        let live = super::top_products(conn, &range, None, 100).unwrap();
        assert_eq!(format!("{products:?}"), format!("{live:?}"), "{why}");
        let bundles = rollups::top_bundles(conn, &range, None, 100).unwrap();
        let live = super::top_bundles(conn, &range, None, 100).unwrap();
        assert_eq!(format!("{bundles:?}"), format!("{live:?}"), "{why}");
        for owner in [None, Some("i1")] {
            let courses = rollups::top_courses(conn, &range, owner, 100).unwrap();
            let live = super::top_courses(conn, &range, owner, 100).unwrap();
            assert_eq!(
                format!("{courses:?}"),
                format!("{live:?}"),
                "{why} {owner:?}"
            );
        }
    }
}

fn rollup_rows(conn: &Connection) -> Vec<String> {
    rows_of(
        conn,
        &[
            "SELECT day, gross_cents, orders, refunds_cents FROM sales_by_day
             WHERE gross_cents <> 0 OR orders <> 0 OR refunds_cents <> 0 ORDER BY 1",
            "SELECT item_type, day, item_id, units, revenue_cents FROM item_sales_by_day
             WHERE units <> 0 OR revenue_cents <> 0 ORDER BY 1, 2, 3",
            "SELECT item_type, month, item_id, units, revenue_cents FROM item_sales_by_month
             WHERE units <> 0 OR revenue_cents <> 0 ORDER BY 1, 2, 3",
            "SELECT item_type, year, item_id, units, revenue_cents FROM item_sales_by_year
             WHERE units <> 0 OR revenue_cents <> 0 ORDER BY 1, 2, 3",
        ],
    )
}

/// Every row the queries return, each as its cells joined by `|`.
pub(super) fn rows_of(conn: &Connection, queries: &[&str]) -> Vec<String> {
    let mut rows = Vec::new();
    for sql in queries {
        let mut statement = conn.prepare(sql).unwrap();
        let columns = statement.column_count();
        let found = statement
            .query_map([], |r| {
                let cells: Vec<String> = (0..columns)
                    .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                    .collect::<Result<_, _>>()?;
                Ok(cells.join("|"))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        rows.extend(found);
    }
    rows
}

#[test]
fn the_rollups_reconcile_to_the_cent_with_the_orders_whatever_happened_to_them() {
    for seed in [1, 2, 3, 4, 5] {
        let conn = school();
        let mut rng = StdRng::seed_from_u64(seed);
        random_sales(&conn, &mut rng, 300);
        assert_reconciles(&conn, seed);
        // What the triggers kept is exactly what a rebuild computes.
        let kept = rollup_rows(&conn);
        assert!(kept.len() > 100, "seed {seed}: {} rows", kept.len());
        rollups::rebuild(&conn).unwrap();
        assert_eq!(rollup_rows(&conn), kept, "seed {seed}");
        assert_reconciles(&conn, seed);
    }
}

#[test]
fn a_deleted_order_leaves_the_rollups_and_the_lines_of_a_sold_order_cannot_change() {
    let conn = school();
    let mut rng = StdRng::seed_from_u64(9);
    random_sales(&conn, &mut rng, 60);
    let sold: String = conn
        .query_row(
            "SELECT id FROM orders WHERE status = 'delivered' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let changed = conn.execute(
        "UPDATE order_items SET total_cents = total_cents + 1 WHERE order_id = ?1",
        [&sold],
    );
    assert!(
        changed
            .unwrap_err()
            .to_string()
            .contains("the lines of a sold order do not change")
    );
    conn.execute("DELETE FROM refunds WHERE order_id = ?1", [&sold])
        .unwrap();
    conn.execute("DELETE FROM orders WHERE id = ?1", [&sold])
        .unwrap();
    assert_reconciles(&conn, 9);
}

#[test]
fn the_migrations_fill_the_rollups_of_the_orders_already_there() {
    // Before V39 (no rollups) and before V42 (months kept, no years yet).
    for before in [38, 41] {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate_to(&mut conn, before).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let mut rng = StdRng::seed_from_u64(7);
        random_sales(&conn, &mut rng, 200);
        crate::db::migrate(&mut conn).unwrap();
        let filled = rollup_rows(&conn);
        assert!(filled.len() > 100, "{} rows", filled.len());
        rollups::rebuild(&conn).unwrap();
        assert_eq!(rollup_rows(&conn), filled, "from V{before}");
        assert_reconciles(&conn, 7);
    }
}

#[test]
fn the_orders_export_reads_page_after_page_without_losing_or_repeating_an_order() {
    let conn = school();
    // Ten orders, four of them placed in the same second (the cursor's tie).
    for n in 0..10 {
        let at = if n < 4 {
            "2026-05-01T10:00:00Z".to_string()
        } else {
            format!("2026-05-{:02}T09:00:00Z", n)
        };
        conn.execute(
            "INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents,
                discount_cents, tax_cents, shipping_cents, total_cents, prices_include_tax,
                created_at, updated_at)
             VALUES (?1, ?2, 'u1', 'pending', 'USD', 0, 0, 0, 0, 0, 0, ?3, ?3)",
            params![format!("o{n}"), format!("SH-{:05}", 10 - n), at],
        )
        .unwrap();
    }
    let range = DateRange {
        from: date!(2026 - 05 - 01),
        to: date!(2026 - 05 - 31),
    };
    let whole: Vec<String> = super::orders_export_page(&conn, &range, None, 100)
        .unwrap()
        .into_iter()
        .map(|r| r.cells[0].clone())
        .collect();
    assert_eq!(whole.len(), 10);
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = super::orders_export_page(&conn, &range, after.as_ref(), 3).unwrap();
        paged.extend(page.iter().map(|r| r.cells[0].clone()));
        match page.last() {
            Some(last) if page.len() == 3 => after = Some(last.cursor()),
            _ => break,
        }
    }
    assert_eq!(paged, whole);
}
