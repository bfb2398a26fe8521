//! A member's new card: attached to their Stripe Customer and made the default of the customer
//! and the subscription; a past-due membership pays its open invoice with it at once, and that
//! payment is applied exactly as Stripe's `invoice.paid` would be (so the webhook arriving
//! later is a duplicate). Every Stripe call happens before the one write, never inside it.

use serde_json::{Value, json};
use stripe_client_core::StripeMethod;

use super::apply::{self, Actor};
use super::billing::{self, Refusal};
use super::events::{self, BillingEvent, FollowUp};
use super::model::{Membership, MembershipGateway, MembershipView};
use super::service::{self, serialised};
use super::store;
use crate::access::MembershipStatus;
use crate::http::{AppError, Problem};
use crate::payments::config::StripeConfig;
use crate::payments::stripe::api_error;
use crate::state::AppState;

/// What Stripe said when it refused a card request.
enum Refused {
    /// 402: the card was declined.
    Declined(String),
    /// 400/404: no such card for this customer, or not usable.
    Unusable(String),
    Other(AppError),
}

fn refused(r: Refusal) -> Refused {
    match r {
        Refusal::Stripe(stripe::StripeError::Stripe(err, status)) => {
            let message = err.message.clone().unwrap_or_default();
            match status {
                402 => Refused::Declined(message),
                400 | 404 => Refused::Unusable(message),
                _ => Refused::Other(api_error(stripe::StripeError::Stripe(err, status)).into()),
            }
        }
        Refusal::Stripe(other) => Refused::Other(api_error(other).into()),
        Refusal::Gateway(e) => Refused::Other(e.into()),
    }
}

async fn send(
    config: &StripeConfig,
    method: StripeMethod,
    path: &str,
    form: Option<&Value>,
) -> Result<Value, Refused> {
    billing::send(config, method, path, form, None)
        .await
        .map_err(refused)
}

/// What a declined card left as it was, said after the decline.
#[derive(Debug, Clone, Copy)]
enum DeclineOutcome {
    CardUnchanged,
    StillOverdue,
}

fn declined(outcome: DeclineOutcome, message: String) -> AppError {
    let outcome = match outcome {
        DeclineOutcome::CardUnchanged => "unchanged",
        DeclineOutcome::StillOverdue => "overdue",
    };
    let said = message.trim_end_matches('.');
    AppError::PaymentRequired(if said.is_empty() {
        crate::msg!("problem-card-declined", outcome = outcome)
    } else {
        crate::msg!("problem-card-declined-said", said = said, outcome = outcome)
    })
}

/// The Stripe customer and subscription of a live card membership; 409 for a manual or comp
/// membership (nobody holds a card for it) or one that has ended.
fn billed_by_card(m: &Membership) -> Result<(String, String), AppError> {
    if m.gateway != MembershipGateway::Stripe {
        return Err(AppError::conflict(
            "this membership is not paid by card, so it has no card to update",
        ));
    }
    if m.status.is_final() {
        return Err(AppError::conflict(crate::msg!(
            "problem-membership-nothing-to-pay",
            status = crate::status::word(m.status)
        )));
    }
    match (&m.stripe_customer_id, &m.stripe_subscription_id) {
        (Some(customer), Some(sub)) => Ok((customer.clone(), sub.clone())),
        _ => Err(AppError::conflict(
            "this membership has no Stripe subscription to update",
        )),
    }
}

/// Attaches the card to the customer: the attached card's id (Stripe makes a new one for its
/// test cards). 402 when declined, 422 when Stripe knows no such card.
async fn attach(config: &StripeConfig, card: &str, customer: &str) -> Result<String, AppError> {
    let form = json!({"customer": customer});
    let path = format!("/payment_methods/{card}/attach");
    match send(config, StripeMethod::Post, &path, Some(&form)).await {
        Ok(answer) => answer["id"].as_str().map(str::to_string).ok_or_else(|| {
            AppError::from(crate::payments::gateway::GatewayError::Unavailable(
                "Stripe attached the card without naming it".into(),
            ))
        }),
        Err(Refused::Declined(m)) => Err(declined(DeclineOutcome::CardUnchanged, m)),
        Err(Refused::Unusable(_)) => Err(AppError::field(
            "payment_method",
            "is not a card Stripe can use for this membership",
        )),
        Err(Refused::Other(e)) => Err(e),
    }
}

