//! The cart as the buyer sees it: priced lines, unavailable ones, and price-change warnings.

use rusqlite::Connection;

use super::model::{CartItemView, CartView, CatalogItem, IncludedProduct, ItemType};
use super::pricing::PricedCart;
use super::service::{CartEntry, PriceChoice, cart_line, load_cart, price};
use crate::config::Config;
use crate::http::{AppError, Message};

/// The cart view plus the lines whose shown price must be remembered.
pub fn cart_view(
    conn: &Connection,
    config: &Config,
    user_id: &str,
    choice: &PriceChoice<'_>,
    now: time::OffsetDateTime,
    locale: &str,
) -> Result<(CartView, Vec<(String, i64)>), AppError> {
    let entries = load_cart(conn, user_id, true)?;
    let mut warnings = Vec::new();
    let mut seen = Vec::new();
    let mut lines = Vec::new();
    for entry in &entries {
        match (&entry.item, &entry.unavailable) {
            (Some(item), None) => {
                lines.push(cart_line(item, entry.row.quantity));
                if item.price_cents != entry.row.price_seen_cents {
                    warnings.push(
                        price_change_warning(item, entry.row.price_seen_cents).in_locale(locale),
                    );
                    seen.push((entry.row.id.clone(), item.price_cents));
                }
            }
            (item, Some(why)) => {
                let name = item.as_ref().map(|i| i.name.as_str()).unwrap_or("");
                warnings.push(why.said(name).in_locale(locale));
            }
            (None, None) => {}
        }
    }
    let (priced, _) = if lines.is_empty() {
        (empty_priced(config), None)
    } else {
        price(conn, config, user_id, &lines, choice, now)?
    };
    let shipping_methods =
        super::shipping_options::shipping_options(conn, config, user_id, &lines, choice, now)?;
    if priced.shipping_cents > 0 && choice.country.is_none() {
        warnings.push(
            Message::from("shipping is an estimate until a country is given").in_locale(locale),
        );
    }
    let mut items = cart_items(&entries, &priced);
    for item in items.iter_mut().filter(|i| i.item_type == ItemType::Bundle) {
        item.includes = super::store::bundle_goods_list(conn, &item.item_id)?
            .into_iter()
            .map(|g| IncludedProduct {
                id: g.product_id,
                name: g.name,
                kind: g.kind.into(),
            })
            .collect();
    }
    let view = CartView {
        items,
        subtotal_cents: priced.subtotal_cents,
        discount_cents: priced.discount_cents,
        tax_cents: priced.tax_cents,
        shipping_cents: priced.shipping_cents,
        total_cents: priced.total_cents,
        currency: config.store.currency.clone(),
        prices_include_tax: priced.prices_include_tax,
        coupon_code: priced.coupon_code,
        shipping_method: priced.shipping_method_id,
        warnings,
        shipping_methods,
    };
    Ok((view, seen))
}

/// The cart's lines as shown: available ones with their priced totals (in cart order),
/// unavailable ones at zero.
fn cart_items(entries: &[CartEntry], priced: &PricedCart) -> Vec<CartItemView> {
    let mut priced_lines = priced.lines.iter();
    entries
        .iter()
        .map(|entry| {
            let line = entry
                .unavailable
                .is_none()
                .then(|| priced_lines.next())
                .flatten();
            CartItemView {
                id: entry.row.id.clone(),
                item_type: entry.row.item_type,
                item_id: entry.row.item_id.clone(),
                name: entry
                    .item
                    .as_ref()
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                quantity: entry.row.quantity,
                unit_price_cents: entry.item.as_ref().map(|i| i.price_cents).unwrap_or(0),
                line_total_cents: line.map(|l| l.total_cents).unwrap_or(0),
                available: entry.unavailable.is_none(),
                kind: match (entry.row.item_type, &entry.item) {
                    (ItemType::Course, _) => Some(super::model::CartItemKind::Course),
                    (ItemType::Bundle, _) => Some(super::model::CartItemKind::Bundle),
                    (_, item) => item.as_ref().map(|i| i.kind.into()),
                },
                includes: Vec::new(),
            }
        })
        .collect()
}

fn empty_priced(config: &Config) -> PricedCart {
    PricedCart {
        lines: Vec::new(),
        prices_include_tax: config.tax.prices_include_tax,
        coupon_code: None,
        shipping_method_id: None,
        subtotal_cents: 0,
        discount_cents: 0,
        tax_cents: 0,
        shipping_cents: 0,
        total_cents: 0,
    }
}

pub(super) fn price_change_warning(item: &CatalogItem, seen: i64) -> Message {
    crate::msg!(
        "problem-price-changed",
        name = item.name.as_str(),
        from = seen.to_string(),
        to = item.price_cents.to_string()
    )
}
