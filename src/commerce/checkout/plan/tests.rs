//! The checkout plan's rules, without a database.

use super::*;
use crate::catalog::model::Status;
use crate::commerce::model::ItemType;
use crate::commerce::pricing::{ItemKind, PricedLine};
use crate::http::AppError;

fn entry(id: &str, kind: ItemKind, price: i64, seen: i64) -> CartEntry {
    let item_type = if kind == ItemKind::Course {
        ItemType::Course
    } else {
        ItemType::Product
    };
    CartEntry {
        row: CartRow {
            id: format!("row-{id}"),
            item_type,
            item_id: id.into(),
            quantity: 2,
            price_seen_cents: seen,
        },
        item: Some(CatalogItem {
            item_type,
            id: id.into(),
            name: format!("Item {id}"),
            kind,
            price_cents: price,
            status: Status::Published,
            stock: None,
            vendor_id: "vendor".into(),
            ships: i64::from(kind.is_physical()),
        }),
        unavailable: None,
    }
}

fn address(country: &str) -> Address {
    Address {
        name: " Ada ".into(),
        line1: "1 Main St".into(),
        line2: None,
        city: "Town".into(),
        postal_code: "12345".into(),
        country: country.into(),
    }
}

fn field_of(error: AppError) -> String {
    match error {
        AppError::Validation(errors) => errors[0].field.clone(),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn a_changed_price_is_a_warning_and_the_order_uses_the_current_price() {
    let chosen = choose(vec![
        entry("a", ItemKind::DigitalProduct, 1200, 1000),
        entry("b", ItemKind::Course, 500, 500),
    ])
    .unwrap();
    assert_eq!(chosen.lines.len(), 2);
    assert_eq!(
        chosen.warnings,
        ["the price of Item a changed from 1000 to 1200 cents; the order uses the current price"]
    );
    assert_eq!(
        chosen.warnings[0].in_locale("fr"),
        "le prix de Item a est passé de 1000 à 1200 centimes ; la commande applique le prix actuel"
    );
}

#[test]
fn one_line_no_longer_for_sale_refuses_the_whole_checkout() {
    let mut gone = entry("b", ItemKind::Course, 500, 500);
    gone.unavailable = Some(Unavailable::NotForSale);
    let error = choose(vec![entry("a", ItemKind::Course, 100, 100), gone]).unwrap_err();
    assert_eq!(error.status().as_u16(), 409);
    let mut missing = entry("c", ItemKind::Course, 1, 1);
    missing.item = None;
    assert_eq!(choose(vec![missing]).unwrap_err().status().as_u16(), 409);
}

#[test]
fn physical_items_need_a_shipping_address_whose_country_prices_the_order() {
    let none = CreateOrder::default();
    assert_eq!(
        field_of(destination(&none, true).unwrap_err()),
        "shipping_address"
    );
    let body = CreateOrder {
        shipping_address: Some(address("de")),
        billing_country: Some("fr".into()),
        ..Default::default()
    };
    let to = destination(&body, true).unwrap();
    assert_eq!(to.country.as_deref(), Some("DE"));
    assert_eq!(to.country_field, "shipping_address.country");
    assert_eq!(to.billing_country.as_deref(), Some("FR"));
    assert_eq!(to.address.unwrap().name, "Ada");
}

#[test]
fn without_anything_to_ship_the_address_is_ignored_and_billing_prices_the_order() {
    let body = CreateOrder {
        shipping_address: Some(address("de")),
        billing_country: Some("fr".into()),
        ..Default::default()
    };
    let to = destination(&body, false).unwrap();
    assert!(to.address.is_none());
    assert_eq!(to.country.as_deref(), Some("FR"));
    assert_eq!(to.country_field, "billing_country");
}

#[test]
fn a_billing_country_must_be_an_iso_code() {
    let body = CreateOrder {
        billing_country: Some("Germany".into()),
        ..Default::default()
    };
    assert_eq!(
        field_of(destination(&body, false).unwrap_err()),
        "billing_country"
    );
}

#[test]
fn the_order_takes_the_priced_totals_and_snapshots_each_line_in_cart_order() {
    let chosen = choose(vec![
        entry("a", ItemKind::DigitalProduct, 1000, 1000),
        entry("b", ItemKind::Course, 500, 500),
    ])
    .unwrap();
    let line = |id: &str, kind, unit: i64| PricedLine {
        kind,
        item_id: id.into(),
        unit_price_cents: unit,
        quantity: 2,
        subtotal_cents: unit * 2,
        discount_cents: 100,
        tax_cents: 50,
        tax_rate_bps: 1900,
        total_cents: unit * 2 - 50,
    };
    let priced = PricedCart {
        lines: vec![
            line("a", ItemKind::DigitalProduct, 1000),
            line("b", ItemKind::Course, 500),
        ],
        prices_include_tax: true,
        coupon_code: Some("SAVE".into()),
        shipping_method_id: None,
        subtotal_cents: 3000,
        discount_cents: 200,
        tax_cents: 100,
        shipping_cents: 0,
        total_cents: 2800,
    };
    let destination = destination(&CreateOrder::default(), false).unwrap();
    let buyer = Buyer {
        user_id: "u1",
        email: "ada@example.com".into(),
        currency: "EUR",
        number: "SH-000042".into(),
        now: "2026-12-06T12:00:00Z",
    };
    let plan = plan(chosen, destination, priced, Some("coupon-1".into()), buyer);
    let order = &plan.order;
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!(
        (
            order.subtotal_cents,
            order.discount_cents,
            order.tax_cents,
            order.total_cents
        ),
        (3000, 200, 100, 2800)
    );
    assert_eq!(order.coupon_code.as_deref(), Some("SAVE"));
    assert_eq!(order.coupon_id.as_deref(), Some("coupon-1"));
    assert_eq!(
        (order.number.as_str(), order.currency.as_str()),
        ("SH-000042", "EUR")
    );
    let snapshots: Vec<_> = plan
        .items
        .iter()
        .map(|i| {
            (
                i.item_id.as_str(),
                i.item_kind.as_str(),
                i.name.as_str(),
                i.unit_price_cents,
            )
        })
        .collect();
    assert_eq!(
        snapshots,
        [
            ("a", "digital_product", "Item a", 1000),
            ("b", "course", "Item b", 500)
        ]
    );
    assert_eq!(plan.items[1].tax_rate_bps, 1900);
    assert_eq!(plan.lines.len(), 2);
}
