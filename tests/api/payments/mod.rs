//! Payments and refunds: webhooks, manual and card payments, refunds and their rules.

mod staff_refunds;
mod webhooks;

pub(crate) use webhooks::*;
