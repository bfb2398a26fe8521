//! Quiz questions as authored: the shape of options and correct answers for each kind.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::QuestionKind;
use crate::http::FieldError;

/// A question as sent by an author.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    pub kind: QuestionKind,
    pub prompt: String,
    /// Option texts for `single_choice` and `multiple_choice` (2 to 20).
    #[serde(default)]
    pub options: Option<Vec<String>>,
    /// `single_choice`: the correct option's index; `multiple_choice`: a list of indexes;
    /// `true_false`: a boolean; `short_text`: a list of accepted answers (or one string).
    #[schema(value_type = Value)]
    pub answer: Value,
    /// Defaults to 1.
    #[serde(default)]
    pub points: Option<i64>,
}

/// A checked question, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Option<Vec<String>>,
    pub answer: Value,
    pub points: i64,
}

fn index(value: &Value, len: usize) -> Option<u64> {
    value.as_u64().filter(|i| (*i as usize) < len)
}

/// Checks one question; errors are named `questions[i].field`.
pub fn check(i: usize, q: &QuestionInput) -> Result<Question, Vec<FieldError>> {
    let field = |name: &str| format!("questions[{i}].{name}");
    let mut errors = Vec::new();
    let prompt = q.prompt.trim().to_string();
    if prompt.is_empty() || prompt.chars().count() > 2000 {
        errors.push(FieldError::new(
            field("prompt"),
            "must be 1 to 2000 characters",
        ));
    }
    let points = q.points.unwrap_or(1);
    if !(1..=1000).contains(&points) {
        errors.push(FieldError::new(
            field("points"),
            "must be between 1 and 1000",
        ));
    }
    let options = check_options(q, field("options"), &mut errors);
    let len = options.as_ref().map_or(0, Vec::len);
    let answer = answer_key(q, len);
    let answer = answer.unwrap_or_else(|message| {
        errors.push(FieldError::new(field("answer"), message));
        Value::Null
    });
    if errors.is_empty() {
        Ok(Question {
            kind: q.kind,
            prompt,
            options,
            answer,
            points,
        })
    } else {
        Err(errors)
    }
}

/// A choice question's options: 2 to 20 non-empty texts of at most 500 characters; other
/// kinds have none.
fn check_options(
    q: &QuestionInput,
    options_field: String,
    errors: &mut Vec<FieldError>,
) -> Option<Vec<String>> {
    let choice = matches!(
        q.kind,
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice
    );
    match (&q.options, choice) {
        (Some(options), true) => {
            let cleaned: Vec<String> = options.iter().map(|o| o.trim().to_string()).collect();
            if !(2..=20).contains(&cleaned.len())
                || cleaned
                    .iter()
                    .any(|o| o.is_empty() || o.chars().count() > 500)
            {
                errors.push(FieldError::new(
                    options_field.clone(),
                    "must be 2 to 20 non-empty texts of at most 500 characters",
                ));
            }
            Some(cleaned)
        }
        (None, true) => {
            errors.push(FieldError::new(
                options_field.clone(),
                "is required for choice questions",
            ));
            None
        }
        (Some(_), false) => {
            errors.push(FieldError::new(
                options_field.clone(),
                "applies only to single_choice and multiple_choice questions",
            ));
            None
        }
        (None, false) => None,
    }
}

