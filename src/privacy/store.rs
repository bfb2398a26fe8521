//! SQL of the personal-data export, the erasure and the encryption-key rotation.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

pub use crate::analytics::store::table_exists;

/// Runs `sql` (?1 = the person's id) and hands each row to `row`: the column names and the
/// values (a blob as a note of its size), one row at a time.
pub fn each_row<E: From<rusqlite::Error>>(
    conn: &Connection,
    sql: &str,
    user_id: &str,
    mut row: impl FnMut(&[String], &mut [Value]) -> Result<(), E>,
) -> Result<(), E> {
    let mut stmt = conn.prepare(sql)?;
    let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
    let mut rows = stmt.query([user_id])?;
    let mut values = Vec::with_capacity(names.len());
    while let Some(r) = rows.next()? {
        values.clear();
        for i in 0..names.len() {
            values.push(match r.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(f) => Value::from(f),
                ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::from(format!("<{} bytes>", b.len())),
            });
        }
        row(&names, &mut values)?;
    }
    Ok(())
}

/// Every section of the export: `(name, SQL with ?1 = user id)`. Secrets (password hash,
/// MFA secret, token hashes, payment client secrets) are never selected.
pub const EXPORT_SECTIONS: &[(&str, &str)] = &[
    (
        "sign_in_providers",
        "SELECT provider, subject, email, created_at, last_used_at FROM identities
        WHERE user_id = ?1 ORDER BY created_at",
    ),
    (
        "orders",
        "SELECT * FROM orders WHERE user_id = ?1 ORDER BY created_at",
    ),
    (
        "order_items",
        "SELECT i.* FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.user_id = ?1 ORDER BY o.created_at, i.position",
    ),
    (
        "vat_evidence",
        "SELECT o.number AS order_number, e.country, e.billing_country, e.ip_address,
            e.ip_country, e.card_country, e.evidence_pieces, e.vat_number, e.vies_status,
            e.vies_consultation, e.vies_name, e.vies_checked_at, e.reverse_charge, e.scheme,
            e.evidence_conflict, e.created_at
        FROM order_tax_evidence e JOIN orders o ON o.id = e.order_id
        WHERE o.user_id = ?1 ORDER BY e.created_at",
    ),
    (
        "enrolments",
        "SELECT e.*, c.title AS course_title FROM enrollments e
        JOIN courses c ON c.id = e.course_id WHERE e.user_id = ?1 ORDER BY e.enrolled_at",
    ),
    (
        "lesson_progress",
        "SELECT lp.*, l.title AS lesson_title FROM lesson_progress lp
        JOIN enrollments e ON e.id = lp.enrollment_id JOIN lessons l ON l.id = lp.lesson_id
        WHERE e.user_id = ?1 ORDER BY lp.updated_at",
    ),
    (
        "quiz_attempts",
        "SELECT q.* FROM quiz_attempts q JOIN enrollments e ON e.id = q.enrollment_id
        WHERE e.user_id = ?1 ORDER BY q.created_at",
    ),
    (
        "submissions",
        "SELECT * FROM submissions WHERE user_id = ?1 ORDER BY created_at",
    ),
    (
        "certificates",
        "SELECT * FROM certificates WHERE user_id = ?1 ORDER BY issued_at",
    ),
    (
        "reviews",
        "SELECT * FROM reviews WHERE user_id = ?1 ORDER BY created_at",
    ),
    (
        "cart",
        "SELECT * FROM cart_items WHERE user_id = ?1 ORDER BY created_at",
    ),
    (
        "sessions",
        "SELECT id, created_at, last_used_at, expires_at, revoked_at, ip, user_agent
        FROM sessions WHERE user_id = ?1 ORDER BY created_at",
    ),
    (
        "activity_days",
        "SELECT day FROM user_activity WHERE user_id = ?1 ORDER BY day",
    ),
    ("audit_entries", AUDIT_ENTRIES_SQL),
];

/// The ids of the audit rows whose actor or target is the person (?1), through V41's
/// indexes rather than a scan of the whole log. Their "order.created" rows (left out of the
/// actor index) are found through their orders: that row's actor is always the buyer.
macro_rules! person_audit_ids {
    () => {
        "SELECT id FROM audit_log WHERE actor_id = ?1 AND action <> 'order.created'
        UNION ALL SELECT id FROM audit_log WHERE target_id = ?1
        UNION ALL SELECT a.id FROM orders o JOIN audit_log a ON a.target_id = o.id
            WHERE o.user_id = ?1 AND a.action = 'order.created' AND a.actor_id = ?1"
    };
}

