//! A course's body and draft: title and price required on create.

use serde::Deserialize;

use super::{check_common, check_text, dedup, nullable, required};
use crate::catalog::model::{Course, Level, Status};
use crate::http::AppError;

/// `POST /api/courses` (title and price_cents required) and `PUT /api/courses/:id`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    pub title: Option<String>,
    /// Generated from the title when not given.
    pub slug: Option<String>,
    pub description: Option<String>,
    /// 0 means free.
    pub price_cents: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub category_id: Option<Option<String>>,
    pub tag_ids: Option<Vec<String>>,
    /// Media id of the cover image.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub cover_media_id: Option<Option<String>>,
    pub level: Option<Level>,
    pub status: Option<Status>,
    /// BCP 47 code of the language the course is taught in (`fr`, `pt-BR`); the school's
    /// `[site] default_locale` when not given at creation.
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CourseDraft {
    pub title: String,
    pub slug: Option<String>,
    pub description: String,
    pub price_cents: i64,
    pub category_id: Option<String>,
    pub tag_ids: Vec<String>,
    pub cover_media_id: Option<String>,
    pub level: Level,
    pub status: Status,
    /// `None` on create without one: the school's default.
    pub language: Option<String>,
}

impl CourseDraft {
    pub fn create(body: CourseBody) -> Result<CourseDraft, AppError> {
        let mut errors = Vec::new();
        let title = required(&body.title, "title", &mut errors);
        let price = required(&body.price_cents, "price_cents", &mut errors);
        let (Some(title), Some(price_cents)) = (title, price) else {
            return Err(AppError::Validation(errors));
        };
        let mut draft = CourseDraft {
            title,
            slug: None,
            description: String::new(),
            price_cents,
            category_id: None,
            tag_ids: Vec::new(),
            cover_media_id: None,
            level: Level::All,
            status: Status::Draft,
            language: None,
        };
        draft.apply(body)?;
        Ok(draft)
    }

    pub fn from_existing(c: &Course, tag_ids: Vec<String>) -> CourseDraft {
        CourseDraft {
            title: c.title.clone(),
            slug: None,
            description: c.description.clone(),
            price_cents: c.price_cents,
            category_id: c.category_id.clone(),
            tag_ids,
            cover_media_id: c.cover_media_id.clone(),
            level: c.level,
            status: c.status,
            language: Some(c.language.clone()),
        }
    }

    pub fn apply(&mut self, body: CourseBody) -> Result<(), AppError> {
        if let Some(v) = body.title {
            self.title = v;
        }
        self.title = self.title.trim().to_string();
        if let Some(v) = body.slug {
            self.slug = Some(v.trim().to_string());
        }
        if let Some(v) = body.description {
            self.description = v;
        }
        if let Some(v) = body.price_cents {
            self.price_cents = v;
        }
        if let Some(v) = body.category_id {
            self.category_id = v;
        }
        if let Some(v) = body.tag_ids {
            self.tag_ids = dedup(&v);
        }
        if let Some(v) = body.cover_media_id {
            self.cover_media_id = v;
        }
        if let Some(v) = body.level {
            self.level = v;
        }
        if let Some(v) = body.status {
            self.status = v;
        }
        let mut errors = Vec::new();
        if let Some(v) = body.language {
            let code = v.trim().to_string();
            if crate::config::site::is_language_code(&code) {
                self.language = Some(code);
            } else {
                errors.push(crate::http::FieldError::new(
                    "language",
                    "must be a language code such as en, fr or pt-BR",
                ));
            }
        }
        check_text(&self.title, "title", 200, &mut errors);
        check_common(
            &self.slug,
            &self.description,
            self.price_cents,
            &self.tag_ids,
            &mut errors,
        );
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(errors))
        }
    }
}
