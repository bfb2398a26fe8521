//! Talking to OpenID providers: discovery and JWKS (cached per issuer, fetched again on an
//! unknown key id), the code exchange with PKCE, and the ID token checks, all through the
//! `openidconnect` crate over our reqwest.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    EmptyExtraTokenFields, HttpRequest, HttpResponse, IdTokenFields, IssuerUrl, JsonWebKeySet,
    Nonce, PkceCodeVerifier, RedirectUrl, SignatureVerificationError, StandardErrorResponse,
    StandardTokenResponse,
};
use serde::{Deserialize, Serialize};

use super::config::ProviderConfig;

/// Claims beyond the standard ones that presets read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims {
    /// Google: the Workspace domain of the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hd: Option<String>,
    /// Microsoft: the tenant that issued the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
    /// Microsoft: the tenant verified the email's domain ownership (optional claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xms_edov: Option<bool>,
}
impl AdditionalClaims for ExtraClaims {}

type Fields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type Client = openidconnect::Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;
pub type IdClaims = openidconnect::IdTokenClaims<ExtraClaims, CoreGenderClaim>;

/// A provider answer we cannot use; `detail` is for the log and the audit row.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProviderError(pub String);

fn err(what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError(format!("{what}: {e}"))
}

/// One client for every provider call: short timeouts, no redirects (a token endpoint
/// that redirects is misconfigured, and following it could leak the code elsewhere), and
/// no idle connections kept: sign-ins are rare, and a pooled connection belongs to the
/// runtime that opened it (tests run one runtime each).
pub fn http() -> &'static reqwest::Client {
    static CLIENT: LazyLock<reqwest::Client> = LazyLock::new(|| {
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .user_agent("schoolhouse")
            .build()
            .unwrap_or_default()
    });
    &CLIENT
}

/// The adapter `openidconnect` calls for every request.
pub(super) async fn send(request: HttpRequest) -> Result<HttpResponse, reqwest::Error> {
    let request = reqwest::Request::try_from(request)?;
    let response = http().execute(request).await?;
    let mut out = axum::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        out = out.header(name, value);
    }
    let body = response.bytes().await?.to_vec();
    Ok(out.body(body).unwrap_or_default())
}

/// How long a discovery document and key set are trusted before being fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// Per issuer: when the document was fetched, and the document with its keys.
type Cached = (Instant, Arc<CoreProviderMetadata>);

static CACHE: LazyLock<Mutex<HashMap<String, Cached>>> = LazyLock::new(Default::default);

/// The provider's discovery document with its key set; `fresh` skips the cache.
pub async fn metadata(
    provider: &ProviderConfig,
    fresh: bool,
) -> Result<Arc<CoreProviderMetadata>, ProviderError> {
    let issuer = provider.issuer();
    if !fresh
        && let Some((at, found)) = CACHE.lock().ok().and_then(|c| c.get(&issuer).cloned())
        && at.elapsed() < METADATA_TTL
    {
        return Ok(found);
    }
    let url = IssuerUrl::new(issuer.clone()).map_err(|e| err("issuer", e))?;
    let found = if provider.multi_tenant() {
        // The document names `{tenantid}` as its issuer: read it without the equality
        // check, which each token's issuer gets instead (see `verify`).
        let doc_url = format!("{issuer}/.well-known/openid-configuration");
        let body = http()
            .get(&doc_url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| err("discovery", e))?
            .bytes()
            .await
            .map_err(|e| err("discovery", e))?;
        let doc: CoreProviderMetadata =
            serde_json::from_slice(&body).map_err(|e| err("discovery document", e))?;
        let keys = JsonWebKeySet::fetch_async(doc.jwks_uri(), &send)
            .await
            .map_err(|e| err("JWKS", e))?;
        doc.set_jwks(keys)
    } else {
        CoreProviderMetadata::discover_async(url, &send)
            .await
            .map_err(|e| err("discovery", e))?
    };
    let found = Arc::new(found);
    if let Ok(mut cache) = CACHE.lock() {
        cache.insert(issuer, (Instant::now(), found.clone()));
    }
    Ok(found)
}

/// Makes the cached key set of `issuer` empty, as after the provider rotated its keys: the
/// next token names a key id the cache does not hold. For the tests of the refresh.
#[doc(hidden)]
pub fn forget_cached_keys(issuer: &str) {
    if let Ok(mut cache) = CACHE.lock()
        && let Some((at, doc)) = cache.get(issuer).cloned()
    {
        let stale = (*doc).clone().set_jwks(JsonWebKeySet::default());
        cache.insert(issuer.to_string(), (at, Arc::new(stale)));
    }
}

