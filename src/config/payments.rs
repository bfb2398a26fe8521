//! The `[payments]` and `[refunds]` configuration sections.

use serde::{Deserialize, Serialize};

/// A way to pay: Stripe (cards online), PayPal (redirect approval) or manual (office or bank
/// transfer, confirmed by staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GatewayKind {
    Stripe,
    #[serde(rename = "paypal")]
    Paypal,
    Manual,
}

impl GatewayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GatewayKind::Stripe => "stripe",
            GatewayKind::Paypal => "paypal",
            GatewayKind::Manual => "manual",
        }
    }

    pub fn parse(text: &str) -> Option<GatewayKind> {
        match text {
            "stripe" => Some(GatewayKind::Stripe),
            "paypal" => Some(GatewayKind::Paypal),
            "manual" => Some(GatewayKind::Manual),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentsConfig {
    /// The gateways buyers may choose, e.g. `["stripe", "manual"]`.
    pub gateways: Vec<GatewayKind>,
    /// Pending Stripe and PayPal payments older than this are re-checked at the gateway.
    pub reconcile_after_minutes: i64,
    /// A pending Stripe payment is re-checked at Stripe, when its status is read, at most once
    /// per this many seconds: buyers polling their payment cannot spend the school's Stripe
    /// rate limit.
    pub recheck_interval_seconds: u32,
    pub stripe: StripeConfig,
    pub paypal: super::paypal::PaypalConfig,
    pub manual: ManualConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StripeConfig {
    pub secret_key: String,
    pub publishable_key: String,
    pub webhook_secret: String,
    pub api_base: String,
    pub js_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ManualConfig {
    /// Shown to buyers who choose to pay at the office or by bank transfer.
    pub instructions: String,
}

/// How a bundle's progress is read from its courses' for the refund rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleProgress {
    /// The mean of its courses' progress, rounded up.
    Average,
    /// The furthest course's progress: one course learnt past the limit is not refunded
    /// because the other courses were not started.
    #[default]
    Maximum,
}

impl BundleProgress {
    pub fn as_str(self) -> &'static str {
        match self {
            BundleProgress::Average => "average",
            BundleProgress::Maximum => "maximum",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RefundsConfig {
    pub window_days: u32,
    pub max_course_progress_percent: u32,
    /// A bundle's progress for `max_course_progress_percent`: `maximum` (default) or `average`.
    pub bundle_progress: BundleProgress,
    /// Eligible requests are approved and paid back at once; otherwise they wait for staff.
    pub auto_approve: bool,
    /// Where and how buyers send goods back (address, what to enclose); shown on the order
    /// page and in the mail when a return is asked for. Empty: buyers are told to ask.
    pub return_instructions: String,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        PaymentsConfig {
            gateways: vec![GatewayKind::Manual],
            reconcile_after_minutes: 10,
            recheck_interval_seconds: 10,
            stripe: StripeConfig::default(),
            paypal: Default::default(),
            manual: ManualConfig::default(),
        }
    }
}

impl Default for StripeConfig {
    fn default() -> Self {
        StripeConfig {
            secret_key: String::new(),
            publishable_key: String::new(),
            webhook_secret: String::new(),
            api_base: "https://api.stripe.com".into(),
            js_url: "https://js.stripe.com/v3/".into(),
        }
    }
}

impl Default for ManualConfig {
    fn default() -> Self {
        ManualConfig {
            instructions:
                "Pay at the school office or by bank transfer, quoting your order number. \
                           Your order is confirmed when staff record the payment."
                    .into(),
        }
    }
}

impl Default for RefundsConfig {
    fn default() -> Self {
        RefundsConfig {
            window_days: 14,
            max_course_progress_percent: 30,
            bundle_progress: BundleProgress::Maximum,
            auto_approve: true,
            return_instructions: String::new(),
        }
    }
}

impl PaymentsConfig {
    pub fn enabled(&self, kind: GatewayKind) -> bool {
        self.gateways.contains(&kind)
    }

    /// The origin (`scheme://host[:port]`) Stripe.js is loaded from, when Stripe is on.
    pub fn stripe_js_origin(&self) -> Option<String> {
        if !self.enabled(GatewayKind::Stripe) {
            return None;
        }
        origin_of(&self.stripe.js_url)
    }

    /// Checks the sections; the error names the key (below `payments.`/`refunds.`) and the problem.
    pub fn validate(&self, refunds: &RefundsConfig) -> Result<(), (String, String)> {
        let err = |key: &str, message: &str| Err((key.to_string(), message.to_string()));
        if self.gateways.is_empty() {
            return err(
                "payments.gateways",
                "must name at least one of stripe, paypal, manual",
            );
        }
        if !(1..=24 * 60).contains(&self.reconcile_after_minutes) {
            return err(
                "payments.reconcile_after_minutes",
                "must be between 1 and 1440",
            );
        }
        if !(1..=3600).contains(&self.recheck_interval_seconds) {
            return err(
                "payments.recheck_interval_seconds",
                "must be between 1 and 3600",
            );
        }
        if self.enabled(GatewayKind::Stripe) {
            let s = &self.stripe;
            for (key, value) in [
                ("payments.stripe.secret_key", &s.secret_key),
                ("payments.stripe.publishable_key", &s.publishable_key),
                ("payments.stripe.webhook_secret", &s.webhook_secret),
            ] {
                if value.trim().is_empty() {
                    return err(key, "is required when the stripe gateway is enabled");
                }
            }
            if origin_of(&s.api_base).is_none() {
                return err("payments.stripe.api_base", "must be an http(s) URL");
            }
            if origin_of(&s.js_url).is_none() {
                return err("payments.stripe.js_url", "must be an http(s) URL");
            }
        }
        if self.enabled(GatewayKind::Paypal) {
            self.paypal.validate()?;
        }
        if refunds.max_course_progress_percent > 100 {
            return err(
                "refunds.max_course_progress_percent",
                "must be between 0 and 100",
            );
        }
        if refunds.window_days > 3650 {
            return err("refunds.window_days", "must be at most 3650");
        }
        Ok(())
    }
}

/// `https://js.stripe.com/v3/` -> `https://js.stripe.com`; `None` unless http(s) with a host.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_keeps_scheme_host_and_port_only() {
        let cases = [
            ("https://js.stripe.com/v3/", Some("https://js.stripe.com")),
            (
                "http://127.0.0.1:4242/js.stripe.com/v3/",
                Some("http://127.0.0.1:4242"),
            ),
            ("https://js.stripe.com", Some("https://js.stripe.com")),
            ("ftp://x", None),
            ("js.stripe.com/v3", None),
            ("https:///v3", None),
        ];
        for (url, expected) in cases {
            assert_eq!(origin_of(url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn stripe_needs_its_keys() {
        let mut config = PaymentsConfig {
            gateways: vec![GatewayKind::Stripe],
            ..PaymentsConfig::default()
        };
        let refunds = RefundsConfig::default();
        let (key, _) = config.validate(&refunds).unwrap_err();
        assert_eq!(key, "payments.stripe.secret_key");
        config.stripe.secret_key = "sk_test_x".into();
        config.stripe.publishable_key = "pk_test_x".into();
        config.stripe.webhook_secret = "whsec_x".into();
        assert!(config.validate(&refunds).is_ok());
        assert_eq!(
            config.stripe_js_origin().as_deref(),
            Some("https://js.stripe.com")
        );
        assert!(PaymentsConfig::default().stripe_js_origin().is_none());
    }

    #[test]
    fn config_show_redacts_the_stripe_secrets() {
        let mut config = crate::config::Config::default();
        config.payments.stripe.secret_key = "sk_live_very_secret".into();
        config.payments.stripe.webhook_secret = "whsec_very_secret".into();
        config.payments.stripe.publishable_key = "pk_live_public".into();
        let shown = config.redacted_toml();
        assert!(!shown.contains("very_secret"), "{shown}");
        assert!(shown.contains("pk_live_public"));
    }
}
