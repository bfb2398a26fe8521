//! Stripe Billing calls (Customers, Plans, Subscriptions) through the same async-stripe client
//! as payments, as raw requests: answers are read as JSON so the emulator's older shapes and
//! Stripe's newer ones (period ends on the subscription items) both parse.

use serde_json::{Value, json};
use stripe_client_core::{RequestBuilder, StripeMethod};

use super::model::Plan;
use crate::payments::config::StripeConfig;
use crate::payments::gateway::GatewayError;
use crate::payments::stripe::{StripeGateway, api_error, idempotent};

async fn call(
    config: &StripeConfig,
    method: StripeMethod,
    path: &str,
    form: Option<&Value>,
    idempotency_key: Option<String>,
) -> Result<Value, GatewayError> {
    match send(config, method, path, form, idempotency_key).await {
        Ok(answer) => Ok(answer),
        Err(Refusal::Stripe(e)) => Err(api_error(e)),
        Err(Refusal::Gateway(e)) => Err(e),
    }
}

/// Why a Stripe call failed: Stripe's own answer (its HTTP status kept, so a caller can tell
/// a declined card from an unknown one), or no usable answer at all.
#[derive(Debug)]
pub enum Refusal {
    Stripe(stripe::StripeError),
    Gateway(GatewayError),
}

/// One Stripe request, its error kept whole (see [`Refusal`]).
pub async fn send(
    config: &StripeConfig,
    method: StripeMethod,
    path: &str,
    form: Option<&Value>,
    idempotency_key: Option<String>,
) -> Result<Value, Refusal> {
    let client = StripeGateway::new(config)
        .client()
        .map_err(Refusal::Gateway)?;
    let mut request = RequestBuilder::new(method, path);
    if let Some(form) = form {
        request = request.form(form);
    }
    let mut request = request.customize::<miniserde::json::Value>();
    if let Some(key) = idempotency_key {
        request = request.request_strategy(idempotent(key).map_err(Refusal::Gateway)?);
    }
    let answer = request.send(&client).await.map_err(Refusal::Stripe)?;
    serde_json::from_str(&miniserde::json::to_string(&answer)).map_err(|e| {
        Refusal::Gateway(GatewayError::Unavailable(format!(
            "unreadable Stripe answer: {e}"
        )))
    })
}

/// The plan at Stripe, created once under an id derived from ours (a second call finds it).
pub async fn ensure_plan(config: &StripeConfig, plan: &Plan) -> Result<String, GatewayError> {
    if let Some(id) = &plan.stripe_plan_id {
        return Ok(id.clone());
    }
    let id = format!("schoolhouse_plan_{}", plan.id);
    let path = format!("/plans/{id}");
    if let Ok(found) = call(config, StripeMethod::Get, &path, None, None).await
        && found["id"] == id.as_str()
    {
        return Ok(id);
    }
    let form = json!({
        "id": id,
        "amount": plan.price_cents,
        "currency": plan.currency.to_ascii_lowercase(),
        "interval": plan.interval.as_str(),
        "product": {"name": plan.name},
        "metadata": {"plan_id": plan.id},
    });
    let created = call(
        config,
        StripeMethod::Post,
        "/plans",
        Some(&form),
        Some(format!("plan-{}", plan.id)),
    )
    .await?;
    Ok(created["id"].as_str().unwrap_or(&id).to_string())
}

/// A customer for the member, paying with the card Stripe.js collected.
pub async fn create_customer(
    config: &StripeConfig,
    membership_id: &str,
    email: &str,
    payment_method: &str,
) -> Result<String, GatewayError> {
    let form = json!({
        "email": email,
        "payment_method": payment_method,
        "invoice_settings": {"default_payment_method": payment_method},
        "metadata": {"membership_id": membership_id},
    });
    let customer = call(
        config,
        StripeMethod::Post,
        "/customers",
        Some(&form),
        Some(format!("customer-{membership_id}")),
    )
    .await?;
    id_of(&customer)
}

fn id_of(object: &Value) -> Result<String, GatewayError> {
    object["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| GatewayError::Unavailable("Stripe answered without an id".into()))
}

/// The subscription, as far as memberships care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: String,
    pub status: String,
    pub current_period_end: Option<i64>,
    pub cancel_at_period_end: bool,
    pub latest_invoice: Option<String>,
    pub membership_id: Option<String>,
    /// The Stripe Plan (or Price) it bills now: a switch made at Stripe shows here.
    pub plan: Option<String>,
}

