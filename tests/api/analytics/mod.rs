//! Analytics reports against a hand-seeded school.

mod reports;

pub use reports::sql;
