//! List queries for products and courses: filters, sort and search turned into SQL fragments
//! with bound parameters (nothing the client sends is ever spliced into SQL text).

use rusqlite::types::Value;
use serde::Deserialize;

use super::model::{ProductKind, Status};
use crate::http::{AppError, FieldError, Page, PageParams};

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

struct Names {
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
    let mut errors = Vec::new();
    let page = PageParams {
        page: params.page,
        per_page: params.per_page,
    }
    .checked()?;
    let mut from = format!("{} t", n.table);
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut nothing = false;
    let mut rank = None;

    if let Some(q) = params.q.as_deref().filter(|q| !q.trim().is_empty()) {
        if q.len() > 200 {
            errors.push(FieldError::new("q", "must be at most 200 characters"));
        }
        match fts_query(q) {
            Some(query) => {
                // The full-text index drives the join: a plain JOIN lets the planner walk
                // the table and run the MATCH once per row.
                from = format!(
                    "{} CROSS JOIN {} t ON t.rowid = {}.rowid",
                    n.fts, n.table, n.fts
                );
                conditions.push(format!("{} MATCH ?", n.fts));
                values.push(Value::Text(query));
                rank = Some(format!("bm25({}, 10.0, 1.0)", n.fts));
            }
            None => nothing = true,
        }
    }