/// The audit rows whose actor or target is the person.
const AUDIT_ENTRIES_SQL: &str = concat!(
    "SELECT id, at, actor_id, action, target_type, target_id,
        CASE WHEN actor_id = ?1 THEN ip END AS ip, detail
    FROM audit_log WHERE id IN (",
    person_audit_ids!(),
    ") ORDER BY id"
);

/// Sections read only when the payments migration has been applied.
pub const PAYMENT_SECTIONS: &[(&str, &str)] = &[
    (
        "payments",
        "SELECT id, order_id, gateway, status, amount_cents, currency, refunded_cents,
        failure_message, created_at, updated_at, completed_at
        FROM payments WHERE user_id = ?1 ORDER BY created_at",
    ),
    (
        "refunds",
        "SELECT id, order_id, payment_id, status, amount_cents, reason, decision_note,
        created_at, updated_at, processed_at FROM refunds WHERE user_id = ?1 ORDER BY created_at",
    ),
];

/// The role of the account other than `user_id` whose id or email is `text`, if any.
pub fn other_person_role(
    conn: &Connection,
    user_id: &str,
    text: &str,
) -> rusqlite::Result<Option<crate::users::Role>> {
    conn.prepare_cached("SELECT role FROM users WHERE (id = ?2 OR email = lower(?2)) AND id <> ?1")?
        .query_row([user_id, text], |r| r.get(0))
        .optional()
}

pub const PROFILE_SQL: &str = "SELECT id, email, name, role, disabled_at, created_at, updated_at,
        EXISTS (SELECT 1 FROM user_mfa m WHERE m.user_id = users.id AND m.enabled_at IS NOT NULL)
            AS mfa_enabled
    FROM users WHERE id = ?1";

/// The account being erased.
pub struct ErasedUser {
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
}

pub fn user(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<ErasedUser>> {
    conn.prepare_cached("SELECT email, name, role, password_hash FROM users WHERE id = ?1")?
        .query_row([user_id], |r| {
            Ok(ErasedUser {
                email: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                password_hash: r.get(3)?,
            })
        })
        .optional()
}

/// The oldest enabled admin other than `except`.
pub fn oldest_admin(conn: &Connection, except: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT id FROM users WHERE role = 'admin' AND id != ?1 AND disabled_at IS NULL
         ORDER BY created_at, id LIMIT 1",
    )?
    .query_row([except], |r| r.get(0))
    .optional()
}

/// `(courses, products)` the user owns.
pub fn owned_counts(conn: &Connection, user_id: &str) -> rusqlite::Result<(i64, i64)> {
    conn.prepare_cached(
        "SELECT (SELECT COUNT(*) FROM courses WHERE instructor_id = ?1),
                (SELECT COUNT(*) FROM products WHERE vendor_id = ?1)",
    )?
    .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Gives the user's courses, products and uploaded course media to `heir`.
pub fn transfer_ownership(
    conn: &Connection,
    user_id: &str,
    heir: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE courses SET instructor_id = ?2, updated_at = ?3 WHERE instructor_id = ?1",
    )?
    .execute(params![user_id, heir, now])?;
    conn.prepare_cached(
        "UPDATE products SET vendor_id = ?2, updated_at = ?3 WHERE vendor_id = ?1",
    )?
    .execute(params![user_id, heir, now])?;
    conn.prepare_cached("UPDATE media SET owner_id = ?2 WHERE owner_id = ?1")?
        .execute(params![user_id, heir])?;
    Ok(())
}

/// Marker an erased audit detail is replaced by (the only change the audit log accepts).
pub const REDACTED_DETAIL: &str = r#"{"redacted":"erasure"}"#;

/// Replaces every personal field of the account and deletes what only served the person.
pub fn erase(
    conn: &Connection,
    user_id: &str,
    pseudonym: &str,
    unusable_hash: &str,
    now: &str,
    mentions: &Mentions,
) -> rusqlite::Result<()> {
    let Some(user) = user(conn, user_id)? else {
        return Ok(());
    };
    // Submission files belong to the learner: their media rows go with the submissions.
    conn.prepare_cached(
        "DELETE FROM media WHERE owner_id = ?1
         AND id IN (SELECT media_id FROM submissions WHERE user_id = ?1 AND media_id IS NOT NULL)",
    )?
    .execute([user_id])?;
    for sql in [
        "DELETE FROM submissions WHERE user_id = ?1",
        "DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = ?1)",
        "DELETE FROM sessions WHERE user_id = ?1",
        "DELETE FROM account_tokens WHERE user_id = ?1",
        "DELETE FROM user_mfa WHERE user_id = ?1",
        "DELETE FROM mfa_recovery_codes WHERE user_id = ?1",
        "DELETE FROM mfa_login_tokens WHERE user_id = ?1",
        "DELETE FROM login_failures WHERE user_id = ?1",
        // Provider sign-in links (V28): the provider's subject and email name the person.
        "DELETE FROM identities WHERE user_id = ?1",
        "DELETE FROM cart_items WHERE user_id = ?1",
        "DELETE FROM user_activity WHERE user_id = ?1",
        // Reviews keep their rating (course averages stay right) but lose their text.
        "UPDATE reviews SET comment = '' WHERE user_id = ?1",
        // VAT evidence stays (the law asks for it), without the raw IP address: the IP's
        // country it was read as is the evidence.
        "UPDATE order_tax_evidence SET ip_address = NULL
         WHERE ip_address IS NOT NULL AND order_id IN (SELECT id FROM orders WHERE user_id = ?1)",
        // Shipping addresses: everything but the country (kept for tax accounting).
        "UPDATE orders SET shipping_address = json_set(shipping_address,
            '$.name', 'erased', '$.line1', 'erased', '$.line2', NULL,
            '$.city', 'erased', '$.postal_code', 'erased')
         WHERE user_id = ?1 AND shipping_address IS NOT NULL AND json_valid(shipping_address)",
    ] {
        conn.prepare_cached(sql)?.execute([user_id])?;
    }
    conn.prepare_cached("DELETE FROM outbox WHERE to_address = ?1 COLLATE NOCASE")?
        .execute([&user.email])?;
    redact_audit(conn, user_id, &user.email, &user.name, mentions)?;
    conn.prepare_cached(
        "UPDATE users SET email = ?2, name = 'Erased user', password_hash = ?3,
            disabled_at = COALESCE(disabled_at, ?4), updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![user_id, pseudonym, unusable_hash, now])?;
    Ok(())
}

