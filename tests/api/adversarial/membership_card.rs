//! Abuse of the card update (`POST /api/memberships/{id}/payment-method`): someone else's
//! membership, memberships nobody pays by card, ended ones, ids that are not cards, and 20
//! parallel updates of an overdue membership. Each row asserts the answer and that nothing
//! changed: the membership rows, invoices, mails, audit entries and the card at Stripe.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::payments::emulator;
use crate::payments::memberships::{School, membership, monthly, school};
use crate::payments::memberships_card::{Overdue, overdue, receipts, update_card};

/// Everything a card update may touch here.
async fn snapshot(s: &School) -> Value {
    s.app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT json_object(
                   'memberships', (SELECT json_group_array(json_array(id, user_id, status, cycles_paid,
                        cancel_at_period_end, current_period_end, past_due_since, updated_at))
                        FROM memberships),
                   'invoices', (SELECT count(*) FROM membership_invoices),
                   'outbox', (SELECT count(*) FROM outbox),
                   'card_audits', (SELECT count(*) FROM audit_log
                        WHERE action = 'membership.card_updated'))",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap()
}

/// The cards Stripe would charge next for the overdue membership, and its invoice's state.
async fn at_stripe(o: &Overdue) -> Value {
    let customer = emulator()
        .get(&format!("/v1/customers/{}", o.customer))
        .await;
    let sub = emulator()
        .get(&format!("/v1/subscriptions/{}", o.sub))
        .await;
    let invoice = o.invoice["id"].as_str().unwrap();
    let invoice = emulator().get(&format!("/v1/invoices/{invoice}")).await;
    json!([
        customer["invoice_settings"]["default_payment_method"],
        sub["default_payment_method"],
        sub["status"],
        invoice["status"]
    ])
}

