//! Memberships and payment plans against the Stripe emulator: subscribe with a card,
//! renewals paid and failed (the signed events Stripe would send), grace, cancel at period
//! end, an instalment plan that ends owning its course, and staff's manual periods.

use reqwest::StatusCode;
use schoolhouse::users::Role;
use serde_json::{Value, json};

use super::{deliver, emulator, new_event_id, sign, with_stripe};
use crate::learning::{self as l, spec};
use crate::support::{PASSWORD, TestApp, TestUser, spawn_app_with, uuid_suffix};

pub(crate) struct School {
    pub app: TestApp,
    pub admin: TestUser,
    pub student: TestUser,
    pub course: String,
    pub lesson: String,
}

/// An app with Stripe on, a paid course with one reading lesson, an admin and a student.
pub(crate) async fn school() -> School {
    let app = spawn_app_with(with_stripe).await;
    let admin = app.admin().await;
    let teacher = app
        .user(
            Role::Instructor,
            &format!("teacher-{}@example.com", uuid_suffix()),
        )
        .await;
    let course = l::course(&app, &teacher.id, 5000, "published").await;
    let lesson = l::lesson(&app, &course, spec("reading")).await;
    let student = app.student().await;
    School {
        app,
        admin,
        student,
        course,
        lesson,
    }
}

/// A plan created through the admin API.
pub(crate) async fn plan(s: &School, body: Value) -> String {
    let (status, plan) = s
        .app
        .post("/api/admin/membership-plans", body, Some(&s.admin.token))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    plan["id"].as_str().unwrap().to_string()
}

pub(crate) async fn monthly(s: &School) -> String {
    plan(
        s,
        json!({"name": "All access", "interval": "month", "price_cents": 1900, "scope": "all"}),
    )
    .await
}

pub(crate) async fn subscribe(
    s: &School,
    who: &TestUser,
    plan_id: &str,
    card: &str,
) -> (StatusCode, Value) {
    s.app
        .post(
            "/api/memberships",
            json!({"plan_id": plan_id, "payment_method": card}),
            Some(&who.token),
        )
        .await
}

/// The student subscribed to a new monthly plan with a good card: the membership.
pub(crate) async fn member(s: &School) -> Value {
    let plan_id = monthly(s).await;
    let (status, m) = subscribe(s, &s.student, &plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    m
}

/// Whether the student may record progress in the course now (the access rule), and the body.
pub(crate) async fn study(s: &School, who: &TestUser) -> (StatusCode, Value) {
    s.app
        .post(
            &format!("/api/courses/{}/progress", s.course),
            json!({"lesson_id": s.lesson, "completed": true}),
            Some(&who.token),
        )
        .await
}

pub(crate) async fn membership(s: &School, id: &str) -> Value {
    let (status, all) = s.app.get("/api/memberships", Some(&s.student.token)).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    all.as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Moves the app's clock on by `days` and signs the student and admin in again (tokens
/// expire).
pub(crate) async fn later(s: &mut School, days: i64) {
    s.app.state.clock.advance(time::Duration::days(days));
    s.student = s.app.login(&s.student.email, PASSWORD).await;
    s.admin = s.app.login(&s.admin.email, PASSWORD).await;
}

fn event(id: &str, kind: &str, object: Value) -> String {
    event_at(
        id,
        kind,
        object,
        time::OffsetDateTime::now_utc().unix_timestamp(),
    )
}

/// A signed event Stripe made at `created` (unix seconds).
fn event_at(id: &str, kind: &str, object: Value, created: i64) -> String {
    json!({
        "id": id, "object": "event", "type": kind, "api_version": "2026-09-30.endive",
        "created": created, "livemode": false,
        "pending_webhooks": 0, "request": {"id": null, "idempotency_key": null},
        "data": {"object": object}
    })
    .to_string()
}

/// A signed `invoice.*` event for `sub`, as Stripe sends for a renewal.
pub(crate) fn invoice_event(
    id: &str,
    kind: &str,
    invoice: &str,
    sub: &str,
    cents: i64,
    period_end: i64,
) -> String {
    let paid = kind != "invoice.payment_failed";
    event(
        id,
        kind,
        json!({
            "id": invoice, "object": "invoice", "subscription": sub, "currency": "usd",
            "amount_paid": if paid { cents } else { 0 }, "amount_due": cents, "total": cents,
            "status": if paid { "paid" } else { "open" },
            "lines": {"object": "list", "data": [{"period": {"start": period_end - 30 * 86400, "end": period_end}}]}
        }),
    )
}

pub(crate) fn subscription_event(
    id: &str,
    kind: &str,
    sub: &str,
    status: &str,
    cancel_at_period_end: bool,
) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    subscription_event_at(id, kind, sub, status, cancel_at_period_end, now)
}

/// [`subscription_event`] as Stripe made it at `created`.
pub(crate) fn subscription_event_at(
    id: &str,
    kind: &str,
    sub: &str,
    status: &str,
    cancel_at_period_end: bool,
    created: i64,
) -> String {
    event_at(
        id,
        kind,
        json!({"id": sub, "object": "subscription", "status": status,
               "cancel_at_period_end": cancel_at_period_end, "metadata": {}}),
        created,
    )
}

pub(crate) async fn send(app: &TestApp, body: &str) -> Value {
    let (status, ack) = deliver(app, body, &sign(body)).await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    ack
}

fn days_from_now(days: i64) -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() + days * 86400
}

