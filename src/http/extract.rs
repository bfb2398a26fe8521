//! Query-string extraction with problem responses, and the shared pagination shape.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::AppError;

pub const MAX_PER_PAGE: u32 = 100;
const DEFAULT_PER_PAGE: u32 = 20;

/// Like `axum::extract::Query`, but a bad parameter is a 400 problem naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| {
                AppError::BadRequest(crate::msg!("problem-bad-query", cause = e.body_text()))
            })
    }
}

/// `page` (1-based) and `per_page` (1..=100) as sent by the client.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Checked pagination ready for SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: u32,
    pub per_page: u32,
}

impl PageParams {
    pub fn checked(self) -> Result<Page, AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page == 0 || page > 1_000_000 {
            return Err(AppError::field("page", "must be between 1 and 1000000"));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(AppError::field(
                "per_page",
                crate::msg!("problem-between", min = 1, max = MAX_PER_PAGE),
            ));
        }
        Ok(Page { page, per_page })
    }
}

impl Page {
    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
}

/// The one list shape of the API.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> ListResponse<T> {
    pub fn new(items: Vec<T>, total: i64, page: Page) -> ListResponse<T> {
        ListResponse {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
        }
    }
}

/// An optional enum filter from a query string: absent or empty is no filter; anything
/// else must parse, or the answer is 422 naming `field` with the accepted values.
pub fn optional_filter<T>(field: &str, raw: Option<&str>) -> Result<Option<T>, AppError>
where
    T: std::str::FromStr,
    T::Err: Into<crate::http::Message>,
{
    match raw.filter(|s| !s.is_empty()) {
        Some(s) => s
            .parse::<T>()
            .map(Some)
            .map_err(|e| AppError::field(field, e)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_page_above_the_maximum_is_refused() {
        let params = PageParams {
            page: Some(1),
            per_page: Some(101),
        };
        assert!(params.checked().is_err());
    }

    #[test]
    fn offsets_follow_pages() {
        let page = PageParams {
            page: Some(3),
            per_page: Some(10),
        }
        .checked()
        .unwrap();
        assert_eq!((page.limit(), page.offset()), (10, 20));
    }
}
