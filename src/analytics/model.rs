//! Report shapes of the analytics endpoints.

use serde::{Deserialize, Serialize};

use super::figures::{Funnel, SalesFigures};
use super::period::Interval;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SalesReport {
    pub from: String,
    pub to: String,
    pub interval: Interval,
    /// `all` for admins, else the caller's own products and courses.
    pub scope: String,
    pub currency: String,
    pub periods: Vec<SalesFigures>,
    pub totals: SalesFigures,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopProduct {
    pub product_id: String,
    pub name: String,
    pub units: i64,
    pub revenue_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopBundle {
    pub bundle_id: String,
    pub name: String,
    /// Bundles sold (one per order line).
    pub units: i64,
    pub revenue_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopCourse {
    pub course_id: String,
    pub title: String,
    /// Enrolments (not revoked) made in the range.
    pub enrolments: i64,
    pub revenue_cents: i64,
    /// Completed over enrolments of the range, 0..1.
    pub completion_rate: f64,
    /// Mean progress percent of those enrolments.
    pub average_progress_percent: f64,
    /// Mean visible rating (1..5); null without ratings.
    pub rating: Option<f64>,
    pub rating_count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopList<T> {
    pub from: String,
    pub to: String,
    pub scope: String,
    pub items: Vec<T>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoleCount {
    pub role: String,
    pub users: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserPeriod {
    pub period: String,
    pub signups: i64,
    /// Distinct users who made an authenticated request in the period.
    pub active_users: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourseActivity {
    pub course_id: String,
    pub title: String,
    pub active_learners: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UsersReport {
    pub from: String,
    pub to: String,
    pub interval: Interval,
    pub scope: String,
    pub by_role: Vec<RoleCount>,
    pub periods: Vec<UserPeriod>,
    /// Active on the day `to`, in the 7 and the 30 days ending `to`.
    pub dau: i64,
    pub wau: i64,
    pub mau: i64,
    pub learners_active_per_course: Vec<CourseActivity>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuizPassRate {
    pub lesson_id: String,
    pub title: String,
    pub attempts: i64,
    pub passed_attempts: i64,
    pub learners_attempted: i64,
    pub learners_passed: i64,
    /// learners_passed / learners_attempted, 0..1.
    pub pass_rate: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourseReport {
    pub course_id: String,
    pub title: String,
    pub funnel: Funnel,
    pub quizzes: Vec<QuizPassRate>,
}
