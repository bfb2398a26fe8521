//! The `[auth.oidc]` config section: sign-in providers, their presets and validation.

use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, key_error};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcConfig {
    pub providers: Vec<ProviderConfig>,
}

/// The role of accounts a provider creates, as config names it (`users::Role`'s names; the
/// kernel's config cannot import `users`). `admin` is refused when the config is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignupRole {
    Admin,
    Vendor,
    Instructor,
    Student,
}

/// What kind of provider an entry is: a preset fills the issuer and its quirks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Any OpenID Connect provider: `issuer` is required.
    #[default]
    Generic,
    /// Google: issuer `https://accounts.google.com`; `allowed_domains` also checks `hd`.
    Google,
    /// Microsoft Entra ID: issuer from `tenant` (`organizations` by default).
    Microsoft,
    /// Facebook Login: OAuth 2.0 plus the Graph API `/me`, not OpenID Connect.
    Facebook,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProviderConfig {
    /// Short name in URLs (`/api/auth/oidc/{id}/start`): lowercase letters, digits, `-`.
    pub id: String,
    /// Button text: "Continue with {name}". Defaults from the preset.
    pub name: String,
    pub preset: Preset,
    /// Discovery base (`{issuer}/.well-known/openid-configuration`); filled by presets.
    pub issuer: String,
    /// Microsoft only: a tenant id, or `organizations` (any work or school account).
    pub tenant: String,
    pub client_id: String,
    pub client_secret: String,
    /// Read the secret from this file instead (trailing newline ignored).
    pub client_secret_file: String,
    pub scopes: Vec<String>,
    /// Empty: any domain. Otherwise the verified email's domain must be listed.
    pub allowed_domains: Vec<String>,
    pub default_role: SignupRole,
    /// False: only existing accounts may sign in (and link) with this provider.
    pub allow_signup: bool,
    /// Facebook only: endpoints, overridable for tests or API versions.
    pub authorize_url: String,
    pub token_url: String,
    pub graph_url: String,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            id: String::new(),
            name: String::new(),
            preset: Preset::Generic,
            issuer: String::new(),
            tenant: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            client_secret_file: String::new(),
            scopes: Vec::new(),
            allowed_domains: Vec::new(),
            default_role: SignupRole::Student,
            allow_signup: true,
            authorize_url: String::new(),
            token_url: String::new(),
            graph_url: String::new(),
        }
    }
}

pub const FACEBOOK_AUTHORIZE: &str = "https://www.facebook.com/v19.0/dialog/oauth";
pub const FACEBOOK_TOKEN: &str = "https://graph.facebook.com/v19.0/oauth/access_token";
pub const FACEBOOK_GRAPH: &str = "https://graph.facebook.com/v19.0";

impl ProviderConfig {
    /// The discovery issuer, with the preset's default when none is set.
    pub fn issuer(&self) -> String {
        match self.preset {
            _ if !self.issuer.is_empty() => self.issuer.trim_end_matches('/').to_string(),
            Preset::Google => "https://accounts.google.com".into(),
            Preset::Microsoft => {
                let tenant = if self.tenant.is_empty() {
                    "organizations"
                } else {
                    &self.tenant
                };
                format!("https://login.microsoftonline.com/{tenant}/v2.0")
            }
            Preset::Generic | Preset::Facebook => String::new(),
        }
    }

    /// Microsoft's multi-tenant endpoints publish the issuer as a template
    /// (`.../{tenantid}/v2.0`): each token names its own tenant.
    pub fn multi_tenant(&self) -> bool {
        self.preset == Preset::Microsoft
            && self.issuer.is_empty()
            && matches!(
                self.tenant.as_str(),
                "" | "organizations" | "common" | "consumers"
            )
    }

    pub fn display_name(&self) -> String {
        match self.preset {
            _ if !self.name.is_empty() => self.name.clone(),
            Preset::Google => "Google".into(),
            Preset::Microsoft => "Microsoft".into(),
            Preset::Facebook => "Facebook".into(),
            Preset::Generic => self.id.clone(),
        }
    }

    pub fn scopes(&self) -> Vec<String> {
        if !self.scopes.is_empty() {
            return self.scopes.clone();
        }
        match self.preset {
            Preset::Facebook => vec!["email".into(), "public_profile".into()],
            _ => vec!["openid".into(), "email".into(), "profile".into()],
        }
    }

    /// The client secret, from the file when one is named.
    pub fn secret(&self) -> Result<String, ConfigError> {
        if self.client_secret_file.is_empty() {
            return Ok(self.client_secret.clone());
        }
        std::fs::read_to_string(&self.client_secret_file)
            .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
            .map_err(|e| {
                key_error(
                    self.key("client_secret_file"),
                    format!("cannot read {}: {e}", self.client_secret_file),
                )
            })
    }

