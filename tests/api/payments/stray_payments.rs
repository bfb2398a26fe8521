//! Money that arrives for an order that can no longer take it is sent straight back, and an
//! automatic refund left unsent goes out with the next reconciliation.

use reqwest::StatusCode;
use schoolhouse::http::AppError;

use super::{
    CardShop, audit_rows, card_shop, course, deliver, enrollment, intent_event, new_event_id,
    only_mail, order_for, order_status, payment_of, sign, start_card_payment,
};
use crate::support::PASSWORD;

#[tokio::test]
async fn money_arriving_for_a_cancelled_order_is_refunded_automatically() {
    // The test signs and delivers the webhook itself.
    let CardShop {
        stripe,
        app,
        admin,
        buyer,
    } = card_shop(false).await;
    let course = course(&app, &admin, 4900).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = start_card_payment(&app, &buyer, order_id).await;
    let pi = payment["transaction_id"].as_str().unwrap();
    let (status, cancelled) = app
        .delete(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    // The buyer still completes the card form in another tab.
    assert_eq!(stripe.pay(pi, "pm_card_visa").await, StatusCode::OK);

    let event = intent_event(&new_event_id(), "payment_intent.succeeded", pi, 4900, "usd");
    let (status, ack) = deliver(&app, &event, &sign(&event)).await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    assert_eq!(ack["outcome"], "order_not_payable");
    let at_stripe = stripe.refunds_of(pi).await;
    assert_eq!(at_stripe.len(), 1, "{at_stripe:?}");
    assert_eq!(at_stripe[0]["amount"], 4900);

    let paid = payment_of(&app, &buyer, payment["id"].as_str().unwrap()).await;
    assert_eq!(
        (paid["status"].as_str(), paid["refunded_cents"].as_i64()),
        (Some("refunded"), Some(4900))
    );
    assert_eq!(order_status(&app, &buyer, order_id).await, "cancelled");
    assert_eq!(enrollment(&app, &buyer, &course).await, None);
    let (_, queue) = app
        .get(
            &format!("/api/admin/refunds?order_id={order_id}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(queue["total"], 1, "{queue}");
    let refund = &queue["items"][0];
    assert_eq!(refund["status"], "processed");
    assert_eq!(refund["amount_cents"], 4900);
    assert_eq!(refund["order_number"], order["number"]);
    let refund_id = refund["id"].as_str().unwrap();
    let requested = audit_rows(&app, &admin, "refund.requested", refund_id).await;
    assert_eq!(requested[0]["detail"]["automatic"], true, "{requested:?}");
    assert_eq!(
        audit_rows(&app, &admin, "refund.processed", refund_id)
            .await
            .len(),
        1
    );
    let (_, text) = only_mail(&app, &buyer.email, "refund_processed").await;
    assert!(
        text.contains("$49.00") && text.contains("cancelled"),
        "{text}"
    );

    // Stripe delivering the event again refunds nothing more.
    let (_, ack) = deliver(&app, &event, &sign(&event)).await;
    assert_eq!(ack["outcome"], "duplicate");
    assert_eq!(stripe.refunds_of(pi).await.len(), 1);
}

#[tokio::test]
async fn an_automatic_refund_left_unsent_goes_out_with_the_next_reconciliation() {
    use schoolhouse::commerce::service::Actor;
    use schoolhouse::payments::gateway::IntentState;
    use schoolhouse::payments::service::{Applied, apply_intent, reconcile};
    let CardShop {
        stripe,
        app,
        admin,
        buyer,
    } = card_shop(false).await;
    let course = course(&app, &admin, 2500).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = start_card_payment(&app, &buyer, order_id).await;
    let pi = payment["transaction_id"].as_str().unwrap().to_string();
    let (status, _) = app
        .delete(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stripe.pay(&pi, "pm_card_visa").await, StatusCode::OK);
    // The webhook's transaction commits, then the server stops before sending the refund.
    let (lookup, now) = (pi.clone(), app.state.now_text());
    let applied = app
        .state
        .db
        .write(move |conn| {
            let payment = schoolhouse::payments::store::payment_by_transaction(conn, &lookup)?
                .ok_or(AppError::NotFound("payment"))?;
            let money = IntentState::Succeeded {
                amount_cents: 2500,
                currency: "USD".into(),
            };
            apply_intent(conn, &payment, &money, &Actor::default(), &now)
        })
        .await
        .unwrap();
    assert_eq!(applied, Applied::OrderNotPayable);
    assert_eq!(reconcile(&app.state, app.state.now()).await.unwrap(), 0);
    assert!(stripe.refunds_of(&pi).await.is_empty(), "sent too early");

    app.state.clock.advance(time::Duration::minutes(11));
    assert_eq!(reconcile(&app.state, app.state.now()).await.unwrap(), 1);
    let refunds = stripe.refunds_of(&pi).await;
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0]["amount"], 2500);
    let buyer = app.login(&buyer.email, PASSWORD).await;
    let paid = payment_of(&app, &buyer, payment["id"].as_str().unwrap()).await;
    assert_eq!(paid["status"], "refunded");
    assert_eq!(reconcile(&app.state, app.state.now()).await.unwrap(), 0);
}