/// Takes a card that was attached but not kept back off the customer (best effort).
async fn forget(config: &StripeConfig, card: &str) {
    let path = format!("/payment_methods/{card}/detach");
    if send(config, StripeMethod::Post, &path, None).await.is_err() {
        tracing::warn!(
            card,
            "could not detach a declined card from its Stripe customer"
        );
    }
}

fn gateway(e: Refused) -> AppError {
    match e {
        Refused::Declined(m) | Refused::Unusable(m) => {
            AppError::from(crate::payments::gateway::GatewayError::Rejected(m))
        }
        Refused::Other(e) => e,
    }
}

/// The subscription's latest invoice paid with `card` when it is still open: the paid
/// invoice (also when Stripe had it paid already and its webhook is still on the way), or
/// `None` when nothing is owed. 402 when the card is declined.
async fn settle(config: &StripeConfig, sub: &str, card: &str) -> Result<Option<Value>, AppError> {
    let path = format!("/subscriptions/{sub}");
    let subscription = send(config, StripeMethod::Get, &path, None)
        .await
        .map_err(gateway)?;
    let Some(invoice_id) =
        billing::Subscription::from_json(&subscription).and_then(|s| s.latest_invoice)
    else {
        return Ok(None);
    };
    let path = format!("/invoices/{invoice_id}");
    let invoice = send(config, StripeMethod::Get, &path, None)
        .await
        .map_err(gateway)?;
    match invoice["status"].as_str() {
        Some("paid") => Ok(Some(invoice)),
        Some("open" | "draft") => {
            let form = json!({"payment_method": card});
            let path = format!("/invoices/{invoice_id}/pay");
            match send(config, StripeMethod::Post, &path, Some(&form)).await {
                Ok(paid) => Ok(Some(paid)),
                Err(Refused::Declined(m)) => Err(declined(DeclineOutcome::StillOverdue, m)),
                Err(e) => Err(gateway(e)),
            }
        }
        _ => Ok(None),
    }
}

/// Makes the card the customer's and the subscription's default for the next charges.
async fn make_default(
    config: &StripeConfig,
    customer: &str,
    sub: &str,
    card: &str,
) -> Result<(), AppError> {
    let form = json!({"invoice_settings": {"default_payment_method": card}});
    let path = format!("/customers/{customer}");
    send(config, StripeMethod::Post, &path, Some(&form))
        .await
        .map_err(gateway)?;
    let form = json!({"default_payment_method": card});
    let path = format!("/subscriptions/{sub}");
    send(config, StripeMethod::Post, &path, Some(&form))
        .await
        .map_err(gateway)?;
    Ok(())
}

/// Replaces the card of the caller's membership `id` with `payment_method` (a card Stripe.js
/// collected) and, when the membership is past due, pays the open invoice with it.
pub async fn update_card(
    state: &AppState,
    user_id: &str,
    id: &str,
    payment_method: String,
    actor: Actor,
) -> Result<MembershipView, AppError> {
    service::check_card(state, &payment_method)?;
    let _turn = serialised(id).await;
    let (m, _) = service::own(state, user_id, id).await?;
    let (customer, sub) = billed_by_card(&m)?;
    let config = &state.config.payments.stripe;
    let card = attach(config, &payment_method, &customer).await?;
    let paid = if m.status == MembershipStatus::PastDue {
        match settle(config, &sub, &card).await {
            Ok(paid) => paid,
            Err(e) => {
                forget(config, &card).await;
                return Err(e);
            }
        }
    } else {
        None
    };
    let saved = make_default(config, &customer, &sub, &card).await;
    if saved.is_err() && paid.is_none() {
        forget(config, &card).await;
    }
    let (view, follow_up) = record(state, m.id, paid, saved.is_ok(), card, actor).await?;
    if let Some(follow_up) = follow_up {
        service::follow_up(state, follow_up).await;
    }
    if let Err(e) = saved {
        tracing::warn!(error = ?e, "a card was used but could not be saved as the default");
        return Err(Problem::new(
            axum::http::StatusCode::BAD_GATEWAY,
            "Stripe did not save the card for the next charges (any overdue payment it took is \
             recorded); try again",
        )
        .into_error());
    }
    Ok(view)
}

