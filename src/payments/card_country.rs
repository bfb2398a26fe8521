//! The card's issuing country as EU VAT evidence: asked of Stripe once a card payment
//! succeeded (outside any database write), then recorded through `commerce::vat::card`.
//! The webhook that pays an order asks at once; the reconciliation job catches up on the
//! rest (a Stripe outage, payments found by reconciliation).

use std::sync::OnceLock;
use std::time::Duration;

use super::config::{GatewayKind, StripeConfig};
use super::gateway::GatewayError;
use crate::commerce::vat::card;
use crate::state::AppState;

/// At most this many orders are asked about per run of the job.
const PER_RUN: i64 = 20;

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default()
    })
}

/// The issuing country of the card that paid the PaymentIntent (`None`: not a card, or
/// Stripe does not say). Read from the PaymentIntent with its payment method expanded; the
/// raw JSON is read because only this one field matters.
pub async fn fetch(
    config: &StripeConfig,
    transaction_id: &str,
) -> Result<Option<String>, GatewayError> {
    let url = format!(
        "{}/v1/payment_intents/{transaction_id}?expand%5B%5D=payment_method",
        config.api_base.trim_end_matches('/')
    );
    let response = client()
        .get(url)
        .bearer_auth(&config.secret_key)
        .send()
        .await
        .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
    if !response.status().is_success() {
        return Err(GatewayError::Rejected(format!(
            "status {}",
            response.status()
        )));
    }
    let pi: serde_json::Value = response
        .json()
        .await
        .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
    Ok(pi["payment_method"]["card"]["country"]
        .as_str()
        .map(str::to_string))
}

/// Asks Stripe about one order's card and records the answer; failures are logged and left
/// for the job to retry.
pub async fn record(state: &AppState, order_id: String, transaction_id: &str) {
    let country = match fetch(&state.config.payments.stripe, transaction_id).await {
        Ok(country) => country,
        // Stripe does not know it (or refuses to say): nothing to learn, asking again would
        // not help.
        Err(GatewayError::Rejected(_)) => None,
        Err(e) => {
            tracing::warn!(error = %e, order_id, "could not read the card's country");
            return;
        }
    };
    let now = state.now_text();
    let written = state
        .db
        .write(move |conn| card::record_card_country(conn, &order_id, country.as_deref(), &now))
        .await;
    if let Err(e) = written {
        tracing::warn!(error = %e, "could not record the card's country");
    }
}

/// Records the card country of every card-paid order still without one (at most
/// [`PER_RUN`]); returns how many were asked about.
pub async fn sweep(state: &AppState) -> usize {
    if !state.config.payments.enabled(GatewayKind::Stripe) {
        return 0;
    }
    let pending = match state
        .db
        .read(|conn| card::awaiting_card_country(conn, PER_RUN))
        .await
    {
        Ok(pending) => pending,
        Err(e) => {
            tracing::warn!(error = %e, "could not list orders awaiting their card country");
            return 0;
        }
    };
    let count = pending.len();
    for (order_id, transaction_id) in pending {
        record(state, order_id, &transaction_id).await;
    }
    count
}
