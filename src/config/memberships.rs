//! `[memberships]`: how long an overdue membership or payment plan keeps its courses open,
//! and when an unpaid manual one is given up;
//! owned by `payments::memberships` (billing) and `access` (the rule).

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MembershipsConfig {
    /// Days a past-due membership (or instalment plan) keeps access after the first failed
    /// payment; 0 closes the courses at the first failure.
    pub grace_days: i64,
    /// Days after its recorded period ended that an unpaid manual membership is given up
    /// (expired), as Stripe gives up on an unpaid subscription; at least `grace_days`.
    pub manual_expire_days: i64,
}

impl Default for MembershipsConfig {
    fn default() -> Self {
        MembershipsConfig {
            grace_days: 7,
            manual_expire_days: 30,
        }
    }
}

pub(crate) fn validate(m: &MembershipsConfig) -> Result<(), ConfigError> {
    if !(0..=60).contains(&m.grace_days) {
        return Err(key_error(
            "memberships.grace_days",
            "must be between 0 and 60",
        ));
    }
    if !(m.grace_days..=365).contains(&m.manual_expire_days) {
        return Err(key_error(
            "memberships.manual_expire_days",
            "must be between memberships.grace_days and 365",
        ));
    }
    Ok(())
}
