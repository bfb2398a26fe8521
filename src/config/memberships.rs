//! `[memberships]`: how long an overdue membership or payment plan keeps its courses open;
//! owned by `payments::memberships` (billing) and `access` (the rule).

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MembershipsConfig {
    /// Days a past-due membership (or instalment plan) keeps access after the first failed
    /// payment; 0 closes the courses at the first failure.
    pub grace_days: i64,
}

impl Default for MembershipsConfig {
    fn default() -> Self {
        MembershipsConfig { grace_days: 7 }
    }
}

pub(crate) fn validate(m: &MembershipsConfig) -> Result<(), ConfigError> {
    if !(0..=60).contains(&m.grace_days) {
        return Err(key_error(
            "memberships.grace_days",
            "must be between 0 and 60",
        ));
    }
    Ok(())
}
