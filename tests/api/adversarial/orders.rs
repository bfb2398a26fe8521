//! Adversarial rows for coupons, stock holds and the one path to "paid" (issue 23, items
//! 3, 7, 8 and 9): each row names the abuse, and checks the answer and that nothing changed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::commerce::{course, product, stock};
use crate::support::{TestApp, TestUser, spawn_app};

/// What an abuse must leave as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    stock: Option<i64>,
    /// Coupon redemptions held, per coupon code.
    redemptions: Vec<(String, i64)>,
    /// Every order's status, oldest first.
    orders: Vec<String>,
    /// Every payment's status, oldest first.
    payments: Vec<String>,
    active_enrolments: i64,
    sales: i64,
}

async fn snapshot(app: &TestApp, product_id: &str) -> Snapshot {
    let id = product_id.to_string();
    let (redemptions, orders, payments, active_enrolments, sales) = app
        .state
        .db
        .read(move |conn| {
            let strings = |sql: &str| -> rusqlite::Result<Vec<String>> {
                conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect()
            };
            let redemptions = conn
                .prepare(
                    "SELECT c.code, (SELECT COUNT(*) FROM coupon_redemptions r
                        WHERE r.coupon_id = c.id) FROM coupons c ORDER BY c.code",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, i64)>>>()?;
            let orders = strings("SELECT status FROM orders ORDER BY created_at, id")?;
            let payments = strings("SELECT status FROM payments ORDER BY created_at, id")?;
            let active: i64 = conn.query_row(
                "SELECT COUNT(*) FROM enrollments WHERE status IN ('active', 'completed')",
                [],
                |r| r.get(0),
            )?;
            let sales: i64 = conn.query_row(
                "SELECT COALESCE(SUM(sales_count), 0) FROM products WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            Ok::<_, schoolhouse::http::AppError>((redemptions, orders, payments, active, sales))
        })
        .await
        .unwrap();
    Snapshot {
        stock: stock(app, product_id).await,
        redemptions,
        orders,
        payments,
        active_enrolments,
        sales,
    }
}

/// A shop with a lamp (10 in stock, 10.00), a course (29.00) and two coupons: `ONCE`
/// (one redemption in all) and `EACH` (one per buyer).
struct Shop {
    app: TestApp,
    admin: TestUser,
    lamp: String,
    course: String,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let lamp = product(&app, &admin.id, "Lamp", 1000, "physical", Some(10)).await;
    let course = course(&app, &admin.id, "Pottery", 2900, "published").await;
    for coupon in [
        json!({"code": "ONCE", "percent": 10, "max_redemptions": 1, "max_redemptions_per_user": 1}),
        json!({"code": "EACH", "percent": 10, "max_redemptions_per_user": 1}),
    ] {
        let (status, body) = app
            .post("/api/admin/coupons", coupon, Some(&admin.token))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    Shop {
        app,
        admin,
        lamp,
        course,
    }
}

fn lamps(shop: &Shop, quantity: i64, coupon: Option<&str>) -> Value {
    json!({
        "items": [{"item_type": "product", "item_id": shop.lamp, "quantity": quantity}],
        "coupon_code": coupon,
        "shipping_address": {"name": "Ada", "line1": "1 St", "city": "London",
            "postal_code": "N1", "country": "GB"},
    })
}

fn the_course(shop: &Shop, coupon: Option<&str>) -> Value {
    json!({
        "items": [{"item_type": "course", "item_id": shop.course}],
        "coupon_code": coupon,
    })
}

async fn place(shop: &Shop, buyer: &TestUser, body: Value) -> Value {
    let (status, order) = shop.app.post("/api/orders", body, Some(&buyer.token)).await;
    assert_eq!(status, 201, "placing the order failed: {order}");
    order
}

async fn start_manual(shop: &Shop, buyer: &TestUser, order: &Value) -> String {
    let (status, payment) = shop
        .app
        .post(
            "/api/payments",
            json!({"order_id": order["id"], "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, 201, "{payment}");
    payment["id"].as_str().unwrap().to_string()
}

fn confirm_path(payment_id: &str) -> String {
    format!("/api/admin/payments/{payment_id}/confirm")
}

/// The abuses of the table.
#[derive(Debug, Clone, Copy)]
enum Abuse {
    /// The buyer's pending order holds `ONCE`; the same buyer orders again with it.
    ReuseHeldCoupon,
    /// The buyer's pending order holds `EACH`; the same buyer orders again with it.
    ReusePerBuyerCoupon,
    /// Someone else's pending order holds `ONCE`; a second buyer tries it.
    CouponHeldByAnother,
    /// The buyer's pending orders hold 5 lamps; one more.
    SixthUnpaidUnit,
    /// Six lamps in one order.
    SixUnitsAtOnce,
    /// Three pending orders; a fourth.
    FourthUnpaidOrder,
    /// `PUT /status {paid}` on an order whose buyer started a manual payment.
    StatusPaidWithPayment,
    /// `PUT /status {paid}` on an order with no payment at all.
    StatusPaidWithoutPayment,
    /// A vendor tries the same.
    VendorMarksPaid,
    /// The manual payment was confirmed; staff confirm it again.
    ConfirmTwice,
    /// The buyer confirms their own manual payment.
    BuyerConfirmsOwnPayment,
    /// Staff confirm a payment id that does not exist.
    ConfirmUnknownPayment,
    /// The order was cancelled after the buyer started paying; staff confirm the payment.
    ConfirmAfterCancel,
}

struct Row {
    sentence: &'static str,
    abuse: Abuse,
    status: StatusCode,
    /// A member of the problem body and its expected value.
    names: (&'static str, &'static str),
}

const ROWS: &[Row] = &[
    Row {
        sentence: "a student whose pending order holds the single-use coupon cannot use it on a second order",
        abuse: Abuse::ReuseHeldCoupon,
        status: StatusCode::UNPROCESSABLE_ENTITY,
        names: ("limit_name", "max_redemptions"),
    },
    Row {
        sentence: "a student whose pending order holds a once-per-buyer coupon cannot use it again before paying",
        abuse: Abuse::ReusePerBuyerCoupon,
        status: StatusCode::UNPROCESSABLE_ENTITY,
        names: ("limit_name", "max_redemptions_per_user"),
    },
    Row {
        sentence: "a single-use coupon held by another buyer's unpaid order is used up for everyone",
        abuse: Abuse::CouponHeldByAnother,
        status: StatusCode::UNPROCESSABLE_ENTITY,
        names: ("reason", "used_up"),
    },
    Row {
        sentence: "a buyer holding five unpaid lamps cannot reserve a sixth",
        abuse: Abuse::SixthUnpaidUnit,
        status: StatusCode::CONFLICT,
        names: ("limit_name", "orders.max_pending_units_per_product"),
    },
    Row {
        sentence: "one unpaid order cannot reserve more units than the per-buyer cap",
        abuse: Abuse::SixUnitsAtOnce,
        status: StatusCode::CONFLICT,
        names: ("limit_name", "orders.max_pending_units_per_product"),
    },
    Row {
        sentence: "a buyer with three unpaid orders cannot open a fourth",
        abuse: Abuse::FourthUnpaidOrder,
        status: StatusCode::CONFLICT,
        names: ("limit_name", "orders.max_open_orders"),
    },
    Row {
        sentence: "a status edit to paid is refused and points at the payment to confirm",
        abuse: Abuse::StatusPaidWithPayment,
        status: StatusCode::CONFLICT,
        names: ("confirm_with", "POST /api/admin/payments/{id}/confirm"),
    },
    Row {
        sentence: "a status edit to paid is refused for an order nobody has paid",
        abuse: Abuse::StatusPaidWithoutPayment,
        status: StatusCode::CONFLICT,
        names: ("to", "paid"),
    },
    Row {
        sentence: "a vendor cannot mark an order paid",
        abuse: Abuse::VendorMarksPaid,
        status: StatusCode::FORBIDDEN,
        names: ("status", ""),
    },
    Row {
        sentence: "confirming a manual payment twice pays the order once",
        abuse: Abuse::ConfirmTwice,
        status: StatusCode::CONFLICT,
        names: ("payment_status", "completed"),
    },
    Row {
        sentence: "a buyer cannot confirm their own manual payment",
        abuse: Abuse::BuyerConfirmsOwnPayment,
        status: StatusCode::FORBIDDEN,
        names: ("status", ""),
    },
    Row {
        sentence: "an unknown payment cannot be confirmed",
        abuse: Abuse::ConfirmUnknownPayment,
        status: StatusCode::NOT_FOUND,
        names: ("status", ""),
    },
    Row {
        sentence: "the payment of a cancelled order cannot be confirmed",
        abuse: Abuse::ConfirmAfterCancel,
        status: StatusCode::CONFLICT,
        names: ("payment_status", "failed"),
    },
];

/// Sets the scene for `abuse`, then commits it; returns the answer.
async fn commit(shop: &Shop, abuse: Abuse) -> (Snapshot, StatusCode, Value) {
    let app = &shop.app;
    let buyer = app.student().await;
    let admin = &shop.admin.token;
    let status_path =
        |order: &Value| format!("/api/orders/{}/status", order["id"].as_str().unwrap());
    // Scene first (may change things), then the snapshot, then the abuse.
    enum Act {
        Post(String, Value, String),
        Put(String, Value, String),
    }
    let act = match abuse {
        Abuse::ReuseHeldCoupon | Abuse::ReusePerBuyerCoupon => {
            let code = if matches!(abuse, Abuse::ReuseHeldCoupon) {
                "ONCE"
            } else {
                "EACH"
            };
            place(shop, &buyer, lamps(shop, 1, Some(code))).await;
            Act::Post(
                "/api/orders".into(),
                lamps(shop, 1, Some(code)),
                buyer.token.clone(),
            )
        }
        Abuse::CouponHeldByAnother => {
            place(shop, &buyer, the_course(shop, Some("ONCE"))).await;
            let other = app.student().await;
            Act::Post(
                "/api/orders".into(),
                lamps(shop, 1, Some("ONCE")),
                other.token,
            )
        }
        Abuse::SixthUnpaidUnit => {
            place(shop, &buyer, lamps(shop, 3, None)).await;
            place(shop, &buyer, lamps(shop, 2, None)).await;
            Act::Post(
                "/api/orders".into(),
                lamps(shop, 1, None),
                buyer.token.clone(),
            )
        }
        Abuse::SixUnitsAtOnce => Act::Post(
            "/api/orders".into(),
            lamps(shop, 6, None),
            buyer.token.clone(),
        ),
        Abuse::FourthUnpaidOrder => {
            for _ in 0..3 {
                place(shop, &buyer, lamps(shop, 1, None)).await;
            }
            Act::Post(
                "/api/orders".into(),
                the_course(shop, None),
                buyer.token.clone(),
            )
        }
        Abuse::StatusPaidWithPayment => {
            let order = place(shop, &buyer, the_course(shop, None)).await;
            start_manual(shop, &buyer, &order).await;
            Act::Put(
                status_path(&order),
                json!({"status": "paid"}),
                admin.clone(),
            )
        }
        Abuse::StatusPaidWithoutPayment => {
            let order = place(shop, &buyer, the_course(shop, None)).await;
            Act::Put(
                status_path(&order),
                json!({"status": "paid"}),
                admin.clone(),
            )
        }
        Abuse::VendorMarksPaid => {
            let vendor = app
                .user(schoolhouse::users::Role::Vendor, "vendor@example.com")
                .await;
            let own = product(app, &vendor.id, "Vase", 1500, "physical", Some(3)).await;
            let mut body = lamps(shop, 1, None);
            body["items"][0]["item_id"] = json!(own);
            let order = place(shop, &buyer, body).await;
            start_manual(shop, &buyer, &order).await;
            Act::Put(status_path(&order), json!({"status": "paid"}), vendor.token)
        }
        Abuse::ConfirmTwice => {
            let order = place(shop, &buyer, the_course(shop, Some("ONCE"))).await;
            let payment = start_manual(shop, &buyer, &order).await;
            let (status, body) = app
                .post(&confirm_path(&payment), json!({}), Some(admin))
                .await;
            assert_eq!(status, 200, "{body}");
            Act::Post(confirm_path(&payment), json!({}), admin.clone())
        }
        Abuse::BuyerConfirmsOwnPayment => {
            let order = place(shop, &buyer, the_course(shop, None)).await;
            let payment = start_manual(shop, &buyer, &order).await;
            Act::Post(confirm_path(&payment), json!({}), buyer.token.clone())
        }
        Abuse::ConfirmUnknownPayment => {
            let order = place(shop, &buyer, the_course(shop, None)).await;
            start_manual(shop, &buyer, &order).await;
            Act::Post(confirm_path("no-such-payment"), json!({}), admin.clone())
        }
        Abuse::ConfirmAfterCancel => {
            let order = place(shop, &buyer, the_course(shop, Some("ONCE"))).await;
            let payment = start_manual(shop, &buyer, &order).await;
            let path = format!("/api/orders/{}", order["id"].as_str().unwrap());
            let (status, body) = app.delete(&path, Some(&buyer.token)).await;
            assert_eq!(status, 200, "{body}");
            Act::Post(confirm_path(&payment), json!({}), admin.clone())
        }
    };
    let before = snapshot(app, &shop.lamp).await;
    let (status, body) = match act {
        Act::Post(path, body, token) => app.post(&path, body, Some(&token)).await,
        Act::Put(path, body, token) => app.put(&path, body, Some(&token)).await,
    };
    (before, status, body)
}

#[tokio::test]
async fn every_order_abuse_is_refused_and_changes_nothing() {
    for row in ROWS {
        let shop = shop().await;
        let (before, status, body) = commit(&shop, row.abuse).await;
        assert_eq!(status, row.status, "{}: {body}", row.sentence);
        let (member, value) = row.names;
        if !value.is_empty() {
            assert_eq!(body[member], value, "{}: {body}", row.sentence);
        }
        let after = snapshot(&shop.app, &shop.lamp).await;
        assert_eq!(before, after, "{}: something changed", row.sentence);
    }
}

#[tokio::test]
async fn twenty_parallel_orders_with_a_single_use_coupon_give_the_discount_exactly_once() {
    let shop = shop().await;
    let mut buyers = Vec::new();
    for _ in 0..20 {
        buyers.push(shop.app.student().await);
    }
    let before = snapshot(&shop.app, &shop.lamp).await;
    let mut tasks = tokio::task::JoinSet::new();
    for buyer in &buyers {
        let (client, url, token) = (
            shop.app.client.clone(),
            shop.app.url("/api/orders"),
            buyer.token.clone(),
        );
        let body = lamps(&shop, 1, Some("ONCE"));
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        });
    }
    let answers = tasks.join_all().await;
    let placed: Vec<_> = answers.iter().filter(|(s, _)| *s == 201).collect();
    assert_eq!(placed.len(), 1, "{answers:?}");
    assert_eq!(placed[0].1["discount_cents"], 100);
    for (status, body) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 422, "{body}");
        assert_eq!(
            (body["reason"].as_str(), body["limit_name"].as_str()),
            (Some("used_up"), Some("max_redemptions")),
            "{body}"
        );
    }
    let after = snapshot(&shop.app, &shop.lamp).await;
    assert_eq!(after.orders.len(), before.orders.len() + 1);
    assert_eq!(after.stock, before.stock.map(|s| s - 1));
    assert_eq!(after.redemptions, [("EACH".into(), 0), ("ONCE".into(), 1)]);
}

#[tokio::test]
async fn twenty_parallel_orders_of_one_buyer_hold_no_more_than_the_caps_allow() {
    let shop = shop().await;
    let buyer = shop.app.student().await;
    let before = snapshot(&shop.app, &shop.lamp).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (client, url, token) = (
            shop.app.client.clone(),
            shop.app.url("/api/orders"),
            buyer.token.clone(),
        );
        let body = lamps(&shop, 1, Some("EACH"));
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        });
    }
    let answers = tasks.join_all().await;
    assert_eq!(
        answers.iter().filter(|(s, _)| *s == 201).count(),
        1,
        "the per-buyer coupon goes to one order: {answers:?}"
    );
    let after = snapshot(&shop.app, &shop.lamp).await;
    assert_eq!(after.stock, before.stock.map(|s| s - 1));
    assert_eq!(after.redemptions, [("EACH".into(), 1), ("ONCE".into(), 0)]);

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (client, url, token) = (
            shop.app.client.clone(),
            shop.app.url("/api/orders"),
            buyer.token.clone(),
        );
        let body = lamps(&shop, 1, None);
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        });
    }
    let answers = tasks.join_all().await;
    assert_eq!(
        answers.iter().filter(|(s, _)| *s == 201).count(),
        2,
        "two more orders reach the cap of three open orders: {answers:?}"
    );
    for (status, body) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["limit_name"], "orders.max_open_orders", "{body}");
    }
    assert_eq!(
        stock(&shop.app, &shop.lamp).await,
        before.stock.map(|s| s - 3)
    );
}

