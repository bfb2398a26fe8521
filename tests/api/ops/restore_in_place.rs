//! `restore --in-place`: the data dir stays the same directory (a Docker volume's mount point) while its contents are swapped.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use rusqlite::Connection;
use schoolhouse::db::{self, DB_FILE};

use crate::ops::upgrades::{old_school, run_cli, text};

fn emails(data: &Path) -> Vec<String> {
    let conn = Connection::open(data.join(DB_FILE)).unwrap();
    let mut statement = conn
        .prepare("SELECT email FROM users ORDER BY email")
        .unwrap();
    statement
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A school with two users and a picture, backed up to `archive`, then changed after it.
fn school_changed_since(data: &Path, archive: &Path) {
    old_school(data, db::latest_migration_version() as i32);
    std::fs::create_dir_all(data.join("media")).unwrap();
    std::fs::write(data.join("media/before.png"), "before").unwrap();
    let dir = data.to_str().unwrap();
    // Opening the school once generates its secrets.
    let out = run_cli(&["user", "list", "--data-dir", dir], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let out = run_cli(
        &[
            "backup",
            "--data-dir",
            dir,
            "--out",
            archive.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    Connection::open(data.join(DB_FILE))
        .unwrap()
        .execute_batch(
            "INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
             VALUES ('u3', 'late@example.com', 'Late', 'x', 'student', 'now', 'now')",
        )
        .unwrap();
    std::fs::write(data.join("media/after.png"), "after").unwrap();
    std::fs::create_dir_all(data.join("backups")).unwrap();
    std::fs::write(data.join("backups/scheduled.zip"), "history").unwrap();
}

#[test]
fn restore_in_place_swaps_the_contents_and_keeps_the_directory_itself() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let archive = root.path().join("school.zip");
    school_changed_since(&data, &archive);
    let inode = std::fs::metadata(&data).unwrap().ino();
    let secret = std::fs::read(data.join("secrets/jwt.key")).unwrap();

    let dir = data.to_str().unwrap();
    let out = run_cli(
        &[
            "restore",
            "--data-dir",
            dir,
            "--in-place",
            archive.to_str().unwrap(),
        ],
        &[],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");

    // The same directory (a mount point could not be replaced), with the archive's contents.
    assert_eq!(std::fs::metadata(&data).unwrap().ino(), inode);
    assert_eq!(entries(root.path()), ["data", "school.zip"]);
    assert_eq!(emails(&data), ["ada@example.com", "bo@example.com"]);
    assert_eq!(
        std::fs::read(data.join("media/before.png")).unwrap(),
        b"before"
    );
    assert!(!data.join("media/after.png").exists());
    assert_eq!(std::fs::read(data.join("secrets/jwt.key")).unwrap(), secret);
    // History stays with the live data.
    assert_eq!(
        std::fs::read(data.join("backups/scheduled.zip")).unwrap(),
        b"history"
    );

    // The previous contents are in one folder inside the data dir, named in the output.
    let aside: Vec<String> = entries(&data)
        .into_iter()
        .filter(|n| n.starts_with(".before-restore-"))
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", entries(&data));
    let aside = data.join(&aside[0]);
    assert!(said.contains(&aside.display().to_string()), "{said}");
    assert!(said.contains("swapped in place"), "{said}");
    assert_eq!(
        emails(&aside),
        ["ada@example.com", "bo@example.com", "late@example.com"]
    );
    assert_eq!(
        std::fs::read(aside.join("media/after.png")).unwrap(),
        b"after"
    );
    assert!(!aside.join("backups").exists());
    // No bookkeeping left behind; the restored school opens.
    assert!(
        entries(&data)
            .iter()
            .all(|n| !n.starts_with(".restore-in-progress") && !n.starts_with(".schoolhouse-")),
        "{:?}",
        entries(&data)
    );
    let out = run_cli(&["migrate", "--data-dir", dir], &[]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn a_half_swapped_data_dir_is_refused_by_the_server_and_made_whole_by_the_next_restore() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let archive = root.path().join("school.zip");
    school_changed_since(&data, &archive);
    // A restore killed after moving the previous media aside, before anything came in.
    let aside = data.join(".before-restore-20260101T000000Z");
    std::fs::create_dir(&aside).unwrap();
    std::fs::rename(data.join("media"), aside.join("media")).unwrap();
    std::fs::write(
        data.join(".restore-in-progress"),
        format!(
            "aside\t{}\nstaging\t{}\nold\tmedia\nold\tsecrets\nold\tschoolhouse.db\nnew\tmedia\nnew\tsecrets\nnew\tschoolhouse.db\n",
            aside.display(),
            data.join(".schoolhouse-restore-data-x").display()
        ),
    )
    .unwrap();
    let dir = data.to_str().unwrap();

    let out = run_cli(&["migrate", "--data-dir", dir], &[]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("interrupted"), "{said}");
    assert!(said.contains(&aside.display().to_string()), "{said}");

    let out = run_cli(
        &[
            "restore",
            "--data-dir",
            dir,
            "--in-place",
            archive.to_str().unwrap(),
        ],
        &[],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("half swapped"), "{said}");
    assert_eq!(emails(&data), ["ada@example.com", "bo@example.com"]);
    assert!(!data.join("media/after.png").exists());
    // The interrupted attempt's folder was emptied back into the data dir and removed; the
    // new restore's folder holds the whole previous school, media included.
    assert!(!aside.exists());
    let kept: Vec<String> = entries(&data)
        .into_iter()
        .filter(|n| n.starts_with(".before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1);
    let kept = data.join(&kept[0]);
    assert_eq!(
        std::fs::read(kept.join("media/after.png")).unwrap(),
        b"after"
    );
    assert_eq!(emails(&kept).len(), 3);
    let out = run_cli(&["migrate", "--data-dir", dir], &[]);
    assert!(out.status.success(), "{}", text(&out));
}
