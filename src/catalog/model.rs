//! Catalogue types: status enums mirrored by the schema's CHECKs, rows and API views.

use serde::{Deserialize, Serialize};

use crate::status::status_enum;

status_enum!(
    /// Publication state of a product or course.
    pub enum Status: "status" { Draft => "draft", Published => "published", Archived => "archived" }
);
status_enum!(
    /// Digital goods are downloaded (unlimited stock); physical ones are shipped.
    pub enum ProductKind: "product kind" { Digital => "digital", Physical => "physical" }
);
status_enum!(
    pub enum Level: "level" {
        Beginner => "beginner",
        Intermediate => "intermediate",
        Advanced => "advanced",
        All => "all",
    }
);
status_enum!(
    /// What a lesson holds.
    pub enum ContentType: "content type" { Video => "video", Reading => "reading", Quiz => "quiz", Assignment => "assignment" }
);
status_enum!(
    pub enum QuestionKind: "question kind" {
        SingleChoice => "single_choice",
        MultipleChoice => "multiple_choice",
        TrueFalse => "true_false",
        ShortText => "short_text",
    }
);

/// A tag as shown on products and courses.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TagView {
    pub id: String,
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub parent_id: Option<String>,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// An image of a product, with its public URL.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImageView {
    pub media_id: String,
    pub url: String,
}

/// A product row as stored.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub vendor_id: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub kind: ProductKind,
    pub price_cents: i64,
    pub currency: String,
    pub stock_quantity: Option<i64>,
    pub sku: Option<String>,
    pub category_id: Option<String>,
    pub status: Status,
    pub download_media_id: Option<String>,
    pub sales_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProductView {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// Markdown.
    pub description: String,
    /// The description rendered to sanitised HTML.
    pub description_html: String,
    pub kind: ProductKind,
    pub price_cents: i64,
    pub currency: String,
    /// Null for digital goods (unlimited).
    pub stock_quantity: Option<i64>,
    pub sku: Option<String>,
    pub category_id: Option<String>,
    pub tags: Vec<TagView>,
    pub images: Vec<ImageView>,
    /// Digital goods: whether a downloadable file is attached (delivered to buyers only).
    pub has_download: bool,
    /// Shown to the owner and admins only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download_media_id: Option<String>,
    pub status: Status,
    pub vendor_id: String,
    pub sales_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A course row as stored, with the figures computed for its views.
#[derive(Debug, Clone)]
pub struct Course {
    pub id: String,
    pub instructor_id: String,
    pub instructor_name: String,
    pub title: String,
    pub slug: String,
    pub description: String,
    pub price_cents: i64,
    pub currency: String,
    pub category_id: Option<String>,
    pub cover_media_id: Option<String>,
    pub level: Level,
    pub status: Status,
    /// BCP 47 code of the language the course is taught in.
    pub language: String,
    pub rating_sum: i64,
    pub rating_count: i64,
    pub enrollment_count: i64,
    pub lesson_count: i64,
    pub total_duration_seconds: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourseView {
    pub id: String,
    pub title: String,
    pub slug: String,
    /// Markdown.
    pub description: String,
    pub description_html: String,
    /// 0 means free.
    pub price_cents: i64,
    pub currency: String,
    pub instructor_id: String,
    pub instructor: PersonRef,
    pub category_id: Option<String>,
    pub tags: Vec<TagView>,
    pub cover_media_id: Option<String>,
    pub cover_url: Option<String>,
    pub level: Level,
    pub status: Status,
    /// BCP 47 code of the language the course is taught in (its certificate is printed in
    /// it); `[site] default_locale` when not given at creation.
    pub language: String,
    /// Average of the ratings to one decimal; null when there are none.
    pub rating_average: Option<f64>,
    pub rating_count: i64,
    pub lesson_count: i64,
    pub total_duration_seconds: i64,
    pub enrollment_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// One decimal, exact from the stored sum and count; None without ratings.
pub fn rating_average(sum: i64, count: i64) -> Option<f64> {
    if count <= 0 {
        return None;
    }
    // Round half up on tenths using integers, then convert once.
    let tenths = (sum * 20 + count) / (2 * count);
    Some(tenths as f64 / 10.0)
}

/// Public (unsigned) URL of media used as a product image or course cover.
pub fn public_media_url(media_id: &str) -> String {
    format!("/media/{media_id}")
}

/// A section of a course.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A lesson row as stored.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: String,
    pub course_id: String,
    pub section_id: String,
    pub title: String,
    pub content_type: ContentType,
    pub position: i64,
    pub is_preview: bool,
    pub required: bool,
    pub available_after_days: i64,
    pub duration_seconds: i64,
    pub content_url: Option<String>,
    pub media_id: Option<String>,
    pub body_markdown: Option<String>,
    pub pass_percent: Option<i64>,
    pub max_attempts: Option<i64>,
    pub instructions: Option<String>,
    pub max_score: Option<i64>,
    pub pass_score: Option<i64>,
    /// Video: the transcript (Markdown), shown under the player.
    pub transcript: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A quiz question as stored (the answer must never reach a student).
#[derive(Debug, Clone)]
pub struct QuizQuestion {
    pub id: String,
    pub lesson_id: String,
    pub position: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Option<Vec<String>>,
    pub answer: serde_json::Value,
    pub points: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_average_has_one_decimal_and_is_null_without_ratings() {
        assert_eq!(rating_average(0, 0), None);
        assert_eq!(rating_average(9, 2), Some(4.5));
        assert_eq!(rating_average(13, 3), Some(4.3));
        assert_eq!(rating_average(14, 3), Some(4.7));
    }

    #[test]
    fn enums_round_trip_through_text() {
        for kind in QuestionKind::ALL {
            assert_eq!(kind.as_str().parse::<QuestionKind>(), Ok(*kind));
        }
        assert!("deleted".parse::<Status>().is_err());
    }
}
