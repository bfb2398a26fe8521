//! Command-line interface: the operator's subcommands.

pub mod analytics;
mod logging;
pub mod user;

use logging::init_logging;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::app::Server;
use crate::catalog::service::media_migrate::{self, MediaAction, Target};
use crate::config::Config;
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(
    name = "schoolhouse",
    version,
    about = "A self-hosted shop and school in one program.",
    long_about = "A self-hosted shop and school in one program.\n\n\
        Run `schoolhouse serve` to start the server; with no configuration it keeps its data in \
        ./data and listens on http://127.0.0.1:8080. Every setting can come from a TOML file \
        (--config), from SCHOOLHOUSE_* environment variables, or from the flags below."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Configuration file (TOML). See `schoolhouse config example`.
    #[arg(long, global = true, env = "SCHOOLHOUSE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory for the database, secrets, media and backups (overrides `data_dir`).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (applies pending database migrations first).
    Serve {
        /// Address and port to listen on, e.g. 0.0.0.0:8080 (overrides `server.listen`).
        #[arg(long, value_name = "ADDR")]
        listen: Option<SocketAddr>,
    },
    /// Apply pending database migrations (after a verified pre-migration snapshot), try them
    /// on a copy with `--dry-run`, or show them with `migrate status`.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
        /// Apply the pending migrations to a temporary copy, check it and count its rows;
        /// the database itself is only read.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check or print the configuration.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Manage accounts: create, set-password, set-role, list, login-link.
    User {
        #[command(subcommand)]
        action: crate::cli::user::UserAction,
    },
    /// Print the OpenAPI description of the HTTP API (JSON).
    Openapi,
    /// Manage the encryption key of secrets at rest: `keys rotate`.
    Keys {
        #[command(subcommand)]
        action: crate::privacy::keys::KeysAction,
    },
    /// Write a backup archive (database snapshot, media, secrets, manifest) while the server
    /// keeps serving, or check one with `backup verify FILE`.
    Backup {
        #[command(subcommand)]
        action: Option<BackupAction>,
        /// Archive to write (default: <backups dir>/schoolhouse-<UTC time>.zip).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Refuse to write a plain archive: encrypt with the age recipients or passphrase
        /// file of [backups] (archives are encrypted whenever those are set).
        #[arg(long)]
        encrypt: bool,
    },
    /// Check the data dir, database, secrets, backups and clock; exits non-zero on a failure.
    Doctor {
        /// Print the checks as JSON.
        #[arg(long)]
        json: bool,
        /// Also check live services: the Stripe API with the configured secret key.
        #[arg(long)]
        online: bool,
    },
    /// Replace the data dir with a verified backup archive (the server must be stopped), or
    /// with `--from-replica` fill a fresh data dir from the Litestream replica.
    Restore {
        /// The archive to restore.
        #[arg(required_unless_present = "from_replica")]
        file: Option<PathBuf>,
        /// Restore the database from the replica of [replication] into a data dir that has
        /// none (checked: integrity, foreign keys, schema).
        #[arg(long, conflicts_with_all = ["file", "in_place"])]
        from_replica: bool,
        /// With --from-replica: the database as it was at this RFC 3339 time.
        #[arg(long, requires = "from_replica", value_name = "RFC3339")]
        timestamp: Option<String>,
        /// With --from-replica: succeed without restoring when the replica is still empty
        /// (a first start, e.g. in a Kubernetes init container).
        #[arg(long, requires = "from_replica")]
        if_replica_exists: bool,
        #[command(flatten)]
        key: crate::ops::cli::KeyArgs,
        /// Swap the data dir's contents instead of renaming the directory, keeping the
        /// previous contents in DATA_DIR/.before-restore-<time>/. Chosen anyway when the data
        /// dir cannot be renamed (a mount point such as a Docker volume, or a parent the
        /// service user cannot write).
        #[arg(long)]
        in_place: bool,
    },
    /// Sales reports: `analytics rebuild` recomputes their rollups from the orders.
    Analytics {
        #[command(subcommand)]
        action: crate::cli::analytics::AnalyticsAction,
    },
    /// Media files: `media migrate --to s3` copies local media into the bucket.
    Media {
        #[command(subcommand)]
        action: MediaAction,
    },
    /// Keep this data dir a current copy of the replica (a warm standby) until stopped;
    /// no server may use it until `promote`.
    Standby,
    /// Make a standby copy the primary: stop its follower, catch up with the replica, check
    /// it; then start `serve` with replication on.
    Promote,
    /// Print the version and the database schema version this binary knows.
    Version,
    /// Fill the data dir with a small demo school (accounts of every role with printed
    /// passwords, courses, products, coupons, orders, progress). Refuses a data dir that
    /// already has accounts unless --reset.
    Demo {
        /// Wipe the data dir first (backups are kept); refused while a server uses it.
        #[arg(long)]
        reset: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Print the database's schema version and list every migration with the time it was
    /// applied, or "pending" (reads the database without changing it).
    Status,
}

#[derive(Debug, Subcommand)]
pub enum BackupAction {
    /// Unpack an archive and check checksums, integrity, row counts and migrations.
    Verify {
        /// The archive to check.
        file: PathBuf,
        #[command(flatten)]
        key: crate::ops::cli::KeyArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate the configuration and print the effective values (secrets hidden).
    Check,
    /// Print a documented example configuration with every key and its default.
    Example,
}

/// Loads the configuration the way every subcommand sees it.
pub fn load_config(global: &GlobalArgs) -> anyhow::Result<Config> {
    let mut config = Config::load(global.config.as_deref(), std::env::vars())?;
    if let Some(dir) = &global.data_dir {
        config.data_dir = dir.clone();
    }
    Ok(config)
}

/// [`load_config`] for commands that open the database as its owner: refused on a standby
/// copy, which only `promote` may turn into a database of its own.
fn load_owned_config(global: &GlobalArgs) -> anyhow::Result<Config> {
    let config = load_config(global)?;
    crate::ops::replication::standby::guard(&config.data_dir)?;
    Ok(config)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Version => {
            println!(
                "schoolhouse {} (schema V{})",
                env!("CARGO_PKG_VERSION"),
                crate::db::latest_migration_version()
            );
            Ok(())
        }
        Command::Config {
            action: ConfigAction::Example,
        } => {
            print!("{}", crate::config::EXAMPLE);
            Ok(())
        }
        Command::Config {
            action: ConfigAction::Check,
        } => {
            let config = load_config(&cli.global)?;
            println!("# configuration is valid\n{}", config.redacted_toml());
            Ok(())
        }
        Command::Migrate { action, dry_run } => {
            let config = load_owned_config(&cli.global)?;
            match action {
                Some(MigrateAction::Status) => crate::ops::cli::migrate_status(&config),
                None if dry_run => crate::ops::cli::migrate_dry_run(&config),
                None => crate::ops::cli::migrate(&config),
            }
        }
        Command::Backup {
            action,
            out,
            encrypt,
        } => {
            let config = load_owned_config(&cli.global)?;
            match action {
                Some(BackupAction::Verify { file, key }) => {
                    crate::ops::cli::verify(&config, &file, &key)
                }
                None => crate::ops::cli::backup(&config, out.as_deref(), encrypt),
            }
        }
        Command::Doctor { json, online } => {
            crate::ops::cli::doctor(load_config(&cli.global), json, online).await
        }
        command @ (Command::Restore { .. } | Command::Standby | Command::Promote) => {
            recover(&cli.global, command).await
        }
        Command::Demo { reset } => crate::demo::run(load_owned_config(&cli.global)?, reset).await,
        Command::Openapi => openapi(),
        Command::Keys { action } => {
            let config = load_owned_config(&cli.global)?;
            crate::ops::upgrade::guard(&config)?;
            crate::privacy::keys::run(config, action)
        }
        Command::User { action } => {
            crate::cli::user::run(load_owned_config(&cli.global)?, action).await
        }
        Command::Media { action } => media(load_owned_config(&cli.global)?, action).await,
        Command::Analytics { action } => {
            crate::cli::analytics::run(load_owned_config(&cli.global)?, action).await
        }
        Command::Serve { listen } => {
            let inherited = crate::app::inherited_listener()?;
            let mut config = load_owned_config(&cli.global)?;
            if let Some(listen) = listen {
                config.server.listen = listen;
            }
            init_logging(&config);
            serve(config, inherited).await
        }
    }
}

/// Prints the OpenAPI document of a throwaway app.
fn openapi() -> anyhow::Result<()> {
    let state = AppState::open(tempdir_config()?)?;
    println!("{}", crate::app::openapi_document(&state).to_pretty_json()?);
    state.db.close();
    Ok(())
}

/// The commands that bring data back: `restore` (archive or replica), `standby`, `promote`.
async fn recover(global: &GlobalArgs, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Restore {
            file,
            from_replica,
            timestamp,
            if_replica_exists,
            key,
            in_place,
        } => {
            let config = load_config(global)?;
            match file {
                Some(file) if !from_replica => {
                    crate::ops::cli::restore(&config, &file, &key, in_place)
                }
                _ => crate::ops::replication::restore::run(
                    &config,
                    timestamp.as_deref(),
                    if_replica_exists,
                ),
            }
        }
        Command::Standby => {
            let config = load_config(global)?;
            init_logging(&config);
            crate::ops::replication::standby::follow(&config, shutdown_signal()).await
        }
        Command::Promote => crate::ops::replication::standby::run_promote(&load_config(global)?),
        _ => unreachable!("only recovery commands are passed here"),
    }
}

