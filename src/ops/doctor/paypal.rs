//! `doctor` checks of the PayPal settings, and with `--online` a token from PayPal.

use std::time::Duration;

use time::OffsetDateTime;

use crate::config::Config;
use crate::ops::doctor::Check;
use crate::payments::config::GatewayKind;
use crate::payments::gateway::GatewayError;
use crate::payments::paypal::client::PaypalClient;

const NAME: &str = "paypal";

/// The credentials and webhook id are set, and the public URL PayPal sends buyers back to is
/// one PayPal accepts.
pub fn settings(config: &Config, _now: OffsetDateTime) -> Check {
    if !config.payments.enabled(GatewayKind::Paypal) {
        return Check::ok(NAME, "paypal gateway off");
    }
    let p = &config.payments.paypal;
    if let Err((key, message)) = p.validate() {
        return Check::fail(
            NAME,
            format!("{key} {message}"),
            "copy the client id and secret of the REST app, and the webhook id, from developer.paypal.com (see docs/paypal.md)",
        );
    }
    if !p.webhook_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Check::fail(
            NAME,
            "payments.paypal.webhook_id is not a PayPal webhook id (letters and digits)",
            "copy the Webhook ID shown for <public_url>/api/payments/webhook/paypal in the app's Webhooks",
        );
    }
    let public = config.public_url();
    if !public.starts_with("https://")
        || public.contains("127.0.0.1")
        || public.contains("localhost")
    {
        return Check::warn(
            NAME,
            format!("buyers are sent back to {public}, which PayPal's webhooks cannot reach"),
            "set server.public_url to the school's public https address",
        );
    }
    Check::ok(
        NAME,
        format!(
            "credentials and webhook id set ({:?} mode, {}); `doctor --online` asks for a token",
            p.mode,
            p.api_base()
        ),
    )
}

/// `--online`: obtains an OAuth token with the configured credentials.
pub async fn online(config: &Config) -> Check {
    const ONLINE: &str = "paypal api";
    if !config.payments.enabled(GatewayKind::Paypal) {
        return Check::ok(ONLINE, "paypal gateway off: nothing to call");
    }
    let p = &config.payments.paypal;
    let client = PaypalClient::new(p);
    match tokio::time::timeout(Duration::from_secs(10), client.token()).await {
        Ok(Ok(_)) => Check::ok(
            ONLINE,
            format!("{} issued a token for the client id", p.api_base()),
        ),
        Ok(Err(GatewayError::Rejected(message))) => Check::fail(
            ONLINE,
            message,
            "the client id or secret is wrong, or of the other mode (sandbox/live)",
        ),
        Ok(Err(e)) => Check::fail(
            ONLINE,
            e.to_string(),
            "check the network, DNS and firewall, and payments.paypal.api_base",
        ),
        Err(_) => Check::fail(
            ONLINE,
            format!("{} did not answer within 10 s", p.api_base()),
            "check the network and firewall, and payments.paypal.api_base",
        ),
    }
}
