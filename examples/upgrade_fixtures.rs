//! Writes the upgrade fixtures: `tests/fixtures/schema-V<n>.db`, one school as past releases
//! left it, built with the migrations of that time and the seed files beside them.
//!
//! `cargo run --example upgrade_fixtures` (rerun only to add a fixture for a new release:
//! the committed files are the point, old databases as they were).
//!
//! Each step migrates up to its version (refinery `Target::Version`), runs
//! `tests/fixtures/seed/V<n>.sql` for the tables that version added, checks that every table
//! holds rows, and writes a VACUUMed single-file copy. Passwords are hashed with the argon2
//! parameters of the first releases (19 MiB x 2), so a test proves old hashes still log in.

use std::path::{Path, PathBuf};

use argon2::password_hash::PasswordHasher;
use argon2::{Algorithm, Argon2, Params, Version};
use rusqlite::Connection;

/// The password of every fixture account.
const PASSWORD: &str = "old school password";
/// Schema versions with a fixture: the first release, V13 and the latest when it was made.
const STEPS: &[i32] = &[1, 13, 23];

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut conn = Connection::open_in_memory()?;
    // Every table and index takes at least one page; with ~175 of them the smallest page
    // size keeps each fixture well under 200 KB (the app reads any page size).
    conn.execute_batch("PRAGMA page_size = 512; PRAGMA foreign_keys = ON;")?;
    for &version in STEPS {
        schoolhouse::db::migrate_to(&mut conn, version)?;
        let seed = std::fs::read_to_string(root.join(format!("seed/V{version}.sql")))?;
        conn.execute_batch(&seed)?;
        if version == STEPS[0] {
            set_old_password_hashes(&conn)?;
        }
        check(&conn, version)?;
        let out = root.join(format!("schema-V{version}.db"));
        write_copy(&conn, &out)?;
        println!(
            "wrote {} ({} bytes)",
            out.display(),
            std::fs::metadata(&out)?.len()
        );
    }
    Ok(())
}

fn set_old_password_hashes(conn: &Connection) -> anyhow::Result<()> {
    let hasher = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM users ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        // A salt per account, fixed so that regenerating changes nothing needlessly.
        let salt = format!("fixture-salt-{}", &id[id.len() - 4..]);
        let hash = hasher
            .hash_password_with_salt(PASSWORD.as_bytes(), salt.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .to_string();
        conn.execute(
            "UPDATE users SET password_hash = ?1 WHERE id = ?2",
            [&hash, &id],
        )?;
    }
    Ok(())
}

/// Every table of the schema has rows, and the data is sound.
fn check(conn: &Connection, version: i32) -> anyhow::Result<()> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let empty: Vec<&String> = tables
        .iter()
        .filter(|t| {
            conn.query_row(&format!("SELECT COUNT(*) FROM \"{t}\""), [], |r| {
                r.get::<_, i64>(0)
            })
            .map_or(true, |n| n == 0)
        })
        .collect();
    anyhow::ensure!(
        empty.is_empty(),
        "V{version}: tables without rows: {empty:?}"
    );
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    anyhow::ensure!(integrity == "ok", "V{version}: {integrity}");
    let dangling: i64 =
        conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?;
    anyhow::ensure!(dangling == 0, "V{version}: {dangling} dangling references");
    Ok(())
}

/// A compact single-file copy (rollback journal mode, no -wal beside it).
fn write_copy(conn: &Connection, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        std::fs::remove_file(out)?;
    }
    conn.execute("VACUUM INTO ?1", [out.to_string_lossy()])?;
    Ok(())
}
