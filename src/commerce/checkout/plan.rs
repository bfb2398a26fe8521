//! The checkout plan, pure: the chosen cart lines, their prices (coupon, tax and shipping included) and the destination become the order and its line snapshots, before anything is written.

use super::super::lifecycle::OrderStatus;
use super::super::model::{
    Address, CartRow, CatalogItem, CreateOrder, OrderItemView, OrderSummary, kind_as_str,
    normalize_country,
};
use super::super::pricing::PricedCart;
use super::super::service::{CartEntry, Unavailable, price_change_warning};
use crate::http::{AppError, Message};

/// The lines an order will hold, each with the catalogue entry as it is now.
pub type ChosenLine = (CartRow, CatalogItem);

/// The cart's lines, every one still for sale, and a warning for each whose price changed
/// since the buyer saw it.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub lines: Vec<ChosenLine>,
    pub warnings: Vec<Message>,
}

/// Rule: one line that can no longer be bought refuses the whole checkout (409 naming it);
/// a changed price does not, the order uses the current price and says so.
pub fn choose(entries: Vec<CartEntry>) -> Result<Chosen, AppError> {
    let mut chosen = Chosen {
        lines: Vec::with_capacity(entries.len()),
        warnings: Vec::new(),
    };
    for entry in entries {
        match (entry.item, entry.unavailable) {
            (Some(item), None) => {
                if item.price_cents != entry.row.price_seen_cents {
                    chosen.warnings.push(crate::msg!(
                        "problem-price-changed-order",
                        change = price_change_warning(&item, entry.row.price_seen_cents)
                    ));
                }
                chosen.lines.push((entry.row, item));
            }
            (item, Some(why)) => {
                let name = item.map(|i| i.name).unwrap_or_default();
                return Err(why.into_error(&entry.row.item_id, &name));
            }
            (None, None) => return Err(Unavailable::Missing.into_error(&entry.row.item_id, "")),
        }
    }
    Ok(chosen)
}

/// Where the order goes and which country prices its tax.
#[derive(Debug, Clone)]
pub struct Destination {
    pub address: Option<Address>,
    pub billing_country: Option<String>,
    /// The shipping address's country, else the billing country.
    pub country: Option<String>,
    /// The field a bad `country` is reported on.
    pub country_field: &'static str,
}

/// Rule: physical items need a (valid) shipping address, whose country prices the order;
/// without one the billing country, when given, must be an ISO 3166-1 alpha-2 code. An
/// address sent for an order with nothing to ship is ignored.
pub fn destination(body: &CreateOrder, physical: bool) -> Result<Destination, AppError> {
    let address = match (&body.shipping_address, physical) {
        (Some(a), true) => Some(a.normalized().map_err(AppError::Validation)?),
        (None, true) => {
            return Err(AppError::field(
                "shipping_address",
                "is required for physical items",
            ));
        }
        (_, false) => None,
    };
    let billing_country = match body.billing_country.as_deref() {
        Some(raw) => Some(normalize_country(raw).ok_or_else(|| {
            AppError::field("billing_country", "must be a two-letter ISO 3166-1 code")
        })?),
        None => None,
    };
    let (country, country_field) = match &address {
        Some(a) => (Some(a.country.clone()), "shipping_address.country"),
        None => (billing_country.clone(), "billing_country"),
    };
    Ok(Destination {
        address,
        billing_country,
        country,
        country_field,
    })
}

/// Who buys, and the identity the order is written under.
#[derive(Debug, Clone)]
pub struct Buyer<'a> {
    pub user_id: &'a str,
    pub email: String,
    pub currency: &'a str,
    /// The order's number, drawn from the counter.
    pub number: String,
    pub now: &'a str,
}

/// What checkout will write: the pending order and its line snapshots, in cart order.
#[derive(Debug, Clone)]
pub struct OrderPlan {
    pub order: OrderSummary,
    pub items: Vec<OrderItemView>,
    pub lines: Vec<ChosenLine>,
    pub warnings: Vec<Message>,
}

/// The order as priced: its totals are the priced cart's (coupon, tax and shipping
/// included), each line snapshots the item's name and its priced amounts, and the order
/// starts `pending` (checkout pays it at once when nothing is due).
pub fn plan(
    chosen: Chosen,
    destination: Destination,
    priced: PricedCart,
    coupon_id: Option<String>,
    buyer: Buyer<'_>,
) -> OrderPlan {
    let items = chosen
        .lines
        .iter()
        .zip(&priced.lines)
        .map(|((row, item), line)| OrderItemView {
            id: uuid::Uuid::now_v7().to_string(),
            item_type: row.item_type,
            item_id: item.id.clone(),
            item_kind: kind_as_str(item.kind).into(),
            name: item.name.clone(),
            quantity: row.quantity,
            unit_price_cents: line.unit_price_cents,
            discount_cents: line.discount_cents,
            tax_cents: line.tax_cents,
            tax_rate_bps: i64::from(line.tax_rate_bps),
            total_cents: line.total_cents,
            vendor_id: Some(item.vendor_id.clone()),
            bundle_item_id: None,
        })
        .collect();
    let order = OrderSummary {
        id: uuid::Uuid::now_v7().to_string(),
        number: buyer.number,
        user_id: buyer.user_id.to_string(),
        email: buyer.email,
        status: OrderStatus::Pending,
        currency: buyer.currency.to_string(),
        subtotal_cents: priced.subtotal_cents,
        discount_cents: priced.discount_cents,
        tax_cents: priced.tax_cents,
        shipping_cents: priced.shipping_cents,
        total_cents: priced.total_cents,
        prices_include_tax: priced.prices_include_tax,
        coupon_code: priced.coupon_code,
        coupon_id,
        shipping_method: priced.shipping_method_id,
        shipping_address: destination.address,
        billing_country: destination.billing_country,
        tracking_number: None,
        created_at: buyer.now.to_string(),
        updated_at: buyer.now.to_string(),
        paid_at: None,
    };
    OrderPlan {
        order,
        items,
        lines: chosen.lines,
        warnings: chosen.warnings,
    }
}

#[cfg(test)]
mod tests;
