//! A member replaces the card of a card membership or payment plan against the Stripe
//! emulator: a renewal declined at the emulator (reported by the signed
//! `invoice.payment_failed` Stripe sends) is paid at once with the new card, the membership is
//! active again with exactly one period added and one receipt, and Stripe's own `invoice.paid`
//! arriving afterwards changes nothing; a declined new card changes nothing anywhere.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::emulator;
use super::memberships::{
    School, invoice_event, membership, monthly, plan, school, send, study, subscribe,
};
use super::new_event_id;
use crate::learning as l;
use crate::support::TestUser;

/// A card member of `plan_id` whose next renewal the emulator charged to a card that is now
/// declined, reported to the app the way Stripe does.
pub(crate) struct Overdue {
    pub id: String,
    pub sub: String,
    pub customer: String,
    /// The renewal invoice, open at Stripe.
    pub invoice: Value,
    /// The end of the period the renewal pays for (unix seconds).
    pub period_end: i64,
    /// The end of the period paid before it.
    pub paid_until: Value,
}

pub(crate) async fn overdue(s: &School, plan_id: &str, cents: i64) -> Overdue {
    let (status, m) = subscribe(s, &s.student, plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    let sub = m["stripe_subscription_id"].as_str().unwrap().to_string();
    let at_stripe = emulator().get(&format!("/v1/subscriptions/{sub}")).await;
    let customer = at_stripe["customer"].as_str().unwrap().to_string();
    // The member's card stopped working (expired, blocked) before the period ended.
    let failing = [(
        "invoice_settings[default_payment_method]",
        "pm_card_chargeCustomerFail",
    )];
    emulator()
        .post(&format!("/v1/customers/{customer}"), &failing)
        .await;
    let invoice = emulator()
        .post(&format!("/_config/subscriptions/{sub}/renew"), &[])
        .await;
    assert_eq!(invoice["status"], "open", "{invoice}");
    let period_end = invoice["lines"]["data"][0]["period"]["end"]
        .as_i64()
        .unwrap();
    let failed = invoice_event(
        &new_event_id(),
        "invoice.payment_failed",
        invoice["id"].as_str().unwrap(),
        &sub,
        cents,
        period_end,
    );
    assert_eq!(
        send(&s.app, &failed).await["outcome"],
        "membership_payment_failed"
    );
    let now = membership(s, &id).await;
    assert_eq!(now["status"], "past_due", "{now}");
    Overdue {
        id,
        sub,
        customer,
        invoice,
        period_end,
        paid_until: m["current_period_end"].clone(),
    }
}

pub(crate) async fn update_card(
    s: &School,
    who: &TestUser,
    id: &str,
    card: &str,
) -> (StatusCode, Value) {
    s.app
        .post(
            &format!("/api/memberships/{id}/payment-method"),
            json!({"payment_method": card}),
            Some(&who.token),
        )
        .await
}

pub(crate) async fn receipts(s: &School) -> usize {
    let mails = s.app.mails_to(&s.student.email).await;
    mails
        .iter()
        .filter(|(t, _)| t == "membership_receipt")
        .count()
}

fn rfc3339(unix: i64) -> String {
    schoolhouse::clock::rfc3339(time::OffsetDateTime::from_unix_timestamp(unix).unwrap())
}

fn paid_rows(m: &Value) -> usize {
    m["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "paid")
        .count()
}

#[tokio::test]
async fn a_member_whose_renewal_failed_updates_the_card_and_is_active_with_one_period_added() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    let o = overdue(&s, &plan_id, 1900).await;
    l::enroll(&s.app, &s.course, &s.student).await;

    let (status, m) = update_card(&s, &s.student, &o.id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["status"], "active");
    assert_eq!(m["past_due_since"], Value::Null);
    assert_eq!(m["cycles_paid"], 2, "exactly one period added: {m}");
    assert_eq!(m["current_period_end"], rfc3339(o.period_end));
    assert_ne!(m["current_period_end"], o.paid_until);
    assert_eq!(paid_rows(&m), 2, "{m}");
    assert_eq!(receipts(&s).await, 1);
    assert_eq!(study(&s, &s.student).await.0, StatusCode::OK);

    // Stripe's own report of the same payment comes afterwards: a duplicate.
    let invoice = o.invoice["id"].as_str().unwrap();
    for kind in ["invoice.paid", "invoice.payment_succeeded"] {
        let late = invoice_event(&new_event_id(), kind, invoice, &o.sub, 1900, o.period_end);
        assert_eq!(send(&s.app, &late).await["outcome"], "no_change", "{kind}");
    }
    let after = membership(&s, &o.id).await;
    assert_eq!(after["cycles_paid"], 2, "{after}");
    assert_eq!(after["current_period_end"], rfc3339(o.period_end));
    assert_eq!(paid_rows(&after), 2);
    assert_eq!(receipts(&s).await, 1, "one receipt for one payment");

    // At Stripe: the invoice is paid, and the new card is the default of both.
    let paid = emulator().get(&format!("/v1/invoices/{invoice}")).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    let customer = emulator()
        .get(&format!("/v1/customers/{}", o.customer))
        .await;
    let card = customer["invoice_settings"]["default_payment_method"]
        .as_str()
        .unwrap()
        .to_string();
    let sub = emulator()
        .get(&format!("/v1/subscriptions/{}", o.sub))
        .await;
    assert_eq!(sub["default_payment_method"], card.as_str(), "{sub}");
    assert_eq!(sub["status"], "active");
    let pm = emulator().get(&format!("/v1/payment_methods/{card}")).await;
    assert_eq!(pm["customer"], o.customer.as_str(), "attached: {pm}");
    assert_eq!(paid["charge"]["payment_method"], card.as_str());
}

#[tokio::test]
async fn a_declined_new_card_is_a_402_and_the_membership_stays_overdue() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    let o = overdue(&s, &plan_id, 1900).await;
    let before = membership(&s, &o.id).await;

    let (status, problem) = update_card(&s, &s.student, &o.id, "pm_card_chargeCustomerFail").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("declined") && detail.contains("still overdue"),
        "{detail}"
    );
    assert_eq!(membership(&s, &o.id).await, before, "nothing changed");
    assert_eq!(receipts(&s).await, 0);
    let invoice = o.invoice["id"].as_str().unwrap();
    let open = emulator().get(&format!("/v1/invoices/{invoice}")).await;
    assert_eq!(open["status"], "open");
    let customer = emulator()
        .get(&format!("/v1/customers/{}", o.customer))
        .await;
    assert_eq!(
        customer["invoice_settings"]["default_payment_method"], "pm_card_chargeCustomerFail",
        "the card on file is unchanged"
    );
    let sub = emulator()
        .get(&format!("/v1/subscriptions/{}", o.sub))
        .await;
    assert_eq!(sub["default_payment_method"], Value::Null);
    let cards = emulator()
        .get(&format!(
            "/v1/payment_methods?customer={}&type=card",
            o.customer
        ))
        .await;
    let kept: Vec<&Value> = cards["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["card"]["last4"] == "0341")
        .collect();
    assert!(kept.is_empty(), "the declined card is not kept: {kept:?}");

    // Another card then works.
    let (status, m) = update_card(&s, &s.student, &o.id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["status"], "active");
    assert_eq!(m["cycles_paid"], 2);
}

