//! Switching monthly <-> yearly against the Stripe emulator: the subscription's plan and
//! price change, Stripe prorates the unused time, and the membership row follows the
//! webhooks (also for a switch made at Stripe itself).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::emulator;
use super::memberships::{School, membership, plan, school, subscribe};

/// A monthly plan at 19.00 and its yearly sibling at 190.00 (linked both ways).
pub(crate) async fn pair(s: &School) -> (String, String) {
    let monthly = plan(
        s,
        json!({"name": "All access monthly", "interval": "month", "price_cents": 1900, "scope": "all"}),
    )
    .await;
    let yearly = plan(
        s,
        json!({"name": "All access yearly", "interval": "year", "price_cents": 19000,
               "scope": "all", "switch_plan_id": monthly}),
    )
    .await;
    (monthly, yearly)
}

/// Polls the student's membership until `done` holds (webhooks arrive about a second
/// after the emulator's change), for at most 15 s.
async fn until(s: &School, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..150 {
        let m = membership(s, id).await;
        if done(&m) {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: {}", membership(s, id).await);
}

fn stripe_plan(id: &str) -> String {
    format!("schoolhouse_plan_{id}")
}

#[tokio::test]
async fn switching_to_yearly_changes_the_price_at_stripe_with_proration_and_the_row_follows() {
    let s = school().await;
    emulator().register_webhook(&s.app).await;
    let (monthly, yearly) = pair(&s).await;
    let (status, m) = subscribe(&s, &s.student, &monthly, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let (id, sub) = (
        m["id"].as_str().unwrap().to_string(),
        m["stripe_subscription_id"].as_str().unwrap().to_string(),
    );
    assert_eq!(m["plan"]["switch_plan_id"], yearly.as_str(), "linked back");

    let (status, switched) = s
        .app
        .post(
            &format!("/api/memberships/{id}/switch"),
            json!({"plan_id": yearly}),
            Some(&s.student.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{switched}");
    assert_eq!(switched["plan_id"], yearly.as_str());
    assert_eq!(switched["next_charge"]["amount_cents"], 19000);

    let at_stripe = emulator().get(&format!("/v1/subscriptions/{sub}")).await;
    assert_eq!(at_stripe["plan"]["id"], stripe_plan(&yearly), "{at_stripe}");
    assert_eq!(at_stripe["items"]["data"][0]["plan"]["amount"], 19000);
    assert_eq!(at_stripe["items"]["data"].as_array().unwrap().len(), 1);
    let invoices = emulator()
        .get(&format!("/v1/invoices?subscription={sub}"))
        .await;
    let lines: Vec<&Value> = invoices["data"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["lines"]["data"].as_array().unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["proration"] == true && l["amount"] == -1900),
        "the unused month is credited: {lines:?}"
    );

    // The emulator charges the new year at once (less the unused month): 171.00, paid.
    let followed = until(&s, &id, "the switch invoice arrives by webhook", |m| {
        m["invoices"].as_array().unwrap().len() == 2
    })
    .await;
    assert_eq!(followed["plan_id"], yearly.as_str());
    assert_eq!(followed["status"], "active");
    assert_eq!(followed["invoices"][0]["amount_cents"], 17100, "{followed}");
    assert_eq!(followed["invoices"][0]["status"], "paid");
}

#[tokio::test]
async fn a_switch_made_at_stripe_moves_the_membership_row_to_our_plan_it_bills() {
    let s = school().await;
    emulator().register_webhook(&s.app).await;
    let (monthly, yearly) = pair(&s).await;
    // Someone else's yearly subscription creates the yearly Plan at the emulator.
    let other = s.app.student().await;
    let (status, body) = subscribe(&s, &other, &yearly, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, m) = subscribe(&s, &s.student, &monthly, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    let sub = m["stripe_subscription_id"].as_str().unwrap();

    let at_stripe = emulator().get(&format!("/v1/subscriptions/{sub}")).await;
    let item = at_stripe["items"]["data"][0]["id"].as_str().unwrap();
    let target = stripe_plan(&yearly);
    emulator()
        .post(
            &format!("/v1/subscriptions/{sub}"),
            &[
                ("items[0][id]", item),
                ("items[0][plan]", &target),
                ("proration_behavior", "create_prorations"),
            ],
        )
        .await;
    let followed = until(
        &s,
        &id,
        "customer.subscription.updated moves the plan",
        |m| m["plan_id"] == yearly.as_str(),
    )
    .await;
    assert_eq!(followed["status"], "active");
}
