//! Unit tests of the list query rules.

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
    let AppError::Validation(errors) = build(&bad, Target::Products, &Viewer::Admin).unwrap_err()
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
