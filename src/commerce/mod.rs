//! Shopping: carts, checkout pricing and orders.

pub mod cart_routes;
mod cart_view;
pub mod checkout;
pub mod coupon_routes;
pub mod coupons;
pub mod download_routes;
pub mod expiry;
pub mod history_note;
pub mod holds;
pub mod invoices;
pub mod jobs;
pub mod lifecycle;
pub mod mails;
pub mod model;
pub mod order_routes;
pub mod pricing;
pub mod service;
pub mod shipping_options;
pub mod status;
pub mod store;
pub mod tax_facts;
pub mod vat;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Every commerce route: cart, orders and the coupon admin.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(cart_routes::router(state))
        .merge(order_routes::router(state))
        .merge(coupon_routes::router(state))
        .merge(download_routes::router())
        .merge(vat::routes::router(state))
        .merge(invoices::routes::router(state))
}
