//! Abuse of memberships: forged, unsigned and replayed webhooks, someone else's subscription,
//! cancelling twice or someone else's membership, a student comping themselves, and 20
//! parallel cancel/resume calls. Each row asserts the answer and that nothing changed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::payments::memberships::{
    School, invoice_event, member, school, send, subscription_event,
};
use crate::payments::{deliver, emulator, new_event_id, sign};
use crate::support::uuid_suffix;

/// What must not move: the membership row and the counts around it.
async fn snapshot(s: &School) -> Value {
    s.app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT json_object(
                   'memberships', (SELECT json_group_array(json_array(id, user_id, status, cycles_paid,
                        cancel_at_period_end, current_period_end, past_due_since)) FROM memberships),
                   'invoices', (SELECT count(*) FROM membership_invoices),
                   'outbox', (SELECT count(*) FROM outbox))",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap()
}

struct WebhookRow {
    sentence: &'static str,
    /// Body and signature header (None: no header at all).
    request: fn(sub: &str) -> (String, Option<String>),
    status: StatusCode,
    outcome: Option<&'static str>,
}

const WEBHOOK_ROWS: &[WebhookRow] = &[
    WebhookRow {
        sentence: "an invoice.paid signed with another secret moves no period",
        request: |sub| {
            let body = invoice_event(
                &new_event_id(),
                "invoice.paid",
                "in_forged",
                sub,
                1900,
                2_000_000_000,
            );
            let forged =
                stripe_webhook::Webhook::generate_test_header(&body, "whsec_attacker", None);
            (body, Some(forged))
        },
        status: StatusCode::BAD_REQUEST,
        outcome: None,
    },
    WebhookRow {
        sentence: "an unsigned invoice.paid moves no period",
        request: |sub| {
            let body = invoice_event(
                &new_event_id(),
                "invoice.paid",
                "in_unsigned",
                sub,
                1900,
                2_000_000_000,
            );
            (body, None)
        },
        status: StatusCode::BAD_REQUEST,
        outcome: None,
    },
    WebhookRow {
        sentence: "a signature over another body does not carry a cancellation",
        request: |sub| {
            let harmless = subscription_event(
                &new_event_id(),
                "customer.subscription.updated",
                "sub_other",
                "active",
                false,
            );
            let body = subscription_event(
                &new_event_id(),
                "customer.subscription.deleted",
                sub,
                "canceled",
                false,
            );
            (body, Some(sign(&harmless)))
        },
        status: StatusCode::BAD_REQUEST,
        outcome: None,
    },
    WebhookRow {
        sentence: "a genuine event about a subscription that is not ours is ignored",
        request: |_| {
            let body = subscription_event(
                &new_event_id(),
                "customer.subscription.deleted",
                "sub_someone_else",
                "canceled",
                false,
            );
            let sig = sign(&body);
            (body, Some(sig))
        },
        status: StatusCode::OK,
        outcome: Some("ignored"),
    },
];

#[tokio::test]
async fn forged_unsigned_and_foreign_webhooks_change_no_membership() {
    let s = school().await;
    let m = member(&s).await;
    let sub = m["stripe_subscription_id"].as_str().unwrap().to_string();
    for row in WEBHOOK_ROWS {
        let before = snapshot(&s).await;
        let (body, signature) = (row.request)(&sub);
        let (status, ack) = match signature {
            Some(sig) => deliver(&s.app, &body, &sig).await,
            None => {
                let r = s
                    .app
                    .client
                    .post(s.app.url("/api/payments/webhook"))
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                (r.status(), r.json().await.unwrap_or(Value::Null))
            }
        };
        assert_eq!(status, row.status, "{}: {ack}", row.sentence);
        if let Some(outcome) = row.outcome {
            assert_eq!(ack["outcome"], outcome, "{}", row.sentence);
        }
        assert_eq!(snapshot(&s).await, before, "{}", row.sentence);
    }
}

#[tokio::test]
async fn a_replayed_renewal_event_is_a_duplicate_and_counts_once() {
    let s = school().await;
    let m = member(&s).await;
    let sub = m["stripe_subscription_id"].as_str().unwrap();
    let body = invoice_event(
        &new_event_id(),
        "invoice.paid",
        &format!("in_{}", uuid_suffix()),
        sub,
        1900,
        2_000_000_000,
    );
    assert_eq!(send(&s.app, &body).await["outcome"], "membership_paid");
    let before = snapshot(&s).await;
    for _ in 0..3 {
        assert_eq!(
            send(&s.app, &body).await["outcome"],
            "duplicate",
            "a replay is a no-op"
        );
    }
    assert_eq!(snapshot(&s).await, before);
}

struct PersonRow {
    sentence: &'static str,
    path: fn(id: &str) -> String,
    body: fn(s: &School) -> Value,
    /// Who asks: the owner (`true`) or another student.
    owner: bool,
    status: StatusCode,
}

