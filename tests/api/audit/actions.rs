//! Every audited action, performed through the API one after the other, leaves its audit
//! row (actor, action, target, ip, summary); and no API can change or delete a row.

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::payments::{
    course as seeded_course, deliver, intent_event, new_event_id, order_for, sign, stripe_payment,
    with_stripe,
};
use crate::support::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum By {
    Admin,
    Buyer,
    Nobody,
    /// A signed Stripe webhook delivery.
    Stripe,
}

/// One request and the audit rows it must leave: `(action, key of the target id, key of the
/// actor id or "" for the system)`. `{key}` in the path and body stands for a saved id; `@`
/// as a target is the id in the response, saved under `save_as`.
struct Case {
    method: Method,
    path: &'static str,
    body: Value,
    by: By,
    save_as: Option<&'static str>,
    rows: &'static [(&'static str, &'static str, &'static str)],
}

fn case(
    method: Method,
    path: &'static str,
    body: Value,
    by: By,
    save_as: Option<&'static str>,
    rows: &'static [(&'static str, &'static str, &'static str)],
) -> Case {
    Case {
        method,
        path,
        body,
        by,
        save_as,
        rows,
    }
}

fn fill(text: &str, ids: &HashMap<&'static str, String>) -> String {
    ids.iter().fold(text.to_string(), |t, (k, v)| {
        t.replace(&format!("{{{k}}}"), v)
    })
}

