//! Bundles tried as an attacker would (issue 28): each row names the abuse, checks the
//! answer, and checks that nothing changed (no bundle written, no cart line, no refund row,
//! no money back, no enrolment granted or taken).

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::commerce::bundles::{Bought, bought, bundle, bundle_order, enrolments};
use crate::payments::{course, order_for, pay_at_the_office};
use crate::support::{TestApp, TestUser, spawn_app};
use schoolhouse::users::Role;

/// Who sends a row's request.
#[derive(Clone, Copy)]
enum Who {
    Admin,
    Me,
    OtherInstructor,
    Student,
    Nobody,
}

struct Row {
    sentence: &'static str,
    who: Who,
    method: Method,
    path: String,
    body: Value,
    status: StatusCode,
}

/// Bundles, their courses and the first bundle's fields, as one comparable value.
async fn catalogue(app: &TestApp) -> (i64, i64, String) {
    app.state
        .db
        .read(|conn| {
            Ok((
                conn.query_row("SELECT count(*) FROM bundles", [], |r| r.get(0))?,
                conn.query_row("SELECT count(*) FROM bundle_courses", [], |r| r.get(0))?,
                conn.query_row(
                    "SELECT name || '|' || price_cents || '|' || status || '|' || owner_id
                     FROM bundles ORDER BY created_at LIMIT 1",
                    [],
                    |r| r.get(0),
                )?,
            ))
        })
        .await
        .unwrap()
}

