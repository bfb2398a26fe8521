//! Adversarial scenarios of issue 23: each row an abuse, each asserting the answer and that
//! nothing changed.

mod bundle_products;
mod bundles;
mod captions;
mod invoices;
mod membership_card;
mod memberships;
mod oidc;
mod orders;
mod paypal;
mod refunds;
mod signin;
mod vat;