#[tokio::test]
async fn twenty_parallel_confirmations_of_one_manual_payment_pay_the_order_once() {
    let shop = shop().await;
    let buyer = shop.app.student().await;
    let order = place(&shop, &buyer, the_course(&shop, None)).await;
    let payment = start_manual(&shop, &buyer, &order).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (client, url, token) = (
            shop.app.client.clone(),
            shop.app.url(&confirm_path(&payment)),
            shop.admin.token.clone(),
        );
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        });
    }
    let mut answers = tasks.join_all().await;
    answers.sort_unstable();
    assert_eq!(answers, [[200].as_slice(), &[409; 19]].concat());
    let after = snapshot(&shop.app, &shop.lamp).await;
    assert_eq!(after.payments, ["completed"]);
    assert_eq!(after.orders, ["fulfilled"]);
    assert_eq!(after.active_enrolments, 1);
}

#[tokio::test]
async fn cancelling_or_letting_an_order_lapse_gives_its_coupon_and_stock_back() {
    let shop = shop().await;
    let (first, second) = (shop.app.student().await, shop.app.student().await);
    let order = place(&shop, &first, lamps(&shop, 2, Some("ONCE"))).await;
    let held = snapshot(&shop.app, &shop.lamp).await;
    assert_eq!(held.redemptions[1], ("ONCE".into(), 1));
    let (_, coupons) = shop
        .app
        .get("/api/admin/coupons", Some(&shop.admin.token))
        .await;
    let once = coupons["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "ONCE")
        .unwrap();
    assert_eq!(
        (
            once["redemptions"].as_i64(),
            once["pending_redemptions"].as_i64()
        ),
        (Some(1), Some(1))
    );

    let path = format!("/api/orders/{}", order["id"].as_str().unwrap());
    let (status, body) = shop.app.delete(&path, Some(&first.token)).await;
    assert_eq!(status, 200, "{body}");
    let released = snapshot(&shop.app, &shop.lamp).await;
    assert_eq!(
        released.redemptions[1],
        ("ONCE".into(), 0),
        "cancelling releases the coupon"
    );
    assert_eq!(released.stock, Some(10));

    // The coupon is free again; this time the reservation runs out.
    place(&shop, &second, lamps(&shop, 2, Some("ONCE"))).await;
    shop.app.state.clock.advance(time::Duration::minutes(31));
    let cancelled =
        schoolhouse::commerce::service::expire_reservations(&shop.app.state, shop.app.state.now())
            .await
            .unwrap();
    assert_eq!(cancelled, 1);
    let lapsed = snapshot(&shop.app, &shop.lamp).await;
    assert_eq!(
        lapsed.redemptions[1],
        ("ONCE".into(), 0),
        "expiry releases the coupon"
    );
    assert_eq!(lapsed.stock, Some(10));
    assert_eq!(lapsed.orders, ["cancelled", "cancelled"]);
    let third = shop.app.student().await;
    place(&shop, &third, the_course(&shop, Some("ONCE"))).await;
}
