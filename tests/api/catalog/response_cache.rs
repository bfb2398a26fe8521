//! The public catalogue response cache: every write that changes what a page shows is seen
//! by the next request, and what only staff may see never reaches the shared cache.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::catalog::{cast, course, names};
use crate::commerce::{add, checkout, product};
use crate::support::{TestApp, spawn_app};

async fn public(app: &TestApp, path: &str) -> (StatusCode, Value) {
    app.get(path, None).await
}

fn titles(list: &Value) -> Vec<String> {
    names(list, "title")
}

#[tokio::test]
async fn course_edits_reviews_and_enrolments_show_on_the_next_public_read() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let k = course(
        &app,
        &c.teacher.token,
        json!({"title": "Before", "price_cents": 0, "status": "published"}),
    )
    .await;
    let id = k["id"].as_str().unwrap().to_string();
    let detail = format!("/api/courses/{id}");
    let list = "/api/courses?sort=-created_at";
    // Twice each, so the second read is served from the cache.
    for _ in 0..2 {
        assert_eq!(titles(&public(&app, list).await.1), ["Before"]);
        assert_eq!(public(&app, &detail).await.1["enrollment_count"], 0);
    }

    let (status, body) = app
        .put(
            &detail,
            json!({"title": "After", "price_cents": 0, "status": "published"}),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(titles(&public(&app, list).await.1), ["After"]);
    assert_eq!(public(&app, &detail).await.1["title"], "After");

    crate::learning::enroll(&app, &id, &c.student).await;
    assert_eq!(public(&app, &detail).await.1["enrollment_count"], 1);
    let (status, body) = app
        .post(
            &format!("{detail}/reviews"),
            json!({"rating": 4}),
            Some(&c.student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let shown = public(&app, &detail).await.1;
    assert_eq!(
        (
            shown["rating_count"].clone(),
            shown["rating_average"].clone()
        ),
        (json!(1), json!(4.0))
    );

    let (status, body) = app
        .put(
            &detail,
            json!({"title": "After", "price_cents": 0, "status": "draft"}),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(public(&app, &detail).await.0, StatusCode::NOT_FOUND);
    assert!(titles(&public(&app, list).await.1).is_empty());
}

#[tokio::test]
async fn a_sale_shows_its_stock_change_on_the_public_product_page() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let id = product(&app, &c.vendor.id, "Lamp", 1_500, "physical", Some(5)).await;
    let detail = format!("/api/products/{id}");
    for _ in 0..2 {
        assert_eq!(public(&app, &detail).await.1["stock_quantity"], 5);
    }
    add(&app, &c.student.token, "product", &id, 2).await;
    checkout(&app, &c.student.token).await;
    assert_eq!(public(&app, &detail).await.1["stock_quantity"], 3);
    let (_, listed) = public(&app, "/api/products?q=lamp").await;
    assert_eq!(listed["items"][0]["stock_quantity"], 3, "{listed}");
}

#[tokio::test]
async fn drafts_seen_by_their_owner_never_reach_other_visitors() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let k = course(
        &app,
        &c.teacher.token,
        json!({"title": "Secret draft", "price_cents": 0, "status": "draft"}),
    )
    .await;
    let detail = format!("/api/courses/{}", k["id"].as_str().unwrap());
    for _ in 0..2 {
        let (status, own) = app.get(&detail, Some(&c.teacher.token)).await;
        assert_eq!(
            (status, own["title"].as_str()),
            (StatusCode::OK, Some("Secret draft"))
        );
        let (_, mine) = app.get("/api/courses", Some(&c.teacher.token)).await;
        assert_eq!(titles(&mine), ["Secret draft"]);
    }
    assert_eq!(public(&app, &detail).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&detail, Some(&c.student.token)).await.0,
        StatusCode::NOT_FOUND
    );
    assert!(titles(&public(&app, "/api/courses").await.1).is_empty());
    let (_, for_student) = app.get("/api/courses", Some(&c.student.token)).await;
    assert!(titles(&for_student).is_empty());
}
