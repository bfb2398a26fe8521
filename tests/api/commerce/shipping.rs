//! Small API additions the web UI relies on: cart item kinds and shipping choices, the MFA
//! flag on `/api/users/me`, `available_at` on drip-locked lessons, and public settings.

use reqwest::StatusCode;
use schoolhouse::commerce::pricing::{ShippingMethod, ShippingRate};
use serde_json::{Value, json};

use crate::commerce::{add, course as shop_course, product};
use crate::learning::{course, enroll, instructor, lesson, spec};
use crate::support::{assert_problem, spawn_app, spawn_app_with};

fn method(id: &str, name: &str, rate: ShippingRate, countries: &[&str]) -> ShippingMethod {
    ShippingMethod {
        id: id.into(),
        name: name.into(),
        rate,
        countries: countries.iter().map(|c| c.to_string()).collect(),
    }
}

/// `(id, cents)` of each shipping method the cart offers.
fn offered(cart: &Value) -> Vec<(String, i64)> {
    cart["shipping_methods"]
        .as_array()
        .unwrap_or_else(|| panic!("no shipping_methods in {cart}"))
        .iter()
        .map(|m| {
            assert!(m["name"].is_string(), "{m}");
            (
                m["id"].as_str().unwrap().to_string(),
                m["cents"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_cart_names_each_items_kind_and_the_shipping_methods_priced_for_it() {
    let app = spawn_app_with(|config| {
        config.shipping.methods = vec![
            method(
                "standard",
                "Standard",
                ShippingRate::Flat { cents: 500 },
                &[],
            ),
            method(
                "express",
                "Express",
                ShippingRate::PerItem { cents: 300 },
                &["GB"],
            ),
        ];
    })
    .await;
    let student = app.student().await;
    let vendor = app.admin().await;
    let mug = product(&app, &vendor.id, "Mug", 1500, "physical", Some(9)).await;
    let guide = product(&app, &vendor.id, "Guide", 900, "digital", None).await;
    let class = shop_course(&app, &vendor.id, "Bread", 4900, "published").await;
    add(&app, &student.token, "product", &mug, 2).await;
    add(&app, &student.token, "product", &guide, 1).await;
    add(&app, &student.token, "course", &class, 1).await;

    let (status, cart) = app.get("/api/cart?country=GB", Some(&student.token)).await;
    assert_eq!(status, StatusCode::OK, "{cart}");
    let kinds: Vec<(&str, &str)> = cart["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Mug", "physical"),
            ("Guide", "digital"),
            ("Bread", "course")
        ]
    );
    assert_eq!(
        offered(&cart),
        [("standard".into(), 500), ("express".into(), 600)]
    );
    assert_eq!(cart["shipping_method"], "standard");

    let (_, chosen) = app
        .get(
            "/api/cart?country=GB&shipping_method=express",
            Some(&student.token),
        )
        .await;
    assert_eq!(
        chosen["shipping_cents"], 600,
        "the offered price is the one charged"
    );

    let (_, abroad) = app.get("/api/cart?country=US", Some(&student.token)).await;
    assert_eq!(offered(&abroad), [("standard".into(), 500)]);

    let (_, unknown) = app.get("/api/cart", Some(&student.token)).await;
    assert_eq!(
        offered(&unknown),
        [("standard".into(), 500), ("express".into(), 600)],
        "without a country every method is shown as an estimate"
    );
}

#[tokio::test]
async fn a_cart_with_nothing_to_ship_offers_no_shipping_methods() {
    let app = spawn_app().await;
    let student = app.student().await;
    let vendor = app.admin().await;
    let guide = product(&app, &vendor.id, "Guide", 900, "digital", None).await;
    let (status, added) = app
        .post(
            "/api/cart",
            json!({ "item_type": "product", "item_id": guide, "quantity": 1 }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["kind"], "digital");
    let (_, cart) = app.get("/api/cart?country=GB", Some(&student.token)).await;
    assert_eq!(cart["shipping_methods"], json!([]));
}

#[tokio::test]
async fn my_profile_says_whether_mfa_is_on() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (status, me) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["mfa_enabled"], false);
    assert_eq!(me["email"], user.email.as_str());

    crate::auth::mfa::enrol(&app, &user).await;
    let (status, me) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["mfa_enabled"], true);
    let (status, renamed) = app
        .patch(
            "/api/users/me",
            json!({ "name": "Grace H." }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Grace H.");
    assert_eq!(renamed["mfa_enabled"], true);
}

#[tokio::test]
async fn a_dripping_lesson_says_when_it_opens() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let mut later = spec("reading");
    later.days = 3;
    let lesson_id = lesson(&app, &course_id, later).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;

    let (status, locked) = app
        .get(
            &format!("/api/courses/{course_id}/lessons/{lesson_id}"),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &locked, StatusCode::FORBIDDEN);
    let opens = locked["available_at"]
        .as_str()
        .unwrap_or_else(|| panic!("{locked}"));
    let opens_at =
        time::OffsetDateTime::parse(opens, &time::format_description::well_known::Rfc3339).unwrap();
    let wait = opens_at - app.state.now();
    assert!(
        wait > time::Duration::days(3) - time::Duration::minutes(5)
            && wait <= time::Duration::days(3),
        "opens in {wait}"
    );

    let (status, progress) = app
        .post(
            &format!("/api/courses/{course_id}/progress"),
            json!({ "lesson_id": lesson_id, "completed": true }),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &progress, StatusCode::FORBIDDEN);
    assert_eq!(progress["available_at"], opens, "both endpoints agree");
}

#[tokio::test]
async fn public_settings_name_the_store_without_secrets() {
    let app = spawn_app_with(|config| {
        config.store.name = "Crumb & Co".into();
        config.store.currency = "EUR".into();
        config.server.public_url = "https://crumb.example/".into();
        config.payments.gateways = vec![
            schoolhouse::payments::config::GatewayKind::Stripe,
            schoolhouse::payments::config::GatewayKind::Manual,
        ];
        config.payments.stripe.secret_key = "sk_test_never_shown".into();
        config.payments.stripe.publishable_key = "pk_test_shown".into();
        config.payments.manual.instructions = "Pay at the office.".into();
    })
    .await;
    let (status, settings) = app.get("/api/settings", None).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(
        settings,
        json!({
            "store_name": "Crumb & Co",
            "currency": "EUR",
            "public_url": "https://crumb.example",
            "payments": {
                "gateways": ["stripe", "manual"],
                "stripe": { "publishable_key": "pk_test_shown", "js_url": "https://js.stripe.com/v3/" },
                "manual_instructions": "Pay at the office.",
                "manual_reservation_days": 7,
            },
            "shipping_methods": [{ "id": "standard", "name": "Standard" }],
        })
    );
    assert!(
        !settings.to_string().contains("sk_test"),
        "no secret key in public settings"
    );
}

#[tokio::test]
async fn admins_see_the_effective_settings_with_their_keys_and_no_secret() {
    let app = spawn_app_with(|config| {
        config.payments.stripe.secret_key = "sk_test_never_shown".into();
        config.orders.reservation_minutes = 45;
    })
    .await;
    let admin = app.admin().await;
    let student = app.student().await;

    let (status, body) = app.get("/api/admin/settings", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let settings = body["settings"].as_array().unwrap();
    let setting = |key: &str| {
        settings
            .iter()
            .find(|s| s["key"] == key)
            .unwrap_or_else(|| panic!("no {key} in {body}"))
    };
    assert_eq!(setting("orders.reservation_minutes")["value"], 45);
    assert_eq!(
        setting("orders.reservation_minutes")["env"],
        "SCHOOLHOUSE_ORDERS__RESERVATION_MINUTES"
    );
    assert_eq!(setting("payments.stripe.secret_key")["value"], "<redacted>");
    assert_eq!(setting("payments.stripe.secret_key")["secret"], true);
    assert!(!body.to_string().contains("sk_test_never_shown"));

    let (status, body) = app.get("/api/admin/settings", Some(&student.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app.get("/api/admin/settings", None).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_buyer_follows_a_refund_on_the_order_and_the_queue_opens_on_what_needs_staff() {
    use crate::commerce::{checkout, pay_manually};
    let app = spawn_app_with(|config| {
        config.refunds.return_instructions = "Post it to: Lab 2, 1 School Lane".into();
    })
    .await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    let kettle = product(&app, &admin.id, "Kettle", 2500, "physical", Some(10)).await;
    add(&app, &buyer.token, "product", &kettle, 1).await;
    let order = checkout(&app, &buyer.token).await;
    pay_manually(&app, &buyer.token, &admin.token, &order).await;
    let order_id = order["id"].as_str().unwrap();

    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({ "order_id": order_id, "reason": "It leaks." }),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "return_requested", "{refund}");

    let (_, seen) = app
        .get(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    let listed = &seen["refunds"][0];
    assert_eq!(listed["id"], refund["id"]);
    assert_eq!(listed["status"], "return_requested");
    assert_eq!(listed["item_ids"], json!([seen["items"][0]["id"]]));
    let (_, settings) = app.get("/api/settings", None).await;
    assert_eq!(
        settings["return_instructions"],
        "Post it to: Lab 2, 1 School Lane"
    );

    // A decided request leaves the "needs action" queue; a waiting one is in it.
    let (_, waiting) = app
        .get("/api/admin/refunds?needs_action=true", Some(&admin.token))
        .await;
    assert_eq!(waiting["total"], 1, "{waiting}");
    let (status, _) = app
        .post(
            &format!(
                "/api/admin/refunds/{}/reject",
                refund["id"].as_str().unwrap()
            ),
            json!({ "note": "Used for a term." }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, waiting) = app
        .get("/api/admin/refunds?needs_action=true", Some(&admin.token))
        .await;
    assert_eq!(waiting["total"], 0, "{waiting}");
    let (_, everything) = app.get("/api/admin/refunds", Some(&admin.token)).await;
    assert_eq!(everything["total"], 1);
    let (_, seen) = app
        .get(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(seen["refunds"][0]["status"], "rejected");
    assert_eq!(seen["refunds"][0]["decision_note"], "Used for a term.");
}

#[tokio::test]
async fn a_course_page_learns_whether_the_caller_is_enrolled_and_has_reviewed_without_an_error() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    lesson(&app, &course_id, spec("reading")).await;
    let student = app.student().await;
    let mine = format!("/api/users/me/courses?course_id={course_id}");

    let (status, body) = app.get(&mine, Some(&student.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 0);
    assert_eq!(body["items"], json!([]));

    enroll(&app, &course_id, &student).await;
    let (_, body) = app.get(&mine, Some(&student.token)).await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["course_id"], course_id.as_str());
    assert_eq!(body["items"][0]["reviewed"], false);

    let (status, _) = app
        .post(
            &format!("/api/courses/{course_id}/reviews"),
            json!({ "rating": 4, "comment": "Good." }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, body) = app.get(&mine, Some(&student.token)).await;
    assert_eq!(body["items"][0]["reviewed"], true);
}

#[tokio::test]
async fn signing_in_sets_a_readable_session_hint_without_a_secret_and_logging_out_clears_it() {
    let app = spawn_app().await;
    let student = app.student().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&json!({ "email": student.email, "password": crate::support::PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let hint = cookies
        .iter()
        .find(|c| c.starts_with("sh_session="))
        .unwrap_or_else(|| panic!("{cookies:?}"));
    assert!(
        hint.starts_with("sh_session=1;") && hint.contains("Path=/;"),
        "{hint}"
    );
    assert!(
        !hint.contains("HttpOnly"),
        "the page must be able to read it: {hint}"
    );
    let refresh = cookies
        .iter()
        .find(|c| c.starts_with("sh_refresh="))
        .unwrap();
    assert!(refresh.contains("HttpOnly"), "{refresh}");
    let token = response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();

    let response = app
        .client
        .post(app.url("/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let cleared: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("sh_session=;") && c.contains("Max-Age=0")),
        "{cleared:?}"
    );
}

#[tokio::test]
async fn addresses_take_only_codes_of_real_countries_and_the_list_names_them() {
    let app = spawn_app().await;
    let (status, list) = app.get("/api/countries", None).await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert!(list.len() > 240, "{}", list.len());
    assert!(
        list.iter()
            .any(|c| c["code"] == "DE" && c["name"] == "Germany")
    );
    assert!(
        list.iter()
            .any(|c| c["code"] == "GE" && c["name"] == "Georgia")
    );

    let admin = app.admin().await;
    let buyer = app.student().await;
    let kettle = product(&app, &admin.id, "Kettle", 2500, "physical", Some(10)).await;
    add(&app, &buyer.token, "product", &kettle, 1).await;
    for (country, billing) in [("XX", None), ("DE", Some("ZZ"))] {
        let mut address = crate::commerce::address(country);
        address["country"] = json!(country);
        let mut body = json!({ "shipping_address": address });
        if let Some(billing) = billing {
            body["billing_country"] = json!(billing);
        }
        let (status, problem) = app.post("/api/orders", body, Some(&buyer.token)).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
        let field = if billing.is_some() {
            "billing_country"
        } else {
            "shipping_address.country"
        };
        assert!(problem.to_string().contains(field), "{problem}");
    }
    let (_, orders) = app.get("/api/orders", Some(&buyer.token)).await;
    assert_eq!(orders["total"], 0, "nothing was ordered");
}