async fn set_course_status(app: &TestApp, course_id: &str, status: &str) {
    let (id, status) = (course_id.to_string(), status.to_string());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "UPDATE courses SET status = ?2 WHERE id = ?1",
                rusqlite::params![id, status],
            )?;
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn bundle_writes_that_overreach_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me = app.user(Role::Instructor, "me@example.com").await;
    let other = app.user(Role::Instructor, "other@example.com").await;
    let student = app.student().await;
    let mine = course(&app, &me, 1000).await;
    let my_draft = course(&app, &me, 1000).await;
    set_course_status(&app, &my_draft, "draft").await;
    let archived = course(&app, &me, 1000).await;
    set_course_status(&app, &archived, "archived").await;
    let theirs = course(&app, &other, 1000).await;
    let made = bundle(&app, &me, &[&mine], 900).await;
    let one = format!("/api/bundles/{}", made["id"].as_str().unwrap());
    let new = |ids: Vec<&str>, price: i64| json!({"name": "Pack", "price_cents": price, "course_ids": ids, "status": "published"});
    let post = |sentence, who, body, status| Row {
        sentence,
        who,
        method: Method::POST,
        path: "/api/bundles".into(),
        body,
        status,
    };
    let rows = vec![
        post(
            "a bundle naming an unpublished course is refused",
            Who::Me,
            new(vec![&mine, &my_draft], 900),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        post(
            "a bundle naming a deleted course is refused",
            Who::Admin,
            new(vec![&mine, "0190f0f0-dead-7000-8000-000000000000"], 900),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        post(
            "a bundle naming an archived course is refused",
            Who::Admin,
            new(vec![&archived], 900),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        post(
            "an instructor may not bundle someone else's course",
            Who::Me,
            new(vec![&mine, &theirs], 900),
            StatusCode::FORBIDDEN,
        ),
        post(
            "a bundle's price may not be negative",
            Who::Admin,
            new(vec![&mine], -1),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        post(
            "a bundle's price may not pass the ceiling",
            Who::Admin,
            new(vec![&mine], 1_000_000_001),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        post(
            "a course named twice does not count twice",
            Who::Admin,
            new(vec![&mine, &mine], 900),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        post(
            "a bundle of no courses sells nothing",
            Who::Admin,
            new(vec![], 900),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        post(
            "a student may not make a bundle",
            Who::Student,
            new(vec![&mine], 900),
            StatusCode::FORBIDDEN,
        ),
        post(
            "no one signed out may make a bundle",
            Who::Nobody,
            new(vec![&mine], 900),
            StatusCode::UNAUTHORIZED,
        ),
        Row {
            sentence: "an instructor may not slip someone else's course into their bundle",
            who: Who::Me,
            method: Method::PUT,
            path: one.clone(),
            body: json!({"course_ids": [mine, theirs]}),
            status: StatusCode::FORBIDDEN,
        },
        Row {
            sentence: "an update may not make the price negative",
            who: Who::Me,
            method: Method::PUT,
            path: one.clone(),
            body: json!({"price_cents": -5}),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Row {
            sentence: "an update may not point the bundle at an unpublished course",
            who: Who::Me,
            method: Method::PUT,
            path: one.clone(),
            body: json!({"course_ids": [my_draft]}),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Row {
            sentence: "another instructor may not edit my bundle",
            who: Who::OtherInstructor,
            method: Method::PUT,
            path: one.clone(),
            body: json!({"price_cents": 1}),
            status: StatusCode::NOT_FOUND,
        },
        Row {
            sentence: "another instructor may not delete my bundle",
            who: Who::OtherInstructor,
            method: Method::DELETE,
            path: one.clone(),
            body: Value::Null,
            status: StatusCode::NOT_FOUND,
        },
        Row {
            sentence: "a student may not delete a bundle",
            who: Who::Student,
            method: Method::DELETE,
            path: one.clone(),
            body: Value::Null,
            status: StatusCode::FORBIDDEN,
        },
    ];
    let before = catalogue(&app).await;
    assert_eq!((before.0, before.1), (1, 1));
    for row in rows {
        let token = match row.who {
            Who::Admin => Some(admin.token.as_str()),
            Who::Me => Some(me.token.as_str()),
            Who::OtherInstructor => Some(other.token.as_str()),
            Who::Student => Some(student.token.as_str()),
            Who::Nobody => None,
        };
        let body = (!row.body.is_null()).then_some(row.body.clone());
        let (status, answer) = app.call(row.method.clone(), &row.path, body, token).await;
        assert_eq!(status, row.status, "{}: {answer}", row.sentence);
        assert_eq!(
            catalogue(&app).await,
            before,
            "{}: something changed",
            row.sentence
        );
    }
}

/// What a buyer holds: cart lines, orders, enrolments.
async fn holdings(app: &TestApp, user: &TestUser) -> (i64, i64, i64) {
    let uid = user.id.clone();
    app.state
        .db
        .read(move |conn| {
            let count =
                |sql: &str| -> rusqlite::Result<i64> { conn.query_row(sql, [&uid], |r| r.get(0)) };
            Ok((
                count("SELECT count(*) FROM cart_items WHERE user_id = ?1")?,
                count("SELECT count(*) FROM orders WHERE user_id = ?1")?,
                count(
                    "SELECT count(*) FROM enrollments WHERE user_id = ?1 AND status <> 'revoked'",
                )?,
            ))
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn bundles_that_cannot_sell_stay_out_of_the_cart() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let a = course(&app, &admin, 1000).await;
    let b = course(&app, &admin, 1000).await;
    let held = course(&app, &admin, 1000).await;
    let withdrawn = bundle(&app, &admin, &[&a, &b], 1500).await;
    set_course_status(&app, &b, "draft").await;
    let (status, draft) = app
        .post(
            "/api/bundles",
            json!({"name": "Draft", "price_cents": 1, "course_ids": [a]}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let owned = bundle(&app, &admin, &[&held], 500).await;
    crate::commerce::enroll(&app, &buyer.id, &held).await;
    let archived = bundle(&app, &admin, &[&a], 500).await;
    let path = format!("/api/bundles/{}", archived["id"].as_str().unwrap());
    assert_eq!(
        app.put(&path, json!({"status": "archived"}), Some(&admin.token))
            .await
            .0,
        StatusCode::OK
    );
    let fine = bundle(&app, &admin, &[&a], 500).await;
    let line = |bundle: &Value, quantity: i64| json!({"item_type": "bundle", "item_id": bundle["id"], "quantity": quantity});
    let rows = [
        (
            "a bundle whose course was unpublished since is not for sale",
            line(&withdrawn, 1),
            StatusCode::CONFLICT,
        ),
        (
            "a draft bundle is not for sale",
            line(&draft, 1),
            StatusCode::CONFLICT,
        ),
        (
            "an archived bundle is not for sale",
            line(&archived, 1),
            StatusCode::CONFLICT,
        ),
        (
            "a bundle of courses the buyer all holds sells nothing",
            line(&owned, 1),
            StatusCode::CONFLICT,
        ),
        (
            "a bundle is bought once, not by the dozen",
            line(&fine, 12),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "a bundle that does not exist is not found",
            json!({"item_type": "bundle", "item_id": "nope"}),
            StatusCode::NOT_FOUND,
        ),
    ];
    let before = holdings(&app, &buyer).await;
    for (sentence, body, expected) in rows {
        let (status, answer) = app.post("/api/cart", body, Some(&buyer.token)).await;
        assert_eq!(status, expected, "{sentence}: {answer}");
        assert_eq!(
            holdings(&app, &buyer).await,
            before,
            "{sentence}: something changed"
        );
    }
    // A bundle put in the cart while it sold cannot be checked out once a course is withdrawn.
    let (status, _) = app
        .post("/api/cart", line(&fine, 1), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    set_course_status(&app, &a, "draft").await;
    let (status, answer) = app.post("/api/orders", json!({}), Some(&buyer.token)).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a bundle withdrawn after it was put in the cart is not sold: {answer}"
    );
    let (_, orders, enrolled) = holdings(&app, &buyer).await;
    assert_eq!((orders, enrolled), (0, 1));
}

/// Refund rows, money back on the payment, order status, and the bundle's courses' enrolments.
async fn ledger(app: &TestApp, b: &Bought) -> (i64, i64, String, Vec<String>) {
    let order = b.order_id.clone();
    let (rows, refunded, status) = app
        .state
        .db
        .read(move |conn| {
            Ok((
                conn.query_row(
                    "SELECT count(*) FROM refunds WHERE order_id = ?1",
                    [&order],
                    |r| r.get(0),
                )?,
                conn.query_row(
                    "SELECT coalesce(sum(refunded_cents), 0) FROM payments WHERE order_id = ?1",
                    [&order],
                    |r| r.get(0),
                )?,
                conn.query_row("SELECT status FROM orders WHERE id = ?1", [&order], |r| {
                    r.get(0)
                })?,
            ))
        })
        .await
        .unwrap();
    (
        rows,
        refunded,
        status,
        enrolments(app, &b.buyer, &b.courses).await,
    )
}

async fn refund(
    app: &TestApp,
    who: &TestUser,
    order_id: &str,
    extra: Value,
) -> (StatusCode, Value) {
    let mut body = json!({"order_id": order_id, "reason": "not for me"});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    app.post("/api/refunds", body, Some(&who.token)).await
}

/// The buyer asks for the whole order back and staff return the money (a manual payment's
/// refund waits for them): the refund as processed.
async fn refunded(app: &TestApp, admin: &TestUser, buyer: &TestUser, order_id: &str) -> Value {
    let (status, asked) = refund(app, buyer, order_id, json!({})).await;
    assert_eq!(
        (status, asked["status"].as_str()),
        (StatusCode::CREATED, Some("requested")),
        "{asked}"
    );
    let path = format!(
        "/api/admin/refunds/{}/approve",
        asked["id"].as_str().unwrap()
    );
    let (status, done) = app.post(&path, json!({}), Some(&admin.token)).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("processed")),
        "{done}"
    );
    done
}

#[tokio::test]
async fn a_bundle_is_refunded_whole_and_only_once() {
    let app = spawn_app().await;
    let b = bought(&app, 2, 5000).await;
    let item = {
        let (_, order) = app
            .get(&format!("/api/orders/{}", b.order_id), Some(&b.buyer.token))
            .await;
        order["items"][0]["id"].as_str().unwrap().to_string()
    };
    let before = ledger(&app, &b).await;
    assert_eq!(
        before,
        (
            0,
            0,
            "fulfilled".into(),
            vec!["active".into(), "active".into()]
        )
    );
    let rows = [
        (
            "part of a bundle's money may not be asked back",
            json!({"amount_cents": 2500}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "one cent less than the bundle is still part of it",
            json!({"item_ids": [item], "amount_cents": 4999}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "more than the bundle paid is refused",
            json!({"item_ids": [item], "amount_cents": 5001}),
            StatusCode::CONFLICT,
        ),
    ];
    for (sentence, extra, expected) in rows {
        let (status, answer) = refund(&app, &b.buyer, &b.order_id, extra).await;
        assert_eq!(status, expected, "{sentence}: {answer}");
        assert_eq!(
            ledger(&app, &b).await,
            before,
            "{sentence}: something changed"
        );
    }
    refunded(&app, &b.admin, &b.buyer, &b.order_id).await;
    let after = ledger(&app, &b).await;
    assert_eq!(
        after,
        (
            1,
            5000,
            "refunded".into(),
            vec!["revoked".into(), "revoked".into()]
        )
    );
    let (status, answer) = refund(&app, &b.buyer, &b.order_id, json!({})).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a bundle refunded once is not refunded twice: {answer}"
    );
    assert_eq!(ledger(&app, &b).await, after);
}

#[tokio::test]
async fn twenty_refunds_of_one_bundle_racing_pay_back_once() {
    let app = spawn_app().await;
    let b = bought(&app, 3, 6000).await;
    let calls = (0..20).map(|_| {
        let request = app
            .client
            .post(app.url("/api/refunds"))
            .bearer_auth(&b.buyer.token)
            .json(&json!({"order_id": b.order_id, "reason": "race"}));
        async move { request.send().await.unwrap().status() }
    });
    let statuses = join_all(calls).await;
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, refused), (1, 19), "{statuses:?}");
    assert_eq!(
        ledger(&app, &b).await,
        (1, 0, "fulfilled".into(), vec!["active".into(); 3])
    );
    // Staff approving it 20 times at once return the money once.
    let (_, refunds) = app
        .get(
            &format!("/api/admin/refunds?order_id={}", b.order_id),
            Some(&b.admin.token),
        )
        .await;
    let id = refunds["items"][0]["id"].as_str().unwrap().to_string();
    let approvals = (0..20).map(|_| {
        let request = app
            .client
            .post(app.url(&format!("/api/admin/refunds/{id}/approve")))
            .bearer_auth(&b.admin.token)
            .json(&json!({}));
        async move { request.send().await.unwrap().status() }
    });
    let statuses = join_all(approvals).await;
    let approved = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((approved, refused), (1, 19), "{statuses:?}");
    assert_eq!(
        ledger(&app, &b).await,
        (1, 6000, "refunded".into(), vec!["revoked".into(); 3])
    );
}

#[tokio::test]
async fn a_course_bought_separately_stays_when_the_bundle_is_refunded() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let alone = course(&app, &admin, 3000).await;
    let other = course(&app, &admin, 3000).await;
    let single = order_for(&app, &buyer, &alone).await;
    pay_at_the_office(&app, &admin, &buyer, single["id"].as_str().unwrap()).await;
    let made = bundle(&app, &admin, &[&alone, &other], 4000).await;
    let order = bundle_order(&app, &buyer, made["id"].as_str().unwrap()).await;
    let order_id = order["id"].as_str().unwrap();
    pay_at_the_office(&app, &admin, &buyer, order_id).await;
    refunded(&app, &admin, &buyer, order_id).await;
    assert_eq!(
        enrolments(&app, &buyer, &[alone, other]).await,
        ["active", "revoked"]
    );
}

#[tokio::test]
async fn a_course_a_later_bundle_holds_stays_when_the_course_is_refunded() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let first = course(&app, &admin, 3000).await;
    let second = course(&app, &admin, 3000).await;
    let single = order_for(&app, &buyer, &first).await;
    let single_id = single["id"].as_str().unwrap();
    pay_at_the_office(&app, &admin, &buyer, single_id).await;
    let made = bundle(&app, &admin, &[&first, &second], 4000).await;
    let order = bundle_order(&app, &buyer, made["id"].as_str().unwrap()).await;
    let bundle_id = order["id"].as_str().unwrap();
    pay_at_the_office(&app, &admin, &buyer, bundle_id).await;
    let both = [first.clone(), second.clone()];

    refunded(&app, &admin, &buyer, single_id).await;
    assert_eq!(enrolments(&app, &buyer, &both).await, ["active", "active"]);
    // Once the bundle goes too, nothing holds either course.
    refunded(&app, &admin, &buyer, bundle_id).await;
    assert_eq!(
        enrolments(&app, &buyer, &both).await,
        ["revoked", "revoked"]
    );
}

#[tokio::test]
async fn a_course_staff_gave_stays_when_the_bundle_is_refunded() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let given = course(&app, &admin, 3000).await;
    let bought_one = course(&app, &admin, 3000).await;
    crate::commerce::enroll(&app, &buyer.id, &given).await;
    let made = bundle(&app, &admin, &[&given, &bought_one], 4000).await;
    let order = bundle_order(&app, &buyer, made["id"].as_str().unwrap()).await;
    let order_id = order["id"].as_str().unwrap();
    pay_at_the_office(&app, &admin, &buyer, order_id).await;
    refunded(&app, &admin, &buyer, order_id).await;
    assert_eq!(
        enrolments(&app, &buyer, &[given, bought_one]).await,
        ["active", "revoked"]
    );
}

#[tokio::test]
async fn a_bundle_changed_after_checkout_grants_and_takes_back_what_it_held_when_bought() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let kept = course(&app, &admin, 3000).await;
    let dropped = course(&app, &admin, 3000).await;
    let added = course(&app, &admin, 3000).await;
    let made = bundle(&app, &admin, &[&kept, &dropped], 4000).await;
    let order = bundle_order(&app, &buyer, made["id"].as_str().unwrap()).await;
    let order_id = order["id"].as_str().unwrap();
    let path = format!("/api/bundles/{}", made["id"].as_str().unwrap());
    let (status, _) = app
        .put(
            &path,
            json!({"course_ids": [kept, added]}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    pay_at_the_office(&app, &admin, &buyer, order_id).await;
    let all = [kept.clone(), dropped.clone(), added.clone()];
    assert_eq!(
        enrolments(&app, &buyer, &all).await,
        ["active", "active", "none"]
    );
    refunded(&app, &admin, &buyer, order_id).await;
    assert_eq!(
        enrolments(&app, &buyer, &all).await,
        ["revoked", "revoked", "none"]
    );
    // An ordered bundle is archived, not deleted, so its orders stay readable.
    let (status, archived) = app.delete(&path, Some(&admin.token)).await;
    assert_eq!(
        (status, archived["status"].as_str()),
        (StatusCode::OK, Some("archived"))
    );
}
