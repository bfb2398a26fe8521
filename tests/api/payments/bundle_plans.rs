//! Payment plans for a bundle against the Stripe emulator (issue 28): a bundle sold in three
//! instalments opens every course at once, owns each after the last one, and closes them all
//! (progress kept) when it ends unpaid; the plan's rules for naming a bundle.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::memberships::{
    School, invoice_event, later, membership, plan, school, send, subscribe, subscription_event,
};
use super::new_event_id;
use crate::learning::{self as l, spec};
use crate::support::{TestApp, uuid_suffix};

/// A school whose bundle holds its course and a second one (with one lesson each).
struct BundleSchool {
    s: School,
    bundle: String,
    /// (course, lesson) of each course in the bundle.
    courses: Vec<(String, String)>,
}

async fn bundle_school() -> BundleSchool {
    let s = school().await;
    let second = l::course(&s.app, &s.admin.id, 3000, "published").await;
    let second_lesson = l::lesson(&s.app, &second, spec("reading")).await;
    let (status, bundle) = s
        .app
        .post(
            "/api/bundles",
            json!({"name": "Bread path", "price_cents": 12000, "status": "published",
                   "course_ids": [s.course, second]}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{bundle}");
    let courses = vec![
        (s.course.clone(), s.lesson.clone()),
        (second, second_lesson),
    ];
    BundleSchool {
        bundle: bundle["id"].as_str().unwrap().to_string(),
        s,
        courses,
    }
}

/// A three-instalment plan of 40.00 for the school's bundle.
async fn bundle_plan(b: &BundleSchool) -> String {
    plan(
        &b.s,
        json!({"name": "Bread path in 3", "interval": "month", "price_cents": 4000,
               "scope": "courses", "cycles": 3, "bundle_id": b.bundle}),
    )
    .await
}

/// Whether the student may record progress in each course of the bundle: the statuses.
async fn study_each(b: &BundleSchool) -> Vec<(StatusCode, Value)> {
    let mut out = Vec::new();
    for (course, lesson) in &b.courses {
        out.push(
            b.s.app
                .post(
                    &format!("/api/courses/{course}/progress"),
                    json!({"lesson_id": lesson, "completed": true}),
                    Some(&b.s.student.token),
                )
                .await,
        );
    }
    out
}

fn statuses(answers: &[(StatusCode, Value)]) -> Vec<StatusCode> {
    answers.iter().map(|(s, _)| *s).collect()
}

/// How many of the student's enrolments are held through a membership or plan.
async fn holds(app: &TestApp, user_id: &str) -> i64 {
    let uid = user_id.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM enrollment_holds h JOIN enrollments e ON e.id = h.enrollment_id
                 WHERE e.user_id = ?1",
                [uid],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
}

fn days_from_now(days: i64) -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() + days * 86400
}

#[tokio::test]
async fn a_three_instalment_bundle_plan_opens_every_course_and_owns_each_after_the_last() {
    let mut b = bundle_school().await;
    let plan_id = bundle_plan(&b).await;
    let (status, plans) = b.s.app.get("/api/membership-plans", None).await;
    assert_eq!(status, StatusCode::OK, "{plans}");
    let listed = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == plan_id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(listed["bundle_id"], b.bundle.as_str());
    assert_eq!(listed["bundle_name"], "Bread path");
    assert_eq!(listed["cycles"], 3);
    assert_eq!(listed["course_id"], Value::Null);
    let mut sold: Vec<String> = serde_json::from_value(listed["course_ids"].clone()).unwrap();
    sold.sort();
    let mut want: Vec<String> = b.courses.iter().map(|(c, _)| c.clone()).collect();
    want.sort();
    assert_eq!(sold, want, "the plan keeps the bundle's courses");

    let (status, m) = subscribe(&b.s, &b.s.student, &plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["cycles_paid"], 1);
    assert_eq!(
        statuses(&study_each(&b).await),
        [StatusCode::OK, StatusCode::OK],
        "every course of the bundle opens at once"
    );
    assert_eq!(
        holds(&b.s.app, &b.s.student.id).await,
        2,
        "held by the plan"
    );

    let (sub, id) = (
        m["stripe_subscription_id"].as_str().unwrap().to_string(),
        m["id"].as_str().unwrap().to_string(),
    );
    for n in 2..=3 {
        let invoice = format!("in_bundle{n}_{}", uuid_suffix());
        send(
            &b.s.app,
            &invoice_event(
                &new_event_id(),
                "invoice.paid",
                &invoice,
                &sub,
                4000,
                days_from_now(30 * n),
            ),
        )
        .await;
    }
    let done = membership(&b.s, &id).await;
    assert_eq!(done["cycles_paid"], 3, "{done}");
    assert_eq!(done["status"], "expired");
    assert_eq!(
        holds(&b.s.app, &b.s.student.id).await,
        0,
        "each course owned outright"
    );
    let receipts: Vec<String> =
        b.s.app
            .mails_to(&b.s.student.email)
            .await
            .into_iter()
            .filter(|(t, _)| t == "membership_receipt")
            .map(|(_, mail)| mail.text)
            .collect();
    assert!(
        receipts
            .iter()
            .any(|t| t.contains("every course of the bundle is yours for good")),
        "{receipts:?}"
    );

    later(&mut b.s, 400).await;
    assert_eq!(
        statuses(&study_each(&b).await),
        [StatusCode::OK, StatusCode::OK],
        "owned for good"
    );
}

#[tokio::test]
async fn an_unpaid_bundle_plan_closes_every_course_past_grace_and_keeps_the_progress() {
    let mut b = bundle_school().await;
    let plan_id = bundle_plan(&b).await;
    let (status, m) = subscribe(&b.s, &b.s.student, &plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(
        statuses(&study_each(&b).await),
        [StatusCode::OK, StatusCode::OK]
    );
    let sub = m["stripe_subscription_id"].as_str().unwrap().to_string();
    let invoice = format!("in_unpaid_{}", uuid_suffix());
    send(
        &b.s.app,
        &invoice_event(
            &new_event_id(),
            "invoice.payment_failed",
            &invoice,
            &sub,
            4000,
            days_from_now(30),
        ),
    )
    .await;

    later(&mut b.s, 3).await;
    assert_eq!(
        statuses(&study_each(&b).await),
        [StatusCode::OK, StatusCode::OK],
        "within grace"
    );

    later(&mut b.s, 5).await;
    for (status, body) in study_each(&b).await {
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["access_reason"], "payment_overdue");
    }
    for (course, lesson) in &b.courses {
        let (status, progress) =
            b.s.app
                .get(
                    &format!("/api/courses/{course}/progress"),
                    Some(&b.s.student.token),
                )
                .await;
        assert_eq!(status, StatusCode::OK, "{progress}");
        assert_eq!(progress["completed_lesson_ids"], json!([lesson]), "kept");
    }

    // Stripe gives up on the unpaid plan: it ends, and nothing is owned.
    send(
        &b.s.app,
        &subscription_event(
            &new_event_id(),
            "customer.subscription.deleted",
            &sub,
            "canceled",
            false,
        ),
    )
    .await;
    let ended = membership(&b.s, m["id"].as_str().unwrap()).await;
    assert_eq!(ended["status"], "expired", "{ended}");
    for (status, body) in study_each(&b).await {
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["access_reason"], "ended");
    }
    assert_eq!(holds(&b.s.app, &b.s.student.id).await, 2, "still only held");
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    app.state
        .db
        .read(move |conn| {
            Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        })
        .await
        .unwrap()
}

