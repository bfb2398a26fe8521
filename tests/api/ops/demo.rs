//! `schoolhouse demo [--reset]`: the demo school loads, a newcomer can use it, and it never
//! overwrites a data dir by accident.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{TestApp, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");
const STUDENT: &str = "sam@demo.example.com";
const STUDENT_PASSWORD: &str = "demo-student-password";

fn demo(data_dir: &Path, reset: bool) -> Output {
    let mut command = Command::new(BIN);
    command
        .env_remove("SCHOOLHOUSE_CONFIG")
        // Cheap hashing keeps the test fast; the demo passwords work the same.
        .env("SCHOOLHOUSE_AUTH__ARGON2__MEMORY_KIB", "64")
        .env("SCHOOLHOUSE_AUTH__ARGON2__ITERATIONS", "1")
        .env("SCHOOLHOUSE_LOG", "warn")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("demo");
    if reset {
        command.arg("--reset");
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn loaded(data_dir: &Path) -> String {
    let out = demo(data_dir, false);
    assert!(out.status.success(), "demo failed: {}", text(&out.stderr));
    text(&out.stdout)
}

async fn serve(data_dir: &Path) -> TestApp {
    let dir = data_dir.to_path_buf();
    spawn_app_with(move |config| config.data_dir = dir).await
}

fn names(list: &Value, field: &str) -> BTreeSet<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_demo_school_is_alive_for_a_newcomer() {
    let dir = tempfile::tempdir().unwrap();
    let summary = loaded(dir.path());
    assert!(summary.contains(STUDENT), "{summary}");
    assert!(summary.contains(STUDENT_PASSWORD), "{summary}");
    assert!(summary.contains("admin@demo.example.com"), "{summary}");
    assert!(summary.contains("http://"), "{summary}");

    let app = serve(dir.path()).await;
    let sam = app.login(STUDENT, STUDENT_PASSWORD).await;

    let (status, courses) = app.get("/api/courses?per_page=100", None).await;
    assert_eq!(status, StatusCode::OK);
    let titles = names(&courses, "title");
    assert!(titles.contains("Vegetable Gardening Basics"), "{titles:?}");
    assert!(titles.contains("Sourdough at Home"), "{titles:?}");
    assert!(
        !titles.iter().any(|t| t.starts_with("Croissants")),
        "a draft course is in the public catalogue: {titles:?}"
    );
    let garden = courses["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Vegetable Gardening Basics")
        .unwrap()
        .clone();
    assert_eq!(garden["rating_count"], 2, "{garden}");

    let (status, products) = app.get("/api/products?per_page=100", None).await;
    assert_eq!(status, StatusCode::OK);
    let kinds = names(&products, "kind");
    assert_eq!(
        kinds,
        BTreeSet::from(["digital".to_string(), "physical".to_string()])
    );

    let (status, mine) = app.get("/api/users/me/courses", Some(&sam.token)).await;
    assert_eq!(status, StatusCode::OK);
    let finished = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["course_id"] == garden["id"])
        .unwrap_or_else(|| panic!("Sam is not enrolled in the garden course: {mine}"));
    assert_eq!(finished["status"], "completed", "{finished}");
    assert_eq!(finished["percent"], 100);
    let serial = finished["certificate_serial"].as_str().unwrap();
    let (status, check) = app.get(&format!("/api/certificates/{serial}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(check["valid"], true);
    assert_eq!(check["learner_name"], "Sam Student");
    assert_eq!(check["course_title"], "Vegetable Gardening Basics");

    let admin = app
        .login("admin@demo.example.com", "demo-admin-password")
        .await;
    let (status, orders) = app
        .get("/api/orders?per_page=100", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    let statuses = names(&orders, "status");
    for expected in [
        "pending",
        "paid",
        "shipped",
        "delivered",
        "fulfilled",
        "cancelled",
    ] {
        assert!(
            statuses.contains(expected),
            "no {expected} order: {statuses:?}"
        );
    }
    let (_, sams) = app.get("/api/orders", Some(&sam.token)).await;
    assert_eq!(sams["total"], 2, "Sam's own orders: {sams}");
}

#[tokio::test]
async fn the_demo_video_lesson_plays_from_the_bundled_clip() {
    let dir = tempfile::tempdir().unwrap();
    loaded(dir.path());
    let app = serve(dir.path()).await;
    let sam = app.login(STUDENT, STUDENT_PASSWORD).await;
    let (_, courses) = app.get("/api/courses?per_page=100", None).await;
    let course_id = courses["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Vegetable Gardening Basics")
        .and_then(|c| c["id"].as_str())
        .unwrap()
        .to_string();
    let (status, outline) = app
        .get(
            &format!("/api/courses/{course_id}/lessons"),
            Some(&sam.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outline}");
    let video = outline["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["lessons"].as_array().unwrap())
        .find(|l| l["content_type"] == "video")
        .unwrap()
        .clone();
    let (status, lesson) = app
        .get(
            &format!(
                "/api/courses/{course_id}/lessons/{}",
                video["id"].as_str().unwrap()
            ),
            Some(&sam.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{lesson}");
    let media_url = lesson["content"]["media_url"].as_str().unwrap();
    let response = app.client.get(app.url(media_url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "video/webm");
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]),
        "not a WebM file"
    );
}

#[tokio::test]
async fn the_demo_refuses_a_data_dir_with_accounts_until_reset() {
    let dir = tempfile::tempdir().unwrap();
    loaded(dir.path());

    let again = demo(dir.path(), false);
    assert!(!again.status.success());
    let message = text(&again.stderr);
    assert!(message.contains("already has 8 account(s)"), "{message}");
    assert!(message.contains("--reset"), "{message}");

    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("keep-me.zip"), b"an old backup").unwrap();
    let reset = demo(dir.path(), true);
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    assert!(
        backups.join("keep-me.zip").exists(),
        "--reset deleted a backup"
    );

    let app = serve(dir.path()).await;
    let admin = app
        .login("admin@demo.example.com", "demo-admin-password")
        .await;
    let (status, users) = app.get("/api/admin/users", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{users}");
    assert_eq!(
        users["total"], 8,
        "--reset should leave exactly the demo accounts"
    );
}

#[tokio::test]
async fn reset_refuses_while_a_server_runs_or_when_the_dir_holds_other_files() {
    let app = crate::support::spawn_app().await;
    let out = demo(app.dir.path(), true);
    assert!(!out.status.success());
    let message = text(&out.stderr);
    assert!(message.contains("stop the server"), "{message}");
    let (status, _) = app.get("/api/courses", None).await;
    assert_eq!(status, StatusCode::OK, "the running server was disturbed");
    app.stop().await;

    let stranger = tempfile::tempdir().unwrap();
    std::fs::write(stranger.path().join("thesis.docx"), b"years of work").unwrap();
    let out = demo(stranger.path(), true);
    assert!(!out.status.success());
    let message = text(&out.stderr);
    assert!(message.contains("thesis.docx"), "{message}");
    assert!(stranger.path().join("thesis.docx").exists());
}