/// The answer key by kind: an option index, a list of option indexes, true or false, or 1
/// to 50 accepted short texts. `len` is how many options the question has.
fn answer_key(q: &QuestionInput, len: usize) -> Result<Value, &'static str> {
    match q.kind {
        QuestionKind::SingleChoice => index(&q.answer, len)
            .map(Value::from)
            .ok_or("must be the index (from 0) of the correct option"),
        QuestionKind::MultipleChoice => {
            let mut picked: Vec<u64> = q
                .answer
                .as_array()
                .map(|a| a.iter().map(|v| index(v, len)).collect::<Option<Vec<_>>>())
                .unwrap_or(None)
                .unwrap_or_default();
            picked.sort_unstable();
            picked.dedup();
            if picked.is_empty() {
                Err("must be a list of one or more indexes (from 0) of the correct options")
            } else {
                Ok(Value::from(picked))
            }
        }
        QuestionKind::TrueFalse => q
            .answer
            .as_bool()
            .map(Value::from)
            .ok_or("must be true or false"),
        QuestionKind::ShortText => {
            let accepted: Option<Vec<String>> = match &q.answer {
                Value::String(s) => Some(vec![s.trim().to_string()]),
                Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .collect(),
                _ => None,
            };
            match accepted {
                Some(list)
                    if !list.is_empty()
                        && list.len() <= 50
                        && list
                            .iter()
                            .all(|s| !s.is_empty() && s.chars().count() <= 200) =>
                {
                    Ok(Value::from(list))
                }
                _ => Err("must be a list of 1 to 50 accepted answers (non-empty texts)"),
            }
        }
    }
}

/// Checks every question; a quiz needs 1 to 200 of them.
pub fn check_all(questions: &[QuestionInput]) -> Result<Vec<Question>, Vec<FieldError>> {
    if questions.is_empty() || questions.len() > 200 {
        return Err(vec![FieldError::new(
            "questions",
            "a quiz needs 1 to 200 questions",
        )]);
    }
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        match check(i, q) {
            Ok(q) => checked.push(q),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(kind: QuestionKind, options: Option<Vec<&str>>, answer: Value) -> QuestionInput {
        QuestionInput {
            kind,
            prompt: "Which?".into(),
            options: options.map(|o| o.into_iter().map(String::from).collect()),
            answer,
            points: None,
        }
    }

    fn answer_error(input: QuestionInput) -> bool {
        check(0, &input)
            .unwrap_err()
            .iter()
            .any(|e| e.field == "questions[0].answer")
    }

    #[test]
    fn single_choice_needs_one_valid_index() {
        let ok = check(
            0,
            &q(QuestionKind::SingleChoice, Some(vec!["a", "b"]), json!(1)),
        )
        .unwrap();
        assert_eq!(ok.answer, json!(1));
        assert!(answer_error(q(
            QuestionKind::SingleChoice,
            Some(vec!["a", "b"]),
            json!(2)
        )));
        assert!(answer_error(q(
            QuestionKind::SingleChoice,
            Some(vec!["a", "b"]),
            json!([0])
        )));
    }

    #[test]
    fn multiple_choice_needs_valid_indexes_and_is_normalised() {
        let opts = Some(vec!["a", "b", "c"]);
        let ok = check(
            0,
            &q(QuestionKind::MultipleChoice, opts.clone(), json!([2, 0, 2])),
        )
        .unwrap();
        assert_eq!(ok.answer, json!([0, 2]));
        assert!(answer_error(q(
            QuestionKind::MultipleChoice,
            opts.clone(),
            json!([])
        )));
        assert!(answer_error(q(
            QuestionKind::MultipleChoice,
            opts,
            json!([0, 3])
        )));
    }

    #[test]
    fn true_false_and_short_text_answers() {
        assert!(check(0, &q(QuestionKind::TrueFalse, None, json!(false))).is_ok());
        assert!(answer_error(q(QuestionKind::TrueFalse, None, json!("yes"))));
        let st = check(0, &q(QuestionKind::ShortText, None, json!(" Paris "))).unwrap();
        assert_eq!(st.answer, json!(["Paris"]));
        assert!(answer_error(q(QuestionKind::ShortText, None, json!([""]))));
    }

    #[test]
    fn choice_questions_need_options_and_others_refuse_them() {
        let errors = check(0, &q(QuestionKind::SingleChoice, None, json!(0))).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "questions[0].options"));
        let errors = check(
            0,
            &q(QuestionKind::TrueFalse, Some(vec!["a", "b"]), json!(true)),
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "questions[0].options");
        assert!(check_all(&[]).is_err());
    }
}
