//! Operations: backups (create, verify, restore, schedule), safe upgrades, replication with
//! Litestream, the admin backup API.

pub mod backup;
pub mod checks;
pub mod cli;
pub mod crypt;
pub mod doctor;
pub mod gauges;
pub mod integrity;
pub mod manifest;
pub mod metrics;
pub mod replication;
pub mod restore;
pub mod routes;
pub mod schedule;
pub mod store;
pub mod swap;
pub mod tls;
pub mod upgrade;
pub mod verify;
