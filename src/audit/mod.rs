//! The append-only audit log: who did what to which record, and from where (read through
//! `admin::audit_routes`), and the error log.

pub mod errors;
pub mod store;

use serde::Serialize;

/// One entry to record; `detail` is a short before/after summary, never a secret.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Entry<'a> {
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub detail: Option<serde_json::Value>,
}
