//! Checking a bundle: its fields (pure) and the courses it may hold (a pure rule over the
//! facts the store reads about each named course).

use super::model::{Bundle, BundleBody};
use crate::catalog::model::Status;
use crate::catalog::slug;
use crate::http::{AppError, FieldError};

/// Most courses one bundle may hold.
pub const MAX_COURSES: usize = 50;
/// Highest price accepted, as for courses and products.
pub const MAX_PRICE_CENTS: i64 = 1_000_000_000;

/// A bundle's fields after a body was applied and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub slug: Option<String>,
    pub description: String,
    pub price_cents: i64,
    pub course_ids: Vec<String>,
    pub product_ids: Vec<String>,
    pub status: Status,
}

impl Draft {
    /// A new bundle from a create body: `name`, `price_cents` and `course_ids` required.
    pub fn new(body: BundleBody) -> Result<Draft, AppError> {
        let mut missing = Vec::new();
        for (field, absent) in [
            ("name", body.name.is_none()),
            ("price_cents", body.price_cents.is_none()),
            ("course_ids", body.course_ids.is_none()),
        ] {
            if absent {
                missing.push(FieldError::new(field, "is required"));
            }
        }
        if !missing.is_empty() {
            return Err(AppError::Validation(missing));
        }
        let blank = Draft {
            name: String::new(),
            slug: None,
            description: String::new(),
            price_cents: 0,
            course_ids: Vec::new(),
            product_ids: Vec::new(),
            status: Status::Draft,
        };
        blank.apply(body)
    }

    /// The stored bundle as a draft (its slug kept unless the body names another).
    pub fn of(bundle: &Bundle, course_ids: Vec<String>, product_ids: Vec<String>) -> Draft {
        Draft {
            product_ids,
            name: bundle.name.clone(),
            slug: None,
            description: bundle.description.clone(),
            price_cents: bundle.price_cents,
            course_ids,
            status: bundle.status,
        }
    }

    /// This draft with the fields `body` sends, the whole checked (every problem reported).
    pub fn apply(mut self, body: BundleBody) -> Result<Draft, AppError> {
        if let Some(v) = body.name {
            self.name = v.trim().to_string();
        }
        if let Some(v) = body.slug {
            self.slug = Some(v.trim().to_string());
        }
        if let Some(v) = body.description {
            self.description = v;
        }
        if let Some(v) = body.price_cents {
            self.price_cents = v;
        }
        if let Some(v) = body.course_ids {
            self.course_ids = v.iter().map(|id| id.trim().to_string()).collect();
        }
        if let Some(v) = body.product_ids {
            self.product_ids = v.iter().map(|id| id.trim().to_string()).collect();
        }
        if let Some(v) = body.status {
            self.status = v;
        }
        let errors = self.problems();
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(AppError::Validation(errors))
        }
    }

    fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name_len = self.name.chars().count();
        if name_len == 0 || name_len > 200 {
            errors.push(FieldError::new("name", "must be 1 to 200 characters"));
        }
        if let Some(s) = &self.slug
            && let Err(e) = slug::check(s)
        {
            errors.push(FieldError::new("slug", e));
        }
        if self.description.chars().count() > 50_000 {
            errors.push(FieldError::new(
                "description",
                "must be at most 50000 characters",
            ));
        }
        if !(0..=MAX_PRICE_CENTS).contains(&self.price_cents) {
            errors.push(FieldError::new(
                "price_cents",
                crate::msg!("problem-cents-between", min = 0, max = MAX_PRICE_CENTS),
            ));
        }
        let ids = &self.course_ids;
        if ids.is_empty() || ids.len() > MAX_COURSES {
            errors.push(FieldError::new(
                "course_ids",
                crate::msg!("problem-courses-count", max = MAX_COURSES),
            ));
        } else if ids.iter().any(String::is_empty) {
            errors.push(FieldError::new("course_ids", "a course id is empty"));
        } else if let Some(twice) = ids
            .iter()
            .enumerate()
            .find(|(i, id)| ids[..*i].contains(id))
        {
            errors.push(FieldError::new(
                "course_ids",
                crate::msg!("problem-course-twice", id = twice.1),
            ));
        }
        errors.extend(super::products::id_problems(&self.product_ids));
        errors
    }
}

/// What the store knows of a course a bundle names (`None`: no such course).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseFact {
    pub status: Status,
    pub instructor_id: String,
}

/// Who writes the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer<'a> {
    Admin,
    Instructor(&'a str),
}

/// Whether a bundle may hold these courses: each must exist and be published (a bundle sells
/// only what can be learnt now, 422 naming `course_ids`), and an instructor may bundle only
/// their own courses (403: someone else's course is not theirs to sell).
pub fn check_courses(
    writer: Writer<'_>,
    courses: &[(String, Option<CourseFact>)],
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    for (id, fact) in courses {
        match fact {
            None => errors.push(FieldError::new(
                "course_ids",
                crate::msg!("problem-course-missing", id = id),
            )),
            Some(fact) => {
                if let Writer::Instructor(me) = writer
                    && fact.instructor_id != me
                {
                    return Err(AppError::Forbidden(crate::msg!(
                        "problem-course-not-yours",
                        id = id
                    )));
                }
                if fact.status != Status::Published {
                    errors.push(FieldError::new(
                        "course_ids",
                        crate::msg!(
                            "problem-course-not-sellable",
                            id = id,
                            status = crate::status::word(fact.status)
                        ),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

#[cfg(test)]
mod tests;
