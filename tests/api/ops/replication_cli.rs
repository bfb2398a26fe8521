//! The replication commands' refusals: nothing is overwritten, a standby copy is never
//! served, and a missing Litestream stops `serve` at once rather than replicating nothing.

use super::replication::{Peer, cli, said, unique_prefix};

const STANDBY_MARKER: &str = "STANDBY";

/// Refused commands and what each must leave untouched.
struct Refusal {
    sentence: &'static str,
    args: &'static [&'static str],
    /// Prepares the data dir; returns the files whose bytes must not change.
    prepare: fn(&std::path::Path) -> Vec<std::path::PathBuf>,
    says: &'static str,
}

fn with_database(data: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(data).unwrap();
    let db = data.join("schoolhouse.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE kept (x); INSERT INTO kept VALUES (42);")
        .unwrap();
    vec![db]
}

fn standby_copy(data: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut kept = with_database(data);
    let marker = data.join(STANDBY_MARKER);
    std::fs::write(&marker, "").unwrap();
    kept.push(marker);
    kept
}

fn empty(data: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(data).unwrap();
    Vec::new()
}

const REFUSALS: &[Refusal] = &[
    Refusal {
        sentence: "a restore from the replica never overwrites a data dir that has a database",
        args: &["restore", "--from-replica"],
        prepare: with_database,
        says: "already has a database",
    },
    Refusal {
        sentence: "a point-in-time restore with a time that is not RFC 3339 changes nothing",
        args: &["restore", "--from-replica", "--timestamp", "yesterday"],
        prepare: empty,
        says: "RFC 3339",
    },
    Refusal {
        sentence: "a standby copy is not served as a primary before promotion",
        args: &["serve", "--listen", "127.0.0.1:0"],
        prepare: standby_copy,
        says: "schoolhouse promote",
    },
    Refusal {
        sentence: "a standby may not follow into a data dir that holds a primary's database",
        args: &["standby"],
        prepare: with_database,
        says: "not a standby copy",
    },
    Refusal {
        sentence: "only a standby copy can be promoted",
        args: &["promote"],
        prepare: with_database,
        says: "not a standby copy",
    },
];

#[tokio::test]
async fn replication_commands_refuse_and_change_nothing() {
    let peer = Peer::from_env();
    let env = peer.env(&unique_prefix("refusals"));
    for refusal in REFUSALS {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let kept = (refusal.prepare)(&data);
        let before: Vec<Vec<u8>> = kept.iter().map(|p| std::fs::read(p).unwrap()).collect();
        let mut args = refusal.args.to_vec();
        args.extend(["--data-dir", data.to_str().unwrap()]);
        let out = cli(&args, &env);
        assert!(
            !out.status.success(),
            "{}: it ran: {}",
            refusal.sentence,
            said(&out)
        );
        assert!(
            said(&out).contains(refusal.says),
            "{}: {}",
            refusal.sentence,
            said(&out)
        );
        let after: Vec<Vec<u8>> = kept.iter().map(|p| std::fs::read(p).unwrap()).collect();
        assert_eq!(before, after, "{}: a file changed", refusal.sentence);
        assert!(
            !data.join("schoolhouse.db.from-replica").exists(),
            "{}: a scratch file was left",
            refusal.sentence
        );
    }
}

#[tokio::test]
async fn serve_with_replication_on_and_no_litestream_refuses_to_start() {
    let peer = Peer::from_env();
    let mut env = peer.env(&unique_prefix("no-litestream"));
    env.retain(|(k, _)| k != "SCHOOLHOUSE_REPLICATION__LITESTREAM_BIN");
    env.push((
        "SCHOOLHOUSE_REPLICATION__LITESTREAM_BIN".into(),
        "/nonexistent/litestream".into(),
    ));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = cli(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &env,
    );
    assert!(!out.status.success(), "it served: {}", said(&out));
    assert!(
        said(&out).contains("Litestream cannot run"),
        "{}",
        said(&out)
    );
}
