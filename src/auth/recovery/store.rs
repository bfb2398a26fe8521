//! SQL for one-time account tokens (password reset and login links), stored hashed.

use rusqlite::{Connection, OptionalExtension, params};

use super::TokenPurpose;

pub fn insert_token(
    conn: &Connection,
    token_hash: &str,
    purpose: TokenPurpose,
    user_id: &str,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO account_tokens (token_hash, purpose, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![token_hash, purpose, user_id, now, expires_at])?;
    Ok(())
}

/// A stored token with what is needed to judge it.
#[derive(Debug, Clone)]
pub struct AccountToken {
    pub user_id: String,
    pub expires_at: String,
    pub used: bool,
    pub user_disabled: bool,
}

pub fn token(
    conn: &Connection,
    token_hash: &str,
    purpose: TokenPurpose,
) -> rusqlite::Result<Option<AccountToken>> {
    conn.prepare_cached(
        "SELECT t.user_id, t.expires_at, t.used_at IS NOT NULL, u.disabled_at IS NOT NULL
         FROM account_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?1 AND t.purpose = ?2",
    )?
    .query_row(params![token_hash, purpose], |r| {
        Ok(AccountToken {
            user_id: r.get(0)?,
            expires_at: r.get(1)?,
            used: r.get(2)?,
            user_disabled: r.get(3)?,
        })
    })
    .optional()
}

/// Marks a token used; false when it already was (a racing second use).
pub fn use_token(conn: &Connection, token_hash: &str, now: &str) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE account_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        )?
        .execute(params![token_hash, now])?;
    Ok(changed == 1)
}

/// Retires every unused token of a user for `purpose` (a new password ends old reset links).
pub fn retire_tokens(
    conn: &Connection,
    user_id: &str,
    purpose: TokenPurpose,
    now: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE account_tokens SET used_at = ?3
         WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL",
    )?
    .execute(params![user_id, purpose, now])
}

/// Tokens made for a user and `purpose` at or after `since` (the reset mail budget).
pub fn tokens_since(
    conn: &Connection,
    user_id: &str,
    purpose: TokenPurpose,
    since: &str,
) -> rusqlite::Result<u32> {
    conn.prepare_cached(
        "SELECT count(*) FROM account_tokens
         WHERE user_id = ?1 AND purpose = ?2 AND created_at >= ?3",
    )?
    .query_row(params![user_id, purpose, since], |r| r.get(0))
}
