//! `[database]`: SQLite durability, lock waiting and the reader pool; owned by `db`.

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub synchronous: Synchronous,
    pub busy_timeout_ms: u64,
    pub read_pool_size: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    Off,
    Normal,
    Full,
    Extra,
}

impl Synchronous {
    pub fn as_sql(self) -> &'static str {
        match self {
            Synchronous::Off => "OFF",
            Synchronous::Normal => "NORMAL",
            Synchronous::Full => "FULL",
            Synchronous::Extra => "EXTRA",
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            synchronous: Synchronous::Full,
            busy_timeout_ms: 5000,
            read_pool_size: 8,
        }
    }
}

pub(crate) fn validate(database: &DatabaseConfig) -> Result<(), ConfigError> {
    if database.read_pool_size == 0 {
        return Err(key_error("database.read_pool_size", "must be at least 1"));
    }
    Ok(())
}
