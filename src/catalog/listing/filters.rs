//! The filters of a list query: search, who may see what, status, category, tag, price,
//! kind and owner, each adding its SQL condition and bound values, or a field error.

use rusqlite::types::Value;

use super::{ListParams, Names, Target, Viewer, fts_query};
use crate::catalog::model::{ProductKind, Status};
use crate::http::FieldError;

/// The conditions, values and errors gathered so far, in the order they were added.
pub(super) struct Filters<'a> {
    params: &'a ListParams,
    target: Target,
    n: &'a Names,
    pub conditions: Vec<String>,
    pub values: Vec<Value>,
    pub errors: Vec<FieldError>,
}

/// What the search decides: the `FROM` text, the ranking expression and whether nothing
/// can match.
pub(super) struct Search {
    pub from: String,
    pub rank: Option<String>,
    pub nothing: bool,
}

impl<'a> Filters<'a> {
    pub fn new(params: &'a ListParams, target: Target, n: &'a Names) -> Self {
        Filters {
            params,
            target,
            n,
            conditions: Vec::new(),
            values: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn bind(&mut self, condition: String, value: Value) {
        self.conditions.push(condition);
        self.values.push(value);
    }

    /// Full-text search: at most 200 characters; words without letters or digits match
    /// nothing.
    pub fn search(&mut self) -> Search {
        let n = self.n;
        let mut search = Search {
            from: format!("{} t", n.table),
            rank: None,
            nothing: false,
        };
        let Some(q) = self.params.q.as_deref().filter(|q| !q.trim().is_empty()) else {
            return search;
        };
        if q.len() > 200 {
            self.errors
                .push(FieldError::new("q", "must be at most 200 characters"));
        }
        match fts_query(q) {
            Some(query) => {
                // The full-text index drives the join: a plain JOIN lets the planner walk
                // the table and run the MATCH once per row.
                search.from = format!(
                    "{} CROSS JOIN {} t ON t.rowid = {}.rowid",
                    n.fts, n.table, n.fts
                );
                self.bind(format!("{} MATCH ?", n.fts), Value::Text(query));
                search.rank = Some(format!("bm25({}, 10.0, 1.0)", n.fts));
            }
            None => search.nothing = true,
        }
        search
    }

    /// The public sees published items, owners also their own, admins everything.
    pub fn visibility(&mut self, viewer: &Viewer) {
        match viewer {
            Viewer::Public => self.conditions.push("t.status = 'published'".into()),
            Viewer::Owner(id) => {
                let condition = format!("(t.status = 'published' OR t.{} = ?)", self.n.owner);
                self.bind(condition, Value::Text(id.clone()));
            }
            Viewer::Admin => {}
        }
    }

    pub fn status(&mut self) {
        if let Some(status) = &self.params.status {
            match status.parse::<Status>() {
                Ok(s) => self.bind("t.status = ?".into(), Value::Text(s.as_str().into())),
                Err(e) => self.errors.push(FieldError::new("status", e)),
            }
        }
    }

    /// The category and its sub-categories; returns which value holds the category (the
    /// store resolves the tree there).
    pub fn category(&mut self) -> Option<usize> {
        let category = self.params.category.as_ref()?;
        let at = self.values.len();
        self.bind(
            "t.category_id IN (SELECT value FROM json_each(?))".into(),
            Value::Text(category.clone()),
        );
        Some(at)
    }

    /// A tag by id or slug.
    pub fn tag(&mut self) {
        if let Some(tag) = &self.params.tag {
            self.conditions.push(format!(
                "EXISTS (SELECT 1 FROM {tt} x JOIN tags g ON g.id = x.tag_id
                     WHERE x.{fk} = t.id AND (g.id = ? OR g.slug = ?))",
                tt = self.n.tag_table,
                fk = self.n.tag_fk
            ));
            self.values.push(Value::Text(tag.clone()));
            self.values.push(Value::Text(tag.clone()));
        }
    }

    /// Price bounds (not negative, min not above max) and free or paid only.
    pub fn price(&mut self) {
        let params = self.params;
        for (name, bound, op) in [
            ("min_price", params.min_price, ">="),
            ("max_price", params.max_price, "<="),
        ] {
            if let Some(cents) = bound {
                if cents < 0 {
                    self.errors
                        .push(FieldError::new(name, "must not be negative"));
                }
                self.bind(format!("t.price_cents {op} ?"), Value::Integer(cents));
            }
        }
        if let (Some(min), Some(max)) = (params.min_price, params.max_price)
            && min > max
        {
            self.errors
                .push(FieldError::new("max_price", "must not be below min_price"));
        }
        match params.free {
            Some(true) => self.conditions.push("t.price_cents = 0".into()),
            Some(false) => self.conditions.push("t.price_cents > 0".into()),
            None => {}
        }
    }

    /// Products only: digital or physical.
    pub fn kind(&mut self) {
        match (self.target, &self.params.kind) {
            (_, None) => {}
            (Target::Products, Some(kind)) => match kind.parse::<ProductKind>() {
                Ok(k) => self.bind("t.kind = ?".into(), Value::Text(k.as_str().into())),
                Err(e) => self.errors.push(FieldError::new("kind", e)),
            },
            (Target::Courses, Some(_)) => {
                self.errors
                    .push(FieldError::new("kind", "applies to products only"));
            }
        }
    }

    /// Courses by the language they are taught in: the code itself or its regional forms.
    pub fn language(&mut self) {
        let Some(language) = self.params.language.as_deref() else {
            return;
        };
        let language = language.trim();
        if self.target == Target::Products {
            self.errors
                .push(FieldError::new("language", "applies to courses only"));
        } else if !crate::config::site::is_language_code(language) {
            self.errors.push(FieldError::new(
                "language",
                "must be a language code such as en, fr or pt-BR",
            ));
        } else {
            self.conditions
                .push("(t.language = ? COLLATE NOCASE OR t.language LIKE ?)".into());
            self.values.push(Value::Text(language.to_string()));
            self.values.push(Value::Text(format!("{language}-%")));
        }
    }

    /// Products by vendor, courses by instructor; the other owner filter is refused.
    pub fn owner(&mut self) {
        let params = self.params;
        let (own, own_name, other, other_name) = match self.target {
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
        if let Some(id) = own {
            self.bind(format!("t.{own_name} = ?"), Value::Text(id.clone()));
        }
        if other.is_some() {
            self.errors.push(FieldError::new(
                other_name,
                crate::msg!("problem-filter-not-for", table = self.n.table),
            ));
        }
    }
}
