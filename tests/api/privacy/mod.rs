//! Privacy: the GDPR export and erasure.

mod export_and_erasure;

pub(crate) use export_and_erasure::find_anywhere;