async fn set_status(app: &TestApp, table: &'static str, id: &str, status: &'static str) {
    let id = id.to_string();
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                &format!("UPDATE {table} SET status = ?2 WHERE id = ?1"),
                [id.as_str(), status],
            )?;
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_plan_may_name_only_a_published_bundle_and_only_as_instalments() {
    let b = bundle_school().await;
    let (status, draft) =
        b.s.app
            .post(
                "/api/bundles",
                json!({"name": "Draft path", "price_cents": 100, "course_ids": [b.s.course]}),
                Some(&b.s.admin.token),
            )
            .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let unpublished_course = l::course(&b.s.app, &b.s.admin.id, 100, "published").await;
    let (_, shaky) =
        b.s.app
            .post(
                "/api/bundles",
                json!({"name": "Shaky path", "price_cents": 100, "status": "published",
                   "course_ids": [unpublished_course]}),
                Some(&b.s.admin.token),
            )
            .await;
    set_status(&b.s.app, "courses", &unpublished_course, "draft").await;
    let mug =
        crate::commerce::product(&b.s.app, &b.s.admin.id, "Mug", 900, "physical", Some(3)).await;
    let (_, with_goods) =
        b.s.app
            .post(
                "/api/bundles",
                json!({"name": "Kit", "price_cents": 100, "status": "published",
                   "course_ids": [b.s.course], "product_ids": [mug]}),
                Some(&b.s.admin.token),
            )
            .await;
    let base = |extra: Value| {
        let mut body = json!({"name": "Path in 3", "interval": "month", "price_cents": 4000,
                              "scope": "courses", "cycles": 3});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let rows: Vec<(&str, Value, StatusCode, &str)> = vec![
        (
            "a membership (no instalments) may not name a bundle",
            json!({"name": "All", "interval": "month", "price_cents": 1900, "scope": "courses",
                   "bundle_id": b.bundle}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bundle_id",
        ),
        (
            "a payment plan sells a course or a bundle, never both at once",
            base(json!({"bundle_id": b.bundle, "course_ids": [b.s.course]})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bundle_id",
        ),
        (
            "a draft bundle is not for sale in instalments",
            base(json!({"bundle_id": draft["id"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bundle_id",
        ),
        (
            "a bundle holding a course no longer published is not for sale",
            base(json!({"bundle_id": shaky["id"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bundle_id",
        ),
        (
            "a bundle with products is sold in the shop only, never in instalments",
            base(json!({"bundle_id": with_goods["id"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bundle_id",
        ),
        (
            "an unknown bundle id sells nothing",
            base(json!({"bundle_id": "no-such-bundle"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bundle_id",
        ),
        (
            "a bundle plan still covers courses only (scope `courses`)",
            base(json!({"bundle_id": b.bundle, "scope": "all"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "scope",
        ),
    ];
    for (sentence, body, want, field) in rows {
        let before = count(&b.s.app, "membership_plans").await;
        let (status, problem) =
            b.s.app
                .post("/api/admin/membership-plans", body, Some(&b.s.admin.token))
                .await;
        assert_eq!(status, want, "{sentence}: {problem}");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|x| x["field"].as_str()).collect())
            .unwrap_or_default();
        assert!(fields.contains(&field), "{sentence}: {problem}");
        assert_eq!(
            count(&b.s.app, "membership_plans").await,
            before,
            "{sentence}: nothing written"
        );
    }
}

#[tokio::test]
async fn a_bundle_withdrawn_from_sale_starts_no_plan_and_a_bundle_a_plan_names_is_archived_not_deleted()
 {
    let b = bundle_school().await;
    let plan_id = bundle_plan(&b).await;
    set_status(&b.s.app, "bundles", &b.bundle, "archived").await;
    let (status, problem) = subscribe(&b.s, &b.s.student, &plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(count(&b.s.app, "memberships").await, 0, "nothing started");
    assert_eq!(count(&b.s.app, "enrollments").await, 0, "nothing opened");

    set_status(&b.s.app, "bundles", &b.bundle, "published").await;
    let (status, archived) =
        b.s.app
            .delete(
                &format!("/api/bundles/{}", b.bundle),
                Some(&b.s.admin.token),
            )
            .await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_eq!(archived["status"], "archived");
}
