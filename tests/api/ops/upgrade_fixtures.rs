//! The committed databases of past releases (`tests/fixtures/schema-V*.db`, written by
//! `cargo run --example upgrade_fixtures`) upgrade to this binary's schema at start, after a
//! pre-migration snapshot, and their data reads back through the API.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use schoolhouse::db::{self, DB_FILE, schema};
use serde_json::{Value, json};

use crate::support::{TestApp, spawn_app_with};

/// The password of every fixture account, hashed with the first releases' argon2 settings.
const PASSWORD: &str = "old school password";
const SAM_ORDERS: [(&str, i64, &str); 2] =
    [("SH-000001", 5760, "paid"), ("SH-000002", 2900, "shipped")];
const RUST_COURSE: &str = "01900000-0000-7000-8006-000000000001";
const CERTIFICATE: &str = "SH-CERT-7KQ2-M9XD";

fn fixture(version: i32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema-V{version}.db"))
}

/// A data dir holding only the old database, served by this binary.
async fn upgraded(version: i32) -> (TestApp, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(version), data.path().join(DB_FILE)).unwrap();
    let dir = data.path().to_path_buf();
    let app = spawn_app_with(move |config| config.data_dir = dir).await;
    (app, data)
}

fn pre_migration_archives(data: &Path) -> Vec<String> {
    std::fs::read_dir(data.join("backups"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("pre-migrate-"))
                .collect()
        })
        .unwrap_or_default()
}

async fn login(app: &TestApp, email: &str) -> (StatusCode, Value) {
    app.post(
        "/api/auth/login",
        json!({"email": email, "password": PASSWORD}),
        None,
    )
    .await
}

async fn token(app: &TestApp, email: &str) -> String {
    let (status, body) = login(app, email).await;
    assert_eq!(status, StatusCode::OK, "{email}: {body}");
    body["access_token"].as_str().unwrap().to_string()
}

/// The common part: upgraded to the latest schema after a verified snapshot of the old one,
/// and every account logs in with its old password hash.
async fn check_upgrade(version: i32, data: &Path, app: &TestApp) {
    let latest = db::latest_migration_version();
    assert_eq!(
        schema::version_at(&data.join(DB_FILE)).unwrap(),
        Some(latest)
    );
    let archives = pre_migration_archives(data);
    assert_eq!(archives.len(), 1, "{archives:?}");
    assert!(
        archives[0].starts_with(&format!("pre-migrate-V{version}-to-V{latest}-")),
        "{archives:?}"
    );
    let report = schoolhouse::ops::verify::verify(&data.join("backups").join(&archives[0]));
    assert!(report.ok(), "{:?}", report.faults);
    assert_eq!(report.manifest.unwrap().schema_version, i64::from(version));
    for email in [
        "ada@old.school",
        "ivy@old.school",
        "vic@old.school",
        "sam@old.school",
        "sue@old.school",
    ] {
        let token = token(app, email).await;
        let (status, me) = app.get("/api/users/me", Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["email"], email);
    }
    let (status, body) = login(app, "gone@old.school").await;
    assert!(
        status.is_client_error(),
        "a disabled account logged in: {body}"
    );
}

#[tokio::test]
async fn the_first_release_database_upgrades_and_its_accounts_log_in() {
    let (app, data) = upgraded(1).await;
    check_upgrade(1, data.path(), &app).await;
}

async fn check_school(app: &TestApp) {
    let sam = token(app, "sam@old.school").await;
    let (status, orders) = app.get("/api/orders", Some(&sam)).await;
    assert_eq!(status, StatusCode::OK, "{orders}");
    let mut found: Vec<(String, i64, String)> = orders["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{orders}"))
        .iter()
        .map(|o| {
            (
                o["number"].as_str().unwrap().to_string(),
                o["total_cents"].as_i64().unwrap(),
                o["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    let expected: Vec<(String, i64, String)> = SAM_ORDERS
        .iter()
        .map(|(n, t, s)| (n.to_string(), *t, s.to_string()))
        .collect();
    assert_eq!(found, expected);

    let (status, courses) = app.get("/api/users/me/courses", Some(&sam)).await;
    assert_eq!(status, StatusCode::OK, "{courses}");
    let text = courses.to_string();
    assert!(
        text.contains(RUST_COURSE) && text.contains(CERTIFICATE),
        "{courses}"
    );

    let (status, progress) = app
        .get(&format!("/api/courses/{RUST_COURSE}/progress"), Some(&sam))
        .await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["percent"], 100, "{progress}");

    let (status, check) = app
        .get(&format!("/api/certificates/{CERTIFICATE}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(check["valid"], true);
    assert_eq!(check["learner_name"], "Sam Student");
    assert_eq!(check["course_title"], "Rust from zero");
}

#[tokio::test]
async fn the_v13_database_upgrades_with_its_orders_enrolments_progress_and_certificates() {
    let (app, data) = upgraded(13).await;
    check_upgrade(13, data.path(), &app).await;
    check_school(&app).await;
}

#[tokio::test]
async fn the_v23_database_upgrades_with_its_orders_enrolments_progress_and_certificates() {
    let (app, data) = upgraded(23).await;
    if db::latest_migration_version() > 23 {
        check_upgrade(23, data.path(), &app).await;
    }
    check_school(&app).await;
    let sue = token(&app, "sue@old.school").await;
    let (status, progress) = app
        .get(
            "/api/courses/01900000-0000-7000-8006-000000000002/progress",
            Some(&sue),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["percent"], 100, "{progress}");
}

#[test]
fn every_fixture_is_small() {
    for version in [1, 13, 23] {
        let size = std::fs::metadata(fixture(version)).unwrap().len();
        assert!(size < 200 * 1024, "schema-V{version}.db is {size} bytes");
    }
}