const PERSON_ROWS: &[PersonRow] = &[
    PersonRow {
        sentence: "another student may not cancel my membership",
        path: |id| format!("/api/memberships/{id}/cancel"),
        body: |_| json!({}),
        owner: false,
        status: StatusCode::NOT_FOUND,
    },
    PersonRow {
        sentence: "another student may not switch my membership",
        path: |id| format!("/api/memberships/{id}/switch"),
        body: |_| json!({}),
        owner: false,
        status: StatusCode::NOT_FOUND,
    },
    PersonRow {
        sentence: "a student may not record a paid period",
        path: |id| format!("/api/admin/memberships/{id}/periods"),
        body: |_| json!({}),
        owner: true,
        status: StatusCode::FORBIDDEN,
    },
    PersonRow {
        sentence: "a student may not comp themselves a membership",
        path: |_| "/api/admin/memberships".into(),
        body: |s| json!({"user_id": s.student.id, "plan_id": "any", "gateway": "comp"}),
        owner: true,
        status: StatusCode::FORBIDDEN,
    },
    PersonRow {
        sentence: "a student may not end a membership at once as staff do",
        path: |id| format!("/api/admin/memberships/{id}/cancel"),
        body: |_| json!({}),
        owner: true,
        status: StatusCode::FORBIDDEN,
    },
    PersonRow {
        sentence: "a subscription id cannot be slipped into a subscribe request",
        path: |_| "/api/memberships".into(),
        body: |_| json!({"plan_id": "x", "payment_method": "pm_card_visa", "stripe_subscription_id": "sub_someone"}),
        owner: true,
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
    PersonRow {
        sentence: "a payment method that is not a pm_ id is refused before Stripe is called",
        path: |_| "/api/memberships".into(),
        body: |_| json!({"plan_id": "x", "payment_method": "tok_visa&customer=cus_1"}),
        owner: true,
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
];

#[tokio::test]
async fn people_cannot_act_on_memberships_that_are_not_theirs_to_act_on() {
    let s = school().await;
    let m = member(&s).await;
    let id = m["id"].as_str().unwrap();
    let stranger = s.app.student().await;
    for row in PERSON_ROWS {
        let before = snapshot(&s).await;
        let who = if row.owner { &s.student } else { &stranger };
        let (status, body) = s
            .app
            .post(&(row.path)(id), (row.body)(&s), Some(&who.token))
            .await;
        assert_eq!(status, row.status, "{}: {body}", row.sentence);
        assert_eq!(snapshot(&s).await, before, "{}", row.sentence);
    }
}

#[tokio::test]
async fn cancelling_twice_is_a_conflict_and_calls_stripe_once() {
    let s = school().await;
    let m = member(&s).await;
    let id = m["id"].as_str().unwrap();
    let path = format!("/api/memberships/{id}/cancel");
    assert_eq!(
        s.app.post(&path, json!({}), Some(&s.student.token)).await.0,
        StatusCode::OK
    );
    let before = snapshot(&s).await;
    let (status, body) = s.app.post(&path, json!({}), Some(&s.student.token)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(snapshot(&s).await, before);

    let admin_cancel = format!("/api/admin/memberships/{id}/cancel");
    assert_eq!(
        s.app
            .post(&admin_cancel, json!({}), Some(&s.admin.token))
            .await
            .0,
        StatusCode::OK
    );
    let before = snapshot(&s).await;
    let (status, body) = s
        .app
        .post(&admin_cancel, json!({}), Some(&s.admin.token))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an ended membership cannot be cancelled again: {body}"
    );
    assert_eq!(body["from"], "cancelled");
    assert_eq!(snapshot(&s).await, before);
}

#[tokio::test]
async fn twenty_parallel_cancels_and_resumes_leave_our_flag_equal_to_stripes() {
    let s = school().await;
    let m = member(&s).await;
    let id = m["id"].as_str().unwrap().to_string();
    let sub = m["stripe_subscription_id"].as_str().unwrap().to_string();
    let calls = (0..20).map(|n| {
        let action = if n % 2 == 0 { "cancel" } else { "resume" };
        let path = format!("/api/memberships/{id}/{action}");
        let (app, token) = (&s.app, s.student.token.clone());
        async move { app.post(&path, json!({}), Some(&token)).await.0 }
    });
    let answers = futures::future::join_all(calls).await;
    assert!(
        answers
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{answers:?}"
    );
    let ok = answers.iter().filter(|s| **s == StatusCode::OK).count();
    assert!(ok >= 1, "{answers:?}");
    let ours = s
        .app
        .get("/api/memberships", Some(&s.student.token))
        .await
        .1[0]["cancel_at_period_end"]
        .clone();
    let theirs =
        emulator().get(&format!("/v1/subscriptions/{sub}")).await["cancel_at_period_end"].clone();
    assert_eq!(ours, theirs);
    // Each successful call flipped the flag once, so the audit log has exactly `ok` flips.
    let flips: i64 = s
        .app
        .state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM audit_log WHERE target_id = ?1
                   AND (action = 'membership.cancel_at_period_end' OR action = 'membership.resumed')",
                [&id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(flips as usize, ok);
}

/// The membership's plan here and at Stripe, its invoices and the member's switch audits.
async fn plan_snapshot(s: &School, id: &str, sub: &str) -> Value {
    let id = id.to_string();
    let ours = s
        .app
        .state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT json_object('plan', m.plan_id, 'status', m.status,
                   'invoices', (SELECT count(*) FROM membership_invoices WHERE membership_id = m.id),
                   'switches', (SELECT count(*) FROM audit_log WHERE target_id = m.id
                                AND action = 'membership.switched' AND actor_id IS NOT NULL))
                 FROM memberships m WHERE m.id = ?1",
                [&id],
                |r| r.get::<_, String>(0),
            )?)
        })
        .await
        .map(|t| serde_json::from_str::<Value>(&t).unwrap())
        .unwrap();
    let theirs = emulator().get(&format!("/v1/subscriptions/{sub}")).await;
    json!({"ours": ours, "stripe_plan": theirs["plan"]["id"], "stripe_status": theirs["status"]})
}

