//! The log output of every command: the configured filter and format.

use crate::config::{Config, LogFormat};

pub(super) fn init_logging(config: &Config) {
    let filter =
        std::env::var("SCHOOLHOUSE_LOG").unwrap_or_else(|_| config.server.log_level.clone());
    let filter = tracing_subscriber::EnvFilter::try_new(with_quiet_stripe(&filter))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.server.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Human => builder.try_init(),
    };
}

/// The Stripe crates log an error for every webhook of a shape they do not model and a
/// warning for every 404 (the first look-up of a plan), both of which the payment code
/// handles and reports itself; an operator's own directive for them wins.
fn with_quiet_stripe(filter: &str) -> String {
    if filter.contains("stripe") {
        filter.to_string()
    } else {
        format!("{filter},stripe_webhook=off,stripe::hyper=error")
    }
}
