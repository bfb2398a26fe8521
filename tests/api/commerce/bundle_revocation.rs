//! Access taken back outside the refund flow follows the same rule as a refund: a course
//! that another paid line (a bundle) still grants stays, on a PayPal reversal and when a
//! paid order that cost nothing is cancelled.

use reqwest::StatusCode;

use super::bundles::{bundle, bundle_order, enrolments};
use crate::payments::paypal_peer::shop;
use crate::payments::{course, pay_at_the_office};
use crate::support::spawn_app_with;

#[tokio::test]
async fn a_paypal_reversal_keeps_a_course_that_a_paid_bundle_also_grants() {
    let s = shop(&[4900]).await;
    let paid = s.pay().await;
    let paypal_order = s.paypal_order(&paid).await;
    s.peer.deliver(&s.app, &paypal_order).await;
    // The same course again, inside a bundle paid at the office with a second course.
    let other = course(&s.app, &s.admin, 2900).await;
    let made = bundle(&s.app, &s.admin, &[&s.courses[0], &other], 5900).await;
    let order = bundle_order(&s.app, &s.buyer, made["id"].as_str().unwrap()).await;
    pay_at_the_office(&s.app, &s.admin, &s.buyer, order["id"].as_str().unwrap()).await;
    let held = [s.courses[0].clone(), other];
    assert_eq!(
        enrolments(&s.app, &s.buyer, &held).await,
        ["active", "active"]
    );

    let (_, answer) = s.reverse(&paid).await;
    assert_eq!(answer["body"]["outcome"], "reversed", "{answer}");
    assert_eq!(s.order_status().await, "refunded");
    assert_eq!(
        enrolments(&s.app, &s.buyer, &held).await,
        ["active", "active"],
        "the paid bundle still grants the course whose own payment was reversed"
    );
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn cancelling_a_free_order_keeps_a_course_that_a_paid_bundle_also_grants() {
    use schoolhouse::config::commerce::{ShippingMethod, ShippingRate};
    let app = spawn_app_with(|c| {
        c.shipping.methods = vec![ShippingMethod {
            id: "pickup".into(),
            name: "Pick-up".into(),
            rate: ShippingRate::Flat { cents: 0 },
            countries: Vec::new(),
        }];
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let shared = course(&app, &admin, 1000).await;
    let only_free = course(&app, &admin, 1000).await;
    let only_paid = course(&app, &admin, 1000).await;
    // A free bundle with a free leaflet to pick up: paid at nothing, not yet fulfilled.
    let free = bundle(&app, &admin, &[&shared, &only_free], 0).await;
    let leaflet = super::product(&app, &admin.id, "Leaflet", 0, "physical", Some(10)).await;
    super::add(&app, &buyer.token, "product", &leaflet, 1).await;
    super::add(
        &app,
        &buyer.token,
        "bundle",
        free["id"].as_str().unwrap(),
        1,
    )
    .await;
    let free_order = super::checkout(&app, &buyer.token).await;
    assert_eq!(free_order["status"], "paid", "{free_order}");
    let paid = bundle(&app, &admin, &[&shared, &only_paid], 1500).await;
    let paid_order = bundle_order(&app, &buyer, paid["id"].as_str().unwrap()).await;
    pay_at_the_office(&app, &admin, &buyer, paid_order["id"].as_str().unwrap()).await;
    let all = [shared, only_free, only_paid];
    assert_eq!(
        enrolments(&app, &buyer, &all).await,
        ["active", "active", "active"]
    );

    let (status, body) = app
        .delete(
            &format!("/api/orders/{}", free_order["id"].as_str().unwrap()),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        enrolments(&app, &buyer, &all).await,
        ["active", "revoked", "active"],
        "only the course nothing else pays for goes with the cancelled order"
    );
}
