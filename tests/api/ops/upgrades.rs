//! Upgrades and rollback: the schema guard, pre-migration snapshots, `migrate --dry-run`, the
//! rollback drill and the committed databases of past releases.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::Connection;
use schoolhouse::config::DatabaseConfig;
use schoolhouse::db::{self, DB_FILE, schema};

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");

pub(crate) fn run_cli(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("SCHOOLHOUSE_CONFIG")
        .env("SCHOOLHOUSE_AUTH__ARGON2__MEMORY_KIB", "64")
        .env("SCHOOLHOUSE_AUTH__ARGON2__ITERATIONS", "1");
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().unwrap()
}

pub(crate) fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A data dir whose database was left at `version` by an older binary, with a few rows.
pub(crate) fn old_school(dir: &Path, version: i32) {
    std::fs::create_dir_all(dir).unwrap();
    let mut conn = db::open_connection(&dir.join(DB_FILE), &DatabaseConfig::default()).unwrap();
    db::migrate_to(&mut conn, version).unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
         VALUES ('u1', 'ada@example.com', 'Ada', 'x', 'admin', '2026-01-01T00:00:00Z',
                 '2026-01-01T00:00:00Z'),
                ('u2', 'bo@example.com', 'Bo', 'x', 'student', '2026-01-02T00:00:00Z',
                 '2026-01-02T00:00:00Z');
         INSERT INTO audit_log (at, actor_id, action) VALUES ('2026-01-02T00:00:00Z', 'u1', 'user.created');",
    )
    .unwrap();
    conn.close().unwrap();
}

/// Every file under `dir` with its bytes: "nothing was written" compares two of these.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                files.insert(path.clone(), Vec::new());
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn version_in(dir: &Path) -> i64 {
    schema::version_at(&dir.join(DB_FILE)).unwrap().unwrap()
}

fn pre_migration_archives(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("backups"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("pre-migrate-"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_database_newer_than_the_binary_is_refused_before_anything_is_written() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    old_school(&data, 23);
    let future = db::latest_migration_version() + 7;
    {
        let conn = Connection::open(data.join(DB_FILE)).unwrap();
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
             VALUES (?1, 'from_the_future', '2026-06-01T00:00:00Z', '0')",
            [future],
        )
        .unwrap();
    }
    let binary = db::latest_migration_version();
    // The newer binary left its snapshot; this one finds it by name.
    std::fs::create_dir_all(data.join("backups")).unwrap();
    let snapshot = format!("pre-migrate-V{binary}-to-V{future}-20260601T000000Z.zip");
    std::fs::write(data.join("backups").join(&snapshot), b"archive").unwrap();
    let before = tree(root.path());
    let dir = data.to_str().unwrap();
    for args in [
        &["serve", "--data-dir", dir, "--listen", "127.0.0.1:0"][..],
        &["migrate", "--data-dir", dir],
        &["migrate", "--dry-run", "--data-dir", dir],
        &["demo", "--data-dir", dir],
        &["keys", "rotate", "--data-dir", dir],
        &[
            "user",
            "create",
            "--data-dir",
            dir,
            "--email",
            "x@example.com",
            "--role",
            "admin",
        ],
    ] {
        let out = run_cli(args, &[]);
        let said = text(&out);
        assert!(!out.status.success(), "{args:?} ran: {said}");
        assert!(
            said.contains(&format!("schema V{future}"))
                && said.contains(&format!("schema V{binary}")),
            "{args:?}: {said}"
        );
        let command = format!(
            "schoolhouse --data-dir {dir} restore {}",
            data.join("backups").join(&snapshot).display()
        );
        assert!(
            said.contains(&command),
            "{args:?} names no rollback: {said}"
        );
        assert_eq!(tree(root.path()), before, "{args:?} wrote something");
    }
    // Reading is allowed, and says which schema the database is at.
    let out = run_cli(&["migrate", "status", "--data-dir", dir], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("database schema: V{future} (NEWER")),
        "{}",
        text(&out)
    );
    assert_eq!(tree(root.path()), before);
}

#[test]
fn version_prints_the_schema_the_binary_knows() {
    let out = run_cli(&["version"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!(
            "schoolhouse {} (schema V{})",
            env!("CARGO_PKG_VERSION"),
            db::latest_migration_version()
        )
    );
}

#[test]
fn a_dry_run_reports_the_migrations_and_leaves_the_database_byte_identical() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    old_school(&data, 20);
    let before = tree(root.path());
    assert!(
        !before.keys().any(|p| p.to_string_lossy().ends_with("-wal") || p.to_string_lossy().ends_with("-shm")),
        "{:?}",
        before.keys()
    );
    let out = run_cli(
        &["migrate", "--dry-run", "--data-dir", data.to_str().unwrap()],
        &[],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let latest = db::latest_migration_version();
    assert!(said.contains(&format!("V20 -> V{latest}")), "{said}");
    assert!(said.contains("integrity_check: ok"), "{said}");
    assert!(said.contains("foreign_key_check: ok"), "{said}");
    assert!(said.contains(" ms"), "{said}");
    let users = said
        .lines()
        .find(|l| l.starts_with("users "))
        .unwrap_or_else(|| panic!("no users row: {said}"));
    assert_eq!(
        users.split_whitespace().collect::<Vec<_>>(),
        ["users", "2", "2"]
    );
    assert_eq!(tree(root.path()), before, "the dry run changed a file");
    assert_eq!(version_in(&data), 20);
}

#[test]
fn a_dry_run_catches_a_migration_that_would_fail() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    old_school(&data, 22);
    {
        // Progress of an enrolment that no longer exists, stored with foreign keys off.
        let conn = Connection::open(data.join(DB_FILE)).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO lesson_progress (enrollment_id, lesson_id, updated_at)
             VALUES ('gone', 'gone', '2026-01-01T00:00:00Z')",
        )
        .unwrap();
    }
    let before = tree(root.path());
    let out = run_cli(
        &["migrate", "--dry-run", "--data-dir", data.to_str().unwrap()],
        &[],
    );
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("FOREIGN KEY constraint failed"),
        "{}",
        text(&out)
    );
    assert_eq!(tree(root.path()), before);
}

