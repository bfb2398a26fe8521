//! Doctor checks of the outside world: Stripe keys (and a live call with `--online`),
//! SMTP reachability, and the expiry of the built-in TLS certificate.

use std::time::Duration;

use time::OffsetDateTime;
use x509_parser::prelude::FromDer;

use super::doctor::Check;
use crate::config::Config;
use crate::mail::config::MailTransport;
use crate::payments::config::GatewayKind;

/// A certificate expiring sooner than this is a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 14;
/// Network checks give up after this long.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(5);

/// Stripe keys look like Stripe keys of one mode, and the webhook secret is set.
pub fn stripe_keys(config: &Config, _now: OffsetDateTime) -> Check {
    const NAME: &str = "stripe";
    if !config.payments.enabled(GatewayKind::Stripe) {
        return Check::ok(NAME, "stripe gateway off");
    }
    let s = &config.payments.stripe;
    let mode = |key: &str, prefixes: &[&str]| {
        prefixes
            .iter()
            .find(|p| key.starts_with(**p))
            .map(|p| p.contains("live"))
    };
    let Some(secret_live) = mode(
        &s.secret_key,
        &["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
    ) else {
        return Check::fail(
            NAME,
            "payments.stripe.secret_key does not look like a Stripe secret key (sk_live_..., sk_test_...)",
            "copy the secret key from the Stripe dashboard (Developers > API keys)",
        );
    };
    let Some(public_live) = mode(&s.publishable_key, &["pk_live_", "pk_test_"]) else {
        return Check::fail(
            NAME,
            "payments.stripe.publishable_key does not look like a Stripe publishable key (pk_live_..., pk_test_...)",
            "copy the publishable key from the Stripe dashboard (Developers > API keys)",
        );
    };
    if secret_live != public_live {
        return Check::fail(
            NAME,
            "the secret and publishable keys are of different modes (one live, one test)",
            "use both keys of the live mode, or both of the test mode",
        );
    }
    if !s.webhook_secret.starts_with("whsec_") {
        return Check::fail(
            NAME,
            "payments.stripe.webhook_secret is not set to a webhook signing secret (whsec_...)",
            "add the endpoint https://<your site>/api/payments/webhook in the Stripe dashboard and copy its signing secret",
        );
    }
    let mode = if secret_live {
        "live mode"
    } else {
        "test mode: no real money moves"
    };
    Check::ok(
        NAME,
        format!("keys and webhook secret set ({mode}); `doctor --online` calls the API"),
    )
}

/// `--online`: lists one PaymentIntent at `payments.stripe.api_base` with the secret key.
pub async fn stripe_online(config: &Config) -> Check {
    const NAME: &str = "stripe api";
    if !config.payments.enabled(GatewayKind::Stripe) {
        return Check::ok(NAME, "stripe gateway off: nothing to call");
    }
    let s = &config.payments.stripe;
    let client = match stripe::ClientBuilder::new(s.secret_key.as_str())
        .url(s.api_base.as_str())
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            return Check::fail(
                NAME,
                format!("cannot build a Stripe client: {e}"),
                "check payments.stripe.api_base and payments.stripe.secret_key",
            );
        }
    };
    let request = stripe_core::payment_intent::ListPaymentIntent::new().limit(1);
    let call = request.send(&client);
    match tokio::time::timeout(NETWORK_TIMEOUT * 2, call).await {
        Ok(Ok(_)) => Check::ok(NAME, format!("{} accepted the secret key", s.api_base)),
        Ok(Err(stripe::StripeError::Stripe(error, status))) => Check::fail(
            NAME,
            format!(
                "{} refused the request ({status}): {}",
                s.api_base,
                error.message.clone().unwrap_or_default()
            ),
            if status == 401 {
                "the secret key is wrong or revoked: copy a current one from the Stripe dashboard"
            } else {
                "read the message above; the Stripe dashboard's logs show the request"
            },
        ),
        Ok(Err(e)) => Check::fail(
            NAME,
            format!("cannot reach {}: {e}", s.api_base),
            "check the network, DNS and firewall, and payments.stripe.api_base",
        ),
        Err(_) => Check::fail(
            NAME,
            format!(
                "{} did not answer within {} s",
                s.api_base,
                NETWORK_TIMEOUT.as_secs() * 2
            ),
            "check the network and firewall, and payments.stripe.api_base",
        ),
    }
}