/// The one write: the paid invoice applied like Stripe's `invoice.paid` (counted once, however
/// many times it is reported), and the audit entry when the card was saved.
async fn record(
    state: &AppState,
    id: String,
    paid: Option<Value>,
    saved: bool,
    card: String,
    actor: Actor,
) -> Result<(MembershipView, Option<FollowUp>), AppError> {
    let event = paid.as_ref().and_then(|invoice| {
        events::classify("invoice.paid", &json!({"data": {"object": invoice}}))
            .filter(|e| matches!(e, BillingEvent::Invoice(_)))
    });
    let invoice_id = paid
        .as_ref()
        .and_then(|i| i["id"].as_str().map(str::to_string));
    let grace_days = state.config.memberships.grace_days;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let applied = match &event {
                Some(event) => Some(events::apply(conn, event, grace_days, &now)?),
                None => None,
            };
            let m = store::get(conn, &id)?.ok_or(AppError::NotFound("membership"))?;
            if saved {
                apply::mark_own_change(conn, &m.id)?;
                let detail = json!({
                    "payment_method": card,
                    "paid_invoice": invoice_id,
                    "payment": applied.as_ref().map(|a| a.outcome),
                });
                apply::audit(conn, &m, &actor, "membership.card_updated", detail, &now)?;
            }
            let follow_up = applied.and_then(|a| a.follow_up);
            Ok((service::view(conn, m)?, follow_up))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(gateway: MembershipGateway, status: MembershipStatus) -> Membership {
        Membership {
            id: "m1".into(),
            user_id: "u1".into(),
            plan_id: "p1".into(),
            status,
            gateway,
            stripe_customer_id: Some("cus_1".into()),
            stripe_subscription_id: Some("sub_1".into()),
            current_period_end: None,
            past_due_since: None,
            cancel_at_period_end: false,
            cycles_paid: 1,
            started_at: String::new(),
            ended_at: None,
            updated_at: String::new(),
        }
    }

    fn status_of(result: Result<(String, String), AppError>) -> u16 {
        use axum::response::IntoResponse;
        result.unwrap_err().into_response().status().as_u16()
    }

    #[test]
    fn a_live_card_membership_names_its_stripe_customer_and_subscription() {
        for status in [
            MembershipStatus::Trialing,
            MembershipStatus::Active,
            MembershipStatus::PastDue,
            MembershipStatus::Paused,
        ] {
            let m = membership(MembershipGateway::Stripe, status);
            assert_eq!(
                billed_by_card(&m).unwrap(),
                ("cus_1".to_string(), "sub_1".to_string())
            );
        }
    }

    #[test]
    fn manual_and_comp_memberships_have_no_card_to_update() {
        for gateway in [MembershipGateway::Manual, MembershipGateway::Comp] {
            let m = membership(gateway, MembershipStatus::Active);
            assert_eq!(status_of(billed_by_card(&m)), 409);
        }
    }

    #[test]
    fn an_ended_card_membership_takes_no_new_card() {
        for status in [MembershipStatus::Cancelled, MembershipStatus::Expired] {
            let m = membership(MembershipGateway::Stripe, status);
            assert_eq!(status_of(billed_by_card(&m)), 409);
        }
    }

    #[test]
    fn a_decline_says_what_stripe_said_and_what_did_not_happen() {
        let AppError::PaymentRequired(text) = declined(
            DeclineOutcome::CardUnchanged,
            "Your card was declined.".into(),
        ) else {
            panic!("a decline is a 402");
        };
        assert_eq!(
            text.as_str(),
            "the card was declined (Your card was declined); the card on file is unchanged"
        );
    }
}
