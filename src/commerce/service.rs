//! Cart rules and pricing through `pricing::price_cart` (checkout is in `checkout`).

use rusqlite::Connection;

use super::coupons::{CouponRecord, canonical_code};
use super::model::{CartRow, CatalogItem, ItemType};
use super::pricing::{
    CartLine, CouponApplication, CouponRejection, PricedCart, PricingError, PricingInput,
    TaxSettings, price_cart,
};
use super::store;
use crate::config::Config;
use crate::http::{AppError, FieldError, Problem};

pub use super::checkout::checkout;
pub use super::expiry::{expire_reservations, expire_reservations_by};
pub use super::status::{
    Actor, PaidOrder, StatusRequest, apply_status_change, cancel_order, change_status,
    mark_order_paid, order_view,
};

/// Stands in for the buyer's country when the cart is viewed without one, so shipping can be
/// estimated. ISO 3166 reserves `ZZ` for "unknown", so no configured rate matches it and
/// the default tax rates apply.
const ESTIMATE_COUNTRY: &str = "ZZ";

/// Why a cart line cannot be bought as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    Missing,
    NotForSale,
    Enrolled,
    Stock { available: i64 },
}

impl Unavailable {
    /// Why the line cannot be bought, to be said in the reader's language.
    pub(super) fn said(&self, name: &str) -> crate::http::Message {
        match self {
            Unavailable::Missing => "an item in the cart no longer exists".into(),
            Unavailable::NotForSale => crate::msg!("problem-no-longer-for-sale", name = name),
            Unavailable::Enrolled => crate::msg!("problem-enrolled-in", name = name),
            Unavailable::Stock { available } => {
                crate::msg!("problem-only-left", available = *available, name = name)
            }
        }
    }

    pub(super) fn into_error(self, item_id: &str, name: &str) -> AppError {
        let detail = crate::msg!("problem-change-cart", why = self.said(name));
        let problem =
            Problem::new(axum::http::StatusCode::CONFLICT, detail).with("item_id", item_id);
        match self {
            Unavailable::Stock { available } => problem.with("available", available),
            _ => problem,
        }
        .into_error()
    }
}

/// Whether `user_id` may hold `quantity` of `item` (stock counted only when `check_stock`).
pub fn availability(
    conn: &Connection,
    user_id: &str,
    item: Option<&CatalogItem>,
    quantity: i64,
    check_stock: bool,
) -> Result<Option<Unavailable>, AppError> {
    let Some(item) = item else {
        return Ok(Some(Unavailable::Missing));
    };
    if item.status != crate::catalog::model::Status::Published {
        return Ok(Some(Unavailable::NotForSale));
    }
    if item.item_type == ItemType::Course && store::is_enrolled(conn, user_id, &item.id)? {
        return Ok(Some(Unavailable::Enrolled));
    }
    if item.item_type == ItemType::Bundle {
        // A bundle sells only while every course in it does; one whose courses the buyer
        // all holds already would sell nothing.
        let courses = store::bundle_courses(conn, user_id, &item.id)?;
        if courses.total == 0 || courses.unpublished > 0 {
            return Ok(Some(Unavailable::NotForSale));
        }
        if courses.enrolled == courses.total {
            return Ok(Some(Unavailable::Enrolled));
        }
        // Its products sell with it: each must be for sale, each physical one in stock.
        let goods = store::bundle_goods(conn, &item.id)?;
        if goods.unsellable > 0 {
            return Ok(Some(Unavailable::NotForSale));
        }
        if let Some(available) = goods.least_stock
            && check_stock
            && available < quantity
        {
            return Ok(Some(Unavailable::Stock { available }));
        }
    }
    match item.stock {
        Some(available) if check_stock && quantity > available => {
            Ok(Some(Unavailable::Stock { available }))
        }
        _ => Ok(None),
    }
}

/// Checks that a cart line of `quantity` units of this item may be added or set.
pub fn check_cart_line(
    conn: &Connection,
    user_id: &str,
    item_type: ItemType,
    item_id: &str,
    quantity: i64,
) -> Result<CatalogItem, AppError> {
    let item = store::catalog_item(conn, item_type, item_id)?.ok_or_else(|| {
        AppError::NotFound(match item_type {
            ItemType::Product => "product",
            ItemType::Course => "course",
            ItemType::Bundle => "bundle",
        })
    })?;
    if item_type != ItemType::Product && quantity != 1 {
        return Err(AppError::field(
            "quantity",
            crate::msg!("problem-bought-once", item_type = item_type.to_string()),
        ));
    }
    match availability(conn, user_id, Some(&item), quantity, true)? {
        Some(Unavailable::Enrolled) => Err(AppError::conflict_on(
            "item_id",
            match item_type {
                ItemType::Bundle => "you are already enrolled in every course of this bundle",
                _ => "you are already enrolled in this course",
            },
        )),
        Some(Unavailable::NotForSale | Unavailable::Missing) => Err(AppError::conflict_on(
            "item_id",
            crate::msg!("problem-not-for-sale", name = item.name.as_str()),
        )),
        Some(unavailable @ Unavailable::Stock { .. }) => {
            Err(unavailable.into_error(&item.id, &item.name))
        }
        None => Ok(item),
    }
}

/// A cart line joined with its catalogue entry.
pub struct CartEntry {
    pub row: CartRow,
    pub item: Option<CatalogItem>,
    pub unavailable: Option<Unavailable>,
}

