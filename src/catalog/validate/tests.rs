//! Unit tests of the product and course body rules.

use super::*;
use crate::catalog::model::ProductKind;

fn fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn a_product_needs_name_kind_and_price() {
    let e = ProductDraft::create(ProductBody::default()).unwrap_err();
    assert_eq!(fields(e), ["name", "kind", "price_cents"]);
}

#[test]
fn stock_rules_follow_the_kind() {
    let physical = ProductBody {
        name: Some("Mug".into()),
        kind: Some(ProductKind::Physical),
        price_cents: Some(900),
        ..Default::default()
    };
    assert_eq!(
        fields(ProductDraft::create(physical.clone()).unwrap_err()),
        ["stock_quantity"]
    );
    let negative = ProductBody {
        stock_quantity: Some(Some(-1)),
        price_cents: Some(-5),
        ..physical.clone()
    };
    assert_eq!(
        fields(ProductDraft::create(negative).unwrap_err()),
        ["price_cents", "stock_quantity"]
    );
    let digital = ProductBody {
        kind: Some(ProductKind::Digital),
        stock_quantity: Some(Some(3)),
        ..physical
    };
    assert_eq!(
        fields(ProductDraft::create(digital).unwrap_err()),
        ["stock_quantity"]
    );
}

#[test]
fn updates_merge_over_the_stored_values_and_are_rechecked() {
    let mut draft = CourseDraft::create(CourseBody {
        title: Some(" Rust ".into()),
        price_cents: Some(0),
        tag_ids: Some(vec!["a".into(), "a".into(), "b".into()]),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(draft.title, "Rust");
    assert_eq!(draft.tag_ids, ["a", "b"]);
    let bad = CourseBody {
        slug: Some("Not A Slug".into()),
        ..Default::default()
    };
    assert_eq!(fields(draft.apply(bad).unwrap_err()), ["slug"]);
}
