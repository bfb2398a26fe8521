//! Request bodies for products and courses, and the rules that check them. Create and
//! update share one body type: create fills a draft from defaults, update from the stored
//! row; then the whole draft is checked. Products are in `product`, courses in `course`.

mod course;
mod product;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Deserializer};

use super::slug;
use crate::http::{AppError, FieldError};

pub use course::{CourseBody, CourseDraft};
pub use product::{ProductBody, ProductDraft};

/// For nullable fields of partial updates: absent -> None, null -> Some(None).
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

pub(super) fn required<T: Clone>(
    value: &Option<T>,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    if value.is_none() {
        errors.push(FieldError::new(field, "is required"));
    }
    value.clone()
}

pub(super) fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let id = id.trim().to_string();
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

pub(super) fn check_text(value: &str, field: &str, max: usize, errors: &mut Vec<FieldError>) {
    let len = value.chars().count();
    if len == 0 || len > max {
        errors.push(FieldError::new(
            field,
            crate::msg!("problem-chars-range", min = 1, max = max),
        ));
    }
}

pub(super) fn check_common(
    slug_value: &Option<String>,
    description: &str,
    price_cents: i64,
    tag_ids: &[String],
    errors: &mut Vec<FieldError>,
) {
    if let Some(s) = slug_value
        && let Err(e) = slug::check(s)
    {
        errors.push(FieldError::new("slug", e));
    }
    if description.chars().count() > 50_000 {
        errors.push(FieldError::new(
            "description",
            "must be at most 50000 characters",
        ));
    }
    if !(0..=1_000_000_000).contains(&price_cents) {
        errors.push(FieldError::new(
            "price_cents",
            "must be between 0 and 1000000000 (cents)",
        ));
    }
    if tag_ids.len() > 20 {
        errors.push(FieldError::new("tag_ids", "at most 20 tags"));
    }
}

/// Trims a short text field and checks its length.
pub fn short_text(value: &str, field: &str, max: usize) -> Result<String, AppError> {
    let mut errors = Vec::new();
    let value = value.trim().to_string();
    check_text(&value, field, max, &mut errors);
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(AppError::Validation(errors))
    }
}