pub fn load_cart(
    conn: &Connection,
    user_id: &str,
    check_stock: bool,
) -> Result<Vec<CartEntry>, AppError> {
    let mut entries = Vec::new();
    for row in store::cart::list(conn, user_id)? {
        let item = store::catalog_item(conn, row.item_type, &row.item_id)?;
        let unavailable = availability(conn, user_id, item.as_ref(), row.quantity, check_stock)?;
        entries.push(CartEntry {
            row,
            item,
            unavailable,
        });
    }
    Ok(entries)
}

pub(super) fn cart_line(item: &CatalogItem, quantity: i64) -> CartLine {
    CartLine {
        kind: item.kind,
        item_id: item.id.clone(),
        unit_price_cents: item.price_cents,
        quantity: u32::try_from(quantity).unwrap_or(0),
        shipped_units: u32::try_from(item.ships).unwrap_or(0),
    }
}

/// What the buyer chose that pricing depends on.
pub struct PriceChoice<'a> {
    pub coupon_code: Option<&'a str>,
    pub country: Option<String>,
    /// The request field that named the country, for error messages.
    pub country_field: &'static str,
    pub shipping_method: Option<&'a str>,
    /// Viewing the cart: shipping is estimated when no country is known yet.
    pub estimate: bool,
    /// Tax settings to price with instead of `[tax]` (EU VAT's destination rate).
    pub tax: Option<&'a TaxSettings>,
}

/// Prices `lines` for `user_id`; returns the priced cart and the coupon used.
pub fn price(
    conn: &Connection,
    config: &Config,
    user_id: &str,
    lines: &[CartLine],
    choice: &PriceChoice<'_>,
    now: time::OffsetDateTime,
) -> Result<(PricedCart, Option<CouponRecord>), AppError> {
    let code = choice
        .coupon_code
        .map(canonical_code)
        .filter(|c| !c.is_empty());
    let coupon = match code {
        Some(code) => Some(
            store::coupons::by_code(conn, &code)?
                .ok_or_else(|| AppError::field("coupon_code", "there is no such coupon"))?,
        ),
        None => None,
    };
    let usage = match &coupon {
        Some(c) => store::coupons::usage(conn, &c.id, user_id)?,
        None => Default::default(),
    };
    let physical = lines.iter().any(CartLine::ships);
    let mut methods = config.shipping.methods.clone();
    let mut country = choice.country.clone();
    if physical && country.is_none() && choice.estimate {
        for method in &mut methods {
            method.countries.clear();
        }
        country = Some(ESTIMATE_COUNTRY.into());
    }
    let method_id = match (choice.shipping_method, physical, country.as_deref()) {
        (Some(id), _, _) => Some(id.to_string()),
        (None, true, Some(c)) => super::pricing::shipping_methods_for(&methods, c)
            .first()
            .map(|m| m.id.clone()),
        _ => None,
    };
    let input = PricingInput {
        lines,
        coupon: coupon.as_ref().map(|c| CouponApplication {
            coupon: &c.coupon,
            usage,
            now,
        }),
        tax: choice.tax.unwrap_or(&config.tax),
        country: country.as_deref(),
        shipping_methods: &methods,
        shipping_method_id: method_id.as_deref(),
    };
    let priced = price_cart(&input).map_err(|e| {
        let limit = coupon.as_ref().and_then(|c| match &e {
            PricingError::CouponRejected(CouponRejection::UsedUp) => {
                c.coupon.max_redemptions.map(|max| ("max_redemptions", max))
            }
            PricingError::CouponRejected(CouponRejection::UsedUpForUser) => c
                .coupon
                .max_redemptions_per_user
                .map(|max| ("max_redemptions_per_user", max)),
            _ => None,
        });
        pricing_error(e, choice, country.as_deref(), limit)
    })?;
    Ok((priced, coupon))
}

/// `limit` names the coupon limit a used-up coupon reached, and its value.
fn pricing_error(
    e: PricingError,
    choice: &PriceChoice<'_>,
    country: Option<&str>,
    limit: Option<(&'static str, u32)>,
) -> AppError {
    let unprocessable = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    match e {
        PricingError::CouponRejected(reason) => {
            let message = match limit {
                Some((name, value)) => crate::msg!(
                    "problem-coupon-limit",
                    reason = reason.message(),
                    name = name,
                    value = value
                ),
                None => reason.message(),
            };
            let mut problem =
                Problem::new(unprocessable, message.clone()).with("reason", reason.code());
            if let Some((name, value)) = limit {
                problem = problem.with("limit_name", name).with("limit", value);
            }
            problem.errors = vec![FieldError::new("coupon_code", message)];
            problem.into_error()
        }
        PricingError::ShippingMethodRequired | PricingError::UnknownShippingMethod { .. } => {
            if choice.shipping_method.is_none() {
                AppError::field(
                    choice.country_field,
                    match country {
                        Some(country) => crate::msg!("problem-no-shipping-to", country = country),
                        None => crate::msg!("problem-no-shipping-here"),
                    },
                )
            } else {
                AppError::field("shipping_method", e.message())
            }
        }
        PricingError::ShippingCountryRequired
        | PricingError::ShippingNotAvailableForCountry { .. } => {
            AppError::field(choice.country_field, e.message())
        }
        other => AppError::field("items", other.message()),
    }
}

pub use super::cart_view::cart_view;
pub(super) use super::cart_view::price_change_warning;
