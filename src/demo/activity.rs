//! The demo's life: carts checked out into orders that are paid, shipped, delivered or
//! cancelled, then enrolments, progress, quiz attempts, assignments, grades and reviews, all
//! through the commerce, payments and learning services (no handler is driven by hand).

use std::collections::HashMap;

use anyhow::Context;
use serde_json::{Value, json};

use super::data::{self, Item, Outcome, Step};
use super::load::{Loaded, body, find};
use crate::auth::AuthUser;
use crate::commerce::lifecycle::OrderStatus;
use crate::commerce::service::Actor;
use crate::commerce::{cart_routes, order_routes};
use crate::learning::activity::{self, ProgressInput, SubmissionInput};
use crate::learning::grading::GivenAnswer;
use crate::learning::model::EnrollmentSource;
use crate::learning::{reviews, service};
use crate::payments::office::record_manual_payment;
use crate::state::AppState;

/// Places every demo order and moves it to its outcome; returns each order's final status.
pub async fn orders(state: &AppState, loaded: &Loaded) -> anyhow::Result<Vec<OrderStatus>> {
    let mut statuses = Vec::new();
    for (n, spec) in data::ORDERS.iter().enumerate() {
        let buyer = loaded.caller(spec.buyer)?;
        let status = order(state, loaded, buyer, spec)
            .await
            .with_context(|| format!("placing demo order {} of {}", n + 1, spec.buyer))?;
        statuses.push(status);
    }
    Ok(statuses)
}

async fn order(
    state: &AppState,
    loaded: &Loaded,
    buyer: AuthUser,
    spec: &data::OrderSpec,
) -> anyhow::Result<OrderStatus> {
    let mut physical = false;
    for item in spec.items {
        let fields = match *item {
            Item::Product(key, quantity) => {
                physical = true;
                let id = find(&loaded.products, "product", key)?;
                json!({ "item_type": "product", "item_id": id, "quantity": quantity })
            }
            Item::Course(key) => {
                let id = find(&loaded.courses, "course", key)?;
                json!({ "item_type": "course", "item_id": id })
            }
        };
        cart_routes::add_item(state, buyer.clone(), body(fields)?).await?;
    }
    let name = data::PEOPLE
        .iter()
        .find(|p| p.key == spec.buyer)
        .map_or("Demo buyer", |p| p.name);
    let checkout = json!({
        "coupon_code": spec.coupon,
        "shipping_address": physical.then(|| data::address(name)),
        "billing_country": "US",
    });
    let locale = &state.config.site.default_locale;
    let placed =
        order_routes::place_order(state, buyer.clone(), None, locale, body(checkout)?).await?;
    let id = placed.order.id;
    let mut status = placed.order.status;
    if spec.outcome == Outcome::Cancelled {
        let view = order_routes::cancel_order(state, buyer, None, id).await?;
        return Ok(view.order.status);
    }
    if spec.outcome != Outcome::Pending {
        status = pay(state, &id).await?;
    }
    let vendor = loaded.caller("vera")?;
    let steps: &[(&str, Value)] = match spec.outcome {
        Outcome::Shipped => &[("shipped", json!("1Z999AA10123456784"))],
        Outcome::Delivered => &[
            ("shipped", json!("1Z999AA10123456785")),
            ("delivered", Value::Null),
        ],
        _ => &[],
    };
    for (to, tracking) in steps {
        let change = json!({ "status": to, "tracking_number": tracking, "note": "demo" });
        let view = order_routes::change_order_status(
            state,
            vendor.clone(),
            None,
            id.clone(),
            body(change)?,
        )
        .await?;
        status = view.order.status;
    }
    Ok(status)
}

/// Pays an order as a buyer at the school office would: a manual payment recorded and
/// confirmed by staff through the payments service, which pays the order and grants its
/// courses in the same write.
async fn pay(state: &AppState, order_id: &str) -> anyhow::Result<OrderStatus> {
    let (order_id, now) = (order_id.to_string(), state.now_text());
    let status = state
        .db
        .write(move |conn| {
            let actor = Actor {
                user_id: None,
                ip: None,
            };
            record_manual_payment(conn, &order_id, &actor, &now)?;
            Ok(crate::commerce::store::orders::get(conn, &order_id, None)?
                .ok_or(crate::http::AppError::NotFound("order"))?
                .status)
        })
        .await?;
    Ok(status)
}

/// Runs the learners' steps in order.
pub async fn learning(state: &AppState, loaded: &Loaded) -> anyhow::Result<()> {
    let mut submissions: HashMap<(&str, &str), String> = HashMap::new();
    for step in data::LEARNING {
        learning_step(state, loaded, *step, &mut submissions)
            .await
            .with_context(|| format!("demo learning step {step:?}"))?;
    }
    Ok(())
}

