//! Privacy: the GDPR export and erasure.

mod export_and_erasure;
