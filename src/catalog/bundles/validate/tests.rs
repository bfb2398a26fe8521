use super::*;

fn body(course_ids: &[&str], price_cents: i64) -> BundleBody {
    BundleBody {
        name: Some("Rust path".into()),
        price_cents: Some(price_cents),
        course_ids: Some(course_ids.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    }
}

fn fields(err: AppError) -> Vec<String> {
    match err {
        AppError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected 422, got {other:?}"),
    }
}

fn course(status: Status, instructor: &str) -> Option<CourseFact> {
    Some(CourseFact {
        status,
        instructor_id: instructor.into(),
    })
}

#[test]
fn a_bundle_needs_a_name_a_price_and_courses() {
    let err = Draft::new(BundleBody::default()).unwrap_err();
    assert_eq!(fields(err), ["name", "price_cents", "course_ids"]);
}

#[test]
fn a_negative_price_is_refused() {
    assert_eq!(
        fields(Draft::new(body(&["a"], -1)).unwrap_err()),
        ["price_cents"]
    );
}

#[test]
fn a_free_bundle_is_allowed() {
    assert_eq!(Draft::new(body(&["a", "b"], 0)).unwrap().price_cents, 0);
}

#[test]
fn a_bundle_without_courses_is_refused() {
    assert_eq!(
        fields(Draft::new(body(&[], 100)).unwrap_err()),
        ["course_ids"]
    );
}

#[test]
fn a_course_named_twice_is_refused() {
    assert_eq!(
        fields(Draft::new(body(&["a", "a"], 100)).unwrap_err()),
        ["course_ids"]
    );
}

#[test]
fn more_than_fifty_courses_are_refused() {
    let ids: Vec<String> = (0..=MAX_COURSES).map(|i| format!("c{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        fields(Draft::new(body(&refs, 100)).unwrap_err()),
        ["course_ids"]
    );
}

#[test]
fn an_update_changes_only_what_it_sends_and_is_checked_whole() {
    let draft = Draft::new(body(&["a", "b"], 100)).unwrap();
    let cheaper = draft
        .clone()
        .apply(BundleBody {
            price_cents: Some(50),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(cheaper.course_ids, ["a", "b"]);
    assert_eq!(cheaper.price_cents, 50);
    let bad = draft.apply(BundleBody {
        slug: Some("Not A Slug".into()),
        ..Default::default()
    });
    assert_eq!(fields(bad.unwrap_err()), ["slug"]);
}

#[test]
fn a_bundle_may_hold_published_courses_of_anyone_when_an_admin_writes_it() {
    let courses = [
        ("a".to_string(), course(Status::Published, "i1")),
        ("b".to_string(), course(Status::Published, "i2")),
    ];
    assert!(check_courses(Writer::Admin, &courses).is_ok());
}

#[test]
fn a_bundle_naming_a_missing_course_is_refused() {
    let courses = [("gone".to_string(), None)];
    assert_eq!(
        fields(check_courses(Writer::Admin, &courses).unwrap_err()),
        ["course_ids"]
    );
}

#[test]
fn a_bundle_naming_an_unpublished_course_is_refused() {
    for status in [Status::Draft, Status::Archived] {
        let courses = [("a".to_string(), course(status, "i1"))];
        let err = check_courses(Writer::Admin, &courses).unwrap_err();
        assert_eq!(fields(err), ["course_ids"]);
    }
}

#[test]
fn an_instructor_may_not_bundle_another_instructors_course() {
    let courses = [
        ("mine".to_string(), course(Status::Published, "me")),
        ("theirs".to_string(), course(Status::Published, "them")),
    ];
    let err = check_courses(Writer::Instructor("me"), &courses).unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    assert!(check_courses(Writer::Instructor("me"), &courses[..1]).is_ok());
}
