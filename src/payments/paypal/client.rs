//! PayPal REST client: an OAuth 2.0 client-credentials token cached until shortly before it
//! expires (and fetched anew on a 401), and the calls the gateway makes, each mutating one
//! with a `PayPal-Request-Id` so a retry is answered with the first result.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::config::PaypalConfig;
use crate::payments::gateway::GatewayError;

/// A token is renewed this long before PayPal says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone)]
struct Token {
    value: String,
    renew_at: Instant,
}

/// Tokens by (API base, client id): every request of the process shares them.
fn tokens() -> &'static Mutex<HashMap<(String, String), Token>> {
    static TOKENS: OnceLock<Mutex<HashMap<(String, String), Token>>> = OnceLock::new();
    TOKENS.get_or_init(Default::default)
}

fn http() -> &'static reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .unwrap_or_else(|_| reqwest::Client::new())
    })
}

/// A PayPal answer: its status and JSON body (`Null` when empty).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
}

impl Answer {
    /// PayPal's `name` of an error (`UNPROCESSABLE_ENTITY`), and its first issue, if any.
    pub fn issue(&self) -> String {
        let name = self.body["name"].as_str().unwrap_or_default();
        let issue = self.body["details"][0]["issue"]
            .as_str()
            .unwrap_or_default();
        if issue.is_empty() {
            name.to_string()
        } else {
            issue.to_string()
        }
    }

    fn message(&self) -> String {
        let detail = self.body["details"][0]["description"]
            .as_str()
            .or_else(|| self.body["message"].as_str())
            .unwrap_or("no detail");
        format!("{} ({}): {detail}", self.issue(), self.status.as_u16())
    }

    /// A 4xx is PayPal refusing (Rejected); the rest is trouble worth retrying.
    pub fn into_error(self) -> GatewayError {
        if self.status.is_client_error() {
            GatewayError::Rejected(self.message())
        } else {
            GatewayError::Unavailable(self.message())
        }
    }
}

#[derive(Debug, Clone)]
pub struct PaypalClient {
    base: String,
    client_id: String,
    secret: String,
}

impl PaypalClient {
    pub fn new(config: &PaypalConfig) -> PaypalClient {
        PaypalClient {
            base: config.api_base(),
            client_id: config.client_id.clone(),
            secret: config.secret(),
        }
    }

    fn key(&self) -> (String, String) {
        (self.base.clone(), self.client_id.clone())
    }

    /// The cached token, or a new one from `POST /v1/oauth2/token`.
    pub async fn token(&self) -> Result<String, GatewayError> {
        let cached = tokens()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&self.key())
            .cloned();
        if let Some(token) = cached.filter(|t| Instant::now() < t.renew_at) {
            return Ok(token.value);
        }
        let response = http()
            .post(format!("{}/v1/oauth2/token", self.base))
            .basic_auth(&self.client_id, Some(&self.secret))
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(format!("PayPal token: {e}")))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or_default();
        let Some(value) = body["access_token"]
            .as_str()
            .filter(|_| status.is_success())
        else {
            let error = body["error_description"].as_str().unwrap_or("no token");
            return Err(if status.is_client_error() {
                GatewayError::Rejected(format!("PayPal refused the credentials: {error}"))
            } else {
                GatewayError::Unavailable(format!("PayPal token ({status}): {error}"))
            });
        };
        let lifetime = Duration::from_secs(body["expires_in"].as_u64().unwrap_or(300));
        let token = Token {
            value: value.to_string(),
            renew_at: Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN),
        };
        tokens()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(self.key(), token);
        Ok(value.to_string())
    }

    fn forget_token(&self) {
        tokens()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key());
    }

    /// One API call; a 401 (token revoked or expired early) is retried once with a new token.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        request_id: Option<&str>,
    ) -> Result<Answer, GatewayError> {
        let body = body.map(Value::to_string);
        self.call_text(method, path, body, request_id).await
    }

    /// `call` with a body already written out as JSON.
    pub async fn call_text(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        request_id: Option<&str>,
    ) -> Result<Answer, GatewayError> {
        let mut answer = self
            .send(method.clone(), path, body.clone(), request_id)
            .await?;
        if answer.status == StatusCode::UNAUTHORIZED {
            self.forget_token();
            answer = self.send(method, path, body, request_id).await?;
        }
        Ok(answer)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        request_id: Option<&str>,
    ) -> Result<Answer, GatewayError> {
        let token = self.token().await?;
        let mut request = http()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("Accept", "application/json")
            .header("Prefer", "return=representation");
        if let Some(id) = request_id {
            request = request.header("PayPal-Request-Id", id);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(format!("PayPal {path}: {e}")))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| GatewayError::Unavailable(format!("PayPal {path}: {e}")))?;
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|e| {
                GatewayError::Unavailable(format!("PayPal {path} answered non-JSON: {e}"))
            })?
        };
        Ok(Answer { status, body })
    }

    /// `GET /v2/checkout/orders/{id}`.
    pub async fn get_order(&self, order_id: &str) -> Result<Value, GatewayError> {
        let answer = self
            .call(
                Method::GET,
                &format!("/v2/checkout/orders/{}", path_part(order_id)?),
                None,
                None,
            )
            .await?;
        if !answer.status.is_success() {
            return Err(answer.into_error());
        }
        Ok(answer.body)
    }
}

impl PaypalClient {
    /// `POST /v1/notifications/verify-webhook-signature` with a body from
    /// `webhook::verify_body`; answers PayPal's `verification_status`.
    pub async fn verify_webhook(&self, body: &str) -> Result<String, GatewayError> {
        let answer = self
            .call_text(
                Method::POST,
                "/v1/notifications/verify-webhook-signature",
                Some(body.to_string()),
                None,
            )
            .await?;
        if !answer.status.is_success() {
            return Err(answer.into_error());
        }
        Ok(answer.body["verification_status"]
            .as_str()
            .unwrap_or("FAILURE")
            .to_string())
    }
}

/// An id PayPal gave us, checked before it goes into a URL path.
pub fn path_part(id: &str) -> Result<&str, GatewayError> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(GatewayError::Rejected(format!("not a PayPal id: {id:?}")));
    }
    Ok(id)
}
