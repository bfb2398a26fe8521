//! The `[mail]` configuration section: sender, retry policy and the SMTP connection.

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// `auto` (SMTP when `smtp.host` is set, else files), `file` or `smtp`.
    pub transport: MailTransport,
    /// The sender, e.g. `Schoolhouse <noreply@school.example>`.
    pub from: String,
    /// Attempts before a mail is left unsent for an operator to look at.
    pub max_attempts: u32,
    /// Wait before the first retry; doubled after each failed attempt (capped at 6 hours).
    pub retry_base_seconds: u64,
    /// How often the worker looks for mail queued by other processes (the CLI).
    pub poll_interval_seconds: u64,
    pub smtp: SmtpConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    Auto,
    File,
    Smtp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    pub timeout_seconds: u64,
    /// Connections kept open to the server; as many mails are in flight at once.
    pub connections: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: MailTransport::Auto,
            from: "Schoolhouse <noreply@localhost>".into(),
            max_attempts: 10,
            retry_base_seconds: 30,
            poll_interval_seconds: 10,
            smtp: SmtpConfig::default(),
        }
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: String::new(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: String::new(),
            password: String::new(),
            timeout_seconds: 30,
            connections: 4,
        }
    }
}

impl MailConfig {
    /// The transport actually used once `auto` is resolved.
    pub fn effective_transport(&self) -> MailTransport {
        match self.transport {
            MailTransport::Auto if self.smtp.host.is_empty() => MailTransport::File,
            MailTransport::Auto => MailTransport::Smtp,
            other => other,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(key_error(
                "mail.from",
                "must be an address like `School <noreply@school.example>`",
            ));
        }
        if self.transport == MailTransport::Smtp && self.smtp.host.is_empty() {
            return Err(key_error(
                "mail.smtp.host",
                "must be set when mail.transport is \"smtp\"",
            ));
        }
        if self.smtp.username.is_empty() != self.smtp.password.is_empty() {
            return Err(key_error(
                "mail.smtp.username",
                "username and password must be set together",
            ));
        }
        if self.max_attempts == 0 || self.retry_base_seconds == 0 {
            return Err(key_error(
                "mail.max_attempts",
                "max_attempts and retry_base_seconds must be at least 1",
            ));
        }
        if !(1..=3600).contains(&self.poll_interval_seconds) {
            return Err(key_error(
                "mail.poll_interval_seconds",
                "must be between 1 and 3600",
            ));
        }
        if !(1..=600).contains(&self.smtp.timeout_seconds) {
            return Err(key_error(
                "mail.smtp.timeout_seconds",
                "must be between 1 and 600",
            ));
        }
        if !(1..=32).contains(&self.smtp.connections) {
            return Err(key_error(
                "mail.smtp.connections",
                "must be between 1 and 32",
            ));
        }
        Ok(())
    }
}
