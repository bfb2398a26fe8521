//! Doctor checks of sign-in providers: offline, the redirect URL to register; with
//! `--online`, each provider's discovery document and key set fetched now.

use crate::config::Config;
use crate::config::oidc::Preset;
use crate::ops::doctor::Check;

const NAME: &str = "sign-in providers";
const ONLINE: &str = "sign-in provider";

fn callback(config: &Config, id: &str) -> String {
    format!(
        "{}/api/auth/oidc/{id}/callback",
        config.public_url().trim_end_matches('/')
    )
}

/// Names the providers and the redirect URL each must have registered.
pub fn offline(config: &Config, _now: time::OffsetDateTime) -> Check {
    let providers = &config.auth.oidc.providers;
    if providers.is_empty() {
        return Check::ok(NAME, "none configured: password sign-in only");
    }
    let listed: Vec<String> = providers
        .iter()
        .map(|p| format!("{} (redirect URL {})", p.id, callback(config, &p.id)))
        .collect();
    if config.server.public_url.is_empty() {
        return Check::warn(
            NAME,
            listed.join("; "),
            "set server.public_url: providers redirect only to the exact URL registered with them",
        );
    }
    Check::ok(NAME, listed.join("; "))
}

/// `--online`: fetches each provider's discovery document and JWKS (Facebook has none).
pub async fn online(config: &Config) -> Vec<Check> {
    let mut checks = Vec::new();
    for provider in &config.auth.oidc.providers {
        if provider.preset == Preset::Facebook {
            checks.push(Check::ok(
                ONLINE,
                format!(
                    "{}: Facebook Login has no discovery document to fetch",
                    provider.id
                ),
            ));
            continue;
        }
        let fetched = tokio::time::timeout(
            std::time::Duration::from_secs(15),
            crate::auth::oidc::client::metadata(provider, true),
        )
        .await;
        checks.push(match fetched {
            Ok(Ok(doc)) => Check::ok(
                ONLINE,
                format!(
                    "{}: discovery and {} signing keys read from {}",
                    provider.id,
                    doc.jwks().keys().len(),
                    provider.issuer()
                ),
            ),
            Ok(Err(e)) => Check::fail(
                ONLINE,
                format!("{}: {e}", provider.id),
                "check the issuer (its /.well-known/openid-configuration must load) and the server's outbound HTTPS",
            ),
            Err(_) => Check::fail(
                ONLINE,
                format!("{}: {} did not answer within 15 s", provider.id, provider.issuer()),
                "check the issuer and the server's outbound HTTPS",
            ),
        });
    }
    checks
}
