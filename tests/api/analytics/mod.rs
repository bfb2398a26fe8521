//! Analytics reports against a hand-seeded school.

mod memberships;
mod reports;

pub use reports::sql;