/// The audit rows whose detail mentions an email address, found by a read before the
/// erasure's write: the write then looks at these, the person's own rows and the rows
/// written since, not at every row of the log.
pub struct Mentions {
    email: String,
    /// The rows' ids as a JSON array.
    ids: String,
    /// The highest audit id the read saw.
    through: i64,
}

impl Mentions {
    /// Nothing read beforehand: the write scans the whole log.
    pub fn unknown() -> Mentions {
        Mentions {
            email: String::new(),
            ids: "[]".into(),
            through: 0,
        }
    }
}

/// The audit rows so far whose detail mentions `email`, whatever its case: a scan of the
/// whole log, so run it on a reader.
pub fn audit_mentions(conn: &Connection, email: &str) -> rusqlite::Result<Mentions> {
    let through: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM audit_log")?
        .query_row([], |r| r.get(0))?;
    let ids = conn
        .prepare_cached(
            "SELECT json_group_array(id) FROM audit_log
             WHERE id <= ?2 AND instr(lower(detail), lower(?1)) > 0",
        )?
        .query_row(params![email, through], |r| r.get(0))?;
    Ok(Mentions {
        email: email.to_string(),
        ids,
        through,
    })
}

/// ?1 the person, ?2 their email, ?3 their name, ?4 the redacted detail, ?5 and ?6 what a
/// read found beforehand (see [`Mentions`]).
const REDACT_AUDIT_SQL: &str = concat!(
    "UPDATE audit_log SET ip = NULL,
        detail = CASE WHEN instr(lower(detail), lower(?2)) > 0
                        OR instr(lower(detail), lower(?3)) > 0
                      THEN ?4 ELSE detail END
     WHERE id IN (",
    person_audit_ids!(),
    "   UNION ALL SELECT value FROM json_each(?5)
        UNION ALL SELECT id FROM audit_log WHERE id > ?6 AND instr(lower(detail), lower(?2)) > 0)
       AND (ip IS NOT NULL OR instr(lower(detail), lower(?2)) > 0
            OR instr(lower(detail), lower(?3)) > 0)"
);

/// Takes the IP address off every audit row by or about the person or mentioning their
/// email, and replaces the detail of those that mention their email or name.
pub fn redact_audit(
    conn: &Connection,
    user_id: &str,
    email: &str,
    name: &str,
    mentions: &Mentions,
) -> rusqlite::Result<usize> {
    // Mentions of another address (the email changed since the read) count for nothing.
    let (ids, through) = match mentions.email == email {
        true => (mentions.ids.as_str(), mentions.through),
        false => ("[]", 0),
    };
    conn.prepare_cached(REDACT_AUDIT_SQL)?.execute(params![
        user_id,
        email,
        name,
        REDACTED_DETAIL,
        ids,
        through
    ])
}

/// `(user_id, ciphertext)` of every MFA secret.
pub fn mfa_secrets(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    conn.prepare("SELECT user_id, secret_ciphertext FROM user_mfa ORDER BY user_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

pub fn set_mfa_secret(conn: &Connection, user_id: &str, ciphertext: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE user_mfa SET secret_ciphertext = ?2 WHERE user_id = ?1")?
        .execute(params![user_id, ciphertext])?;
    Ok(())
}

#[cfg(test)]
mod tests;
