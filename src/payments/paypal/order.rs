//! The PayPal order body built from our order's snapshot: `intent: CAPTURE`, the amount with
//! its breakdown and lines, our order id and number, and the redirect approval flow.

use serde_json::{Value, json};

use super::amounts::to_value;
use super::store::Snapshot;

/// Where PayPal sends the buyer back, and what the PayPal account page shows.
#[derive(Debug, Clone)]
pub struct Experience<'a> {
    pub return_url: &'a str,
    pub cancel_url: &'a str,
    pub brand_name: &'a str,
}

/// PayPal caps most text fields at 127 characters.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The amount with a breakdown, when the snapshot's parts add up to its total (PayPal refuses
/// an order whose breakdown does not); else the total alone.
pub fn amount(s: &Snapshot) -> (Value, Option<Vec<Value>>) {
    let money =
        |cents: i64| json!({"currency_code": s.currency, "value": to_value(cents, &s.currency)});
    let item_total: i64 = s
        .lines
        .iter()
        .map(|l| l.unit_price_cents * l.quantity)
        .sum();
    let tax_total = if s.prices_include_tax { 0 } else { s.tax_cents };
    let adds_up = !s.lines.is_empty()
        && item_total - s.discount_cents + tax_total + s.shipping_cents == s.total_cents;
    if !adds_up {
        return (money(s.total_cents), None);
    }
    let mut breakdown = json!({"item_total": money(item_total)});
    if tax_total > 0 {
        breakdown["tax_total"] = money(tax_total);
    }
    if s.shipping_cents > 0 {
        breakdown["shipping"] = money(s.shipping_cents);
    }
    if s.discount_cents > 0 {
        breakdown["discount"] = money(s.discount_cents);
    }
    let items = s
        .lines
        .iter()
        .map(|l| {
            json!({
                "name": clip(&l.name, 127),
                "quantity": l.quantity.to_string(),
                "unit_amount": money(l.unit_price_cents),
                "category": if l.kind == "physical_product" { "PHYSICAL_GOODS" } else { "DIGITAL_GOODS" },
            })
        })
        .collect();
    let mut amount = money(s.total_cents);
    amount["breakdown"] = breakdown;
    (amount, Some(items))
}

/// `POST /v2/checkout/orders`'s body for payment `payment_id` of the snapshot's order.
pub fn body(s: &Snapshot, payment_id: &str, experience: &Experience<'_>) -> Value {
    let (amount, items) = amount(s);
    let mut unit = json!({
        "reference_id": payment_id,
        "custom_id": s.order_id,
        "invoice_id": s.number,
        "description": clip(&format!("Order {}", s.number), 127),
        "amount": amount,
    });
    if let Some(items) = items {
        unit["items"] = Value::Array(items);
    }
    json!({
        "intent": "CAPTURE",
        "purchase_units": [unit],
        "payment_source": {"paypal": {"experience_context": {
            "return_url": experience.return_url,
            "cancel_url": experience.cancel_url,
            "brand_name": clip(experience.brand_name, 127),
            "user_action": "PAY_NOW",
            // The order already holds the address the school ships to.
            "shipping_preference": "NO_SHIPPING",
        }}},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payments::paypal::store::Line;

    fn snapshot(include_tax: bool, total: i64) -> Snapshot {
        Snapshot {
            order_id: "o1".into(),
            number: "SH-000001".into(),
            currency: "EUR".into(),
            discount_cents: 500,
            tax_cents: 380,
            shipping_cents: 490,
            total_cents: total,
            prices_include_tax: include_tax,
            lines: vec![
                Line {
                    name: "Mug".into(),
                    kind: "physical_product".into(),
                    quantity: 2,
                    unit_price_cents: 1000,
                    discount_cents: 250,
                    tax_cents: 190,
                },
                Line {
                    name: "Rust course".into(),
                    kind: "course".into(),
                    quantity: 1,
                    unit_price_cents: 2000,
                    discount_cents: 250,
                    tax_cents: 190,
                },
            ],
        }
    }

    #[test]
    fn the_breakdown_adds_up_to_the_order_total() {
        // 4000 items - 500 discount + 380 tax + 490 shipping
        let (amount, items) = amount(&snapshot(false, 4370));
        assert_eq!(amount["value"], "43.70");
        let b = &amount["breakdown"];
        assert_eq!(
            (
                b["item_total"]["value"].as_str(),
                b["tax_total"]["value"].as_str()
            ),
            (Some("40.00"), Some("3.80"))
        );
        assert_eq!(b["discount"]["value"], "5.00");
        assert_eq!(b["shipping"]["value"], "4.90");
        let items = items.unwrap();
        assert_eq!(items[0]["quantity"], "2");
        assert_eq!(items[0]["category"], "PHYSICAL_GOODS");
        assert_eq!(items[1]["category"], "DIGITAL_GOODS");
    }

    #[test]
    fn tax_included_in_prices_is_not_added_again() {
        let (amount, items) = amount(&snapshot(true, 3990));
        assert!(amount["breakdown"]["tax_total"].is_null());
        assert!(items.is_some());
    }

    #[test]
    fn a_breakdown_that_would_not_add_up_is_left_out() {
        let (amount, items) = amount(&snapshot(false, 4371));
        assert_eq!(amount["value"], "43.71");
        assert!(amount["breakdown"].is_null() && items.is_none());
    }

    #[test]
    fn the_order_names_our_ids_and_the_way_back() {
        let exp = Experience {
            return_url: "https://school/paypal/return?payment=p1",
            cancel_url: "https://school/paypal/cancel?payment=p1",
            brand_name: "School",
        };
        let body = body(&snapshot(false, 4370), "p1", &exp);
        assert_eq!(body["intent"], "CAPTURE");
        let unit = &body["purchase_units"][0];
        assert_eq!(
            (unit["custom_id"].as_str(), unit["invoice_id"].as_str()),
            (Some("o1"), Some("SH-000001"))
        );
        assert_eq!(unit["reference_id"], "p1");
        let ctx = &body["payment_source"]["paypal"]["experience_context"];
        assert_eq!(ctx["return_url"], exp.return_url);
        assert_eq!(ctx["cancel_url"], exp.cancel_url);
        assert_eq!(ctx["shipping_preference"], "NO_SHIPPING");
    }
}
