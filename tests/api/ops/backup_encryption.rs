//! Age-encrypted backups: CLI round trip, wrong and missing keys, scheduled verification.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use age::secrecy::ExposeSecret;
use schoolhouse::ops::{backup::VERIFIED_BEFORE_ENCRYPTION, schedule};

use crate::support::{spawn_app, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// A new age key pair: the identity written to `dir/name`, and the public key.
fn key_pair(dir: &Path, name: &str) -> (PathBuf, String) {
    let identity = age::x25519::Identity::generate();
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "# test identity\n{}\n",
            identity.to_string().expose_secret()
        ),
    )
    .unwrap();
    (path, identity.to_public().to_string())
}

/// Runs the binary on `data_dir` with `[backups] recipients` set through the environment.
fn schoolhouse(data_dir: &Path, recipient: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command
        .env_remove("SCHOOLHOUSE_CONFIG")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args);
    if let Some(recipient) = recipient {
        command.env(
            "SCHOOLHOUSE_BACKUPS__RECIPIENTS",
            format!("[\"{recipient}\"]"),
        );
    }
    command.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn an_encrypted_backup_verifies_and_restores_only_with_the_right_identity() {
    let app = spawn_app().await;
    app.student().await;
    let keys = tempfile::tempdir().unwrap();
    let (identity, public) = key_pair(keys.path(), "identity.txt");
    let (stranger, _) = key_pair(keys.path(), "stranger.txt");
    let archive = keys.path().join("offsite.zip.age");
    let archive_arg = archive.to_str().unwrap();

    let out = schoolhouse(
        app.dir.path(),
        Some(&public),
        &["backup", "--encrypt", "--out", archive_arg],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("encrypted (age) to 1 public key(s)"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("verified just before encryption"),
        "{}",
        text(&out)
    );
    let bytes = std::fs::read(&archive).unwrap();
    assert!(
        bytes.starts_with(AGE_MAGIC),
        "the archive is not an age file"
    );

    // Without a key, or with someone else's, verify and restore refuse and exit non-zero.
    let out = schoolhouse(app.dir.path(), None, &["backup", "verify", archive_arg]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("is encrypted (age): pass --identity FILE"),
        "{}",
        text(&out)
    );
    let wrong = ["--identity", stranger.to_str().unwrap()];
    let out = schoolhouse(
        app.dir.path(),
        None,
        &["backup", "verify", archive_arg, wrong[0], wrong[1]],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("does not open"), "{}", text(&out));
    assert!(
        text(&out).contains("wrong key or passphrase"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("NOT usable"), "{}", text(&out));
    let target = tempfile::tempdir().unwrap();
    let restored = target.path().join("restored");
    let out = schoolhouse(
        &restored,
        None,
        &["restore", archive_arg, wrong[0], wrong[1]],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("refusing to restore"), "{}", text(&out));
    assert!(
        text(&out).contains("wrong key or passphrase"),
        "{}",
        text(&out)
    );
    assert!(!restored.exists(), "a refused restore left data behind");

    // The right identity opens it.
    let right = ["--identity", identity.to_str().unwrap()];
    let out = schoolhouse(
        app.dir.path(),
        None,
        &["backup", "verify", archive_arg, right[0], right[1]],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("decrypted (age) with the age identity"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("verdict: the archive is sound"),
        "{}",
        text(&out)
    );
    let out = schoolhouse(
        &restored,
        None,
        &["restore", archive_arg, right[0], right[1]],
    );
    assert!(out.status.success(), "{}", text(&out));
    let count = |dir: &Path| {
        let conn = rusqlite::Connection::open(dir.join("schoolhouse.db")).unwrap();
        schoolhouse::ops::store::row_counts(&conn).unwrap()["users"]
    };
    assert_eq!(count(&restored), count(app.dir.path()));
    assert_eq!(
        std::fs::read(restored.join("secrets/jwt.key")).unwrap(),
        std::fs::read(app.dir.path().join("secrets/jwt.key")).unwrap()
    );
}

#[tokio::test]
async fn backup_encrypt_without_keys_in_the_config_writes_nothing() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("plain.zip");
    let out = schoolhouse(
        app.dir.path(),
        None,
        &["backup", "--encrypt", "--out", archive.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("backups.recipients"), "{}", text(&out));
    assert!(!archive.exists());
}

#[tokio::test]
async fn scheduled_encrypted_backups_are_verified_with_the_servers_key_or_before_encryption() {
    let keys = tempfile::tempdir().unwrap();
    let (identity, public) = key_pair(keys.path(), "identity.txt");

    // The server holds the identity: the encrypted archive itself is verified.
    let (held, to) = (identity.clone(), public.clone());
    let app = spawn_app_with(move |config| {
        config.backups.recipients = vec![to];
        config.backups.identity_file = Some(held);
    })
    .await;
    let admin = app.admin().await;
    let entry = schedule::tick(&app.state).await.unwrap();
    assert!(entry.name.ends_with(".zip.age"), "{}", entry.name);
    assert!(entry.encrypted);
    assert_eq!(entry.verified, Some(true));
    assert_eq!(entry.verify_note, None);
    let (_, list) = app.get("/api/admin/backups", Some(&admin.token)).await;
    assert_eq!(list["items"][0]["name"], entry.name.as_str());
    assert_eq!(list["items"][0]["encrypted"], true);
    assert_eq!(list["items"][0]["verified"], true);
    // The download is the archive as stored: still encrypted.
    let response = app
        .client
        .get(app.url(&format!("/api/admin/backups/{}", entry.name)))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().starts_with(AGE_MAGIC));

    // Only the public key: verified before encryption, and the record says so.
    let to = public.clone();
    let app = spawn_app_with(move |config| config.backups.recipients = vec![to]).await;
    let entry = schedule::tick(&app.state).await.unwrap();
    assert!(entry.encrypted);
    assert_eq!(entry.verified, Some(true));
    assert_eq!(
        entry.verify_note.as_deref(),
        Some(VERIFIED_BEFORE_ENCRYPTION)
    );
    let state = schedule::load_state(app.dir.path());
    assert_eq!(state.last_verified, Some(true));
    assert_eq!(
        state.last_verify_note.as_deref(),
        Some(VERIFIED_BEFORE_ENCRYPTION)
    );
    let report = schoolhouse::ops::verify::verify_with(
        &entry.path,
        Some(&schoolhouse::ops::crypt::Key::Identity(identity)),
    );
    assert!(report.ok(), "{:?}", report.lines());

    // A passphrase file: the server can open what it wrote, and the wrong one cannot.
    let passphrase = keys.path().join("passphrase");
    std::fs::write(&passphrase, "a long backup passphrase\n").unwrap();
    let file = passphrase.clone();
    let app = spawn_app_with(move |config| config.backups.passphrase_file = Some(file)).await;
    let entry = schedule::tick(&app.state).await.unwrap();
    assert_eq!(entry.verified, Some(true));
    assert_eq!(entry.verify_note, None);
    let wrong = keys.path().join("wrong-passphrase");
    std::fs::write(&wrong, "not it\n").unwrap();
    let report = schoolhouse::ops::verify::verify_with(
        &entry.path,
        Some(&schoolhouse::ops::crypt::Key::Passphrase(wrong)),
    );
    assert!(!report.ok());
    assert!(
        report
            .lines()
            .join("\n")
            .contains("wrong key or passphrase")
    );
}
