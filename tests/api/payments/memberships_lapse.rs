//! Manual and comp memberships end by themselves: the payments job moves a manual one past
//! due when its recorded period ends and expires it after `manual_expire_days`, and expires a
//! comp given for a set time; audited, mailed, idempotent.

use reqwest::StatusCode;
use schoolhouse::payments::memberships::lapse;
use serde_json::{Value, json};

use super::memberships::{School, later, monthly, school, study};
use crate::learning as l;

async fn give(s: &School, body: Value) -> Value {
    let (status, m) = s
        .app
        .post("/api/admin/memberships", body, Some(&s.admin.token))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    m
}

async fn row(s: &School, id: &str) -> Value {
    let (status, list) = s
        .app
        .get("/api/admin/memberships?per_page=100", Some(&s.admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .cloned()
        .unwrap()
}

async fn run_job(s: &School) -> usize {
    lapse::run(&s.app.state, s.app.state.now()).await.unwrap()
}

/// Runs the job when one membership is due to move. The server's own job (every minute)
/// may have moved it first, so what moved is read from the rows afterwards, not from this
/// run's count.
async fn run_job_when_due(s: &School) {
    assert!(run_job(s).await <= 1);
}

async fn audit_actions(s: &School, id: &str) -> Vec<String> {
    let id = id.to_string();
    s.app
        .state
        .db
        .read(move |conn| {
            let mut stmt =
                conn.prepare("SELECT action FROM audit_log WHERE target_id = ?1 ORDER BY rowid")?;
            let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
            Ok::<_, schoolhouse::http::AppError>(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
        .unwrap()
}

/// The membership mails among the member's mail, in order.
fn templates(mails: &[(String, schoolhouse::mail::templates::Rendered)]) -> Vec<&str> {
    mails
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| t.starts_with("membership_"))
        .collect()
}

#[tokio::test]
async fn a_manual_membership_falls_past_due_then_expires_when_staff_record_nothing() {
    let mut s = school().await;
    let plan_id = monthly(&s).await;
    let manual = give(
        &s,
        json!({"user_id": s.student.id, "plan_id": plan_id, "gateway": "manual"}),
    )
    .await;
    let id = manual["id"].as_str().unwrap();
    l::enroll(&s.app, &s.course, &s.student).await;

    later(&mut s, 29).await;
    assert_eq!(run_job(&s).await, 0, "the recorded period has not ended");
    assert_eq!(row(&s, id).await["status"], "active");

    later(&mut s, 2).await;
    run_job_when_due(&s).await;
    assert_eq!(run_job(&s).await, 0, "a second run moves nothing");
    let overdue = row(&s, id).await;
    assert_eq!(overdue["status"], "past_due");
    assert_eq!(
        overdue["past_due_since"], manual["current_period_end"],
        "overdue since the period ended, not since the job ran"
    );
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::OK,
        "within grace"
    );
    let mails = s.app.mails_to(&s.student.email).await;
    assert_eq!(
        templates(&mails),
        ["membership_welcome", "membership_payment_failed"]
    );

    later(&mut s, 10).await;
    assert_eq!(run_job(&s).await, 0, "past due, waiting for staff");
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::FORBIDDEN,
        "grace is over"
    );

    later(&mut s, 20).await;
    run_job_when_due(&s).await; // 30 days unpaid: given up
    let ended = row(&s, id).await;
    assert_eq!(ended["status"], "expired");
    assert!(ended["ended_at"].is_string());
    assert_eq!(run_job(&s).await, 0);
    let mails = s.app.mails_to(&s.student.email).await;
    assert_eq!(
        templates(&mails),
        [
            "membership_welcome",
            "membership_payment_failed",
            "membership_cancelled"
        ]
    );
    assert_eq!(
        audit_actions(&s, id).await,
        [
            "membership.created",
            "membership.past_due",
            "membership.expired"
        ]
    );
    let (status, body) = s
        .app
        .post(
            &format!("/api/admin/memberships/{id}/periods"),
            json!({}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn a_period_recorded_while_past_due_makes_the_manual_membership_active_again() {
    let mut s = school().await;
    let plan_id = monthly(&s).await;
    let manual = give(
        &s,
        json!({"user_id": s.student.id, "plan_id": plan_id, "gateway": "manual"}),
    )
    .await;
    let id = manual["id"].as_str().unwrap();
    later(&mut s, 33).await;
    run_job_when_due(&s).await;
    assert_eq!(row(&s, id).await["status"], "past_due");
    let (status, paid) = s
        .app
        .post(
            &format!("/api/admin/memberships/{id}/periods"),
            json!({}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "active");
    assert_eq!(paid["past_due_since"], Value::Null);
    later(&mut s, 20).await;
    assert_eq!(
        run_job(&s).await,
        0,
        "the new period runs 30 days from payment"
    );
}

#[tokio::test]
async fn a_comp_given_for_a_set_time_expires_at_its_end_and_one_without_an_end_stays() {
    let mut s = school().await;
    let plan_id = monthly(&s).await;
    let other = s.app.student().await;
    let timed = give(
        &s,
        json!({"user_id": s.student.id, "plan_id": plan_id, "gateway": "comp", "days": 14}),
    )
    .await;
    assert!(timed["current_period_end"].is_string(), "{timed}");
    assert_eq!(timed["next_charge"], Value::Null);
    let open_ended = give(
        &s,
        json!({"user_id": other.id, "plan_id": plan_id, "gateway": "comp"}),
    )
    .await;
    l::enroll(&s.app, &s.course, &s.student).await;
    assert_eq!(study(&s, &s.student).await.0, StatusCode::OK);

    later(&mut s, 13).await;
    assert_eq!(run_job(&s).await, 0);
    later(&mut s, 1).await;
    run_job_when_due(&s).await;
    assert_eq!(run_job(&s).await, 0);
    let id = timed["id"].as_str().unwrap();
    assert_eq!(row(&s, id).await["status"], "expired");
    assert_eq!(
        row(&s, open_ended["id"].as_str().unwrap()).await["status"],
        "active"
    );
    assert_eq!(
        study(&s, &s.student).await.0,
        StatusCode::FORBIDDEN,
        "the comp is over"
    );
    let mails = s.app.mails_to(&s.student.email).await;
    assert_eq!(
        templates(&mails),
        ["membership_welcome", "membership_cancelled"]
    );
    assert_eq!(
        audit_actions(&s, id).await,
        ["membership.created", "membership.expired"]
    );
}

#[tokio::test]
async fn a_set_length_is_only_for_a_comp_and_within_bounds() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    for (body, sentence) in [
        (
            json!({"user_id": s.student.id, "plan_id": plan_id, "gateway": "manual", "days": 10}),
            "a manual membership runs by recorded periods",
        ),
        (
            json!({"user_id": s.student.id, "plan_id": plan_id, "gateway": "comp", "days": 0}),
            "a comp of zero days",
        ),
        (
            json!({"user_id": s.student.id, "plan_id": plan_id, "gateway": "comp", "days": 3651}),
            "a comp of over ten years",
        ),
    ] {
        let (status, problem) = s
            .app
            .post("/api/admin/memberships", body, Some(&s.admin.token))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{sentence}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], "days", "{sentence}");
    }
    let (_, list) = s
        .app
        .get("/api/admin/memberships", Some(&s.admin.token))
        .await;
    assert_eq!(list["total"], 0, "nothing was created");
}
