//! SQL for users.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::model::{Role, User};

const COLUMNS: &str = "id, email, name, password_hash, role, disabled_at, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        email: row.get(1)?,
        name: row.get(2)?,
        password_hash: row.get(3)?,
        role: row.get(4)?,
        disabled_at: row.get(5)?,
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

pub fn insert(conn: &Connection, user: &User) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO users (id, email, name, password_hash, role, disabled_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        user.id,
        user.email,
        user.name,
        user.password_hash,
        user.role,
        user.disabled_at,
        user.created_at,
        user.updated_at
    ])?;
    Ok(())
}

pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE email = ?1"))?
        .query_row([email], from_row)
        .optional()
}

pub fn any_admin_exists(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')")?
        .query_row([], |r| r.get(0))
}

/// Sets name and email, and the locale when `locale` is given (`Some(None)` clears it).
pub fn update_profile(
    conn: &Connection,
    id: &str,
    name: &str,
    email: &str,
    locale: Option<Option<&str>>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE users SET name = ?2, email = ?3, updated_at = ?4,
                locale = CASE WHEN ?5 THEN ?6 ELSE locale END
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        name,
        email,
        now,
        locale.is_some(),
        locale.flatten()
    ])?;
    Ok(())
}

/// The user's chosen locale (`None`: not chosen, negotiated per request).
pub fn locale(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT locale FROM users WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
        .map(Option::flatten)
}

/// The chosen locale of the account with this email, if there is one and it chose.
pub fn locale_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT locale FROM users WHERE email = ?1")?
        .query_row([email], |r| r.get(0))
        .optional()
        .map(Option::flatten)
}

pub fn set_password_hash(
    conn: &Connection,
    id: &str,
    hash: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, hash, now])?;
    Ok(())
}

/// Replaces a password hash with a fresh hash of the same password (made with the current
/// settings), unless the password changed since `old` was read.
pub fn upgrade_password_hash(
    conn: &Connection,
    id: &str,
    old: &str,
    new: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE users SET password_hash = ?3 WHERE id = ?1 AND password_hash = ?2",
    )?
    .execute(params![id, old, new])?;
    Ok(())
}

pub fn set_role(conn: &Connection, id: &str, role: Role, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, role, now])?;
    Ok(())
}

pub fn set_disabled(
    conn: &Connection,
    id: &str,
    disabled_at: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE users SET disabled_at = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, disabled_at, now])?;
    Ok(())
}

/// Every account, oldest first (for `schoolhouse user list`).
pub fn all_by_created(conn: &Connection) -> rusqlite::Result<Vec<User>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users ORDER BY created_at, id"
    ))?
    .query_map([], from_row)?
    .collect()
}