async fn audit_rows(app: &TestApp, token: &str, action: &str, target: &str) -> Vec<Value> {
    let (status, body) = app
        .get(
            &format!("/api/admin/audit?action={action}&target={target}&per_page=100"),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// The actions in the order they are performed; `{key}` stands for an id saved earlier.
#[rustfmt::skip]
fn cases(buyer_email: &str, declined: Value) -> Vec<Case> {
    use By::*;
    let quiz = json!([{"kind": "true_false", "prompt": "Rust is fast?", "answer": true}]);
    vec![
        case(Method::POST, "/api/auth/login", json!({"email": buyer_email, "password": "not the password"}), Nobody, None, &[("login.failed", "buyer", "buyer")]),
        case(Method::POST, "/api/auth/login", json!({"email": buyer_email, "password": PASSWORD}), Nobody, None, &[("login.succeeded", "buyer", "buyer")]),
        case(Method::PUT, "/api/admin/users/{carol}/role", json!({"role": "instructor"}), Admin, None, &[("user.role_changed", "carol", "admin")]),
        case(Method::POST, "/api/admin/users/{carol}/disable", json!({}), Admin, None, &[("user.disabled", "carol", "admin")]),
        case(Method::POST, "/api/admin/users/{carol}/enable", json!({}), Admin, None, &[("user.enabled", "carol", "admin")]),
        case(Method::POST, "/api/admin/coupons", json!({"code": "AUDIT10", "percent": 10}), Admin, Some("coupon"), &[("coupon.created", "@", "admin")]),
        case(Method::PUT, "/api/admin/coupons/{coupon}", json!({"code": "AUDIT10", "percent": 15}), Admin, None, &[("coupon.updated", "coupon", "admin")]),
        case(Method::DELETE, "/api/admin/coupons/{coupon}", Value::Null, Admin, None, &[("coupon.deleted", "coupon", "admin")]),
        case(Method::POST, "/api/categories", json!({"name": "Audited things"}), Admin, Some("category"), &[("category.created", "@", "admin")]),
        case(Method::PUT, "/api/categories/{category}", json!({"name": "Audited stuff"}), Admin, None, &[("category.updated", "category", "admin")]),
        case(Method::DELETE, "/api/categories/{category}", Value::Null, Admin, None, &[("category.deleted", "category", "admin")]),
        case(Method::POST, "/api/tags", json!({"name": "audited"}), Admin, Some("tag"), &[("tag.created", "@", "admin")]),
        case(Method::DELETE, "/api/tags/{tag}", Value::Null, Admin, None, &[("tag.deleted", "tag", "admin")]),
        case(Method::POST, "/api/products", json!({"name": "Audit guide", "kind": "digital", "price_cents": 500, "status": "published"}), Admin, Some("product"), &[("product.created", "@", "admin")]),
        case(Method::PUT, "/api/products/{product}", json!({"price_cents": 600}), Admin, None, &[("product.updated", "product", "admin")]),
        case(Method::POST, "/api/products", json!({"name": "Scrap", "kind": "digital", "price_cents": 100}), Admin, Some("scrap"), &[("product.created", "@", "admin")]),
        case(Method::DELETE, "/api/products/{scrap}", Value::Null, Admin, None, &[("product.deleted", "scrap", "admin")]),
        case(Method::POST, "/api/courses", json!({"title": "Audit 101", "price_cents": 3000, "status": "published"}), Admin, Some("course"), &[("course.created", "@", "admin")]),
        case(Method::PUT, "/api/courses/{course}", json!({"description": "All about logs"}), Admin, None, &[("course.updated", "course", "admin")]),
        case(Method::POST, "/api/courses/{course}/sections", json!({"title": "Part 1"}), Admin, Some("section"), &[("section.created", "@", "admin")]),
        case(Method::PUT, "/api/courses/{course}/sections/{section}", json!({"title": "Part one"}), Admin, None, &[("section.updated", "section", "admin")]),
        case(Method::POST, "/api/courses/{course}/sections/reorder", json!({"section_ids": ["{section}"]}), Admin, None, &[("course.sections_reordered", "course", "admin")]),
        case(Method::POST, "/api/courses/{course}/lessons", json!({"section_id": "{section}", "content_type": "quiz", "title": "Check", "questions": quiz}), Admin, Some("lesson"), &[("lesson.created", "@", "admin")]),
        case(Method::PUT, "/api/courses/{course}/lessons/{lesson}", json!({"title": "Check again", "questions": quiz}), Admin, None, &[("lesson.updated", "lesson", "admin"), ("quiz.questions_replaced", "lesson", "admin")]),
        case(Method::POST, "/api/courses/{course}/lessons/reorder", json!({"section_id": "{section}", "lesson_ids": ["{lesson}"]}), Admin, None, &[("section.lessons_reordered", "section", "admin")]),
        case(Method::DELETE, "/api/courses/{course}/lessons/{lesson}", Value::Null, Admin, None, &[("lesson.deleted", "lesson", "admin")]),
        case(Method::DELETE, "/api/courses/{course}/sections/{section}", Value::Null, Admin, None, &[("section.deleted", "section", "admin")]),
        case(Method::POST, "/api/courses", json!({"title": "Scrap course", "price_cents": 0}), Admin, Some("scrap_course"), &[("course.created", "@", "admin")]),
        case(Method::DELETE, "/api/courses/{scrap_course}", Value::Null, Admin, None, &[("course.deleted", "scrap_course", "admin")]),
        // Buying the course, paid by hand; a refund rejected, then approved by override.
        case(Method::POST, "/api/cart", json!({"item_type": "course", "item_id": "{course}"}), Buyer, None, &[]),
        case(Method::POST, "/api/orders", json!({}), Buyer, Some("order"), &[("order.created", "@", "buyer")]),
        case(Method::POST, "/api/payments", json!({"order_id": "{order}", "gateway": "manual"}), Buyer, Some("payment"), &[]),
        case(Method::POST, "/api/admin/payments/{payment}/confirm", json!({}), Admin, None, &[("payment.confirmed", "payment", "admin"), ("payment.completed", "payment", "admin"), ("order.status_changed", "order", "admin")]),
        case(Method::POST, "/api/refunds", json!({"order_id": "{order}", "reason": "audit"}), Buyer, Some("refund"), &[("refund.requested", "@", "buyer")]),
        case(Method::POST, "/api/admin/refunds/{refund}/reject", json!({"note": "no"}), Admin, None, &[("refund.rejected", "refund", "admin")]),
        case(Method::POST, "/api/admin/refunds/{refund}/approve", json!({"note": "yes after all"}), Admin, None, &[("refund.override", "refund", "admin"), ("refund.processed", "refund", "admin")]),
        case(Method::DELETE, "/api/courses/{course}", Value::Null, Admin, None, &[("course.archived", "course", "admin")]),
        // The product bought, refunded on request, then archived.
        case(Method::POST, "/api/cart", json!({"item_type": "product", "item_id": "{product}"}), Buyer, None, &[]),
        case(Method::POST, "/api/orders", json!({}), Buyer, Some("order2"), &[("order.created", "@", "buyer")]),
        case(Method::POST, "/api/payments", json!({"order_id": "{order2}", "gateway": "manual"}), Buyer, Some("payment2"), &[]),
        case(Method::POST, "/api/admin/payments/{payment2}/confirm", json!({}), Admin, None, &[("payment.confirmed", "payment2", "admin")]),
        case(Method::POST, "/api/refunds", json!({"order_id": "{order2}", "reason": "audit again"}), Buyer, Some("refund2"), &[("refund.requested", "@", "buyer")]),
        case(Method::POST, "/api/admin/refunds/{refund2}/approve", json!({}), Admin, None, &[("refund.approved", "refund2", "admin"), ("refund.processed", "refund2", "admin")]),
        case(Method::DELETE, "/api/products/{product}", Value::Null, Admin, None, &[("product.archived", "product", "admin")]),
        case(Method::POST, "/api/payments/webhook", declined, Stripe, None, &[("payment.failed", "stripe_payment", "")]),
        case(Method::GET, "/api/users/me/export", Value::Null, Buyer, None, &[("user.data_exported", "buyer", "buyer")]),
        case(Method::DELETE, "/api/admin/users/{carol}", Value::Null, Admin, None, &[("user.erased", "carol", "admin")]),
    ]
}

#[tokio::test]
async fn every_audited_action_leaves_its_row() {
    use By::*;
    let app = spawn_app_with(with_stripe).await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    let carol = app.student().await;
    // A pending Stripe payment of another buyer, for the failed-payment webhook.
    let dave = app.student().await;
    let dave_course = seeded_course(&app, &admin, 1900).await;
    let dave_order = order_for(&app, &dave, &dave_course).await;
    let pi = format!("pi_audit_{}", crate::support::uuid_suffix());
    let dave_payment = stripe_payment(&app, &dave_order, &pi).await;
    let declined = json!(intent_event(
        &new_event_id(),
        "payment_intent.payment_failed",
        &pi,
        1900,
        "usd",
    ));

    let mut ids: HashMap<&'static str, String> = HashMap::from([
        ("admin", admin.id.clone()),
        ("buyer", buyer.id.clone()),
        ("carol", carol.id.clone()),
        ("stripe_payment", dave_payment),
    ]);

    for case in cases(&buyer.email, declined) {
        let path = fill(case.path, &ids);
        let (status, response) = match case.by {
            Stripe => {
                let body = case.body.as_str().unwrap_or_default().to_string();
                deliver(&app, &body, &sign(&body)).await
            }
            by => {
                let body = (!case.body.is_null())
                    .then(|| serde_json::from_str(&fill(&case.body.to_string(), &ids)).unwrap());
                let token = match by {
                    Admin => Some(admin.token.as_str()),
                    Buyer => Some(buyer.token.as_str()),
                    _ => None,
                };
                app.call(case.method.clone(), &path, body, token).await
            }
        };
        let refused_on_purpose = case.rows.first().is_some_and(|r| r.0 == "login.failed");
        assert!(
            status.is_success() || refused_on_purpose,
            "{} {path}: {status} {response}",
            case.method
        );
        if let Some(key) = case.save_as {
            ids.insert(key, response["id"].as_str().unwrap().to_string());
        }
        for (action, target, actor) in case.rows {
            let target_id = if *target == "@" {
                response["id"].as_str().unwrap().to_string()
            } else {
                ids[target].clone()
            };
            let rows = audit_rows(&app, &admin.token, action, &target_id).await;
            assert!(
                !rows.is_empty(),
                "no {action} row for {target_id} after {path}"
            );
            let row = &rows[0];
            let actor_id = ids.get(actor).map(|a| Value::from(a.as_str()));
            assert_eq!(
                row["actor_id"],
                actor_id.unwrap_or(Value::Null),
                "{action}: {row}"
            );
            assert!(row["target_type"].is_string(), "{action}: {row}");
            if case.by != Stripe {
                assert_eq!(row["ip"], "127.0.0.1", "{action}: {row}");
            }
            if action.ends_with(".updated") {
                assert!(
                    row["detail"]["before"].is_object()
                        || row["detail"]["from"].is_string()
                        || row["detail"]["code"].is_string(),
                    "{action} has no before summary: {row}"
                );
            }
        }
    }
}