/// Who asks, about which membership, with which body.
#[derive(Clone, Copy)]
enum Target {
    /// The overdue card membership of the school's student.
    Overdue,
    /// A membership staff gave the student (`comp` or `manual`).
    Given(&'static str),
    /// The overdue membership after an admin ended it.
    Ended,
    /// An id nobody has.
    Missing,
}

#[derive(Clone, Copy)]
enum Caller {
    Owner,
    Stranger,
    Anonymous,
}

struct Row {
    sentence: &'static str,
    caller: Caller,
    target: Target,
    body: fn() -> Value,
    status: StatusCode,
}

const ROWS: &[Row] = &[
    Row {
        sentence: "someone else's membership is a 404 and neither pays it nor changes its card",
        caller: Caller::Stranger,
        target: Target::Overdue,
        body: || json!({"payment_method": "pm_card_visa"}),
        status: StatusCode::NOT_FOUND,
    },
    Row {
        sentence: "without signing in nobody updates a card",
        caller: Caller::Anonymous,
        target: Target::Overdue,
        body: || json!({"payment_method": "pm_card_visa"}),
        status: StatusCode::UNAUTHORIZED,
    },
    Row {
        sentence: "a membership id nobody has is a 404",
        caller: Caller::Owner,
        target: Target::Missing,
        body: || json!({"payment_method": "pm_card_visa"}),
        status: StatusCode::NOT_FOUND,
    },
    Row {
        sentence: "a comp membership has no card to replace",
        caller: Caller::Owner,
        target: Target::Given("comp"),
        body: || json!({"payment_method": "pm_card_visa"}),
        status: StatusCode::CONFLICT,
    },
    Row {
        sentence: "a manual membership is paid at the school, not by card",
        caller: Caller::Owner,
        target: Target::Given("manual"),
        body: || json!({"payment_method": "pm_card_visa"}),
        status: StatusCode::CONFLICT,
    },
    Row {
        sentence: "an ended membership takes no card and pays nothing",
        caller: Caller::Owner,
        target: Target::Ended,
        body: || json!({"payment_method": "pm_card_visa"}),
        status: StatusCode::CONFLICT,
    },
    Row {
        sentence: "a card token that is not a PaymentMethod id never reaches Stripe",
        caller: Caller::Owner,
        target: Target::Overdue,
        body: || json!({"payment_method": "tok_visa"}),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "a payment method id smuggling a path is refused",
        caller: Caller::Owner,
        target: Target::Overdue,
        body: || json!({"payment_method": "pm_card_visa/../../customers"}),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "a well-formed card id Stripe does not know is refused and nothing is paid",
        caller: Caller::Owner,
        target: Target::Overdue,
        body: || json!({"payment_method": "pm_doesnotexist"}),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "an amount slipped into the body is refused, not ignored",
        caller: Caller::Owner,
        target: Target::Overdue,
        body: || json!({"payment_method": "pm_card_visa", "amount_cents": 1}),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "a body without a card is refused",
        caller: Caller::Owner,
        target: Target::Overdue,
        body: || json!({}),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    },
];

/// The id a row aims at, made ready in the school `s` whose student holds `o`.
async fn target_id(s: &School, o: &Overdue, plan_id: &str, target: Target) -> String {
    match target {
        Target::Overdue => o.id.clone(),
        Target::Missing => uuid::Uuid::now_v7().to_string(),
        Target::Given(gateway) => {
            let other_plan = monthly(s).await;
            let (status, given) = s
                .app
                .post(
                    "/api/admin/memberships",
                    json!({"user_id": s.student.id, "plan_id": other_plan, "gateway": gateway}),
                    Some(&s.admin.token),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{given}");
            given["id"].as_str().unwrap().to_string()
        }
        Target::Ended => {
            let path = format!("/api/admin/memberships/{}/cancel", o.id);
            let (status, ended) = s.app.post(&path, json!({}), Some(&s.admin.token)).await;
            assert_eq!(status, StatusCode::OK, "{ended}");
            let _ = plan_id;
            o.id.clone()
        }
    }
}

#[tokio::test]
async fn abusive_card_updates_are_refused_and_change_nothing() {
    for row in ROWS {
        let s = school().await;
        let plan_id = monthly(&s).await;
        let o = overdue(&s, &plan_id, 1900).await;
        let id = target_id(&s, &o, &plan_id, row.target).await;
        let stranger = s.app.student().await;
        let (before, stripe_before) = (snapshot(&s).await, at_stripe(&o).await);
        let path = format!("/api/memberships/{id}/payment-method");
        let token = match row.caller {
            Caller::Owner => Some(s.student.token.as_str()),
            Caller::Stranger => Some(stranger.token.as_str()),
            Caller::Anonymous => None,
        };
        let (status, body) = s.app.post(&path, (row.body)(), token).await;
        assert_eq!(status, row.status, "{}: {body}", row.sentence);
        assert_eq!(
            snapshot(&s).await,
            before,
            "{}: nothing changed",
            row.sentence
        );
        assert_eq!(
            at_stripe(&o).await,
            stripe_before,
            "{}: Stripe unchanged",
            row.sentence
        );
    }
}

/// Updates on one membership are serialised: the first pays the open invoice, the others find
/// the membership active and only save their card.
#[tokio::test]
async fn twenty_parallel_card_updates_pay_the_overdue_invoice_once() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    let o = overdue(&s, &plan_id, 1900).await;
    let calls = (0..20).map(|n| {
        // Half of them with a card that is declined.
        let card = if n % 2 == 0 {
            "pm_card_visa"
        } else {
            "pm_card_chargeCustomerFail"
        };
        update_card(&s, &s.student, &o.id, card)
    });
    let answers = futures::future::join_all(calls).await;
    let ok = answers
        .iter()
        .filter(|(st, _)| *st == StatusCode::OK)
        .count();
    for (status, body) in &answers {
        assert!(
            [StatusCode::OK, StatusCode::PAYMENT_REQUIRED].contains(status),
            "{status} {body}"
        );
    }
    assert!(ok >= 10, "every good card is saved: {ok}");

    let m = membership(&s, &o.id).await;
    assert_eq!(m["status"], "active", "{m}");
    assert_eq!(m["cycles_paid"], 2, "one period paid once: {m}");
    assert_eq!(receipts(&s).await, 1);
    let charges = emulator()
        .get(&format!("/v1/charges?customer={}&limit=100", o.customer))
        .await;
    let paid = charges["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "succeeded")
        .count();
    assert_eq!(paid, 2, "the first period and the renewal, nothing more");
    let audits = snapshot(&s).await["card_audits"].as_i64().unwrap();
    assert_eq!(audits as usize, ok, "one audit entry per saved card");
}
