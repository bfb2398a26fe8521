//! List queries for products and courses: filters, sort and search turned into SQL fragments
//! with bound parameters (nothing the client sends is ever spliced into SQL text). The
//! filters are in `filters`, the sort orders in `sort`.

mod filters;
mod sort;
#[cfg(test)]
mod tests;

use rusqlite::types::Value;
use serde::Deserialize;

use crate::http::{AppError, Page, PageParams};

/// The query string of `GET /api/products` and `GET /api/courses`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// `price`, `-price`, `created_at`, `-created_at`, `title` (`name`), `-title`, `rating`
    /// (courses; best first), `popularity` (most enrolments / sales first).
    pub sort: Option<String>,
    /// Category id or slug (its sub-categories included).
    pub category: Option<String>,
    /// Tag id or slug.
    pub tag: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    /// `true`: only free items; `false`: only paid ones.
    pub free: Option<bool>,
    /// Products only: `digital` or `physical`.
    pub kind: Option<String>,
    /// Courses only.
    pub instructor_id: Option<String>,
    /// Products only.
    pub vendor_id: Option<String>,
    /// `draft`, `published` or `archived`; the public only ever sees published items, owners
    /// also their own, admins everything.
    pub status: Option<String>,
    /// Full-text search over title/name and description; results ranked by relevance.
    pub q: Option<String>,
    /// Courses only: the language they are taught in (`fr`; `fr` also finds `fr-CA`).
    pub language: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Products,
    Courses,
}

/// Who is listing, which decides what they may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Public,
    /// A vendor (products) or instructor (courses): published items plus their own.
    Owner(String),
    Admin,
}

/// A checked list query, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ListSql {
    /// `FROM ... WHERE ...` with `?` placeholders, the main table aliased `t`.
    pub from_where: String,
    pub params: Vec<Value>,
    /// Valid both where `from_where` is in scope and over the page's rows joined back to
    /// the main table `t`: it refers to `t` columns and to `sort_rank`, the `rank` value.
    pub order_by: String,
    /// The search relevance (smaller is better) when the results are ranked.
    pub rank: Option<String>,
    pub page: Page,
    /// True when a search had no searchable words: the answer is an empty list.
    pub nothing: bool,
    /// Which of `params` holds a category id or slug that the store replaces with the JSON
    /// array of that category's and its sub-categories' ids before running the statements
    /// (resolving the tree once, instead of in both the count and the page statement).
    pub category_param: Option<usize>,
}

pub(super) struct Names {
    table: &'static str,
    fts: &'static str,
    owner: &'static str,
    tag_table: &'static str,
    tag_fk: &'static str,
    popularity: &'static str,
    title: &'static str,
}

fn names(target: Target) -> Names {
    match target {
        Target::Products => Names {
            table: "products",
            fts: "products_fts",
            owner: "vendor_id",
            tag_table: "product_tags",
            tag_fk: "product_id",
            popularity: "t.sales_count",
            title: "t.name",
        },
        Target::Courses => Names {
            table: "courses",
            fts: "courses_fts",
            owner: "instructor_id",
            tag_table: "course_tags",
            tag_fk: "course_id",
            popularity: "t.enrollment_count",
            title: "t.title",
        },
    }
}

/// Turns the user's words into an FTS5 query of quoted terms (all must match); None when
/// nothing searchable is left.
pub fn fts_query(q: &str) -> Option<String> {
    let terms: Vec<String> = q
        .split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .take(16)
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Checks the parameters and builds the query; every problem is a 422 naming the parameter.
pub fn build(params: &ListParams, target: Target, viewer: &Viewer) -> Result<ListSql, AppError> {
    let n = names(target);
    let page = PageParams {
        page: params.page,
        per_page: params.per_page,
    }
    .checked()?;
    let mut f = filters::Filters::new(params, target, &n);
    let search = f.search();
    f.visibility(viewer);
    f.status();
    let category_param = f.category();
    f.tag();
    f.price();
    f.kind();
    f.owner();
    f.language();
    let ranked = search.rank.is_some();
    let order_by = sort::order_by(params.sort.as_deref(), target, &n, ranked, &mut f.errors);
    if !f.errors.is_empty() {
        return Err(AppError::Validation(f.errors));
    }
    let where_clause = if f.conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", f.conditions.join(" AND "))
    };
    Ok(ListSql {
        from_where: format!("{}{where_clause}", search.from),
        params: f.values,
        order_by,
        rank: search
            .rank
            .filter(|_| matches!(params.sort.as_deref(), None | Some(""))),
        page,
        nothing: search.nothing,
        category_param,
    })
}
