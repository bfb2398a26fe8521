//! Course reviews: validation and the services that keep the course's rating aggregate
//! (`rating_sum`, `rating_count`, hidden reviews excluded) in the same transaction.

use rusqlite::Connection;

use super::model::ReviewView;
use super::service::active_enrollment;
use super::store::{courses, reviews};
use crate::http::error::is_unique_violation;
use crate::http::{AppError, FieldError};

pub const MAX_COMMENT_CHARS: usize = 2000;

/// Checks a rating (1..=5) and comment (trimmed, at most 2,000 characters).
pub fn validate(rating: i64, comment: &str) -> Result<(i64, String), AppError> {
    let mut errors = Vec::new();
    if !(1..=5).contains(&rating) {
        errors.push(FieldError::new(
            "rating",
            "must be a whole number from 1 to 5",
        ));
    }
    let comment = comment.trim().to_string();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        errors.push(FieldError::new(
            "comment",
            crate::msg!("problem-max-chars", max = MAX_COMMENT_CHARS),
        ));
    }
    if errors.is_empty() {
        Ok((rating, comment))
    } else {
        Err(AppError::Validation(errors))
    }
}

fn enrolled_learner(conn: &Connection, user_id: &str, course_id: &str) -> Result<(), AppError> {
    courses::course(conn, course_id)?.ok_or(AppError::NotFound("course"))?;
    active_enrollment(conn, user_id, course_id)
        .map(|_| ())
        .map_err(|_| {
            AppError::Forbidden("only learners enrolled in this course can review it".into())
        })
}

/// Creates the caller's review (one per course) and adds it to the aggregate.
pub fn create(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    rating: i64,
    comment: &str,
    now: &str,
) -> Result<ReviewView, AppError> {
    enrolled_learner(conn, user_id, course_id)?;
    if reviews::find(conn, user_id, course_id)?.is_some() {
        return Err(AppError::conflict(
            "you have already reviewed this course; edit your review instead",
        ));
    }
    let review = reviews::Review {
        id: uuid::Uuid::now_v7().to_string(),
        course_id: course_id.to_string(),
        user_id: user_id.to_string(),
        rating,
        comment: comment.to_string(),
        hidden_at: None,
        created_at: now.to_string(),
        updated_at: now.to_string(),
    };
    reviews::insert(conn, &review).map_err(|e| {
        if is_unique_violation(&e, "reviews.user_id") {
            AppError::conflict("you have already reviewed this course")
        } else {
            e.into()
        }
    })?;
    courses::add_rating(conn, course_id, rating, 1)?;
    reviews::view(conn, &review.id)?.ok_or(AppError::NotFound("review"))
}

/// Edits the caller's review, moving the aggregate by the change (unless it is hidden).
pub fn update_mine(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    rating: i64,
    comment: &str,
    now: &str,
) -> Result<ReviewView, AppError> {
    enrolled_learner(conn, user_id, course_id)?;
    let review = reviews::find(conn, user_id, course_id)?.ok_or(AppError::NotFound("review"))?;
    reviews::update(conn, &review.id, rating, comment, now)?;
    if review.hidden_at.is_none() {
        courses::add_rating(conn, course_id, rating - review.rating, 0)?;
    }
    reviews::view(conn, &review.id)?.ok_or(AppError::NotFound("review"))
}

/// Hides a review from the public list and the aggregate; hiding twice changes nothing.
pub fn hide(conn: &Connection, review_id: &str, now: &str) -> Result<ReviewView, AppError> {
    let review = reviews::by_id(conn, review_id)?.ok_or(AppError::NotFound("review"))?;
    if review.hidden_at.is_none() {
        reviews::hide(conn, review_id, now)?;
        courses::add_rating(conn, &review.course_id, -review.rating, -1)?;
    }
    reviews::view(conn, review_id)?.ok_or(AppError::NotFound("review"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_outside_one_to_five_are_refused() {
        assert!(validate(0, "").is_err());
        assert!(validate(6, "").is_err());
        assert!(validate(1, "").is_ok() && validate(5, "").is_ok());
    }

    #[test]
    fn comments_are_trimmed_and_bounded() {
        assert_eq!(validate(4, "  great  ").unwrap().1, "great");
        assert!(validate(4, &"é".repeat(2000)).is_ok());
        assert!(validate(4, &"x".repeat(2001)).is_err());
    }
}
