//! Bundles: a catalogue item granting several courses (and any products) at one price (issue 28). Buying one
//! enrols in each course (`commerce::status::mark_order_paid`); refunds are judged over its
//! courses (`payments::eligibility`) and revoke what no other purchase holds
//! (`learning::revocation`).

pub mod model;
pub mod products;
pub mod routes;
pub mod service;
pub mod store;
pub mod validate;

pub use model::{BundleBody, BundleCourseView, BundleProductView, BundleView};