fn lesson_id(loaded: &Loaded, key: &str) -> anyhow::Result<(String, String)> {
    let course = key.split('/').next().unwrap_or_default();
    let course_id = find(&loaded.courses, "course", course)?.clone();
    let lesson_id = loaded
        .lessons
        .get(key)
        .with_context(|| format!("the demo data names an unknown lesson `{key}`"))?
        .clone();
    Ok((course_id, lesson_id))
}

async fn learning_step(
    state: &AppState,
    loaded: &Loaded,
    step: Step,
    submissions: &mut HashMap<(&'static str, &'static str), String>,
) -> anyhow::Result<()> {
    let (now, now_text) = (crate::access::Gate::of(state), state.now_text());
    match step {
        Step::Enrol(who, course) => {
            let (user_id, course_id) = (
                loaded.user_id(who)?,
                find(&loaded.courses, "course", course)?.clone(),
            );
            state
                .db
                .write(move |conn| {
                    let source = EnrollmentSource::Free;
                    service::grant_enrollment(conn, &user_id, &course_id, source, None, &now_text)
                })
                .await?;
        }
        Step::Complete(who, lesson, minutes) => {
            let (user_id, (course_id, lesson_id)) =
                (loaded.user_id(who)?, lesson_id(loaded, lesson)?);
            let input = ProgressInput {
                lesson_id,
                completed: true,
                time_spent_seconds: Some(minutes * 60),
            };
            state
                .db
                .write(move |conn| {
                    activity::record_progress(conn, &user_id, &course_id, &input, now)
                })
                .await?;
        }
        Step::Quiz(who, lesson, correct) => quiz(state, loaded, who, lesson, correct).await?,
        Step::Submit(who, lesson, text) => {
            let (user_id, (_, lesson_id)) = (loaded.user_id(who)?, lesson_id(loaded, lesson)?);
            let input = SubmissionInput {
                text: Some(text.to_string()),
                url: None,
                media_id: None,
            };
            let (submission, _) = state
                .db
                .write(move |conn| {
                    activity::submit_assignment(conn, &user_id, &lesson_id, input.clone(), now)
                })
                .await?;
            submissions.insert((who, lesson), submission.id);
        }
        Step::Grade(who, lesson, score, feedback) => {
            grade(state, loaded, submissions, (who, lesson), score, feedback).await?
        }
        Step::Review(who, course, rating, comment) => {
            let (rating, comment) = reviews::validate(rating, comment)?;
            let (user_id, course_id) = (
                loaded.user_id(who)?,
                find(&loaded.courses, "course", course)?.clone(),
            );
            state
                .db
                .write(move |conn| {
                    reviews::create(conn, &user_id, &course_id, rating, &comment, &now_text)
                })
                .await?;
        }
    }
    Ok(())
}

/// A quiz attempt by `who`, answering every question right or every one wrong.
async fn quiz(
    state: &AppState,
    loaded: &Loaded,
    who: &str,
    lesson: &str,
    correct: bool,
) -> anyhow::Result<()> {
    let now = crate::access::Gate::of(state);
    let (user_id, (_, lesson_id)) = (loaded.user_id(who)?, lesson_id(loaded, lesson)?);
    let answers: Vec<GivenAnswer> = loaded
        .answer_keys
        .get(&lesson_id)
        .with_context(|| format!("{lesson} has no questions"))?
        .iter()
        .map(|(question_id, answer)| GivenAnswer {
            question_id: question_id.clone(),
            answer: if correct { answer.clone() } else { Value::Null },
        })
        .collect();
    state
        .db
        .write(move |conn| activity::submit_attempt(conn, &user_id, &lesson_id, &answers, now))
        .await?;
    Ok(())
}

/// The course's instructor grades what `who` handed in for `lesson`.
async fn grade(
    state: &AppState,
    loaded: &Loaded,
    submissions: &HashMap<(&'static str, &'static str), String>,
    (who, lesson): (&'static str, &'static str),
    score: i64,
    feedback: &'static str,
) -> anyhow::Result<()> {
    let now_text = state.now_text();
    let submission_id = submissions
        .get(&(who, lesson))
        .with_context(|| format!("{who} has not handed in {lesson}"))?
        .clone();
    let course = lesson.split('/').next().unwrap_or_default();
    let instructor = crate::demo::courses::courses()
        .into_iter()
        .find(|c| c.key == course)
        .map(|c| c.instructor)
        .with_context(|| format!("no demo course `{course}`"))?;
    let grader = loaded.user_id(instructor)?;
    state
        .db
        .write(move |conn| {
            activity::grade_submission(
                conn,
                &grader,
                false,
                &submission_id,
                score,
                feedback,
                &now_text,
            )
        })
        .await?;
    Ok(())
}