    match viewer {
        Viewer::Public => conditions.push("t.status = 'published'".into()),
        Viewer::Owner(id) => {
            conditions.push(format!("(t.status = 'published' OR t.{} = ?)", n.owner));
            values.push(Value::Text(id.clone()));
        }
        Viewer::Admin => {}
    }
    if let Some(status) = &params.status {
        match status.parse::<Status>() {
            Ok(s) => {
                conditions.push("t.status = ?".into());
                values.push(Value::Text(s.as_str().into()));
            }
            Err(e) => errors.push(FieldError::new("status", e)),
        }
    }
    let mut category_param = None;
    if let Some(category) = &params.category {
        conditions.push("t.category_id IN (SELECT value FROM json_each(?))".into());
        category_param = Some(values.len());
        values.push(Value::Text(category.clone()));
    }
    if let Some(tag) = &params.tag {
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM {tt} x JOIN tags g ON g.id = x.tag_id
                     WHERE x.{fk} = t.id AND (g.id = ? OR g.slug = ?))",
            tt = n.tag_table,
            fk = n.tag_fk
        ));
        values.push(Value::Text(tag.clone()));
        values.push(Value::Text(tag.clone()));
    }
    for (name, bound, op) in [
        ("min_price", params.min_price, ">="),
        ("max_price", params.max_price, "<="),
    ] {
        if let Some(cents) = bound {
            if cents < 0 {
                errors.push(FieldError::new(name, "must not be negative"));
            }
            conditions.push(format!("t.price_cents {op} ?"));
            values.push(Value::Integer(cents));
        }
    }
    if let (Some(min), Some(max)) = (params.min_price, params.max_price)
        && min > max
    {
        errors.push(FieldError::new("max_price", "must not be below min_price"));
    }
    match params.free {
        Some(true) => conditions.push("t.price_cents = 0".into()),
        Some(false) => conditions.push("t.price_cents > 0".into()),
        None => {}
    }
    match (target, &params.kind) {
        (_, None) => {}
        (Target::Products, Some(kind)) => match kind.parse::<ProductKind>() {
            Ok(k) => {
                conditions.push("t.kind = ?".into());
                values.push(Value::Text(k.as_str().into()));
            }
            Err(e) => errors.push(FieldError::new("kind", e)),
        },
        (Target::Courses, Some(_)) => {
            errors.push(FieldError::new("kind", "applies to products only"));
        }
    }
    let owner_filter = match target {
        Target::Products => (
            &params.vendor_id,
            "vendor_id",
            &params.instructor_id,
            "instructor_id",
        ),
        Target::Courses => (
            &params.instructor_id,
            "instructor_id",
            &params.vendor_id,
            "vendor_id",
        ),
    };
    if let Some(id) = owner_filter.0 {
        conditions.push(format!("t.{} = ?", owner_filter.1));
        values.push(Value::Text(id.clone()));
    }
    if owner_filter.2.is_some() {
        errors.push(FieldError::new(
            owner_filter.3,
            format!("does not apply to {}", n.table),
        ));
    }

    let order_by = match params.sort.as_deref() {
        None | Some("") if rank.is_some() => "sort_rank, t.id".into(),
        None | Some("") | Some("-created_at") => "t.created_at DESC, t.id DESC".into(),
        Some("created_at") => "t.created_at ASC, t.id ASC".into(),
        Some("price") => "t.price_cents ASC, t.id ASC".into(),
        Some("-price") => "t.price_cents DESC, t.id DESC".into(),
        Some("title" | "name") => format!("{} COLLATE NOCASE ASC, t.id ASC", n.title),
        Some("-title" | "-name") => format!("{} COLLATE NOCASE DESC, t.id DESC", n.title),
        Some("popularity") => format!("{} DESC, t.id DESC", n.popularity),
        Some("-popularity") => format!("{} ASC, t.id ASC", n.popularity),
        Some("rating") if target == Target::Courses => {
            "CASE WHEN t.rating_count = 0 THEN 1 ELSE 0 END, \
             (t.rating_sum * 1.0 / MAX(t.rating_count, 1)) DESC, t.rating_count DESC, t.id DESC"
                .into()
        }
        Some(other) => {
            let allowed = match target {
                Target::Products => {
                    "price, -price, created_at, -created_at, name, -name, popularity"
                }
                Target::Courses => {
                    "price, -price, created_at, -created_at, title, -title, rating, popularity"
                }
            };
            errors.push(FieldError::new(
                "sort",
                format!("`{other}` is not a sort order; use one of: {allowed}"),
            ));
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    Ok(ListSql {
        from_where: format!("{from}{where_clause}"),
        params: values,
        order_by,
        rank: rank.filter(|_| matches!(params.sort.as_deref(), None | Some(""))),
        page,
        nothing,
        category_param,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> ListParams {
        ListParams::default()
    }

    #[test]
    fn search_terms_are_quoted_and_punctuation_only_input_searches_nothing() {
        assert_eq!(fts_query("rust  async"), Some("\"rust\" \"async\"".into()));
        assert_eq!(
            fts_query("say \"hi\" OR"),
            Some("\"say\" \"\"\"hi\"\"\" \"OR\"".into())
        );
        assert_eq!(fts_query("!!! ((( *"), None);
        let sql = build(
            &ListParams {
                q: Some(")))".into()),
                ..params()
            },
            Target::Courses,
            &Viewer::Public,
        )
        .unwrap();
        assert!(sql.nothing);
    }

    #[test]
    fn the_public_sees_published_only_and_owners_also_their_own() {
        let public = build(&params(), Target::Products, &Viewer::Public).unwrap();
        assert!(public.from_where.contains("t.status = 'published'"));
        let owner = build(&params(), Target::Products, &Viewer::Owner("u1".into())).unwrap();
        assert!(owner.from_where.contains("OR t.vendor_id = ?"));
        assert_eq!(owner.params, vec![Value::Text("u1".into())]);
        let admin = build(&params(), Target::Products, &Viewer::Admin).unwrap();
        assert!(!admin.from_where.contains("WHERE"));
    }

    #[test]
    fn search_is_ranked_unless_another_sort_is_asked() {
        let q = ListParams {
            q: Some("rust".into()),
            ..params()
        };
        let sql = build(&q, Target::Courses, &Viewer::Admin).unwrap();
        assert_eq!(sql.order_by, "sort_rank, t.id");
        assert_eq!(sql.rank.as_deref(), Some("bm25(courses_fts, 10.0, 1.0)"));
        assert!(
            sql.from_where
                .starts_with("courses_fts CROSS JOIN courses t")
        );
        let sorted = ListParams {
            sort: Some("-price".into()),
            ..q
        };
        let sql = build(&sorted, Target::Courses, &Viewer::Admin).unwrap();
        assert!(sql.order_by.starts_with("t.price_cents DESC"));
        assert_eq!(sql.rank, None);
    }

    #[test]
    fn bad_parameters_are_named() {
        let bad = ListParams {
            sort: Some("random".into()),
            kind: Some("ebook".into()),
            min_price: Some(-1),
            status: Some("gone".into()),
            ..params()
        };
        let AppError::Validation(errors) =
            build(&bad, Target::Products, &Viewer::Admin).unwrap_err()
        else {
            panic!("expected field errors");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["status", "min_price", "kind", "sort"]);
        let rating = ListParams {
            sort: Some("rating".into()),
            ..params()
        };
        assert!(build(&rating, Target::Products, &Viewer::Admin).is_err());
        let kind = ListParams {
            kind: Some("digital".into()),
            ..params()
        };
        assert!(build(&kind, Target::Courses, &Viewer::Admin).is_err());
    }

    #[test]
    fn filters_bind_their_values() {
        let p = ListParams {
            category: Some("books".into()),
            tag: Some("rust".into()),
            free: Some(true),
            ..params()
        };
        let sql = build(&p, Target::Courses, &Viewer::Admin).unwrap();
        assert_eq!(sql.params.len(), 3);
        assert_eq!(
            sql.params[sql.category_param.unwrap()],
            Value::Text("books".into())
        );
        assert!(sql.from_where.contains("t.price_cents = 0"));
        assert!(!sql.from_where.contains("books"));
    }
}
