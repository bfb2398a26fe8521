//! Facebook Login: OAuth 2.0 authorization code (with PKCE), then the Graph API's
//! `GET /me?fields=id,name,email` names the person. Not OpenID Connect: no ID token.

use openidconnect::core::CoreResponseType;
use openidconnect::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, JsonWebKeySet, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenUrl,
};
use serde::Deserialize;

use super::client::{ProviderError, http};
use super::config::{FACEBOOK_AUTHORIZE, FACEBOOK_GRAPH, FACEBOOK_TOKEN, ProviderConfig};
use super::flow::Flow;
use super::policy::Asserted;

fn or_default(value: &str, default: &str) -> String {
    if value.is_empty() {
        default.into()
    } else {
        value.trim_end_matches('/').into()
    }
}

fn client(
    provider: &ProviderConfig,
    redirect: &str,
) -> Result<
    openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
    >,
    ProviderError,
> {
    let e = |what: &str, e: &dyn std::fmt::Display| ProviderError(format!("{what}: {e}"));
    let secret = provider.secret().map_err(|x| e("client secret", &x))?;
    let auth = AuthUrl::new(or_default(&provider.authorize_url, FACEBOOK_AUTHORIZE))
        .map_err(|x| e("authorize_url", &x))?;
    let token = TokenUrl::new(or_default(&provider.token_url, FACEBOOK_TOKEN))
        .map_err(|x| e("token_url", &x))?;
    // The issuer and key set are unused: Facebook sends no ID token to check.
    let issuer = IssuerUrl::new("https://www.facebook.com".into()).map_err(|x| e("issuer", &x))?;
    Ok(openidconnect::core::CoreClient::new(
        ClientId::new(provider.client_id.clone()),
        issuer,
        JsonWebKeySet::default(),
    )
    .set_client_secret(ClientSecret::new(secret))
    .set_auth_uri(auth)
    .set_token_uri(token)
    .set_redirect_uri(RedirectUrl::new(redirect.into()).map_err(|x| e("redirect", &x))?))
}

/// Facebook's authorization URL for this flow.
pub fn authorize_url(
    provider: &ProviderConfig,
    flow: &Flow,
    challenge: PkceCodeChallenge,
) -> String {
    let Ok(client) = client(provider, &flow.redirect_uri) else {
        return "/login#oidc_error=provider_error".into();
    };
    let state = flow.state.clone();
    let mut request = client.authorize_url(
        openidconnect::AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
        move || CsrfToken::new(state.clone()),
        || Nonce::new(String::new()),
    );
    for scope in provider.scopes() {
        request = request.add_scope(Scope::new(scope));
    }
    let (url, _, _) = request.set_pkce_challenge(challenge).url();
    // The OpenID client adds `openid` and a nonce, which Facebook's OAuth dialog rejects.
    let mut clean = url.clone();
    clean.query_pairs_mut().clear().extend_pairs(
        url.query_pairs()
            .filter(|(k, v)| k != "nonce" && !(k == "scope" && v.is_empty()))
            .map(|(k, v)| {
                if k == "scope" {
                    (
                        k,
                        std::borrow::Cow::Owned(
                            v.split(' ')
                                .filter(|s| *s != "openid")
                                .collect::<Vec<_>>()
                                .join(","),
                        ),
                    )
                } else {
                    (k, v)
                }
            }),
    );
    clean.to_string()
}

/// A Graph API `/me` answer.
#[derive(Debug, Deserialize)]
pub struct Me {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// Maps `/me` to what the sign-in rules read. Facebook returns only an email its user has
/// confirmed, and none when the account has no email or the person withheld it: then the
/// sign-in is refused as unverified.
pub fn map_me(body: &[u8]) -> Result<(Asserted, Option<String>), ProviderError> {
    let me: Me = serde_json::from_slice(body)
        .map_err(|e| ProviderError(format!("the Graph API answer is not a profile: {e}")))?;
    if me.id.is_empty() {
        return Err(ProviderError("the Graph API answer has no id".into()));
    }
    let email = me.email.unwrap_or_default().trim().to_lowercase();
    Ok((
        Asserted {
            subject: me.id,
            email_verified: !email.is_empty(),
            email,
            hosted_domain: None,
        },
        me.name,
    ))
}

pub async fn exchange(
    provider: &ProviderConfig,
    flow: &Flow,
    code: String,
) -> Result<(Asserted, Option<String>), ProviderError> {
    let client = client(provider, &flow.redirect_uri)?;
    let send = |request| super::client::send(request);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
        .request_async(&send)
        .await
        .map_err(|e| ProviderError(format!("token endpoint refused the code: {e}")))?;
    let graph = or_default(&provider.graph_url, FACEBOOK_GRAPH);
    let body = http()
        .get(format!("{graph}/me?fields=id,name,email"))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| ProviderError(format!("Graph API /me: {e}")))?
        .bytes()
        .await
        .map_err(|e| ProviderError(format!("Graph API /me: {e}")))?;
    map_me(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Recorded shapes of Graph API v19 `/me?fields=id,name,email` answers.
    const WITH_EMAIL: &str =
        r#"{"id":"10229876543210987","name":"Ada Lovelace","email":"Ada@Example.COM"}"#;
    const WITHOUT_EMAIL: &str = r#"{"id":"10229876543210988","name":"Phone Only"}"#;
    const ERROR: &str =
        r#"{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}"#;

    #[test]
    fn a_graph_profile_with_an_email_maps_to_a_verified_lowercase_email() {
        let (asserted, name) = map_me(WITH_EMAIL.as_bytes()).unwrap();
        assert_eq!(asserted.subject, "10229876543210987");
        assert_eq!(asserted.email, "ada@example.com");
        assert!(asserted.email_verified);
        assert_eq!(name.as_deref(), Some("Ada Lovelace"));
    }

    #[test]
    fn a_graph_profile_without_an_email_is_not_verified() {
        let (asserted, _) = map_me(WITHOUT_EMAIL.as_bytes()).unwrap();
        assert!(asserted.email.is_empty());
        assert!(!asserted.email_verified);
    }

    #[test]
    fn a_graph_error_answer_is_a_provider_error() {
        assert!(map_me(ERROR.as_bytes()).is_err());
        assert!(map_me(b"not json").is_err());
    }
}
