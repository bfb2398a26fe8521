//! Operations: backups under load, verify, restore, schedule and retention, admin API.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use schoolhouse::ops::{backup, manifest::Manifest, restore, schedule, verify};
use serde_json::json;

use crate::support::{PASSWORD, assert_problem, spawn_app, spawn_app_with, uuid_suffix};

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
    for (archive, expected) in cases {
        let report = verify::verify(archive);
        assert!(!report.ok(), "{} passed verification", archive.display());
        let text = report.lines().join("\n");
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

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");

fn doctor(data_dir: &Path, json: bool) -> std::process::Output {
    let mut command = std::process::Command::new(BIN);
    command
        .env_remove("SCHOOLHOUSE_CONFIG")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("doctor");
    if json {
        command.arg("--json");
    }
    command.output().unwrap()
}

#[tokio::test]
async fn doctor_fails_on_a_readable_secret_and_passes_once_it_is_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let key = app.dir.path().join("secrets/jwt.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = doctor(app.dir.path(), false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("FAIL  secrets"), "{text}");
    assert!(text.contains("chmod 600"), "{text}");
    assert!(text.contains("ok    database"), "{text}");

    let out = doctor(app.dir.path(), true);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let secrets = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "secrets")
        .unwrap();
    assert_eq!(secrets["status"], "fail");

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = doctor(app.dir.path(), false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn doctor_fails_when_the_data_dir_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = doctor(&dir.path().join("nowhere"), false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(text.contains("FAIL  data dir"), "{text}");
    assert!(text.contains("FAIL  database"), "{text}");
}

/// Checks every line is a comment or `name{labels} value`; returns the sample names.
pub fn parse_prometheus(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line.starts_with('#') {
            assert!(
                line.starts_with("# TYPE ") || line.starts_with("# HELP "),
                "bad comment: {line}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("sample without value");
        assert!(value.parse::<f64>().is_ok(), "bad value in {line}");
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name in {line}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            assert!(
                labels.is_empty() || (labels.starts_with('{') && labels.ends_with('}')),
                "bad labels in {line}"
            );
        }
        names.push(name.to_string());
    }
    names
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_per_route_counts_and_latency() {
    let app = spawn_app().await;
    app.get("/healthz", None).await;
    app.get("/api/users/me", None).await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    let names = parse_prometheus(&text);
    assert!(
        text.contains("# TYPE http_requests_total counter"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE http_request_duration_seconds histogram"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE http_requests_in_flight gauge"),
        "{text}"
    );
    assert!(
        names.iter().any(|n| n == "db_writer_commits_total"),
        "{text}"
    );
    let healthz = text
        .lines()
        .find(|l| {
            l.starts_with("http_requests_total{")
                && l.contains("route=\"/healthz\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no /healthz count in {text}"));
    assert!(healthz.rsplit_once(' ').unwrap().1.parse::<f64>().unwrap() >= 1.0);
    assert!(
        text.lines().any(|l| l.starts_with("http_requests_total{")
            && l.contains("route=\"/api/users/me\"")
            && l.contains("status=\"401\"")),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{"),
        "{text}"
    );
}

#[tokio::test]
async fn metrics_with_a_token_need_it_and_can_be_turned_off() {
    let app = spawn_app_with(|c| c.metrics.token = "scrape-secret".into()).await;
    let (status, body) = app.get("/metrics", None).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    let (status, body) = app.get("/metrics", Some("wrong")).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    let (status, body) = app.get("/metrics", Some("scrape-secret")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.as_str().unwrap().contains("# TYPE"));

    let off = spawn_app_with(|c| c.metrics.enabled = false).await;
    let (status, body) = off.get("/metrics", None).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
}

struct TestCert {
    cert_pem: String,
    key_pem: String,
}

fn self_signed() -> TestCert {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    TestCert {
        cert_pem: made.cert.pem(),
        key_pem: made.signing_key.serialize_pem(),
    }
}

fn trusting(certs: &[&TestCert]) -> reqwest::Client {
    crate::support::client();
    let mut builder = reqwest::Client::builder()
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none());
    for cert in certs {
        builder = builder.add_root_certificate(
            reqwest::Certificate::from_pem(cert.cert_pem.as_bytes()).unwrap(),
        );
    }
    builder.build().unwrap()
}

async fn served_certificate(client: &reqwest::Client, url: &str) -> Vec<u8> {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn tls_is_served_with_a_self_signed_certificate_reloaded_on_sighup() {
    use tokio::signal::unix::{SignalKind, signal};
    // Keep a SIGHUP handler installed in this process before any signal is sent.
    let _hangups = signal(SignalKind::hangup()).unwrap();
    let files = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (files.path().join("cert.pem"), files.path().join("key.pem"));
    let first = self_signed();
    std::fs::write(&cert_path, &first.cert_pem).unwrap();
    std::fs::write(&key_path, &first.key_pem).unwrap();
    let redirect_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (cert, key) = (cert_path.clone(), key_path.clone());
    let app = spawn_app_with(move |config| {
        config.server.tls = Some(schoolhouse::config::TlsConfig {
            cert,
            key,
            redirect_http_from: Some(format!("127.0.0.1:{redirect_port}").parse().unwrap()),
        });
    })
    .await;
    let port = app.base.rsplit(':').next().unwrap().to_string();
    let https = format!("https://localhost:{port}");
    let second = self_signed();
    let client = trusting(&[&first, &second]);

    let served = served_certificate(&client, &format!("{https}/healthz")).await;
    assert_eq!(served, pem_der(&first.cert_pem));
    // Plain HTTP on the TLS port does not get through.
    assert!(app.client.get(app.url("/healthz")).send().await.is_err());
    // The refresh cookie is Secure once TLS is on.
    use schoolhouse::auth::service::{NewAccount, Origin, create_account};
    let account = NewAccount {
        email: "tls@example.com".into(),
        password: PASSWORD.into(),
        name: "TLS".into(),
        role: schoolhouse::users::Role::Student,
    };
    create_account(&app.state, account, None, &Origin::default())
        .await
        .unwrap();
    let login = client
        .post(format!("{https}/api/auth/login"))
        .json(&json!({"email": "tls@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
    // The HTTP listener redirects to HTTPS.
    let redirected = client
        .get(format!("http://127.0.0.1:{redirect_port}/readyz?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirected.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        redirected.headers()["location"],
        format!("https://{}/readyz?x=1", app.state.config.server.listen).as_str()
    );

    // A renewed certificate is picked up on SIGHUP.
    std::fs::write(&cert_path, &second.cert_pem).unwrap();
    std::fs::write(&key_path, &second.key_pem).unwrap();
    let mut reloaded = false;
    for _ in 0..50 {
        let _ = std::process::Command::new("kill")
            .args(["-HUP", &std::process::id().to_string()])
            .status();
        let fresh = trusting(&[&first, &second]);
        if served_certificate(&fresh, &format!("{https}/healthz")).await
            == pem_der(&second.cert_pem)
        {
            reloaded = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(reloaded, "the new certificate was never served");
}

fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}
