//! The server-side cart: adding, quantities, stock, courses and pricing through the API.

use reqwest::StatusCode;
use schoolhouse::commerce::pricing::{CountryTaxRate, ShippingMethod, ShippingRate};
use serde_json::json;

use super::{add, course, enroll, product, product_with_status};
use crate::support::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn adding_the_same_item_again_raises_its_quantity_and_the_cart_is_priced() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let book = product(&app, &admin.id, "Rust Book", 2500, "physical", Some(10)).await;
    let intro = course(&app, &admin.id, "Intro to Rust", 4000, "published").await;

    let first = add(&app, &buyer.token, "product", &book, 1).await;
    let again = add(&app, &buyer.token, "product", &book, 2).await;
    assert_eq!(first["id"], again["id"]);
    assert_eq!(again["quantity"], 3);
    add(&app, &buyer.token, "course", &intro, 1).await;

    let (status, cart) = app.get("/api/cart?country=US", Some(&buyer.token)).await;
    assert_eq!(status, 200, "{cart}");
    assert_eq!(cart["items"].as_array().unwrap().len(), 2);
    assert_eq!(cart["items"][0]["name"], "Rust Book");
    assert_eq!(cart["items"][0]["line_total_cents"], 7500);
    assert_eq!(cart["items"][0]["available"], true);
    assert_eq!(cart["subtotal_cents"], 11500);
    assert_eq!(cart["shipping_cents"], 500, "the default flat rate");
    assert_eq!(cart["total_cents"], 12000);
    assert_eq!(cart["currency"], "USD");
}

#[tokio::test]
async fn courses_the_buyer_is_enrolled_in_or_that_are_unpublished_are_refused() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let taken = course(&app, &admin.id, "Taken", 1000, "published").await;
    let draft = course(&app, &admin.id, "Draft", 1000, "draft").await;
    let open = course(&app, &admin.id, "Open", 1000, "published").await;
    enroll(&app, &buyer.id, &taken).await;

    for id in [&taken, &draft] {
        let (status, body) = app
            .post(
                "/api/cart",
                json!({"item_type": "course", "item_id": id}),
                Some(&buyer.token),
            )
            .await;
        assert_problem(status, &body, StatusCode::CONFLICT);
        assert_eq!(body["errors"][0]["field"], "item_id");
    }
    let (status, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "course", "item_id": open, "quantity": 2}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    add(&app, &buyer.token, "course", &open, 1).await;
    let (status, _) = app
        .post(
            "/api/cart",
            json!({"item_type": "course", "item_id": open}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, 409, "a course is in the cart once");
}

#[tokio::test]
async fn more_than_the_stock_is_refused_naming_how_many_are_available() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let mug = product(&app, &admin.id, "Mug", 900, "physical", Some(3)).await;
    let (status, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "product", "item_id": mug, "quantity": 4}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert_eq!(body["available"], 3);

    let line = add(&app, &buyer.token, "product", &mug, 2).await;
    let (status, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "product", "item_id": mug, "quantity": 2}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert_eq!(body["available"], 3);
    let path = format!("/api/cart/{}", line["id"].as_str().unwrap());
    let (status, body) = app
        .patch(&path, json!({"quantity": 5}), Some(&buyer.token))
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert_eq!(body["available"], 3);
    let (status, body) = app
        .patch(&path, json!({"quantity": 3}), Some(&buyer.token))
        .await;
    assert_eq!((status.as_u16(), body["quantity"].as_i64()), (200, Some(3)));
}

