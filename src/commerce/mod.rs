//! Shopping: carts, checkout pricing and orders.

pub mod lifecycle;
pub mod pricing;
