//! The export's audit section against a scan of the whole log, on random rows.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};

use serde_json::Value;

use super::{
    AUDIT_ENTRIES_SQL, Mentions, REDACT_AUDIT_SQL, REDACTED_DETAIL, audit_mentions, each_row,
    redact_audit,
};

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

/// The email address and name of one of [`PEOPLE`].
fn identity(person: &str) -> (String, String) {
    (format!("{person}@school.test"), format!("Person {person}"))
}

/// An audit detail: none, nothing personal, or someone's email (in any case) or name.
fn detail(rng: &mut StdRng) -> Option<String> {
    let (email, name) = identity(PEOPLE[rng.random_range(0..PEOPLE.len())]);
    match rng.random_range(0..5) {
        0 => None,
        1 => Some(r#"{"note":"refund"}"#.into()),
        2 => Some(format!(r#"{{"email":"{email}"}}"#)),
        3 => Some(format!(r#"{{"old_email":"{}"}}"#, email.to_uppercase())),
        _ => Some(format!(r#"{{"grader":"{name}"}}"#)),
    }
}

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
            let detail = detail(&mut rng);
            let ip = rng.random_bool(0.8).then_some("10.0.0.1");
            conn.execute(
                "INSERT INTO audit_log (at, actor_id, action, target_type, target_id, ip, detail)
                 VALUES ('x', ?1, ?2, ?3, ?4, ?5, ?6)",
                params![actor, action, target_type, target, ip, detail],
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

/// The erasure's audit statement as it was: one pass over every row of the log.
const REDACT_BY_SCAN: &str = "UPDATE audit_log SET ip = NULL,
        detail = CASE WHEN instr(lower(detail), lower(?2)) > 0
                        OR instr(lower(detail), lower(?3)) > 0
                      THEN ?4 ELSE detail END
     WHERE (actor_id = ?1 OR target_id = ?1 OR instr(lower(detail), lower(?2)) > 0)
       AND (ip IS NOT NULL OR instr(lower(detail), lower(?2)) > 0
            OR instr(lower(detail), lower(?3)) > 0)";

/// The whole audit log, in order.
fn audit_log(conn: &Connection) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    each_row(
        conn,
        "SELECT * FROM audit_log WHERE ?1 IS NOT NULL ORDER BY id",
        "",
        |_, values| {
            rows.push(values.to_vec());
            Ok::<_, rusqlite::Error>(())
        },
    )
    .unwrap();
    rows
}

/// Rows written between the erasure's read and its write.
fn append_later_rows(conn: &Connection, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed + 100);
    for _ in 0..40 {
        let person = PEOPLE[rng.random_range(0..PEOPLE.len())];
        let actor = rng.random_bool(0.5).then_some(person);
        conn.execute(
            "INSERT INTO audit_log (at, actor_id, action, target_type, target_id, ip, detail)
             VALUES ('y', ?1, 'user.updated', 'user', ?2, '10.0.0.2', ?3)",
            params![
                actor,
                PEOPLE[rng.random_range(0..PEOPLE.len())],
                detail(&mut rng)
            ],
        )
        .unwrap();
    }
}

#[test]
fn the_erasure_redacts_exactly_the_audit_rows_a_scan_of_the_whole_log_would() {
    for seed in 0..5 {
        let conn = school_with_audit_rows(seed);
        // Each erasure below runs in a transaction that is rolled back after it.
        let undone = |erase: &dyn Fn() -> usize| {
            conn.execute_batch("BEGIN").unwrap();
            let changed = erase();
            let log = audit_log(&conn);
            conn.execute_batch("ROLLBACK").unwrap();
            (changed, log)
        };
        for person in PEOPLE {
            let (email, name) = identity(person);
            let expected = undone(&|| {
                append_later_rows(&conn, seed);
                conn.execute(
                    REDACT_BY_SCAN,
                    params![person, email, name, REDACTED_DETAIL],
                )
                .unwrap()
            });
            assert!(expected.0 > 0);
            let with_mentions = |address: &str| {
                let mentions = audit_mentions(&conn, address).unwrap();
                append_later_rows(&conn, seed);
                redact_audit(&conn, person, &email, &name, &mentions).unwrap()
            };
            assert_eq!(
                undone(&|| with_mentions(&email)),
                expected,
                "{seed}, {person}"
            );
            // Mentions read for an address the person no longer has: the whole log.
            let stale = undone(&|| with_mentions("someone.else@school.test"));
            assert_eq!(stale, expected, "{seed}, {person}, stale");
            let unknown = undone(&|| {
                append_later_rows(&conn, seed);
                redact_audit(&conn, person, &email, &name, &Mentions::unknown()).unwrap()
            });
            assert_eq!(unknown, expected, "{seed}, {person}, unknown");
        }
    }
}

#[test]
fn the_erasures_write_reads_indexes_and_the_rows_since_its_read_only() {
    let conn = school_with_audit_rows(0);
    let plan: Vec<String> = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {REDACT_AUDIT_SQL}"))
        .unwrap()
        .query_map(params!["u0", "e", "n", "r", "[]", 5], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("\n");
    assert!(!plan.contains("SCAN audit_log"), "{plan}");
    assert!(plan.contains("audit_log_by_actor") && plan.contains("audit_log_by_target"));
}