/// Connects to the SMTP server and says EHLO (with STARTTLS/TLS and login as configured).
pub async fn smtp(config: &Config) -> Check {
    const NAME: &str = "mail";
    if config.mail.effective_transport() != MailTransport::Smtp {
        return Check::ok(
            NAME,
            format!(
                "mail is written as files under {} (no SMTP server configured)",
                config
                    .data_dir
                    .join(crate::mail::transport::MAIL_DIR)
                    .display()
            ),
        );
    }
    let mut mail = config.mail.clone();
    mail.smtp.timeout_seconds = mail.smtp.timeout_seconds.min(NETWORK_TIMEOUT.as_secs());
    let relay = format!("{}:{}", mail.smtp.host, mail.smtp.port);
    let hint = "check mail.smtp.host, port and security, and that a firewall lets the server out";
    let transport = match crate::mail::transport::Mailer::from_config(&mail, &config.data_dir) {
        Ok(crate::mail::transport::Mailer::Smtp { transport, .. }) => transport,
        Ok(_) => return Check::fail(NAME, "SMTP is configured but not in use", hint),
        Err(e) => return Check::fail(NAME, format!("cannot set up SMTP: {e:#}"), hint),
    };
    let tested = tokio::time::timeout(NETWORK_TIMEOUT * 2, transport.test_connection()).await;
    match tested {
        Ok(Ok(true)) => Check::ok(NAME, format!("SMTP server {relay} answered EHLO")),
        Ok(Ok(false)) => Check::fail(
            NAME,
            format!("SMTP server {relay} did not accept the session"),
            hint,
        ),
        Ok(Err(e)) => Check::fail(NAME, format!("cannot reach SMTP server {relay}: {e}"), hint),
        Err(_) => Check::fail(
            NAME,
            format!("SMTP server {relay} did not answer in time"),
            hint,
        ),
    }
}

/// The built-in TLS certificate is readable, parses, and is not expired or near expiry.
pub fn tls_certificate(config: &Config, now: OffsetDateTime) -> Check {
    const NAME: &str = "tls";
    let Some(tls) = &config.server.tls else {
        return Check::ok(
            NAME,
            "built-in TLS off (plain HTTP; use a reverse proxy for HTTPS)",
        );
    };
    let renew = "renew the certificate (e.g. `certbot renew`), then `systemctl reload schoolhouse` (SIGHUP re-reads it)";
    if let Err(e) = std::fs::File::open(&tls.key) {
        return Check::fail(
            NAME,
            format!("cannot read the key {}: {e}", tls.key.display()),
            "fix server.tls.key or the file's permissions",
        );
    }
    let pem = match std::fs::read(&tls.cert) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Check::fail(
                NAME,
                format!("cannot read the certificate {}: {e}", tls.cert.display()),
                "fix server.tls.cert or the file's permissions",
            );
        }
    };
    let leaf = match x509_parser::pem::parse_x509_pem(&pem) {
        Ok((_, block)) if block.label == "CERTIFICATE" => block.contents,
        _ => {
            return Check::fail(
                NAME,
                format!("{} holds no PEM certificate", tls.cert.display()),
                "server.tls.cert must be a PEM file starting with -----BEGIN CERTIFICATE-----",
            );
        }
    };
    let cert = match x509_parser::certificate::X509Certificate::from_der(&leaf) {
        Ok((_, cert)) => cert,
        Err(e) => {
            return Check::fail(
                NAME,
                format!("cannot parse the certificate {}: {e}", tls.cert.display()),
                renew,
            );
        }
    };
    let validity = cert.validity();
    let not_after = validity.not_after.timestamp();
    let subject = cert.subject().to_string();
    let until = OffsetDateTime::from_unix_timestamp(not_after)
        .map(crate::clock::rfc3339)
        .unwrap_or_else(|_| not_after.to_string());
    let left = not_after - now.unix_timestamp();
    if validity.not_before.timestamp() > now.unix_timestamp() {
        return Check::fail(
            NAME,
            format!("the certificate for {subject} is not valid yet"),
            "check the system clock, or the certificate's start date",
        );
    }
    if left <= 0 {
        return Check::fail(
            NAME,
            format!("the certificate for {subject} expired on {until}"),
            renew,
        );
    }
    let days = left / 86_400;
    if days < EXPIRY_WARNING_DAYS {
        return Check::warn(
            NAME,
            format!("the certificate for {subject} expires in {days} day(s), on {until}"),
            renew,
        );
    }
    Check::ok(
        NAME,
        format!("certificate for {subject} valid until {until} ({days} days)"),
    )
}
