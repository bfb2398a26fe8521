//! Reports for admins, instructors and vendors: sales, top products and courses, users and
//! activity, course funnels, memberships (MRR, churn, recovery), each also as CSV; the
//! orders CSV export.

pub mod csv_out;
pub mod figures;
pub mod learner_routes;
pub mod membership_routes;
pub mod memberships;
pub mod model;
pub mod period;
pub mod routes;
pub mod store;

pub use routes::router;
