//! Second factor: TOTP enrolment with recovery codes, and the second step of a login.

pub mod routes;
pub mod service;
pub mod store;
pub mod totp;