#[tokio::test]
async fn quantities_outside_one_to_a_thousand_are_refused() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let pen = product(&app, &admin.id, "Pen", 100, "digital", None).await;
    for quantity in [json!(0), json!(-1), json!(1001), json!(9_999_999_999i64)] {
        let (status, body) = app
            .post(
                "/api/cart",
                json!({"item_type": "product", "item_id": pen, "quantity": quantity}),
                Some(&buyer.token),
            )
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "quantity", "{body}");
    }
    let line = add(&app, &buyer.token, "product", &pen, 1000).await;
    let path = format!("/api/cart/{}", line["id"].as_str().unwrap());
    let (status, body) = app
        .patch(&path, json!({"quantity": 0}), Some(&buyer.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "product", "item_id": pen}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn unpublished_archived_and_unknown_products_cannot_be_added() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    for status in ["draft", "archived"] {
        let id = product_with_status(&app, &admin.id, status, 100, "digital", None, status).await;
        let (code, body) = app
            .post(
                "/api/cart",
                json!({"item_type": "product", "item_id": id}),
                Some(&buyer.token),
            )
            .await;
        assert_problem(code, &body, StatusCode::CONFLICT);
    }
    let (code, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "product", "item_id": "no-such-product"}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(code, &body, StatusCode::NOT_FOUND);
    let (code, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "ticket", "item_id": "x"}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(code, &body, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn someone_elses_cart_line_is_not_found() {
    let app = spawn_app().await;
    let (admin, owner, other) = (app.admin().await, app.student().await, app.student().await);
    let pen = product(&app, &admin.id, "Pen", 100, "digital", None).await;
    let line = add(&app, &owner.token, "product", &pen, 1).await;
    let path = format!("/api/cart/{}", line["id"].as_str().unwrap());

    let (status, body) = app
        .patch(&path, json!({"quantity": 2}), Some(&other.token))
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = app.delete(&path, Some(&other.token)).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);

    let (status, _) = app.delete(&path, Some(&owner.token)).await;
    assert_eq!(status, 204);
    let (_, cart) = app.get("/api/cart", Some(&owner.token)).await;
    assert_eq!(cart["items"], json!([]));
    assert_eq!(cart["total_cents"], 0);
}

#[tokio::test]
async fn coupon_country_tax_and_free_shipping_threshold_shape_the_cart_total() {
    let app = spawn_app_with(|config| {
        config.tax.default_rate_bps = 1000;
        config.tax.countries.insert(
            "DE".into(),
            CountryTaxRate {
                rate_bps: 1900,
                digital_rate_bps: None,
            },
        );
        config.shipping.methods = vec![ShippingMethod {
            id: "post".into(),
            name: "Post".into(),
            rate: ShippingRate::FreeOver {
                threshold_cents: 5000,
                otherwise_cents: 700,
            },
            countries: vec![],
        }];
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (status, body) = app
        .post(
            "/api/admin/coupons",
            json!({"code": "spring10", "percent": 10}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let lamp = product(&app, &admin.id, "Lamp", 3000, "physical", Some(10)).await;
    let line = add(&app, &buyer.token, "product", &lamp, 1).await;

    let (status, cart) = app
        .get(
            "/api/cart?coupon_code=Spring10&country=de",
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, 200, "{cart}");
    // 3000 - 10 % = 2700; 19 % German tax = 513; below 5000 so shipping 700.
    assert_eq!(
        (
            cart["subtotal_cents"].as_i64(),
            cart["discount_cents"].as_i64(),
            cart["tax_cents"].as_i64(),
            cart["shipping_cents"].as_i64(),
            cart["total_cents"].as_i64()
        ),
        (Some(3000), Some(300), Some(513), Some(700), Some(3913))
    );
    assert_eq!(cart["coupon_code"], "SPRING10");

    let path = format!("/api/cart/{}", line["id"].as_str().unwrap());
    app.patch(&path, json!({"quantity": 2}), Some(&buyer.token))
        .await;
    let (_, cart) = app
        .get(
            "/api/cart?coupon_code=SPRING10&country=US",
            Some(&buyer.token),
        )
        .await;
    // 6000 - 600 = 5400 reaches the threshold: free shipping; default 10 % tax = 540.
    assert_eq!(cart["shipping_cents"], 0);
    assert_eq!(cart["tax_cents"], 540);
    assert_eq!(cart["total_cents"], 5940);

    let (status, body) = app
        .get("/api/cart?coupon_code=NOPE", Some(&buyer.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "coupon_code");
    let (status, body) = app
        .get("/api/cart?country=Germany", Some(&buyer.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "country");
}

#[tokio::test]
async fn prices_that_include_tax_report_the_tax_without_adding_it() {
    let app = spawn_app_with(|config| {
        config.tax.prices_include_tax = true;
        config.tax.default_rate_bps = 2000;
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let ebook = product(&app, &admin.id, "E-book", 1200, "digital", None).await;
    add(&app, &buyer.token, "product", &ebook, 1).await;
    let (_, cart) = app.get("/api/cart", Some(&buyer.token)).await;
    assert_eq!(cart["tax_cents"], 200);
    assert_eq!(cart["total_cents"], 1200);
    assert_eq!(
        cart["shipping_cents"], 0,
        "nothing physical, nothing to ship"
    );
    assert_eq!(cart["prices_include_tax"], true);
}
