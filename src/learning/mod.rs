//! Learning: enrolment, progress, quizzes, assignments, drip, completion, certificates and
//! reviews.

pub mod activity;
pub mod certificate;
pub mod completion;
pub mod drip;
pub mod grading;
pub mod mails;
pub mod model;
pub mod progress;
pub mod reviews;
pub mod revocation;
pub mod routes;
pub mod service;
pub mod store;
