//! Operations: the serve process, configuration and CLI, backups, restore, upgrades, doctor,
//! metrics, TLS, restarts, the install script, the demo school, query plans and replication.

mod backup_encryption;
mod backups;
mod config_cli;
mod demo;
mod doctor;
mod install_script;
mod key_rotation;
mod metrics;
mod process;
mod query_plans;
mod replication;
mod replication_cli;
mod replication_drills;
mod restart;
mod restore_in_place;
mod tls;
mod upgrade_fixtures;
pub mod upgrades;
mod writer;