#[tokio::test]
async fn an_active_member_saves_a_card_for_the_next_charges_and_pays_nothing_now() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    let (status, m) = subscribe(&s, &s.student, &plan_id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap();
    let sub = m["stripe_subscription_id"].as_str().unwrap();

    let (status, saved) = update_card(&s, &s.student, id, "pm_card_fr").await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["status"], "active");
    assert_eq!(saved["cycles_paid"], 1);
    assert_eq!(saved["current_period_end"], m["current_period_end"]);
    assert_eq!(receipts(&s).await, 0);
    let at_stripe = emulator().get(&format!("/v1/subscriptions/{sub}")).await;
    let card = at_stripe["default_payment_method"].as_str().unwrap();
    let pm = emulator().get(&format!("/v1/payment_methods/{card}")).await;
    assert_eq!(pm["card"]["country"], "FR", "the new card: {pm}");

    // Stripe's next renewal is charged to it.
    let renewal = emulator()
        .post(&format!("/_config/subscriptions/{sub}/renew"), &[])
        .await;
    assert_eq!(renewal["status"], "paid", "{renewal}");
    assert_eq!(renewal["charge"]["payment_method"], card);
}

#[tokio::test]
async fn an_overdue_instalment_is_paid_with_the_new_card_and_counts_once() {
    let s = school().await;
    let plan_id = plan(
        &s,
        json!({"name": "Sourdough in 3", "interval": "month", "price_cents": 4000,
               "scope": "courses", "course_ids": [s.course], "cycles": 3}),
    )
    .await;
    let o = overdue(&s, &plan_id, 4000).await;
    let (status, m) = update_card(&s, &s.student, &o.id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["status"], "active");
    assert_eq!(m["cycles_paid"], 2, "{m}");
    assert_eq!(m["invoices"][0]["amount_cents"], 4000);
    assert_eq!(m["next_charge"]["amount_cents"], 4000);
    let invoice = o.invoice["id"].as_str().unwrap();
    let late = invoice_event(
        &new_event_id(),
        "invoice.paid",
        invoice,
        &o.sub,
        4000,
        o.period_end,
    );
    assert_eq!(send(&s.app, &late).await["outcome"], "no_change");
    assert_eq!(membership(&s, &o.id).await["cycles_paid"], 2);
    assert_eq!(receipts(&s).await, 1);
}

