//! The export's audit section against a scan of the whole log, on random rows.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};

use serde_json::Value;

use super::{AUDIT_ENTRIES_SQL, each_row};

/// Every row `sql` reads for `person`.
fn rows(conn: &Connection, sql: &str, person: &str) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    each_row(conn, sql, person, |_, values| {
        rows.push(values.to_vec());
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    rows
}

const PEOPLE: [&str; 4] = ["u0", "u1", "u2", "admin"];

/// A migrated in-memory school whose people have orders, with audit rows of every shape:
/// the buyer's "order.created", status changes by nobody, the buyer or staff, sign-ins,
/// staff acting on people, and rows without actor or target.
fn school_with_audit_rows(seed: u64) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::migrate(&mut conn).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    for n in 0..400 {
        let buyer = PEOPLE[rng.random_range(0..3)];
        let order = format!("o{n}");
        conn.execute(
            "INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents,
                discount_cents, tax_cents, shipping_cents, total_cents, prices_include_tax,
                created_at, updated_at)
             VALUES (?1, ?1, ?2, 'pending', 'USD', 0, 0, 0, 0, 0, 0, 'x', 'x')",
            params![order, buyer],
        )
        .unwrap();
        let person = PEOPLE[rng.random_range(0..PEOPLE.len())];
        let anyone = [None, Some(person), Some(buyer)][rng.random_range(0..3)];
        let rows = [
            (Some(buyer), "order.created", "order", Some(order.as_str())),
            (
                anyone,
                "order.status_changed",
                "order",
                Some(order.as_str()),
            ),
            (Some(person), "login.succeeded", "user", Some(person)),
            (Some("admin"), "user.role_changed", "user", anyone),
        ];
        for (actor, action, target_type, target) in rows {
            if rng.random_bool(0.3) {
                continue;
            }
            conn.execute(
                "INSERT INTO audit_log (at, actor_id, action, target_type, target_id, ip)
                 VALUES ('x', ?1, ?2, ?3, ?4, '10.0.0.1')",
                params![actor, action, target_type, target],
            )
            .unwrap();
        }
    }
    conn
}

#[test]
fn the_audit_section_holds_exactly_the_rows_that_name_the_person() {
    let scan = "SELECT id, at, actor_id, action, target_type, target_id,
            CASE WHEN actor_id = ?1 THEN ip END AS ip, detail
        FROM audit_log WHERE actor_id = ?1 OR target_id = ?1 ORDER BY id";
    for seed in 0..5 {
        let conn = school_with_audit_rows(seed);
        for person in PEOPLE {
            let expected = rows(&conn, scan, person);
            assert!(!expected.is_empty());
            assert_eq!(rows(&conn, AUDIT_ENTRIES_SQL, person), expected);
        }
    }
}

#[test]
fn the_audit_section_reads_indexes_not_the_whole_log() {
    let conn = school_with_audit_rows(0);
    let plan: Vec<String> = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {AUDIT_ENTRIES_SQL}"))
        .unwrap()
        .query_map(["u0"], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("\n");
    assert!(!plan.contains("SCAN"), "{plan}");
    assert!(plan.contains("audit_log_by_actor") && plan.contains("audit_log_by_target"));
}