struct SwitchRow {
    sentence: &'static str,
    /// The body, from the monthly and yearly plan ids.
    body: fn(monthly: &str, yearly: &str) -> Value,
    /// Who asks: the owner (`true`) or another student.
    owner: bool,
    status: StatusCode,
}

const SWITCH_ROWS: &[SwitchRow] = &[
    SwitchRow {
        sentence: "a switch to the plan the membership already has is refused",
        body: |monthly, _| json!({"plan_id": monthly}),
        owner: true,
        status: StatusCode::CONFLICT,
    },
    SwitchRow {
        sentence: "a switch to a plan that is not the sibling is refused",
        body: |_, _| json!({"plan_id": "some-other-plan"}),
        owner: true,
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
    SwitchRow {
        sentence: "a switch body with a stray field is refused",
        body: |_, yearly| json!({"plan_id": yearly, "proration_behavior": "none"}),
        owner: true,
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
    SwitchRow {
        sentence: "another member may not switch my membership, even naming the sibling",
        body: |_, yearly| json!({"plan_id": yearly}),
        owner: false,
        status: StatusCode::NOT_FOUND,
    },
];

#[tokio::test]
async fn bad_switches_change_neither_the_row_nor_the_subscription_at_stripe() {
    let s = school().await;
    let (monthly, yearly) = crate::payments::memberships_switch::pair(&s).await;
    let (status, m) =
        crate::payments::memberships::subscribe(&s, &s.student, &monthly, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    let sub = m["stripe_subscription_id"].as_str().unwrap().to_string();
    let stranger = s.app.student().await;
    let path = format!("/api/memberships/{id}/switch");
    for row in SWITCH_ROWS {
        let before = plan_snapshot(&s, &id, &sub).await;
        let who = if row.owner { &s.student } else { &stranger };
        let body = (row.body)(&monthly, &yearly);
        let (status, answer) = s.app.post(&path, body, Some(&who.token)).await;
        assert_eq!(status, row.status, "{}: {answer}", row.sentence);
        assert_eq!(
            plan_snapshot(&s, &id, &sub).await,
            before,
            "{}",
            row.sentence
        );
    }

    // Cancelled by staff: a switch is a conflict and Stripe is not asked.
    let (status, body) = s
        .app
        .post(
            &format!("/api/admin/memberships/{id}/cancel"),
            json!({}),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let before = plan_snapshot(&s, &id, &sub).await;
    let (status, body) = s
        .app
        .post(&path, json!({"plan_id": yearly}), Some(&s.student.token))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a cancelled membership does not switch: {body}"
    );
    assert_eq!(plan_snapshot(&s, &id, &sub).await, before);
}

#[tokio::test]
async fn twenty_parallel_switches_naming_the_yearly_plan_switch_once() {
    let s = school().await;
    let (monthly, yearly) = crate::payments::memberships_switch::pair(&s).await;
    let (status, m) =
        crate::payments::memberships::subscribe(&s, &s.student, &monthly, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    let sub = m["stripe_subscription_id"].as_str().unwrap().to_string();
    let path = format!("/api/memberships/{id}/switch");
    let calls = (0..20).map(|_| {
        let (app, token, path) = (&s.app, s.student.token.clone(), path.clone());
        let body = json!({"plan_id": yearly});
        async move { app.post(&path, body, Some(&token)).await.0 }
    });
    let answers = futures::future::join_all(calls).await;
    let ok = answers.iter().filter(|a| **a == StatusCode::OK).count();
    let conflicts = answers
        .iter()
        .filter(|a| **a == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, conflicts), (1, 19), "{answers:?}");
    let after = plan_snapshot(&s, &id, &sub).await;
    assert_eq!(after["ours"]["plan"], yearly.as_str());
    assert_eq!(after["ours"]["switches"], 1);
    assert_eq!(after["stripe_plan"], format!("schoolhouse_plan_{yearly}"));
}