/// The `customer.subscription.updated` Stripe made when the card was saved (it still bills the
/// monthly plan), delivered only after the member switched to yearly in the same second.
#[tokio::test]
async fn the_card_updates_own_event_arriving_after_a_switch_does_not_switch_back() {
    let s = school().await;
    let (monthly, yearly) = super::memberships_switch::pair(&s).await;
    let (status, m) = subscribe(&s, &s.student, &monthly, "pm_card_visa").await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap();
    let sub = m["stripe_subscription_id"].as_str().unwrap();
    let (status, saved) = update_card(&s, &s.student, id, "pm_card_visa").await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let made = time::OffsetDateTime::now_utc().unix_timestamp();
    let (status, switched) = s
        .app
        .post(
            &format!("/api/memberships/{id}/switch"),
            json!({"plan_id": yearly}),
            Some(&s.student.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{switched}");

    let late = json!({
        "id": new_event_id(), "object": "event", "type": "customer.subscription.updated",
        "api_version": "2026-09-30.endive", "created": made, "livemode": false,
        "pending_webhooks": 0, "request": {"id": null, "idempotency_key": null},
        "data": {"object": {"id": sub, "object": "subscription", "status": "active",
            "cancel_at_period_end": false, "metadata": {},
            "plan": {"id": format!("schoolhouse_plan_{monthly}")}}}
    })
    .to_string();
    assert_eq!(send(&s.app, &late).await["outcome"], "stale");
    let now = membership(&s, id).await;
    assert_eq!(now["plan_id"], yearly.as_str(), "{now}");
}

/// A form POST to the emulator that may be refused: its status and body.
async fn emulator_post(path: &str, pairs: &[(&str, &str)]) -> (StatusCode, Value) {
    let base = std::env::var("STRIPE_API_BASE").unwrap();
    let key = std::env::var("STRIPE_SECRET_KEY").unwrap();
    let response = crate::support::client()
        .post(format!("{}{path}", base.trim_end_matches('/')))
        .bearer_auth(key)
        .header("content-type", "application/x-www-form-urlencoded")
        // Ids and numbers only: nothing to escape.
        .body(
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&"),
        )
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Before trusting the emulator's answers to the card update, it must refuse what Stripe
/// refuses: an unknown invoice or card, a card of another customer, a declined card, an
/// invoice paid twice, a parameter Stripe does not take.
#[tokio::test]
async fn the_stripe_emulator_refuses_the_card_requests_stripe_refuses() {
    let s = school().await;
    let plan_id = monthly(&s).await;
    let o = overdue(&s, &plan_id, 1900).await;
    let invoice = o.invoice["id"].as_str().unwrap();
    let pay = format!("/v1/invoices/{invoice}/pay");
    let attach = |card: &str| format!("/v1/payment_methods/{card}/attach");
    let customer = [("customer", o.customer.as_str())];

    let (status, _) = emulator_post("/v1/invoices/in_nosuchinvoice/pay", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown invoice");
    let (status, _) = emulator_post(&attach("pm_nosuchcard"), &customer).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown card");
    let (status, body) = emulator_post(&attach("pm_card_visa_chargeDeclined"), &customer).await;
    assert_eq!(
        status,
        StatusCode::PAYMENT_REQUIRED,
        "declined at attach: {body}"
    );
    let (status, body) = emulator_post(&pay, &[("payment_method", "pm_card_visa")]).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "not this customer's card: {body}"
    );
    let (status, body) = emulator_post(&pay, &[("amount", "1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no such parameter: {body}");
    let sub = format!("/v1/subscriptions/{}", o.sub);
    let (status, body) = emulator_post(&sub, &[("default_payment_method", "pm_card_visa")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not attached: {body}");

    let (_, declined) = emulator_post(&attach("pm_card_chargeCustomerFail"), &customer).await;
    let card = declined["id"].as_str().unwrap();
    let (status, body) = emulator_post(&pay, &[("payment_method", card)]).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{body}");
    assert_eq!(body["error"]["code"], "card_declined");
    let open = emulator().get(&format!("/v1/invoices/{invoice}")).await;
    assert_eq!(open["status"], "open", "a decline pays nothing");

    let (_, good) = emulator_post(&attach("pm_card_visa"), &customer).await;
    let card = good["id"].as_str().unwrap();
    let (status, paid) = emulator_post(&pay, &[("payment_method", card)]).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "paid");
    let (status, body) = emulator_post(&pay, &[("payment_method", card)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "paid twice: {body}");
}