fn client(
    provider: &ProviderConfig,
    doc: &CoreProviderMetadata,
    redirect: &str,
) -> Result<Client, ProviderError> {
    let secret = provider.secret().map_err(|e| err("client secret", e))?;
    Ok(openidconnect::Client::from_provider_metadata(
        doc.clone(),
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(RedirectUrl::new(redirect.to_string()).map_err(|e| err("redirect", e))?))
}

/// Where to send the browser: the provider's authorization URL with PKCE, state and nonce.
pub async fn authorize_url(
    provider: &ProviderConfig,
    redirect: &str,
    state: &str,
    nonce: &str,
    challenge: openidconnect::PkceCodeChallenge,
) -> Result<String, ProviderError> {
    let doc = metadata(provider, false).await?;
    let client = client(provider, &doc, redirect)?;
    let (state, nonce) = (state.to_string(), nonce.to_string());
    let mut request = client.authorize_url(
        openidconnect::AuthenticationFlow::<openidconnect::core::CoreResponseType>::AuthorizationCode,
        move || openidconnect::CsrfToken::new(state.clone()),
        move || Nonce::new(nonce.clone()),
    );
    for scope in provider.scopes() {
        if scope != "openid" {
            request = request.add_scope(openidconnect::Scope::new(scope));
        }
    }
    let (url, _, _) = request.set_pkce_challenge(challenge).url();
    Ok(url.to_string())
}

/// Trades the code for tokens and checks the ID token: signature against the JWKS
/// (fetched again once on an unknown key id), `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`.
pub async fn exchange(
    provider: &ProviderConfig,
    redirect: &str,
    code: String,
    verifier: String,
    nonce: &str,
    now: time::OffsetDateTime,
) -> Result<IdClaims, ProviderError> {
    let doc = metadata(provider, false).await?;
    let client = client(provider, &doc, redirect)?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| err("token endpoint", e))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&send)
        .await
        .map_err(|e| err("token endpoint refused the code", describe_token_error(&e)))?;
    let id_token = openidconnect::TokenResponse::id_token(&tokens)
        .ok_or_else(|| ProviderError("the provider sent no ID token".into()))?;
    match verify(provider, &doc, id_token, nonce, now) {
        Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) => {
            // The provider rotated its keys since we cached them.
            let doc = metadata(provider, true).await?;
            verify(provider, &doc, id_token, nonce, now).map_err(|e| err("ID token", e))
        }
        other => other.map_err(|e| err("ID token", e)),
    }
}

fn describe_token_error<E: std::error::Error>(
    e: &openidconnect::RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>,
) -> String {
    match e {
        openidconnect::RequestTokenError::ServerResponse(r) => r.error().to_string(),
        other => {
            // The causes say what went wrong ("connection refused"), the top only "failed".
            let mut text = other.to_string();
            let mut cause = std::error::Error::source(other);
            while let Some(c) = cause {
                text = format!("{text}: {c}");
                cause = c.source();
            }
            text
        }
    }
}

/// How far the provider's clock may be ahead of ours, and how old a fresh token may be.
const SKEW: i64 = 120;
const MAX_TOKEN_AGE: i64 = 600;

fn verify(
    provider: &ProviderConfig,
    doc: &CoreProviderMetadata,
    token: &openidconnect::IdToken<
        ExtraClaims,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    nonce: &str,
    now: time::OffsetDateTime,
) -> Result<IdClaims, ClaimsVerificationError> {
    let secret = provider.secret().unwrap_or_default();
    let at = chrono::DateTime::from_timestamp(now.unix_timestamp(), 0).unwrap_or_default();
    let verifier = openidconnect::IdTokenVerifier::new_confidential_client(
        ClientId::new(provider.client_id.clone()),
        ClientSecret::new(secret),
        doc.issuer().clone(),
        doc.jwks().clone(),
    )
    .set_time_fn(move || at)
    .require_issuer_match(!provider.multi_tenant());
    let claims = token
        .claims(&verifier, &Nonce::new(nonce.to_string()))?
        .clone();
    if provider.multi_tenant() {
        let tid = claims.additional_claims().tid.clone().unwrap_or_default();
        let expected = doc.issuer().as_str().replace("{tenantid}", &tid);
        if tid.is_empty() || claims.issuer().as_str() != expected {
            return Err(ClaimsVerificationError::InvalidIssuer(
                "the issuer does not name the token's tenant".into(),
            ));
        }
    }
    if let Some(azp) = claims.authorized_party()
        && azp.as_str() != provider.client_id
    {
        return Err(ClaimsVerificationError::InvalidAudience(
            "azp names another client".into(),
        ));
    }
    let iat = claims.issue_time().timestamp();
    let now = now.unix_timestamp();
    if iat > now + SKEW || iat < now - MAX_TOKEN_AGE {
        return Err(ClaimsVerificationError::Expired(
            "the token was not issued just now (iat)".into(),
        ));
    }
    Ok(claims)
}
