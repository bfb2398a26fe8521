//! Backups: under load, verify, restore, schedule and retention, the admin API and signed
//! download links.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use schoolhouse::ops::{backup, manifest::Manifest, restore, schedule, verify};
use serde_json::json;

use crate::support::{PASSWORD, assert_problem, spawn_app, spawn_app_with, uuid_suffix};
use std::io::{Read, Write};

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

async fn backup_of(app: &crate::support::TestApp, out: PathBuf) -> backup::BackupEntry {
    let config = app.state.config.clone();
    tokio::task::spawn_blocking(move || backup::create(&config, Some(&out), now()))
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_backup_taken_under_write_load_verifies_and_restores_with_equal_counts() {
    let app = spawn_app().await;
    let mut writers = Vec::new();
    for w in 0..4 {
        let (client, url) = (app.client.clone(), app.url("/api/auth/register"));
        writers.push(tokio::spawn(async move {
            for i in 0..8 {
                let email = format!("load-{w}-{i}-{}@example.com", uuid_suffix());
                let response = client
                    .post(&url)
                    .json(&json!({"email": email, "password": PASSWORD, "name": "Load"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
            }
        }));
    }
    let out = app.dir.path().join("under-load.zip");
    let entry = backup_of(&app, out.clone()).await;
    for writer in writers {
        writer.await.unwrap();
    }

    let report = verify::verify(&entry.path);
    assert!(report.ok(), "{:?}", report.lines());
    let manifest = report.manifest.unwrap();
    assert!(manifest.row_counts.contains_key("users"));
    assert!(manifest.files.iter().any(|f| f.path == "secrets/jwt.key"));

    let target = tempfile::tempdir().unwrap();
    let data_dir = target.path().join("restored");
    let done = restore::restore(&out, &data_dir, &app.state.config.database, now()).unwrap();
    assert!(done.previous.is_none());
    let conn = rusqlite::Connection::open(data_dir.join("schoolhouse.db")).unwrap();
    assert_eq!(
        schoolhouse::ops::store::row_counts(&conn).unwrap(),
        manifest.row_counts
    );
    assert!(
        schoolhouse::ops::store::integrity_problems(&conn, false)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        std::fs::read(data_dir.join("secrets/jwt.key")).unwrap(),
        std::fs::read(app.dir.path().join("secrets/jwt.key")).unwrap()
    );
}

/// Rewrites an archive entry by entry; `change` may alter or drop (None) each one.
fn rewrite(archive: &Path, out: &Path, change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = change(&name, bytes) {
            writer
                .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(&bytes).unwrap();
        }
    }
    writer.finish().unwrap();
}

#[tokio::test]
async fn damaged_archives_are_refused_by_verify_and_restore_with_a_clear_message() {
    let app = spawn_app().await;
    app.student().await;
    let good = app.dir.path().join("good.zip");
    backup_of(&app, good.clone()).await;
    let work = tempfile::tempdir().unwrap();

    let flipped = work.path().join("flipped.zip");
    rewrite(&good, &flipped, |name, mut bytes| {
        if name == "schoolhouse.db" {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0xff;
        }
        Some(bytes)
    });
    let missing = work.path().join("missing.zip");
    rewrite(&good, &missing, |name, bytes| {
        (name != "secrets/encryption.key").then_some(bytes)
    });
    let wrong_sum = work.path().join("wrong-sum.zip");
    rewrite(&good, &wrong_sum, |name, bytes| {
        if name != "manifest.json" {
            return Some(bytes);
        }
        let mut manifest: Manifest = serde_json::from_slice(&bytes).unwrap();
        manifest.files[0].sha256 = "0".repeat(64);
        Some(serde_json::to_vec(&manifest).unwrap())
    });
    let not_zip = work.path().join("not-a-zip.zip");
    std::fs::write(&not_zip, b"hello").unwrap();

    let cases = [
        (&flipped, "checksum mismatch"),
        (&missing, "missing from the archive"),
        (&wrong_sum, "checksum mismatch"),
        (&not_zip, "cannot read the archive"),
    ];
    // What the backup's own check of a freshly written archive is given of its database.
    let snapshot = verify::inspect_database(&app.dir.path().join("schoolhouse.db")).unwrap();
    for (archive, expected) in cases {
        let report = verify::verify(archive);
        assert!(!report.ok(), "{} passed verification", archive.display());
        let text = report.lines().join("\n");
        assert!(text.contains(expected), "{text}");
        assert!(text.contains("NOT usable"), "{text}");
        let read_back = verify::verify_written(archive, None, || Ok(snapshot.clone()));
        let text = read_back.lines().join("\n");
        assert!(text.contains(expected), "{text}");
        assert!(text.contains("NOT usable"), "{text}");

        let data_dir = work.path().join("target-data");
        let err = restore::restore(archive, &data_dir, &app.state.config.database, now())
            .unwrap_err()
            .to_string();
        assert!(err.contains("failed verification"), "{err}");
        assert!(err.contains(expected), "{err}");
        assert!(!data_dir.exists(), "a refused restore left data behind");
    }
    assert!(verify::verify(&good).ok());
    let read_back = verify::verify_written(&good, None, || Ok(snapshot));
    assert!(read_back.ok(), "{:?}", read_back.lines());
}

#[tokio::test]
async fn a_backup_of_a_damaged_database_is_reported_unverified_with_the_damage_named() {
    let app = spawn_app().await;
    app.student().await;
    // The users_role index now claims to index another column: its entries no longer
    // match the rows, damage only the index-against-rows check sees. The backup copies
    // the pages as they are.
    let conn = rusqlite::Connection::open(app.dir.path().join("schoolhouse.db")).unwrap();
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_master SET sql = 'CREATE INDEX users_role ON users (email, created_at)'
         WHERE name = 'users_role';
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    drop(conn);
    let config = app.state.config.clone();
    let out = app.dir.path().join("damaged.zip");
    let (entry, report) =
        tokio::task::spawn_blocking(move || backup::create_verified(&config, Some(&out), now()))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(entry.verified, Some(false));
    let text = report.lines().join("\n");
    assert!(text.contains("integrity_check found damage"), "{text}");
    assert!(text.contains("users_role"), "{text}");
    assert!(text.contains("every checksum matches"), "{text}");
    assert!(!verify::verify(&entry.path).ok(), "backup verify agrees");
}

#[tokio::test]
async fn restore_refuses_while_a_server_runs_on_the_data_dir() {
    let app = spawn_app().await;
    let archive = tempfile::tempdir().unwrap();
    let file = archive.path().join("b.zip");
    backup_of(&app, file.clone()).await;
    let err = restore::restore(&file, app.dir.path(), &app.state.config.database, now())
        .unwrap_err()
        .to_string();
    assert!(err.contains("while a server runs"), "{err}");
    assert!(app.dir.path().join("schoolhouse.db").exists());
    let (status, _) = app.get("/readyz", None).await;
    assert_eq!(status, StatusCode::OK);

    // Once the server has stopped, the same restore succeeds and keeps the old data aside.
    let data_dir = app.dir.path().to_path_buf();
    let config = (*app.state.config).clone();
    let _keep_dir = {
        let TestAppParts { dir } = stop(app).await;
        dir
    };
    let done = restore::restore(&file, &data_dir, &config.database, now()).unwrap();
    let previous = done.previous.unwrap();
    assert!(previous.join("schoolhouse.db").exists());
    assert!(data_dir.join("schoolhouse.db").exists());
    let _ = std::fs::remove_dir_all(previous);
}

struct TestAppParts {
    dir: tempfile::TempDir,
}

async fn stop(mut app: crate::support::TestApp) -> TestAppParts {
    let dir = std::mem::replace(&mut app.dir, tempfile::tempdir().unwrap());
    app.stop().await;
    TestAppParts { dir }
}

#[tokio::test]
async fn scheduled_backups_are_verified_copied_and_pruned_beyond_keep() {
    let offsite = tempfile::tempdir().unwrap();
    let offsite_path = offsite.path().join("usb");
    let copy_to = offsite_path.clone();
    let app = spawn_app_with(move |config| {
        config.backups.keep = 2;
        config.backups.copy_to = Some(copy_to);
    })
    .await;
    let mut names = Vec::new();
    for _ in 0..3 {
        let entry = schedule::tick(&app.state).await.unwrap();
        assert_eq!(entry.verified, Some(true));
        names.push(entry.name);
        app.state.clock.advance(time::Duration::hours(1));
    }
    let listed: Vec<String> = schedule::list(&app.state.config)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(listed, vec![names[2].clone(), names[1].clone()]);
    let mut copied: Vec<String> = std::fs::read_dir(&offsite_path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    copied.sort();
    assert_eq!(copied, vec![names[1].clone(), names[2].clone()]);
    let state = schedule::load_state(app.dir.path());
    assert_eq!(state.last_verified, Some(true));
    assert_eq!(state.last_archive.as_deref(), Some(names[2].as_str()));
}

/// The actors of the audit rows of `action` on the archive `name`, newest first.
async fn backup_audit(
    app: &crate::support::TestApp,
    admin: &crate::support::TestUser,
    action: &str,
    name: &str,
) -> Vec<String> {
    let (status, body) = app
        .get(
            &format!("/api/admin/audit?action={action}&target={name}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            assert_eq!(row["target_type"], "backup");
            assert_eq!(row["ip"], "127.0.0.1");
            row["actor_id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn admins_list_create_and_download_backups_and_nobody_else_can() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;

    let (status, body) = app
        .post("/api/admin/backups", json!({}), Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["verified"], true);
    let name = body["name"].as_str().unwrap().to_string();

    let (status, body) = app.get("/api/admin/backups", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["name"], name.as_str());
    assert_eq!(body["items"][0]["verified"], true);
    assert_eq!(body["state"]["last_verified"], true);
    let (_, ready) = app.get("/readyz", None).await;
    assert_eq!(ready["last_backup_verified"], true);
    assert!(ready["last_backup_at"].is_string());

    let response = app
        .client
        .get(app.url(&format!("/api/admin/backups/{name}")))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&name)
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    assert_eq!(
        backup_audit(&app, &admin, "backup.downloaded", &name).await,
        [admin.id.as_str()],
        "a download is audited with who took the archive"
    );

    for bad in [
        "..%2Fschoolhouse.db",
        "%2E%2E%2Fsecrets%2Fjwt.key",
        "nope.zip",
        "schoolhouse.db",
    ] {
        let (status, body) = app
            .get(&format!("/api/admin/backups/{bad}"), Some(&admin.token))
            .await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
    let (status, body) = app.get("/api/admin/backups", Some(&student.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app.post("/api/admin/backups", json!({}), None).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_signed_link_downloads_one_archive_without_a_token_for_five_minutes() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;
    let (_, entry) = app
        .post("/api/admin/backups", json!({}), Some(&admin.token))
        .await;
    let name = entry["name"].as_str().unwrap().to_string();
    let fetch = |url: String| {
        let request = app.client.get(app.url(&url));
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.bytes().await.unwrap())
        }
    };

    let (status, link) = app
        .post(
            &format!("/api/admin/backups/{name}/link"),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert_eq!(
        backup_audit(&app, &admin, "backup.download_link", &name).await,
        [admin.id.as_str()]
    );
    let url = link["url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("/api/backup-downloads/{name}?expires=")),
        "{url}"
    );
    assert!(link["expires_at"].is_string());
    let (status, bytes) = fetch(url.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let on_disk = std::fs::read(app.state.config.backups_dir().join(&name)).unwrap();
    assert_eq!(bytes.as_ref(), on_disk.as_slice());

    // The signature covers the name and the expiry; nothing else opens with it.
    let (path, query) = url.split_once('?').unwrap();
    let sig = query.split("sig=").nth(1).unwrap();
    let flipped = format!(
        "{}{}",
        &sig[..63],
        if sig.ends_with('0') { '1' } else { '0' }
    );
    let expires: i64 = query
        .split('&')
        .find_map(|p| p.strip_prefix("expires="))
        .unwrap()
        .parse()
        .unwrap();
    for forged in [
        format!("{path}?expires={expires}&sig={flipped}"),
        format!("{path}?expires={}&sig={sig}", expires + 3600),
        format!("/api/backup-downloads/schoolhouse-20000101T000000Z.zip?{query}"),
        path.to_string(),
        format!("{path}?expires=soon&sig={sig}"),
    ] {
        let response = app.client.get(app.url(&forged)).send().await.unwrap();
        let status = response.status();
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::BAD_REQUEST,
            "{forged}: {status}"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_problem(status, &body, status);
    }

    let (status, body) = app
        .post(
            &format!("/api/admin/backups/{name}/link"),
            json!({}),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            "/api/admin/backups/nope.zip/link",
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);

    app.state.clock.advance(time::Duration::minutes(6));
    let (status, _) = fetch(url).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the link has expired");
}
