//! The `[payments.paypal]` configuration section.

use serde::{Deserialize, Serialize};

/// PayPal's environment: which of PayPal's API hosts the credentials belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaypalMode {
    Sandbox,
    Live,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaypalConfig {
    /// The REST app's client id (developer.paypal.com, Apps & Credentials).
    pub client_id: String,
    /// The REST app's secret; or leave empty and name a file holding it.
    pub client_secret: String,
    /// A file holding the secret (read at start), for secrets kept out of the config file.
    pub client_secret_file: String,
    /// The id PayPal gave the webhook registered for `<public_url>/api/payments/webhook/paypal`.
    pub webhook_id: String,
    pub mode: PaypalMode,
    /// Empty: PayPal's host for `mode`. Tests point it at a local stand-in.
    pub api_base: String,
}

impl Default for PaypalConfig {
    fn default() -> Self {
        PaypalConfig {
            client_id: String::new(),
            client_secret: String::new(),
            client_secret_file: String::new(),
            webhook_id: String::new(),
            mode: PaypalMode::Sandbox,
            api_base: String::new(),
        }
    }
}

impl PaypalConfig {
    /// The API host requests go to.
    pub fn api_base(&self) -> String {
        if !self.api_base.trim().is_empty() {
            return self.api_base.trim().trim_end_matches('/').to_string();
        }
        match self.mode {
            PaypalMode::Sandbox => "https://api-m.sandbox.paypal.com".into(),
            PaypalMode::Live => "https://api-m.paypal.com".into(),
        }
    }

    /// The secret, from the config or from `client_secret_file` (trimmed).
    pub fn secret(&self) -> String {
        if !self.client_secret.is_empty() || self.client_secret_file.is_empty() {
            return self.client_secret.clone();
        }
        std::fs::read_to_string(&self.client_secret_file)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// Checks the section when PayPal is enabled; the error names the key.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let err = |key: &str, message: &str| Err((key.to_string(), message.to_string()));
        if self.client_id.trim().is_empty() {
            return err(
                "payments.paypal.client_id",
                "is required when the paypal gateway is enabled",
            );
        }
        if self.client_secret.is_empty() && self.client_secret_file.is_empty() {
            return err(
                "payments.paypal.client_secret",
                "is required (or client_secret_file) when the paypal gateway is enabled",
            );
        }
        if !self.client_secret_file.is_empty() && self.secret().is_empty() {
            return err(
                "payments.paypal.client_secret_file",
                "cannot be read or is empty",
            );
        }
        if self.webhook_id.trim().is_empty() {
            return err(
                "payments.paypal.webhook_id",
                "is required when the paypal gateway is enabled (the id PayPal shows for the webhook)",
            );
        }
        if !self.api_base.trim().is_empty()
            && super::payments::origin_of(self.api_base.trim()).is_none()
        {
            return err("payments.paypal.api_base", "must be an http(s) URL");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paypal_needs_its_credentials_and_webhook_id() {
        let mut config = PaypalConfig::default();
        assert_eq!(
            config.validate().unwrap_err().0,
            "payments.paypal.client_id"
        );
        config.client_id = "id".into();
        assert_eq!(
            config.validate().unwrap_err().0,
            "payments.paypal.client_secret"
        );
        config.client_secret = "secret".into();
        assert_eq!(
            config.validate().unwrap_err().0,
            "payments.paypal.webhook_id"
        );
        config.webhook_id = "WH-1".into();
        assert!(config.validate().is_ok());
        config.api_base = "not a url".into();
        assert_eq!(config.validate().unwrap_err().0, "payments.paypal.api_base");
    }

    #[test]
    fn the_api_host_follows_the_mode_unless_set() {
        let mut config = PaypalConfig::default();
        assert_eq!(config.api_base(), "https://api-m.sandbox.paypal.com");
        config.mode = PaypalMode::Live;
        assert_eq!(config.api_base(), "https://api-m.paypal.com");
        config.api_base = "http://127.0.0.1:9/".into();
        assert_eq!(config.api_base(), "http://127.0.0.1:9");
    }

    #[test]
    fn config_show_redacts_the_paypal_secret() {
        let mut config = crate::config::Config::default();
        config.payments.paypal.client_secret = "very_secret_paypal".into();
        assert!(!config.redacted_toml().contains("very_secret_paypal"));
    }
}
