//! The EU's VIES REST service: `POST {vies_url}/check-vat-number`, answered with `valid`,
//! `requestIdentifier` (the consultation number) or an `errorWrappers` list when a member
//! state's register is down. Called before the checkout's write, never inside it.

use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::number::VatNumber;
use super::rate::ViesStatus;
use crate::config::commerce::EuVatConfig;

/// VIES's answer, reduced to what the order keeps as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViesCheck {
    pub status: ViesStatus,
    /// The consultation number (`requestIdentifier`), when VIES gave one.
    pub consultation_number: Option<String>,
    /// The registered name, when VIES gave one.
    pub name: Option<String>,
    /// Why the check could not be made (`MS_UNAVAILABLE`, `TIMEOUT`, ...).
    pub error: Option<String>,
}

impl ViesCheck {
    fn unavailable(error: impl Into<String>) -> ViesCheck {
        ViesCheck {
            status: ViesStatus::Unavailable,
            consultation_number: None,
            name: None,
            error: Some(error.into()),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request<'a> {
    country_code: &'a str,
    vat_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    requester_member_state_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requester_number: Option<&'a str>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Answer {
    valid: Option<bool>,
    request_identifier: Option<String>,
    name: Option<String>,
    action_succeed: Option<bool>,
    error_wrappers: Vec<ErrorWrapper>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorWrapper {
    error: String,
}

fn http() -> &'static reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .build()
            .unwrap_or_else(|_| reqwest::Client::new())
    })
}

/// Asks VIES about `number`. Never fails: whatever goes wrong (timeout, refused
/// connection, an error answer, an answer without `valid`) is `Unavailable` with the reason.
pub async fn check(eu: &EuVatConfig, number: &VatNumber) -> ViesCheck {
    let requester = eu
        .requester_vat_number
        .as_deref()
        .and_then(|raw| super::number::parse_vat_number(raw).ok());
    let body = Request {
        country_code: &number.prefix,
        vat_number: &number.number,
        requester_member_state_code: requester.as_ref().map(|r| r.prefix.as_str()),
        requester_number: requester.as_ref().map(|r| r.number.as_str()),
    };
    let url = format!(
        "{}/check-vat-number",
        eu.vies_url.trim().trim_end_matches('/')
    );
    let sent = http()
        .post(url)
        .timeout(Duration::from_millis(eu.vies_timeout_ms))
        .json(&body)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) if e.is_timeout() => return ViesCheck::unavailable("TIMEOUT"),
        Err(e) => {
            tracing::warn!(error = %e, "VIES could not be reached");
            return ViesCheck::unavailable("SERVICE_UNAVAILABLE");
        }
    };
    let status = response.status();
    let answer: Answer = match response.json().await {
        Ok(answer) => answer,
        Err(e) if e.is_timeout() => return ViesCheck::unavailable("TIMEOUT"),
        Err(_) => return ViesCheck::unavailable(format!("HTTP_{}", status.as_u16())),
    };
    interpret(status.is_success(), answer)
}

fn interpret(success: bool, answer: Answer) -> ViesCheck {
    if let Some(wrapper) = answer.error_wrappers.first() {
        return ViesCheck::unavailable(wrapper.error.clone());
    }
    match (success, answer.action_succeed, answer.valid) {
        (true, None | Some(true), Some(valid)) => ViesCheck {
            status: if valid {
                ViesStatus::Valid
            } else {
                ViesStatus::Invalid
            },
            consultation_number: answer.request_identifier.filter(|r| !r.is_empty()),
            name: answer.name.filter(|n| !n.is_empty() && n != "---"),
            error: None,
        },
        _ => ViesCheck::unavailable("UNEXPECTED_ANSWER"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Answer {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_valid_answer_keeps_the_consultation_number() {
        let check = interpret(
            true,
            parse(
                r#"{"countryCode":"FR","vatNumber":"1","valid":true,"requestIdentifier":"WAPI1","name":"ACME"}"#,
            ),
        );
        assert_eq!(check.status, ViesStatus::Valid);
        assert_eq!(check.consultation_number.as_deref(), Some("WAPI1"));
    }

    #[test]
    fn an_error_wrapper_means_vies_could_not_check_even_with_status_200() {
        let check = interpret(
            true,
            parse(
                r#"{"actionSucceed":false,"errorWrappers":[{"error":"MS_UNAVAILABLE","message":"x"}]}"#,
            ),
        );
        assert_eq!(check.status, ViesStatus::Unavailable);
        assert_eq!(check.error.as_deref(), Some("MS_UNAVAILABLE"));
    }

    #[test]
    fn an_answer_without_valid_is_not_taken_as_invalid() {
        assert_eq!(interpret(true, parse("{}")).status, ViesStatus::Unavailable);
        assert_eq!(
            interpret(false, parse(r#"{"valid":true}"#)).status,
            ViesStatus::Unavailable
        );
    }
}
