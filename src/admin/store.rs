//! SQL for the admin views of users.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::users::Role;

/// A user as an admin sees them.
pub struct AdminUserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled_at: Option<String>,
    pub mfa_enabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT u.id, u.email, u.name, u.role, u.disabled_at,
        EXISTS (SELECT 1 FROM user_mfa m WHERE m.user_id = u.id AND m.enabled_at IS NOT NULL),
        u.created_at, u.updated_at
    FROM users u";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AdminUserRow> {
    Ok(AdminUserRow {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        role: r.get(3)?,
        disabled_at: r.get(4)?,
        mfa_enabled: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

/// `q` is a case-insensitive substring of the email or the name.
pub struct UserFilter<'a> {
    pub q: Option<&'a str>,
    pub role: Option<Role>,
}

const WHERE: &str =
    " WHERE (?1 IS NULL OR u.email LIKE ?1 ESCAPE '\\' OR u.name LIKE ?1 ESCAPE '\\')
      AND (?2 IS NULL OR u.role = ?2)";

fn like_pattern(q: &str) -> String {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// One page of users matching `filter`, newest first, and the total count.
pub fn list(
    conn: &Connection,
    filter: &UserFilter<'_>,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<AdminUserRow>, i64)> {
    let pattern = filter.q.map(like_pattern);
    let total = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM users u{WHERE}"))?
        .query_row(params![pattern, filter.role], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "{SELECT}{WHERE} ORDER BY u.created_at DESC, u.id DESC LIMIT ?3 OFFSET ?4"
        ))?
        .query_map(params![pattern, filter.role, limit, offset], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<AdminUserRow>> {
    conn.prepare_cached(&format!("{SELECT} WHERE u.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}
