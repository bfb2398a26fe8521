//! Coupon administration and the reasons a coupon is refused at the cart and at checkout.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{add, course, pay_manually, product};
use crate::support::{TestApp, assert_problem, spawn_app};

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, coupon) = app.post("/api/admin/coupons", body, Some(token)).await;
    assert_eq!(status, 201, "{coupon}");
    coupon
}

#[tokio::test]
async fn admins_create_read_update_and_delete_coupons() {
    let app = spawn_app().await;
    let (admin, student) = (app.admin().await, app.student().await);
    let coupon = create(
        &app,
        &admin.token,
        json!({"code": "welcome", "fixed_cents": 500}),
    )
    .await;
    assert_eq!(coupon["code"], "WELCOME");
    assert_eq!(coupon["redemptions"], 0);
    let path = format!("/api/admin/coupons/{}", coupon["id"].as_str().unwrap());

    let (status, body) = app
        .post(
            "/api/admin/coupons",
            json!({"code": "Welcome", "percent": 5}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert_eq!(body["errors"][0]["field"], "code");
    let (status, body) = app
        .post(
            "/api/admin/coupons",
            json!({"code": "BAD", "percent": 0}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "percent");
    let (status, body) = app
        .post(
            "/api/admin/coupons",
            json!({"code": "X", "percent": 5}),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);

    let (status, body) = app
        .put(
            &path,
            json!({"code": "welcome", "percent": 15, "scope": "courses", "max_redemptions": 3}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["percent"].as_u64(), body["scope"].as_str()),
        (Some(15), Some("courses"))
    );
    let (_, fetched) = app.get(&path, Some(&admin.token)).await;
    assert_eq!(fetched["max_redemptions"], 3);
    let (_, list) = app.get("/api/admin/coupons", Some(&admin.token)).await;
    assert_eq!(list["total"], 1);

    let (status, _) = app.delete(&path, Some(&admin.token)).await;
    assert_eq!(status, 204);
    let (status, body) = app.get(&path, Some(&admin.token)).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
}

fn reason(body: &Value) -> &str {
    assert_eq!(body["errors"][0]["field"], "coupon_code", "{body}");
    body["reason"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn expired_not_applicable_and_used_up_coupons_are_refused_with_the_reason() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let ebook = product(&app, &admin.id, "E-book", 2000, "digital", None).await;
    let intro = course(&app, &admin.id, "Intro", 3000, "published").await;
    let now = app.state.now();
    let soon = schoolhouse::clock::rfc3339(now + time::Duration::minutes(1));
    create(
        &app,
        &admin.token,
        json!({"code": "SHORT", "percent": 10, "expires_at": soon}),
    )
    .await;
    create(
        &app,
        &admin.token,
        json!({"code": "COURSES", "percent": 10, "scope": "courses"}),
    )
    .await;
    create(
        &app,
        &admin.token,
        json!({"code": "ONCE", "percent": 50, "max_redemptions": 1}),
    )
    .await;

    let first = app.student().await;
    add(&app, &first.token, "product", &ebook, 1).await;
    let (status, body) = app
        .get("/api/cart?coupon_code=courses", Some(&first.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reason(&body), "not_applicable");
    let (status, body) = app
        .post(
            "/api/orders",
            json!({"coupon_code": "COURSES"}),
            Some(&first.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reason(&body), "not_applicable");

    let (status, cart) = app
        .get("/api/cart?coupon_code=once", Some(&first.token))
        .await;
    assert_eq!(
        (status.as_u16(), cart["discount_cents"].as_i64()),
        (200, Some(1000))
    );
    let (status, order) = app
        .post(
            "/api/orders",
            json!({"coupon_code": "once"}),
            Some(&first.token),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["total_cents"], 1000);

    let second = app.student().await;
    add(&app, &second.token, "course", &intro, 1).await;
    let (status, body) = app
        .get("/api/cart?coupon_code=ONCE", Some(&second.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reason(&body),
        "used_up",
        "a pending order holds the coupon's only redemption"
    );
    pay_manually(&app, &first.token, &admin.token, &order).await;
    let (status, body) = app
        .get("/api/cart?coupon_code=ONCE", Some(&second.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reason(&body), "used_up");
    let (_, list) = app.get("/api/admin/coupons", Some(&admin.token)).await;
    let once = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "ONCE")
        .cloned();
    assert_eq!(once.unwrap()["redemptions"], 1);

    let (status, _) = app
        .get("/api/cart?coupon_code=short", Some(&second.token))
        .await;
    assert_eq!(status, 200);
    app.state.clock.advance(time::Duration::minutes(2));
    let (status, body) = app
        .get("/api/cart?coupon_code=short", Some(&second.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reason(&body), "expired");
}