    fn key(&self, field: &str) -> String {
        format!("auth.oidc.providers[{}].{field}", self.id)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 32
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(key_error(
                "auth.oidc.providers.id",
                format!(
                    "`{}` must be 1-32 lowercase letters, digits or `-`",
                    self.id
                ),
            ));
        }
        if self.client_id.is_empty() {
            return Err(key_error(self.key("client_id"), "is required"));
        }
        if !self.client_secret.is_empty() && !self.client_secret_file.is_empty() {
            return Err(key_error(
                self.key("client_secret"),
                "set client_secret or client_secret_file, not both",
            ));
        }
        if self.secret()?.is_empty() {
            return Err(key_error(
                self.key("client_secret"),
                "is required (or client_secret_file)",
            ));
        }
        let url_ok = |u: &str| u.starts_with("https://") || u.starts_with("http://");
        if self.preset == Preset::Facebook {
            for (field, value) in [
                ("authorize_url", &self.authorize_url),
                ("token_url", &self.token_url),
                ("graph_url", &self.graph_url),
            ] {
                if !value.is_empty() && !url_ok(value) {
                    return Err(key_error(self.key(field), "must be an http(s) URL"));
                }
            }
        } else if !url_ok(&self.issuer()) {
            return Err(key_error(
                self.key("issuer"),
                "must be an http(s) URL (or use preset = \"google\" / \"microsoft\")",
            ));
        }
        if !self.tenant.is_empty() && self.preset != Preset::Microsoft {
            return Err(key_error(
                self.key("tenant"),
                "applies to preset = \"microsoft\" only",
            ));
        }
        if self.preset != Preset::Facebook && !self.scopes().iter().any(|s| s == "openid") {
            return Err(key_error(self.key("scopes"), "must include `openid`"));
        }
        for domain in &self.allowed_domains {
            if domain.is_empty() || domain.contains('@') || domain != &domain.to_lowercase() {
                return Err(key_error(
                    self.key("allowed_domains"),
                    format!("`{domain}` must be a lowercase domain like school.example"),
                ));
            }
        }
        if self.default_role == SignupRole::Admin {
            return Err(key_error(
                self.key("default_role"),
                "may not be admin: promote accounts by hand",
            ));
        }
        Ok(())
    }
}

impl OidcConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (i, provider) in self.providers.iter().enumerate() {
            provider.validate()?;
            if self.providers[..i].iter().any(|p| p.id == provider.id) {
                return Err(key_error(
                    "auth.oidc.providers.id",
                    format!("`{}` is listed twice", provider.id),
                ));
            }
        }
        Ok(())
    }

    pub fn provider(&self, id: &str) -> Option<&ProviderConfig> {
        self.providers.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn google() -> ProviderConfig {
        ProviderConfig {
            id: "google".into(),
            preset: Preset::Google,
            client_id: "id".into(),
            client_secret: "secret".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_google_preset_needs_only_the_client_id_and_secret() {
        let p = google();
        assert!(p.validate().is_ok());
        assert_eq!(p.issuer(), "https://accounts.google.com");
        assert_eq!(p.display_name(), "Google");
    }

    #[test]
    fn microsoft_defaults_to_any_organization_and_is_multi_tenant() {
        let p = ProviderConfig {
            preset: Preset::Microsoft,
            ..google()
        };
        assert_eq!(
            p.issuer(),
            "https://login.microsoftonline.com/organizations/v2.0"
        );
        assert!(p.multi_tenant());
        let single = ProviderConfig {
            tenant: "f00".into(),
            ..p
        };
        assert!(!single.multi_tenant());
    }

    #[test]
    fn a_generic_provider_without_an_issuer_is_refused() {
        let p = ProviderConfig {
            preset: Preset::Generic,
            ..google()
        };
        assert!(p.validate().is_err());
    }

    #[test]
    fn an_admin_default_role_and_a_missing_secret_are_refused() {
        let admin = ProviderConfig {
            default_role: SignupRole::Admin,
            ..google()
        };
        assert!(admin.validate().is_err());
        let no_secret = ProviderConfig {
            client_secret: String::new(),
            ..google()
        };
        assert!(no_secret.validate().is_err());
    }

    #[test]
    fn the_same_provider_id_twice_is_refused() {
        let config = OidcConfig {
            providers: vec![google(), google()],
        };
        assert!(config.validate().is_err());
    }
}
