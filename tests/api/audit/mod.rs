//! The audit log (every audited action, append-only) and the error log.

mod actions;
mod log;
