//! Where mail goes: `.eml` files in the data dir, or an SMTP server (lettre).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{MailConfig, MailTransport, SmtpSecurity};
use super::store::OutboxMail;
use super::templates::Rendered;

/// The folder under the data dir the file transport writes into.
pub const MAIL_DIR: &str = "mail";

pub enum Mailer {
    File {
        dir: PathBuf,
        transport: AsyncFileTransport<Tokio1Executor>,
    },
    Smtp {
        relay: String,
        transport: AsyncSmtpTransport<Tokio1Executor>,
    },
}

impl Mailer {
    /// Builds the configured transport (creating the mail folder for the file transport).
    pub fn from_config(config: &MailConfig, data_dir: &std::path::Path) -> anyhow::Result<Mailer> {
        match config.effective_transport() {
            MailTransport::Smtp => {
                let smtp = &config.smtp;
                let tls = match smtp.security {
                    SmtpSecurity::None => Tls::None,
                    SmtpSecurity::Starttls => Tls::Required(TlsParameters::new(smtp.host.clone())?),
                    SmtpSecurity::Tls => Tls::Wrapper(TlsParameters::new(smtp.host.clone())?),
                };
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                        .port(smtp.port)
                        .tls(tls)
                        .timeout(Some(Duration::from_secs(smtp.timeout_seconds)));
                if !smtp.username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        smtp.username.clone(),
                        smtp.password.clone(),
                    ));
                }
                Ok(Mailer::Smtp {
                    relay: format!("{}:{}", smtp.host, smtp.port),
                    transport: builder.build(),
                })
            }
            MailTransport::File | MailTransport::Auto => {
                let dir = data_dir.join(MAIL_DIR);
                std::fs::create_dir_all(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create mail folder {}: {e}", dir.display())
                })?;
                Ok(Mailer::File {
                    transport: AsyncFileTransport::new(&dir),
                    dir,
                })
            }
        }
    }

    /// How many messages the sender keeps in flight: SMTP within lettre's connection pool
    /// (10 by default), files a few more.
    pub fn parallel_sends(&self) -> usize {
        match self {
            Mailer::File { .. } => 16,
            Mailer::Smtp { .. } => 8,
        }
    }

    /// Sends one message; on success returns where it went (for the log).
    pub async fn send(&self, message: Message) -> Result<String, String> {
        match self {
            Mailer::File { dir, transport } => transport
                .send(message)
                .await
                .map(|id| dir.join(format!("{id}.eml")).display().to_string())
                .map_err(|e| format!("writing the mail file failed: {e}")),
            Mailer::Smtp { relay, transport } => transport
                .send(message)
                .await
                .map(|_| format!("smtp://{relay}"))
                .map_err(|e| format!("SMTP delivery via {relay} failed: {e}")),
        }
    }
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