fn sub_of(m: &Value) -> String {
    m["stripe_subscription_id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_student_subscribes_with_a_card_and_opens_a_member_only_course() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    let (status, closed) = study(&s, &s.student).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{closed}");

    let (status, m) = subscribe(&s, &s.student, &plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["status"], "active");
    assert_eq!(m["cycles_paid"], 1);
    assert_eq!(m["invoices"].as_array().unwrap().len(), 1);
    assert_eq!(m["next_charge"]["amount_cents"], 1900);
    let sub = emulator()
        .get(&format!("/v1/subscriptions/{}", sub_of(&m)))
        .await;
    assert_eq!(sub["status"], "active", "{sub}");

    l::enroll(&s.app, &s.course, &s.student).await;
    let (status, progress) = study(&s, &s.student).await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    let mails = s.app.mails_to(&s.student.email).await;
    assert!(
        mails.iter().any(|(t, _)| t == "membership_welcome"),
        "{mails:?}"
    );
}

#[tokio::test]
async fn a_declined_card_starts_no_membership() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    let (status, body) = subscribe(&s, &s.student, &plan_id, "pm_card_chargeCustomerFail").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{body}");
    let (_, mine) = s.app.get("/api/memberships", Some(&s.student.token)).await;
    assert_eq!(mine, json!([]));
    assert_eq!(study(&s, &s.student).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_renewal_paid_moves_the_period_on_and_is_counted_once() {
    let s = school().await;
    let m = member(&s).await;
    let (sub, id) = (sub_of(&m), m["id"].as_str().unwrap().to_string());
    let end = days_from_now(60);
    let invoice = format!("in_renewal_{}", uuid_suffix());
    for kind in ["invoice.paid", "invoice.payment_succeeded"] {
        send(
            &s.app,
            &invoice_event(&new_event_id(), kind, &invoice, &sub, 1900, end),
        )
        .await;
    }
    let now = membership(&s, &id).await;
    assert_eq!(now["cycles_paid"], 2, "{now}");
    assert_eq!(now["invoices"].as_array().unwrap().len(), 2);
    let period_end = time::OffsetDateTime::from_unix_timestamp(end).unwrap();
    assert_eq!(
        now["current_period_end"],
        schoolhouse::clock::rfc3339(period_end)
    );
    let receipts = s.app.mails_to(&s.student.email).await;
    assert_eq!(
        receipts
            .iter()
            .filter(|(t, _)| t == "membership_receipt")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_failed_renewal_keeps_access_within_grace_and_recovers_when_paid() {
    let mut s = school().await;
    let m = member(&s).await;
    let (sub, id) = (sub_of(&m), m["id"].as_str().unwrap().to_string());
    l::enroll(&s.app, &s.course, &s.student).await;
    let invoice = format!("in_late_{}", uuid_suffix());
    let failed = invoice_event(
        &new_event_id(),
        "invoice.payment_failed",
        &invoice,
        &sub,
        1900,
        days_from_now(30),
    );
    assert_eq!(
        send(&s.app, &failed).await["outcome"],
        "membership_payment_failed"
    );
    assert_eq!(membership(&s, &id).await["status"], "past_due");
    let mails = s.app.mails_to(&s.student.email).await;
    let (_, mail) = mails
        .iter()
        .find(|(t, _)| t == "membership_payment_failed")
        .unwrap();
    assert!(mail.text.contains("/account/membership"), "{}", mail.text);

    later(&mut s, 6).await;
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::OK,
        "within the 7 grace days"
    );

    let paid = invoice_event(
        &new_event_id(),
        "invoice.paid",
        &invoice,
        &sub,
        1900,
        days_from_now(30),
    );
    send(&s.app, &paid).await;
    let now = membership(&s, &id).await;
    assert_eq!(now["status"], "active");
    assert_eq!(now["past_due_since"], Value::Null);
    later(&mut s, 6).await;
    assert_eq!(study(&s, &s.student).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_failed_renewal_beyond_grace_closes_the_course_but_keeps_the_progress() {
    let mut s = school().await;
    let m = member(&s).await;
    let sub = sub_of(&m);
    l::enroll(&s.app, &s.course, &s.student).await;
    assert_eq!(study(&s, &s.student).await.0, StatusCode::OK);
    let invoice = format!("in_lapsed_{}", uuid_suffix());
    send(
        &s.app,
        &invoice_event(
            &new_event_id(),
            "invoice.payment_failed",
            &invoice,
            &sub,
            1900,
            days_from_now(30),
        ),
    )
    .await;

    later(&mut s, 8).await;
    let (status, closed) = study(&s, &s.student).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{closed}");
    assert_eq!(closed["access_reason"], "payment_overdue");
    let (status, progress) = s
        .app
        .get(
            &format!("/api/courses/{}/progress", s.course),
            Some(&s.student.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["completed_lesson_ids"], json!([s.lesson]));

    send(
        &s.app,
        &invoice_event(
            &new_event_id(),
            "invoice.paid",
            &invoice,
            &sub,
            1900,
            days_from_now(40),
        ),
    )
    .await;
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::OK,
        "renewal opens it again"
    );
}

#[tokio::test]
async fn an_older_subscription_event_arriving_late_does_not_undo_a_cancel() {
    let s = school().await;
    let m = member(&s).await;
    let (sub, id) = (sub_of(&m), m["id"].as_str().unwrap().to_string());
    let path = format!("/api/memberships/{id}/cancel");
    let (status, cancelled) = s.app.post(&path, json!({}), Some(&s.student.token)).await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    // Stripe's event for the cancel, then one it made a minute earlier, delivered late.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let kind = "customer.subscription.updated";
    send(
        &s.app,
        &subscription_event_at(&new_event_id(), kind, &sub, "active", true, now),
    )
    .await;
    let late = subscription_event_at(&new_event_id(), kind, &sub, "active", false, now - 60);
    assert_eq!(send(&s.app, &late).await["outcome"], "stale");
    assert_eq!(membership(&s, &id).await["cancel_at_period_end"], true);
    // A newer change made at Stripe (the member resumed in its portal) is applied.
    let newer = subscription_event_at(&new_event_id(), kind, &sub, "active", false, now + 5);
    send(&s.app, &newer).await;
    assert_eq!(membership(&s, &id).await["cancel_at_period_end"], false);
}

#[tokio::test]
async fn cancelling_at_period_end_keeps_access_until_stripe_ends_the_subscription() {
    let s = school().await;
    let m = member(&s).await;
    let (sub, id) = (sub_of(&m), m["id"].as_str().unwrap().to_string());
    l::enroll(&s.app, &s.course, &s.student).await;
    let path = format!("/api/memberships/{id}/cancel");
    let (status, cancelled) = s.app.post(&path, json!({}), Some(&s.student.token)).await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["cancel_at_period_end"], true);
    assert_eq!(cancelled["next_charge"], Value::Null);
    let at_stripe = emulator().get(&format!("/v1/subscriptions/{sub}")).await;
    assert_eq!(at_stripe["cancel_at_period_end"], true);
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::OK,
        "paid until the period ends"
    );

    let (status, resumed) = s
        .app
        .post(
            &format!("/api/memberships/{id}/resume"),
            json!({}),
            Some(&s.student.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{resumed}");
    assert_eq!(resumed["cancel_at_period_end"], false);
    assert_eq!(
        s.app.post(&path, json!({}), Some(&s.student.token)).await.0,
        StatusCode::OK
    );

    let ended = subscription_event(
        &new_event_id(),
        "customer.subscription.deleted",
        &sub,
        "canceled",
        true,
    );
    send(&s.app, &ended).await;
    assert_eq!(membership(&s, &id).await["status"], "cancelled");
    let (status, closed) = study(&s, &s.student).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{closed}");
    assert_eq!(closed["access_reason"], "ended");
    let mails = s.app.mails_to(&s.student.email).await;
    assert!(mails.iter().any(|(t, _)| t == "membership_cancelled"));
}

#[tokio::test]
async fn an_instalment_plan_completing_owns_the_course_for_good() {
    let mut s = school().await;
    let plan_id = plan(
        &s,
        json!({"name": "Sourdough in 3", "interval": "month", "price_cents": 4000,
               "scope": "courses", "course_ids": [s.course], "cycles": 3}),
    )
    .await;
    let (status, m) = subscribe(&s, &s.student, &plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let (sub, id) = (sub_of(&m), m["id"].as_str().unwrap().to_string());
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::OK,
        "enrolled by the plan"
    );

    for n in 2..=3 {
        let invoice = format!("in_part{n}_{}", uuid_suffix());
        send(
            &s.app,
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
    let done = membership(&s, &id).await;
    assert_eq!(done["cycles_paid"], 3, "{done}");
    assert_eq!(done["status"], "expired");
    assert_eq!(done["next_charge"], Value::Null);
    // The follow-up ends the subscription at Stripe after the webhook's write.
    let mut ended = Value::Null;
    for _ in 0..50 {
        ended = emulator().get(&format!("/v1/subscriptions/{sub}")).await;
        if ended["status"] == "canceled" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(ended["status"], "canceled", "{ended}");

    later(&mut s, 400).await;
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::OK,
        "owned outright"
    );
}

#[tokio::test]
async fn staff_record_manual_periods_and_comp_memberships() {
    let mut s = school().await;
    let plan_id = monthly(&s).await;
    let (status, manual) = s
        .app
        .post(
            "/api/admin/memberships",
            json!({"user_id": s.student.id, "plan_id": plan_id, "gateway": "manual"}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{manual}");
    assert_eq!(manual["status"], "active");
    assert_eq!(manual["cycles_paid"], 1);
    l::enroll(&s.app, &s.course, &s.student).await;
    assert_eq!(study(&s, &s.student).await.0, StatusCode::OK);

    later(&mut s, 38).await;
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::FORBIDDEN,
        "the period ran out, grace too"
    );
    let id = manual["id"].as_str().unwrap();
    let (status, paid) = s
        .app
        .post(
            &format!("/api/admin/memberships/{id}/periods"),
            json!({}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["cycles_paid"], 2);
    assert_eq!(study(&s, &s.student).await.0, StatusCode::OK);

    let other = s.app.student().await;
    let (status, comp) = s
        .app
        .post(
            "/api/admin/memberships",
            json!({"user_id": other.id, "plan_id": plan_id, "gateway": "comp"}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{comp}");
    assert_eq!(comp["invoices"], json!([]));
    let (status, list) = s
        .app
        .get("/api/admin/memberships?status=active", Some(&s.admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 2, "{list}");
    let emails: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["member_email"].as_str())
        .collect();
    assert!(
        emails.contains(&s.student.email.as_str()) && emails.contains(&other.email.as_str()),
        "staff see whose membership each row is: {list}"
    );
    let (status, cancelled) = s
        .app
        .post(
            &format!(
                "/api/admin/memberships/{}/cancel",
                comp["id"].as_str().unwrap()
            ),
            json!({}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
}