#[test]
fn migrate_snapshots_the_data_first_and_the_older_binary_restores_it() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    old_school(&data, 20);
    let dir = data.to_str().unwrap();
    let out = run_cli(&["migrate", "--data-dir", dir], &[]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let latest = db::latest_migration_version();
    let archives = pre_migration_archives(&data);
    assert_eq!(archives.len(), 1, "{archives:?}");
    assert!(
        archives[0].starts_with(&format!("pre-migrate-V20-to-V{latest}-")),
        "{archives:?}"
    );
    let archive = data.join("backups").join(&archives[0]);
    assert!(said.contains(&archive.display().to_string()), "{said}");
    assert_eq!(version_in(&data), latest);
    let report = schoolhouse::ops::verify::verify(&archive);
    assert!(report.ok(), "{:?}", report.faults);
    assert_eq!(report.manifest.unwrap().schema_version, 20);

    // Life goes on under the new binary...
    {
        let conn = Connection::open(data.join(DB_FILE)).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
             VALUES ('u3', 'late@example.com', 'Late', 'x', 'student', 'now', 'now')",
        )
        .unwrap();
    }
    // ...until the operator rolls back: the older binary (migrations up to V20) restores.
    let restored = schoolhouse::ops::restore::restore_up_to(
        &archive,
        &data,
        &DatabaseConfig::default(),
        time::OffsetDateTime::now_utc(),
        None,
        Some(20),
    )
    .unwrap();
    assert!(restored.applied_migrations.is_empty());
    assert_eq!(version_in(&data), 20);
    let conn = Connection::open(data.join(DB_FILE)).unwrap();
    let emails: Vec<String> = conn
        .prepare("SELECT email FROM users ORDER BY email")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(emails, ["ada@example.com", "bo@example.com"]);
    // The V20 shapes, not the newer ones: lesson_progress still has its rowid (V23 drops it).
    let without_rowid: bool = conn
        .query_row(
            "SELECT wr FROM pragma_table_list WHERE name = 'lesson_progress'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!without_rowid);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    // The snapshot stays with the data for the next attempt.
    assert_eq!(pre_migration_archives(&data), archives);
}

#[test]
fn a_failed_migration_leaves_the_database_as_it_was_and_names_the_restore_command() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    old_school(&data, 20);
    // Another process holds the write lock for the whole run: the migration cannot commit.
    let blocker = db::open_connection(&data.join(DB_FILE), &DatabaseConfig::default()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let dir = data.to_str().unwrap();
    let out = run_cli(
        &["migrate", "--data-dir", dir],
        &[("SCHOOLHOUSE_DATABASE__BUSY_TIMEOUT_MS", "300")],
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    blocker.execute_batch("ROLLBACK").unwrap();
    drop(blocker);
    let archives = pre_migration_archives(&data);
    assert_eq!(archives.len(), 1, "{said}");
    let archive = data.join("backups").join(&archives[0]);
    assert!(
        said.contains(&format!(
            "schoolhouse --data-dir {dir} restore {}",
            archive.display()
        )),
        "{said}"
    );
    assert!(said.contains("left at V20"), "{said}");
    assert_eq!(version_in(&data), 20);
}

#[test]
fn pre_migration_snapshots_are_kept_apart_from_scheduled_ones() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    old_school(&data, 20);
    let backups = data.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let older = [
        "pre-migrate-V1-to-V13-20250101T000000Z.zip",
        "pre-migrate-V13-to-V20-20250601T000000Z.zip",
    ];
    let scheduled = [
        "schoolhouse-20240101T000000Z.zip",
        "schoolhouse-20240102T000000Z.zip",
    ];
    for name in older.iter().chain(&scheduled) {
        std::fs::write(backups.join(name), b"x").unwrap();
    }
    let out = run_cli(
        &["migrate", "--data-dir", data.to_str().unwrap()],
        &[("SCHOOLHOUSE_BACKUPS__KEEP_PRE_MIGRATION", "2")],
    );
    assert!(out.status.success(), "{}", text(&out));
    let kept = pre_migration_archives(&data);
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!(kept[0], older[1]);
    assert!(kept[1].starts_with("pre-migrate-V20-to-V"), "{kept:?}");
    for name in scheduled {
        assert!(backups.join(name).exists(), "{name} was pruned");
    }
    // And the scheduled retention leaves the pre-migration archives alone.
    let deleted = schoolhouse::ops::schedule::apply_retention(&backups, 1).unwrap();
    assert_eq!(deleted, [scheduled[0]]);
    assert_eq!(pre_migration_archives(&data), kept);
}
