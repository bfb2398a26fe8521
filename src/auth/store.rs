//! SQL for sessions, refresh tokens and first-start setup tokens.

use rusqlite::{Connection, OptionalExtension, params};

use crate::users::Role;

pub struct NewSession<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert_session(conn: &Connection, s: &NewSession<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, ip, user_agent)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        s.id,
        s.user_id,
        s.now,
        s.expires_at,
        s.ip,
        s.user_agent
    ])?;
    Ok(())
}

/// What a request's access token is checked against.
pub struct SessionCheck {
    pub revoked: bool,
    pub expires_at: String,
    pub role: Role,
    pub disabled: bool,
    pub mfa_enabled: bool,
    pub locale: Option<String>,
}

pub const SESSION_CHECK_SQL: &str =
    "SELECT s.revoked_at IS NOT NULL, s.expires_at, u.role, u.disabled_at IS NOT NULL,
            EXISTS (SELECT 1 FROM user_mfa m
                    WHERE m.user_id = u.id AND m.enabled_at IS NOT NULL),
            u.locale
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ?1 AND s.user_id = ?2";

pub fn session_check(
    conn: &Connection,
    session_id: &str,
    user_id: &str,
) -> rusqlite::Result<Option<SessionCheck>> {
    conn.prepare_cached(SESSION_CHECK_SQL)?
        .query_row(params![session_id, user_id], |r| {
            Ok(SessionCheck {
                revoked: r.get(0)?,
                expires_at: r.get(1)?,
                role: r.get(2)?,
                disabled: r.get(3)?,
                mfa_enabled: r.get(4)?,
                locale: r.get(5)?,
            })
        })
        .optional()
}

pub fn insert_refresh_token(
    conn: &Connection,
    token_hash: &str,
    session_id: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![token_hash, session_id, now])?;
    Ok(())
}

pub struct RefreshLookup {
    pub session_id: String,
    pub user_id: String,
    pub used_at: Option<String>,
    pub session_revoked: bool,
    pub session_expires_at: String,
    pub user_disabled: bool,
}

pub fn refresh_lookup(
    conn: &Connection,
    token_hash: &str,
) -> rusqlite::Result<Option<RefreshLookup>> {
    conn.prepare_cached(
        "SELECT t.session_id, s.user_id, t.used_at, s.revoked_at IS NOT NULL,
                s.expires_at, u.disabled_at IS NOT NULL
         FROM refresh_tokens t
         JOIN sessions s ON s.id = t.session_id
         JOIN users u ON u.id = s.user_id
         WHERE t.token_hash = ?1",
    )?
    .query_row([token_hash], |r| {
        Ok(RefreshLookup {
            session_id: r.get(0)?,
            user_id: r.get(1)?,
            used_at: r.get(2)?,
            session_revoked: r.get(3)?,
            session_expires_at: r.get(4)?,
            user_disabled: r.get(5)?,
        })
    })
    .optional()
}

pub fn mark_refresh_used(conn: &Connection, token_hash: &str, now: &str) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE refresh_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        )?
        .execute(params![token_hash, now])?;
    Ok(changed == 1)
}

/// For a token used at `since` and presented again: when the session's chain has not moved
/// on (no token used after it), deletes what it was traded for (the unused tokens issued
/// since) and says whether there was such a successor to replace.
pub fn withdraw_unused_successors(
    conn: &Connection,
    session_id: &str,
    since: &str,
) -> rusqlite::Result<bool> {
    let moved_on: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE session_id = ?1 AND used_at > ?2)",
        )?
        .query_row(params![session_id, since], |r| r.get(0))?;
    if moved_on {
        return Ok(false);
    }
    let withdrawn = conn
        .prepare_cached(
            "DELETE FROM refresh_tokens
             WHERE session_id = ?1 AND used_at IS NULL AND created_at >= ?2",
        )?
        .execute(params![session_id, since])?;
    Ok(withdrawn > 0)
}

pub fn touch_session(conn: &Connection, session_id: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sessions SET last_used_at = ?2 WHERE id = ?1")?
        .execute(params![session_id, now])?;
    Ok(())
}

pub fn revoke_session(
    conn: &Connection,
    session_id: &str,
    reason: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE sessions SET revoked_at = ?3, revoked_reason = ?2
         WHERE id = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![session_id, reason, now])?;
    Ok(())
}

/// Revokes every live session of a user, except `keep` (the caller's own, when given).
pub fn revoke_user_sessions(
    conn: &Connection,
    user_id: &str,
    keep: Option<&str>,
    reason: &str,
    now: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE sessions SET revoked_at = ?4, revoked_reason = ?3
         WHERE user_id = ?1 AND revoked_at IS NULL AND (?2 IS NULL OR id <> ?2)",
    )?
    .execute(params![user_id, keep, reason, now])
}

pub fn insert_setup_token(
    conn: &Connection,
    token_hash: &str,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<()> {
    // Only the newest link works: a restart prints a new one and retires the old.
    conn.execute("DELETE FROM setup_tokens WHERE used_at IS NULL", [])?;
    conn.prepare_cached(
        "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![token_hash, now, expires_at])?;
    Ok(())
}

pub struct SetupTokenState {
    pub expires_at: String,
    pub used: bool,
}

pub fn setup_token(
    conn: &Connection,
    token_hash: &str,
) -> rusqlite::Result<Option<SetupTokenState>> {
    conn.prepare_cached(
        "SELECT expires_at, used_at IS NOT NULL FROM setup_tokens WHERE token_hash = ?1",
    )?
    .query_row([token_hash], |r| {
        Ok(SetupTokenState {
            expires_at: r.get(0)?,
            used: r.get(1)?,
        })
    })
    .optional()
}

pub fn use_setup_token(conn: &Connection, token_hash: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE setup_tokens SET used_at = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash, now])?;
    Ok(())
}

/// Records that a user was active on `day`; repeated calls are no-ops.
pub fn record_activity(conn: &Connection, user_id: &str, day: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO user_activity (user_id, day) VALUES (?1, ?2)")?
        .execute(params![user_id, day])?;
    Ok(())
}
