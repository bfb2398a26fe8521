//! Shipping choices and addresses: the cart names each item's kind and the methods that ship
//! it, priced for it; addresses take only codes of real countries.

use reqwest::StatusCode;
use schoolhouse::commerce::pricing::{ShippingMethod, ShippingRate};
use serde_json::{Value, json};

use crate::commerce::{add, course as shop_course, product};
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
