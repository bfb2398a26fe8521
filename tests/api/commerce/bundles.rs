//! Bundles end to end: made by staff, listed and searched, bought by card through the Stripe
//! emulator (enrolled in each course) and refunded (each course revoked), with the progress
//! rule read as the maximum or the average of the bundle's courses.

use reqwest::StatusCode;
use schoolhouse::config::Config;
use schoolhouse::payments::config::BundleProgress;
use serde_json::{Value, json};

use crate::payments::{
    card_shop, course, enrollment, order_status, pay_at_the_office, wait_for_order,
};
use crate::support::{TestApp, TestUser, spawn_app, spawn_app_with};

/// `owner` makes a published bundle of `courses` at `price_cents`, asserting 201.
pub(crate) async fn bundle(
    app: &TestApp,
    owner: &TestUser,
    courses: &[&str],
    price_cents: i64,
) -> Value {
    let (status, body) = app
        .post(
            "/api/bundles",
            json!({"name": "Rust path", "price_cents": price_cents, "course_ids": courses,
                   "status": "published", "description": "every Rust course"}),
            Some(&owner.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// The buyer's pending order for one bundle.
pub(crate) async fn bundle_order(app: &TestApp, buyer: &TestUser, bundle_id: &str) -> Value {
    let (status, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "bundle", "item_id": bundle_id}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, order) = app.post("/api/orders", json!({}), Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    order
}

/// A bundle of `n` courses bought by a student and paid at the office.
pub(crate) struct Bought {
    pub admin: TestUser,
    pub buyer: TestUser,
    pub courses: Vec<String>,
    pub bundle_id: String,
    pub order_id: String,
}

pub(crate) async fn bought(app: &TestApp, n: usize, price_cents: i64) -> Bought {
    let (admin, buyer) = (app.admin().await, app.student().await);
    let mut courses = Vec::new();
    for _ in 0..n {
        courses.push(course(app, &admin, 3000).await);
    }
    let refs: Vec<&str> = courses.iter().map(String::as_str).collect();
    let bundle_id = bundle(app, &admin, &refs, price_cents).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let order = bundle_order(app, &buyer, &bundle_id).await;
    let order_id = order["id"].as_str().unwrap().to_string();
    pay_at_the_office(app, &admin, &buyer, &order_id).await;
    Bought {
        admin,
        buyer,
        courses,
        bundle_id,
        order_id,
    }
}

/// Every course's enrolment status for `user`, in order.
pub(crate) async fn enrolments(app: &TestApp, user: &TestUser, courses: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for c in courses {
        out.push(
            enrollment(app, user, c)
                .await
                .unwrap_or_else(|| "none".into()),
        );
    }
    out
}

/// Gives the course `total` required lessons and marks `done` of them complete for `user`.
pub(crate) async fn progress(
    app: &TestApp,
    user: &TestUser,
    course_id: &str,
    done: usize,
    total: usize,
) {
    let (uid, cid, now) = (user.id.clone(), course_id.to_string(), app.state.now_text());
    app.state
        .db
        .write(move |conn| {
            let section = uuid::Uuid::now_v7().to_string();
            conn.execute(
                "INSERT INTO sections (id, course_id, title, position, created_at, updated_at) VALUES (?1, ?2, 'Basics', 1, ?3, ?3)",
                rusqlite::params![section, cid, now],
            )?;
            let enrollment: String = conn.query_row(
                "SELECT id FROM enrollments WHERE user_id = ?1 AND course_id = ?2",
                rusqlite::params![uid, cid],
                |r| r.get(0),
            )?;
            for n in 0..total {
                let lesson = uuid::Uuid::now_v7().to_string();
                conn.execute(
                    "INSERT INTO lessons (id, course_id, section_id, title, content_type, position, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, 'Lesson', 'reading', ?4, ?5, ?5)",
                    rusqlite::params![lesson, cid, section, n as i64, now],
                )?;
                if n < done {
                    conn.execute(
                        "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                        rusqlite::params![enrollment, lesson, now],
                    )?;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn bundle_bought_by_card_enrols_in_each_course_and_its_refund_revokes_them() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let rust = course(app, &shop.admin, 4900).await;
    let sql = course(app, &shop.admin, 2900).await;
    let made = bundle(app, &shop.admin, &[&rust, &sql], 5900).await;
    assert_eq!(made["courses_value_cents"], 7800);
    assert_eq!(made["savings_cents"], 1900);
    let order = bundle_order(app, buyer, made["id"].as_str().unwrap()).await;
    let order_id = order["id"].as_str().unwrap();
    assert_eq!(order["total_cents"], 5900);
    assert_eq!(order["items"][0]["item_type"], "bundle");
    assert_eq!(order["items"][0]["item_kind"], "bundle");

    let card = shop.pay(order_id, "pm_card_visa").await;
    assert_eq!(card.paid, StatusCode::OK);
    wait_for_order(app, buyer, order_id, "fulfilled").await;
    let both = [rust.clone(), sql.clone()];
    assert_eq!(enrolments(app, buyer, &both).await, ["active", "active"]);
    let (_, mine) = app.get("/api/users/me/courses", Some(&buyer.token)).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(2), "{mine}");

    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "changed my mind"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "processed", "{refund}");
    assert_eq!(refund["amount_cents"], 5900);
    assert!(
        refund["gateway_refund_id"]
            .as_str()
            .unwrap()
            .starts_with("re_")
    );
    assert_eq!(enrolments(app, buyer, &both).await, ["revoked", "revoked"]);
    assert_eq!(order_status(app, buyer, order_id).await, "refunded");
}

#[tokio::test]
async fn bundles_are_listed_searched_and_shown_but_drafts_only_to_staff() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let a = course(&app, &admin, 1000).await;
    let b = course(&app, &admin, 2000).await;
    let published = bundle(&app, &admin, &[&a, &b], 2500).await;
    let (status, draft) = app
        .post(
            "/api/bundles",
            json!({"name": "Secret pack", "price_cents": 100, "course_ids": [a]}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["status"], "draft");

    let (status, list) = app.get("/api/bundles", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["courses"].as_array().unwrap().len(), 2);
    let (_, staff) = app.get("/api/bundles", Some(&admin.token)).await;
    assert_eq!(staff["total"], 2);
    let (_, found) = app.get("/api/bundles?q=rust%20path", None).await;
    assert_eq!(found["total"], 1);
    let (_, none) = app.get("/api/bundles?q=secret", None).await;
    assert_eq!(none["total"], 0);
    let (_, by_course) = app.get(&format!("/api/bundles?course_id={b}"), None).await;
    assert_eq!(by_course["total"], 1);

    let slug = published["slug"].as_str().unwrap();
    assert_eq!(slug, "rust-path");
    let (status, shown) = app.get(&format!("/api/bundles/{slug}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["id"], published["id"]);
    let draft_path = format!("/api/bundles/{}", draft["id"].as_str().unwrap());
    assert_eq!(app.get(&draft_path, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&draft_path, Some(&admin.token)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_bundle_sits_in_the_cart_once_as_a_bundle_line() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let a = course(&app, &admin, 1000).await;
    let made = bundle(&app, &admin, &[&a], 800).await;
    let id = made["id"].as_str().unwrap();
    let (status, problem) = app
        .post(
            "/api/cart",
            json!({"item_type": "bundle", "item_id": id, "quantity": 2}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _) = app
        .post(
            "/api/cart",
            json!({"item_type": "bundle", "item_id": id}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, cart) = app.get("/api/cart", Some(&buyer.token)).await;
    let line = &cart["items"][0];
    assert_eq!(
        (line["kind"].as_str(), line["unit_price_cents"].as_i64()),
        (Some("bundle"), Some(800)),
        "{cart}"
    );
    assert_eq!(line["available"], true);
}

#[tokio::test]
async fn a_free_bundle_enrols_at_checkout() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let a = course(&app, &admin, 1000).await;
    let b = course(&app, &admin, 1000).await;
    let made = bundle(&app, &admin, &[&a, &b], 0).await;
    let order = bundle_order(&app, &buyer, made["id"].as_str().unwrap()).await;
    assert_eq!(order["status"], "fulfilled", "{order}");
    assert_eq!(
        enrolments(&app, &buyer, &[a, b]).await,
        ["active", "active"]
    );
}

#[tokio::test]
async fn bundle_paid_at_the_office_enrols_in_each_course() {
    let app = spawn_app().await;
    let b = bought(&app, 3, 5000).await;
    assert_eq!(
        enrolments(&app, &b.buyer, &b.courses).await,
        ["active", "active", "active"]
    );
    assert_eq!(order_status(&app, &b.buyer, &b.order_id).await, "fulfilled");
}

/// A bundle of four courses, one of them finished (100 %), the others untouched: the maximum
/// is 100 %, the average 25 % (limit 30 %).
async fn one_course_finished(app: &TestApp) -> (Bought, Value) {
    let b = bought(app, 4, 8000).await;
    progress(app, &b.buyer, &b.courses[0], 2, 2).await;
    for c in &b.courses[1..] {
        progress(app, &b.buyer, c, 0, 2).await;
    }
    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": b.order_id, "reason": "too much"}),
            Some(&b.buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    (b, refund)
}

#[tokio::test]
async fn under_the_maximum_rule_one_finished_course_refuses_the_bundle_refund() {
    let app = spawn_app().await;
    let (b, refund) = one_course_finished(&app).await;
    assert_eq!(refund["status"], "rejected", "{refund}");
    let reasons = refund["eligibility"]["reasons"].as_array().unwrap();
    let reason = reasons
        .iter()
        .find(|r| r["code"] == "bundle_progress_too_high")
        .unwrap_or_else(|| panic!("{refund}"));
    assert_eq!(
        (reason["progress_percent"].as_i64(), reason["rule"].as_str()),
        (Some(100), Some("maximum"))
    );
    assert_eq!(
        enrolments(&app, &b.buyer, &b.courses).await,
        ["active", "active", "active", "active"]
    );
}

fn average(config: &mut Config) {
    config.refunds.bundle_progress = BundleProgress::Average;
}

#[tokio::test]
async fn under_the_average_rule_one_finished_course_of_four_is_refunded_and_revoked() {
    let app = spawn_app_with(average).await;
    let (b, refund) = one_course_finished(&app).await;
    // Eligible; a manual payment's money goes back when staff approve.
    assert_eq!(refund["status"], "requested", "{refund}");
    let path = format!(
        "/api/admin/refunds/{}/approve",
        refund["id"].as_str().unwrap()
    );
    let (status, done) = app.post(&path, json!({}), Some(&b.admin.token)).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("processed")),
        "{done}"
    );
    assert_eq!(
        enrolments(&app, &b.buyer, &b.courses).await,
        ["revoked", "revoked", "revoked", "revoked"]
    );
    assert_eq!(order_status(&app, &b.buyer, &b.order_id).await, "refunded");
}

#[tokio::test]
async fn under_the_average_rule_an_average_just_past_the_limit_is_refused() {
    let app = spawn_app_with(average).await;
    let b = bought(&app, 4, 8000).await;
    // 25 %, 100 %, 0 %, 0 %: 31.25 %, rounded up to 32 %, past the 30 % limit.
    progress(&app, &b.buyer, &b.courses[0], 1, 4).await;
    progress(&app, &b.buyer, &b.courses[1], 4, 4).await;
    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": b.order_id, "reason": "x"}),
            Some(&b.buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "rejected", "{refund}");
    let reason = &refund["eligibility"]["reasons"][0];
    assert_eq!(
        (reason["progress_percent"].as_i64(), reason["rule"].as_str()),
        (Some(32), Some("average")),
        "{refund}"
    );
    assert_eq!(
        enrolments(&app, &b.buyer, &b.courses).await,
        ["active", "active", "active", "active"]
    );
}

#[tokio::test]
async fn bundle_sales_show_in_top_bundles_and_the_orders_export() {
    let app = spawn_app().await;
    let b = bought(&app, 2, 4200).await;
    let (status, top) = app
        .get("/api/admin/analytics/top-bundles", Some(&b.admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{top}");
    assert_eq!(top["items"][0]["bundle_id"], b.bundle_id.as_str());
    assert_eq!(
        (
            top["items"][0]["units"].as_i64(),
            top["items"][0]["revenue_cents"].as_i64()
        ),
        (Some(1), Some(4200))
    );
    let response = app
        .client
        .get(app.url("/api/admin/orders/export"))
        .bearer_auth(&b.admin.token)
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    assert!(text.lines().next().unwrap().ends_with(",lines"), "{text}");
    assert!(text.contains("bundle:Rust path x1"), "{text}");
}