#[tokio::test]
async fn no_api_can_change_or_delete_an_audit_row() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, before) = app.get("/api/admin/audit", Some(&admin.token)).await;
    let first = before["items"][0].clone();
    assert!(first["id"].is_number(), "{before}");
    let id = first["id"].to_string();

    // The API description offers nothing but reading the log.
    let (_, spec) = app.get("/api/openapi.json", None).await;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        if path.contains("audit") {
            let methods: Vec<&String> = operations
                .as_object()
                .unwrap()
                .keys()
                .filter(|m| m.as_str() != "parameters")
                .collect();
            assert_eq!(methods, ["get"], "{path} offers {methods:?}");
        }
    }
    let attempts = [
        (Method::DELETE, "/api/admin/audit".to_string()),
        (Method::DELETE, format!("/api/admin/audit/{id}")),
        (Method::PUT, format!("/api/admin/audit/{id}")),
        (Method::PATCH, format!("/api/admin/audit/{id}")),
        (Method::POST, "/api/admin/audit".to_string()),
    ];
    for (method, path) in attempts {
        let (status, body) = app
            .call(
                method.clone(),
                &path,
                Some(json!({"action": "nothing.happened"})),
                Some(&admin.token),
            )
            .await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {status} {body}"
        );
    }
    let (status, after) = app.get("/api/admin/audit", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK);
    let kept = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == first["id"])
        .cloned();
    assert_eq!(kept, Some(first), "the row changed");
    assert!(after["total"].as_i64() >= before["total"].as_i64());
    let (status, problem) = app
        .get("/api/admin/audit", Some(&app.student().await.token))
        .await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);
}
