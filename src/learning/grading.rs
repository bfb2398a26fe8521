//! Pure quiz grading: checks the shape of each answer and scores it against the stored key.
//!
//! Keys (`quiz_questions.answer`): single_choice -> option index; multiple_choice -> array of
//! indexes; true_false -> boolean; short_text -> array of accepted strings (compared trimmed
//! and case-insensitively).

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::http::FieldError;

const MAX_TEXT_ANSWER_CHARS: usize = 1000;

/// A question with its key, as the grader needs it.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub kind: String,
    /// Number of options of a choice question.
    pub option_count: usize,
    pub key: Value,
    pub points: i64,
}

/// One answer as the learner sent it; `null` leaves the question unanswered.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GivenAnswer {
    pub question_id: String,
    #[schema(value_type = Value)]
    pub answer: Value,
}

/// How one question went (the correct answer is not revealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionResult {
    pub question_id: String,
    pub correct: bool,
    pub points_awarded: i64,
    pub points: i64,
}

/// The outcome of grading one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub score_percent: i64,
    pub correct_count: i64,
    pub results: Vec<QuestionResult>,
}

/// Grades `answers` against `questions`. Unknown or repeated question ids and answers of the
/// wrong shape are field errors; unanswered questions score nothing.
pub fn grade(questions: &[Question], answers: &[GivenAnswer]) -> Result<Grade, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, given) in answers.iter().enumerate() {
        let Some(question) = questions.iter().find(|q| q.id == given.question_id) else {
            errors.push(FieldError::new(
                format!("answers[{i}].question_id"),
                "is not a question of this quiz",
            ));
            continue;
        };
        if !seen.insert(given.question_id.as_str()) {
            errors.push(FieldError::new(
                format!("answers[{i}].question_id"),
                "is answered more than once",
            ));
            continue;
        }
        if let Err(message) = check_shape(question, &given.answer) {
            errors.push(FieldError::new(format!("answers[{i}].answer"), message));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let total: i64 = questions.iter().map(|q| q.points.max(0)).sum();
    let mut earned = 0;
    let mut correct_count = 0;
    let results = questions
        .iter()
        .map(|q| {
            let given = answers.iter().find(|a| a.question_id == q.id);
            let correct = given.is_some_and(|a| is_correct(q, &a.answer));
            let points_awarded = if correct { q.points.max(0) } else { 0 };
            earned += points_awarded;
            correct_count += i64::from(correct);
            QuestionResult {
                question_id: q.id.clone(),
                correct,
                points_awarded,
                points: q.points,
            }
        })
        .collect();
    let score_percent = if total > 0 { earned * 100 / total } else { 0 };
    Ok(Grade {
        score_percent,
        correct_count,
        results,
    })
}

fn check_shape(q: &Question, answer: &Value) -> Result<(), crate::http::Message> {
    if answer.is_null() {
        return Ok(());
    }
    let index_ok = |v: &Value| v.as_u64().is_some_and(|i| (i as usize) < q.option_count);
    match q.kind.as_str() {
        "single_choice" if index_ok(answer) => Ok(()),
        "single_choice" => Err(crate::msg!(
            "problem-option-index",
            max = q.option_count.saturating_sub(1)
        )),
        "multiple_choice" => match answer.as_array() {
            Some(items) if items.iter().all(index_ok) => Ok(()),
            _ => Err(crate::msg!(
                "problem-option-indexes",
                max = q.option_count.saturating_sub(1)
            )),
        },
        "true_false" if answer.is_boolean() => Ok(()),
        "true_false" => Err("must be true or false".into()),
        "short_text" => match answer.as_str() {
            Some(text) if text.chars().count() <= MAX_TEXT_ANSWER_CHARS => Ok(()),
            Some(_) => Err(crate::msg!(
                "problem-max-chars",
                max = MAX_TEXT_ANSWER_CHARS
            )),
            None => Err("must be a string".into()),
        },
        _ => Err("this question cannot be answered".into()),
    }
}

fn index_set(v: &Value) -> Option<BTreeSet<u64>> {
    v.as_array()?.iter().map(Value::as_u64).collect()
}

fn normalize(text: &str) -> String {
    text.trim().to_lowercase()
}

fn is_correct(q: &Question, answer: &Value) -> bool {
    match q.kind.as_str() {
        "single_choice" => answer.as_u64().is_some() && answer.as_u64() == q.key.as_u64(),
        "multiple_choice" => match (index_set(answer), index_set(&q.key)) {
            (Some(given), Some(key)) => given == key,
            _ => false,
        },
        "true_false" => answer.as_bool().is_some() && answer.as_bool() == q.key.as_bool(),
        "short_text" => {
            let Some(given) = answer.as_str().map(normalize) else {
                return false;
            };
            let accepted: Vec<&Value> = match &q.key {
                Value::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            accepted
                .iter()
                .filter_map(|v| v.as_str())
                .any(|ok| normalize(ok) == given)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(id: &str, kind: &str, options: usize, key: Value, points: i64) -> Question {
        Question {
            id: id.into(),
            kind: kind.into(),
            option_count: options,
            key,
            points,
        }
    }

    fn a(id: &str, answer: Value) -> GivenAnswer {
        GivenAnswer {
            question_id: id.into(),
            answer,
        }
    }

    fn quiz() -> Vec<Question> {
        vec![
            q("single", "single_choice", 3, json!(1), 1),
            q("multi", "multiple_choice", 4, json!([0, 2]), 2),
            q("tf", "true_false", 0, json!(false), 1),
            q(
                "text",
                "short_text",
                0,
                json!(["Paris", "paris, france"]),
                1,
            ),
        ]
    }

    #[test]
    fn all_right_scores_100() {
        let grade = grade(
            &quiz(),
            &[
                a("single", json!(1)),
                a("multi", json!([2, 0])),
                a("tf", json!(false)),
                a("text", json!("  PARIS ")),
            ],
        )
        .unwrap();
        assert_eq!((grade.score_percent, grade.correct_count), (100, 4));
    }

    #[test]
    fn points_weight_the_score_and_missing_answers_score_nothing() {
        let grade = grade(&quiz(), &[a("multi", json!([0, 2])), a("tf", json!(true))]).unwrap();
        assert_eq!(grade.score_percent, 40);
        assert_eq!(grade.correct_count, 1);
        assert!(
            !grade
                .results
                .iter()
                .find(|r| r.question_id == "tf")
                .unwrap()
                .correct
        );
    }

    #[test]
    fn a_partial_multiple_choice_answer_is_wrong() {
        let grade = grade(&quiz(), &[a("multi", json!([0]))]).unwrap();
        assert_eq!(grade.correct_count, 0);
    }

    #[test]
    fn unknown_repeated_and_misshapen_answers_are_field_errors() {
        let errors = grade(
            &quiz(),
            &[
                a("nope", json!(1)),
                a("single", json!(7)),
                a("single", json!(1)),
                a("tf", json!("yes")),
                a("text", json!(3)),
            ],
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "answers[0].question_id",
                "answers[1].answer",
                "answers[2].question_id",
                "answers[3].answer",
                "answers[4].answer"
            ]
        );
    }
}