/// A throwaway data dir for commands that need an app but no real data.
fn tempdir_config() -> anyhow::Result<Config> {
    let mut config = Config {
        data_dir: std::env::temp_dir().join(format!("schoolhouse-openapi-{}", std::process::id())),
        ..Config::default()
    };
    config.auth.argon2.memory_kib = 64;
    config.auth.argon2.iterations = 1;
    Ok(config)
}

async fn serve(config: Config, inherited: Option<std::net::TcpListener>) -> anyhow::Result<()> {
    let public_url = config.public_url();
    let socket_activated = inherited.is_some();
    let state = AppState::open(config)?;
    let server = Server::bind_or_adopt(state.clone(), inherited).await?;
    let addr = server.local_addr()?;
    tracing::info!(%addr, socket_activated, data_dir = %state.config.data_dir.display(), "schoolhouse is listening");
    println!(
        "schoolhouse {} listening on {}://{addr}",
        env!("CARGO_PKG_VERSION"),
        if state.config.server.tls.is_some() {
            "https"
        } else {
            "http"
        }
    );
    if let Some(token) = crate::auth::service::issue_setup_token(&state).await? {
        println!(
            "\nNo admin account exists yet. Create one within the next hour at:\n\n    {public_url}/setup?token={token}\n\n\
             (This link works once. Restart the server to get a new one.)\n"
        );
    }
    server.run(shutdown_signal()).await?;
    tracing::info!("schoolhouse stopped cleanly");
    Ok(())
}

/// `media migrate --to s3`: one line per file, a summary, non-zero unless every file is in.
async fn media(config: Config, action: MediaAction) -> anyhow::Result<()> {
    let MediaAction::Migrate { to: Target::S3 } = action;
    crate::ops::upgrade::guard(&config)?;
    let state = AppState::open(config)?;
    let report = media_migrate::migrate_to_s3(&state, &mut std::io::stdout()).await;
    state.db.close();
    let report = report?;
    println!(
        "{} file(s): {} copied, {} already in the bucket, {} missing, {} damaged",
        report.files,
        report.copied,
        report.already,
        report.missing.len(),
        report.damaged.len()
    );
    if !report.complete() {
        anyhow::bail!("not every file is in the bucket; see the lines above");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