impl Subscription {
    pub fn from_json(object: &Value) -> Option<Subscription> {
        Some(Subscription {
            id: object["id"].as_str()?.to_string(),
            status: object["status"].as_str().unwrap_or_default().to_string(),
            current_period_end: object["current_period_end"]
                .as_i64()
                .or_else(|| object["items"]["data"][0]["current_period_end"].as_i64()),
            cancel_at_period_end: object["cancel_at_period_end"].as_bool().unwrap_or(false),
            latest_invoice: match &object["latest_invoice"] {
                Value::String(id) => Some(id.clone()),
                Value::Object(invoice) => invoice
                    .get("id")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                _ => None,
            },
            membership_id: object["metadata"]["membership_id"]
                .as_str()
                .map(str::to_string),
            plan: [
                &object["plan"]["id"],
                &object["items"]["data"][0]["plan"]["id"],
                &object["items"]["data"][0]["price"]["id"],
            ]
            .into_iter()
            .find_map(|v| v.as_str())
            .map(str::to_string),
        })
    }
}

fn subscription(answer: Value) -> Result<Subscription, GatewayError> {
    Subscription::from_json(&answer)
        .ok_or_else(|| GatewayError::Unavailable("Stripe answered without a subscription".into()))
}

/// Subscribes the customer to the plan; Stripe charges the first period at once (or starts
/// the trial).
pub async fn create_subscription(
    config: &StripeConfig,
    membership_id: &str,
    customer: &str,
    stripe_plan: &str,
    trial_days: i64,
) -> Result<Subscription, GatewayError> {
    let mut form = json!({
        "customer": customer,
        "items": [{"plan": stripe_plan}],
        "metadata": {"membership_id": membership_id},
    });
    if trial_days > 0 {
        form["trial_period_days"] = json!(trial_days);
    }
    subscription(
        call(
            config,
            StripeMethod::Post,
            "/subscriptions",
            Some(&form),
            Some(format!("subscription-{membership_id}")),
        )
        .await?,
    )
}

/// Cancel at the period's end (`true`) or take that back (`false`).
pub async fn set_cancel_at_period_end(
    config: &StripeConfig,
    subscription_id: &str,
    cancel: bool,
) -> Result<Subscription, GatewayError> {
    let form = json!({"cancel_at_period_end": cancel});
    subscription(
        call(
            config,
            StripeMethod::Post,
            &format!("/subscriptions/{subscription_id}"),
            Some(&form),
            None,
        )
        .await?,
    )
}

/// The update that moves subscription item `item` to `stripe_plan`, asking Stripe to
/// prorate the unused time of the old plan.
pub fn switch_form(item: &str, stripe_plan: &str) -> Value {
    json!({
        "items": [{"id": item, "plan": stripe_plan}],
        "proration_behavior": "create_prorations",
    })
}

/// Moves the subscription to another plan; Stripe prorates the unused time.
pub async fn switch_plan(
    config: &StripeConfig,
    subscription_id: &str,
    stripe_plan: &str,
) -> Result<Subscription, GatewayError> {
    let current = call(
        config,
        StripeMethod::Get,
        &format!("/subscriptions/{subscription_id}"),
        None,
        None,
    )
    .await?;
    let item = current["items"]["data"][0]["id"]
        .as_str()
        .unwrap_or_default();
    let form = switch_form(item, stripe_plan);
    subscription(
        call(
            config,
            StripeMethod::Post,
            &format!("/subscriptions/{subscription_id}"),
            Some(&form),
            None,
        )
        .await?,
    )
}

/// Ends the subscription now (an admin's cancel, or a payment plan's last instalment).
pub async fn cancel_now(config: &StripeConfig, subscription_id: &str) -> Result<(), GatewayError> {
    call(
        config,
        StripeMethod::Delete,
        &format!("/subscriptions/{subscription_id}"),
        None,
        None,
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_switch_asks_stripe_to_prorate_and_replaces_the_one_item_in_place() {
        assert_eq!(
            switch_form("si_1", "schoolhouse_plan_y"),
            json!({
                "items": [{"id": "si_1", "plan": "schoolhouse_plan_y"}],
                "proration_behavior": "create_prorations",
            })
        );
    }

    #[test]
    fn the_plan_a_subscription_bills_is_read_from_old_and_new_api_shapes() {
        let old = json!({"id": "sub_1", "plan": {"id": "p_old"}});
        assert_eq!(
            Subscription::from_json(&old).unwrap().plan.as_deref(),
            Some("p_old")
        );
        let items = json!({"id": "sub_1", "items": {"data": [{"plan": {"id": "p_item"}}]}});
        assert_eq!(
            Subscription::from_json(&items).unwrap().plan.as_deref(),
            Some("p_item")
        );
        let price = json!({"id": "sub_1", "items": {"data": [{"price": {"id": "price_1"}}]}});
        assert_eq!(
            Subscription::from_json(&price).unwrap().plan.as_deref(),
            Some("price_1")
        );
        let none = json!({"id": "sub_1"});
        assert_eq!(Subscription::from_json(&none).unwrap().plan, None);
    }
}
