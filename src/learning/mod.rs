//! Learning: enrolment, progress, quizzes, assignments and certificates.

pub mod certificate;
