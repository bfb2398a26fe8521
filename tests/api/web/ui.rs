//! The embedded UI: files, client-side route fallback, caching, and API paths kept apart.

use reqwest::StatusCode;

use crate::support::{assert_problem, spawn_app};

#[tokio::test]
async fn client_side_routes_fall_back_to_the_right_index() {
    let app = spawn_app().await;
    let store = app
        .client
        .get(app.url("/courses/some-course"))
        .send()
        .await
        .unwrap();
    assert_eq!(store.status(), StatusCode::OK);
    assert!(
        store.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let store_html = store.text().await.unwrap();
    let admin = app
        .client
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), StatusCode::OK);
    let admin_html = admin.text().await.unwrap();
    assert_ne!(
        store_html, admin_html,
        "the admin area has its own index.html"
    );
}

#[tokio::test]
async fn missing_files_and_unknown_api_paths_are_404_problems() {
    let app = spawn_app().await;
    let (status, body) = app.get("/js/does-not-exist.js", None).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = app.get("/api/courses-that-do-not-exist", None).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn static_files_revalidate_with_etags() {
    let app = spawn_app().await;
    let first = app.client.get(app.url("/index.html")).send().await.unwrap();
    let etag = first.headers()["etag"].clone();
    let again = app
        .client
        .get(app.url("/index.html"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}
