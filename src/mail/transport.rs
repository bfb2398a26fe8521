//! Where mail goes: `.eml` files in the data dir, or an SMTP server (lettre).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use lettre::Message;
use lettre::address::Envelope;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};

use super::config::{MailConfig, MailTransport, SmtpSecurity};
use super::smtp_pool::SmtpPool;
use super::store::OutboxMail;
use super::templates::Rendered;

/// The folder under the data dir the file transport writes into.
pub const MAIL_DIR: &str = "mail";

pub enum Mailer {
    File {
        dir: PathBuf,
    },
    Smtp {
        relay: String,
        transport: Arc<SmtpPool>,
    },
}

/// A mail ready to go: its envelope and bytes, and the bodies the outbox keeps as sent.
pub struct Ready {
    pub envelope: Envelope,
    pub bytes: Vec<u8>,
    pub content: Rendered,
}

impl Mailer {
    /// Builds the configured transport (creating the mail folder for the file transport).
    pub fn from_config(config: &MailConfig, data_dir: &Path) -> anyhow::Result<Mailer> {
        match config.effective_transport() {
            MailTransport::Smtp => {
                let smtp = &config.smtp;
                let tls = match smtp.security {
                    SmtpSecurity::None => Tls::None,
                    SmtpSecurity::Starttls => Tls::Required(TlsParameters::new(smtp.host.clone())?),
                    SmtpSecurity::Tls => Tls::Wrapper(TlsParameters::new(smtp.host.clone())?),
                };
                let credentials = (!smtp.username.is_empty())
                    .then(|| Credentials::new(smtp.username.clone(), smtp.password.clone()));
                Ok(Mailer::Smtp {
                    relay: format!("{}:{}", smtp.host, smtp.port),
                    transport: Arc::new(SmtpPool::new(
                        &smtp.host,
                        smtp.port,
                        tls,
                        Duration::from_secs(smtp.timeout_seconds),
                        credentials,
                        smtp.connections as usize,
                    )),
                })
            }
            MailTransport::File | MailTransport::Auto => {
                let dir = data_dir.join(MAIL_DIR);
                std::fs::create_dir_all(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create mail folder {}: {e}", dir.display())
                })?;
                Ok(Mailer::File { dir })
            }
        }
    }
}

/// Renders an outbox row (from the values it keeps) and formats the message. CPU work:
/// the sender runs it on the low-priority pool, never inside a database closure.
pub fn prepare(from: &Mailbox, mail: &OutboxMail) -> Result<Ready, String> {
    let content = mail.content()?;
    let message = build_message(from, mail, &content)?;
    Ok(Ready {
        envelope: message.envelope().clone(),
        bytes: message.formatted(),
        content,
    })
}

/// Writes one mail as `<uuid>.eml` under `dir` (blocking); returns the file's path. Not
/// synced: the file transport is for development and tests (see docs/operations.md).
pub fn write_file(dir: &Path, ready: &Ready) -> Result<String, String> {
    let path = dir.join(format!("{}.eml", uuid::Uuid::new_v4()));
    std::fs::write(&path, &ready.bytes)
        .map(|()| path.display().to_string())
        .map_err(|e| format!("writing the mail file failed: {e}"))
}

/// Builds the MIME message (plain text + HTML alternatives) of an outbox row's `content`.
pub fn build_message(
    from: &Mailbox,
    mail: &OutboxMail,
    content: &Rendered,
) -> Result<Message, String> {
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|e| format!("invalid recipient {}: {e}", mail.to_address))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(content.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            content.text.clone(),
            content.html.clone(),
        ))
        .map_err(|e| format!("cannot build the message: {e}"))
}
