//! Checkout: turns the cart, or the items named ("buy now"), into a pending order in the
//! caller's write transaction: read, [`plan`] (pure), [`persist`].

use rusqlite::Connection;

use super::holds::{HeldLine, check_holds};
use super::model::{
    AddToCart, CartRow, CatalogItem, CreateOrder, ItemType, OrderView, format_order_number,
};
use super::pricing::CartLine;
use super::service::{CartEntry, PriceChoice, cart_line, check_cart_line, load_cart, price};
use super::store;
use crate::config::Config;
use crate::http::AppError;

use super::vat::checkout::{VatInput, decide};
use super::vat::store::EvidenceRow;

mod persist;
mod plan;

pub use persist::persist;
pub use plan::{Buyer, Chosen, ChosenLine, Destination, OrderPlan, choose, destination, plan};

/// Where an order is placed from: the address the audit log keeps and the language its
/// warnings are said in.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub ip: Option<&'a str>,
    pub locale: &'a str,
}

/// Turns the user's cart, or the items `body.items` names, into a pending order (a paid one
/// when nothing is due): names and prices snapshotted, the buyer's holds checked, a number
/// taken, stock and the coupon's redemption reserved, and the cart emptied when it was the
/// source. Every order-placing path (cart, buy now, the demo) comes through here: it reads
/// what the rules need, lets [`plan`] decide the order, and [`persist`] write it.
pub fn checkout(
    conn: &Connection,
    config: &Config,
    user_id: &str,
    body: &CreateOrder,
    origin: Origin<'_>,
    now: time::OffsetDateTime,
    vat: Option<&VatInput>,
) -> Result<OrderView, AppError> {
    let now_text = crate::clock::rfc3339(now);
    let entries = match &body.items {
        Some(items) => direct_entries(conn, user_id, items)?,
        None => load_cart(conn, user_id, false)?,
    };
    if entries.is_empty() {
        return Err(AppError::field("items", "the cart is empty"));
    }
    let chosen = choose(entries)?;
    let lines: Vec<CartLine> = chosen
        .lines
        .iter()
        .map(|(row, item)| cart_line(item, row.quantity))
        .collect();
    let physical = lines.iter().any(CartLine::ships);
    let destination = destination(body, physical)?;
    // EU VAT concerns digital lines only; a cart of physical goods keeps the `[tax]` rules.
    let decision = match vat {
        Some(input) if lines.iter().any(|l| l.kind.is_digital()) => {
            Some(decide(config, body, destination.country.as_deref(), input)?)
        }
        _ => None,
    };
    let choice = PriceChoice {
        coupon_code: body.coupon_code.as_deref(),
        country: destination
            .country
            .clone()
            .or_else(|| decision.as_ref().map(|d| d.country.clone())),
        country_field: destination.country_field,
        shipping_method: body.shipping_method.as_deref(),
        estimate: false,
        tax: decision.as_ref().and_then(|d| d.tax.as_ref()),
    };
    let (priced, coupon) = price(conn, config, user_id, &lines, &choice, now)?;
    if priced.total_cents > 0 {
        check_buyer_holds(conn, config, user_id, &chosen.lines)?;
    }
    let (email, buyer_name) = store::orders::buyer(conn, user_id)?;
    let buyer = Buyer {
        user_id,
        email,
        currency: &config.store.currency,
        number: format_order_number(store::next_counter(conn, "order_number")?),
        now: &now_text,
    };
    let plan = plan(chosen, destination, priced, coupon.map(|c| c.id), buyer);
    let source = persist::Source {
        clear_cart: body.items.is_none(),
        buyer_name: &buyer_name,
        ip: origin.ip,
        locale: origin.locale,
    };
    let view = persist(conn, plan, &source)?;
    if let Some(decision) = decision {
        let evidence = EvidenceRow {
            order_id: view.order.id.clone(),
            ..decision.evidence
        };
        super::vat::store::insert_evidence(conn, &evidence)?;
    }
    Ok(view)
}

/// Refuses (409) an order that would wait for payment while its buyer already holds as
/// much as `holds::check_holds` allows (units counted per stock-tracked product).
fn check_buyer_holds(
    conn: &Connection,
    config: &Config,
    user_id: &str,
    chosen: &[(CartRow, CatalogItem)],
) -> Result<(), AppError> {
    let open = store::orders::open_unpaid_count(conn, user_id)?;
    let mut lines: Vec<HeldLine<'_>> = Vec::new();
    for (row, item) in chosen {
        if item.item_type != ItemType::Product || item.stock.is_none() {
            continue;
        }
        match lines.iter_mut().find(|l| l.item_id == item.id) {
            Some(line) => line.adding += row.quantity,
            None => lines.push(HeldLine {
                item_id: &item.id,
                name: &item.name,
                held: store::orders::pending_units(conn, user_id, &item.id)?,
                adding: row.quantity,
            }),
        }
    }
    check_holds(&config.orders, open, &lines).map_err(|refusal| refusal.into_error())
}

/// The lines of a "buy now" order (shape checked by `check_order_lines`), each checked as
/// adding it to the cart would check it.
fn direct_entries(
    conn: &Connection,
    user_id: &str,
    items: &[AddToCart],
) -> Result<Vec<CartEntry>, AppError> {
    items
        .iter()
        .map(|line| {
            let quantity = line.quantity.unwrap_or(1);
            let item =
                check_cart_line(conn, user_id, line.item_type, line.item_id.trim(), quantity)?;
            Ok(CartEntry {
                row: CartRow {
                    id: String::new(),
                    item_type: line.item_type,
                    item_id: item.id.clone(),
                    quantity,
                    price_seen_cents: item.price_cents,
                },
                item: Some(item),
                unavailable: None,
            })
        })
        .collect()
}
