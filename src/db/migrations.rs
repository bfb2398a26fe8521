//! The embedded migrations: applying them (all pending in one transaction) and reporting
//! which are applied.

use rusqlite::Connection;

use super::{embedded, schema};

/// A migration as known to this binary, and whether the database has it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MigrationState {
    pub version: i32,
    pub name: String,
    pub applied_on: Option<String>,
}

/// Applies every pending migration; returns the versions applied now.
/// All of them in one transaction (see [`schema::apply`]); a database at a newer schema than
/// this binary's is refused with [`schema::NewerSchema`] before anything is written.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<Vec<i32>> {
    schema::apply(
        conn,
        embedded::migrations::runner(),
        refinery::Target::Latest,
    )
}

/// Applies the pending migrations up to `version` only: the schema an older binary left.
pub fn migrate_to(conn: &mut Connection, version: i32) -> anyhow::Result<Vec<i32>> {
    schema::apply(
        conn,
        embedded::migrations::runner(),
        refinery::Target::Version(version),
    )
}

/// Every migration the binary carries, none applied: the status of a missing database.
pub fn migration_status_of_nothing() -> Vec<MigrationState> {
    let mut states: Vec<MigrationState> = embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| MigrationState {
            version: m.version(),
            name: m.name().to_string(),
            applied_on: None,
        })
        .collect();
    states.sort_by_key(|m| m.version);
    states
}

/// Every migration the binary carries, with the time it was applied if it was.
pub fn migration_status(conn: &mut Connection) -> anyhow::Result<Vec<MigrationState>> {
    let runner = embedded::migrations::runner();
    let has_history: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'refinery_schema_history')",
        [],
        |r| r.get(0),
    )?;
    let applied = if has_history {
        runner.get_applied_migrations(conn)?
    } else {
        Vec::new()
    };
    let mut states: Vec<MigrationState> = runner
        .get_migrations()
        .iter()
        .map(|m| MigrationState {
            version: m.version(),
            name: m.name().to_string(),
            applied_on: applied
                .iter()
                .find(|a| a.version() == m.version())
                .and_then(|a| a.applied_on())
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                }),
        })
        .collect();
    states.sort_by_key(|m| m.version);
    Ok(states)
}

/// Number of migrations recorded as applied; the query also proves the database answers.
pub fn applied_migration_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COUNT(*) FROM refinery_schema_history", [], |r| {
        r.get(0)
    })
}

/// Number of migrations this binary carries.
pub fn known_migration_count() -> usize {
    embedded::migrations::runner().get_migrations().len()
}

/// Every migration version the binary carries, ascending.
pub fn known_migration_versions() -> Vec<i64> {
    let mut versions: Vec<i64> = embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .collect();
    versions.sort_unstable();
    versions
}

/// Highest migration version the binary carries.
pub fn latest_migration_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// Number of migrations the binary carries that the database lacks.
pub fn pending_migrations(conn: &mut Connection) -> anyhow::Result<usize> {
    Ok(migration_status(conn)?
        .iter()
        .filter(|m| m.applied_on.is_none())
        .count())
}
