//! SQL for MFA enrolment, recovery codes and pending second-step logins.

use rusqlite::{Connection, OptionalExtension, params};

/// A user's MFA row: the encrypted secret and whether it is active.
pub struct MfaRow {
    pub secret_ciphertext: String,
    pub enabled: bool,
    pub last_used_step: Option<i64>,
}

pub fn get(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<MfaRow>> {
    conn.prepare_cached(
        "SELECT secret_ciphertext, enabled_at IS NOT NULL, last_used_step
         FROM user_mfa WHERE user_id = ?1",
    )?
    .query_row([user_id], |r| {
        Ok(MfaRow {
            secret_ciphertext: r.get(0)?,
            enabled: r.get(1)?,
            last_used_step: r.get(2)?,
        })
    })
    .optional()
}

pub fn is_enabled(conn: &Connection, user_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM user_mfa WHERE user_id = ?1 AND enabled_at IS NOT NULL)",
    )?
    .query_row([user_id], |r| r.get(0))
}

/// Stores (or replaces) a pending, not yet confirmed secret.
pub fn put_pending(
    conn: &Connection,
    user_id: &str,
    ciphertext: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO user_mfa (user_id, secret_ciphertext, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE
         SET secret_ciphertext = ?2, created_at = ?3, enabled_at = NULL, last_used_step = NULL",
    )?
    .execute(params![user_id, ciphertext, now])?;
    Ok(())
}

/// Records an accepted step only if it is newer than the last; false means a replay.
pub fn use_step(conn: &Connection, user_id: &str, step: i64) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE user_mfa SET last_used_step = ?2
             WHERE user_id = ?1 AND (last_used_step IS NULL OR last_used_step < ?2)",
        )?
        .execute(params![user_id, step])?;
    Ok(changed == 1)
}

pub fn enable(conn: &Connection, user_id: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE user_mfa SET enabled_at = ?2 WHERE user_id = ?1")?
        .execute(params![user_id, now])?;
    Ok(())
}

/// Removes MFA entirely: secret, recovery codes and pending second-step logins.
pub fn remove(conn: &Connection, user_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM user_mfa WHERE user_id = ?1")?
        .execute([user_id])?;
    conn.prepare_cached("DELETE FROM mfa_recovery_codes WHERE user_id = ?1")?
        .execute([user_id])?;
    conn.prepare_cached("DELETE FROM mfa_login_tokens WHERE user_id = ?1")?
        .execute([user_id])?;
    Ok(())
}

/// Replaces the user's recovery codes with these hashes.
pub fn replace_recovery_codes(
    conn: &Connection,
    user_id: &str,
    hashes: &[String],
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM mfa_recovery_codes WHERE user_id = ?1")?
        .execute([user_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO mfa_recovery_codes (code_hash, user_id, created_at) VALUES (?1, ?2, ?3)",
    )?;
    for hash in hashes {
        insert.execute(params![hash, user_id, now])?;
    }
    Ok(())
}

/// Marks an unused recovery code of this user used; false when there is none.
pub fn use_recovery_code(
    conn: &Connection,
    user_id: &str,
    hash: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE mfa_recovery_codes SET used_at = ?3
             WHERE code_hash = ?1 AND user_id = ?2 AND used_at IS NULL",
        )?
        .execute(params![hash, user_id, now])?;
    Ok(changed == 1)
}

pub fn unused_recovery_codes(conn: &Connection, user_id: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ?1 AND used_at IS NULL",
    )?
    .query_row([user_id], |r| r.get(0))
}

pub fn insert_login_token(
    conn: &Connection,
    hash: &str,
    user_id: &str,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO mfa_login_tokens (token_hash, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![hash, user_id, now, expires_at])?;
    // Expired or used tokens are of no further use; keep the table small.
    conn.prepare_cached(
        "DELETE FROM mfa_login_tokens WHERE expires_at < ?1 OR used_at IS NOT NULL",
    )?
    .execute([now])?;
    Ok(())
}

pub struct LoginToken {
    pub user_id: String,
    pub expires_at: String,
    pub used: bool,
}

pub fn login_token(conn: &Connection, hash: &str) -> rusqlite::Result<Option<LoginToken>> {
    conn.prepare_cached(
        "SELECT user_id, expires_at, used_at IS NOT NULL FROM mfa_login_tokens
         WHERE token_hash = ?1",
    )?
    .query_row([hash], |r| {
        Ok(LoginToken {
            user_id: r.get(0)?,
            expires_at: r.get(1)?,
            used: r.get(2)?,
        })
    })
    .optional()
}

pub fn use_login_token(conn: &Connection, hash: &str, now: &str) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE mfa_login_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        )?
        .execute(params![hash, now])?;
    Ok(changed == 1)
}
