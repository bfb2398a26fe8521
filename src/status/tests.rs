//! The schema's CHECK constraints against the enums, and the shared parse and transition errors.

use rusqlite::Connection;

use super::*;
use crate::access::MembershipStatus;
use crate::catalog::model::{ContentType, Level, ProductKind, QuestionKind, Status};
use crate::commerce::lifecycle::OrderStatus;
use crate::commerce::model::ItemType;
use crate::learning::model::{EnrollmentSource, EnrollmentStatus, LessonType, SubmissionStatus};
use crate::payments::lifecycle::{PaymentStatus, RefundStatus};
use crate::payments::memberships::model::{
    InvoiceStatus, MembershipGateway, PlanInterval, PlanScope,
};

fn values<S: StatusEnum>() -> Vec<&'static str> {
    S::ALL.iter().map(|s| s.as_str()).collect()
}

/// The values a `CHECK` on `column` allows, when the check is written as `column IN (...)`
/// or as `column = '..' OR column = '..'` (V21 rewrote the long lists that way).
fn allowed_values(check: &str, column: &str) -> Option<Vec<String>> {
    let quoted = |text: &str| -> Vec<String> {
        text.split('\'')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let check = check.trim();
    if let Some(list) = check.strip_prefix(&format!("{column} IN (")) {
        return Some(quoted(list));
    }
    let mut values = Vec::new();
    for part in check.split(" OR ") {
        let literal = part.trim().strip_prefix(&format!("{column} = '"))?;
        values.push(literal.strip_suffix('\'')?.to_string());
    }
    Some(values)
}

/// Every `CHECK (...)` body in a table's SQL, parentheses balanced.
fn check_bodies(sql: &str) -> Vec<&str> {
    let mut bodies = Vec::new();
    let mut rest = sql;
    while let Some(start) = rest.find("CHECK (") {
        let body_start = start + "CHECK (".len();
        let mut depth = 1;
        let mut end = body_start;
        for (i, c) in rest[body_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = body_start + i;
                break;
            }
        }
        bodies.push(&rest[body_start..end]);
        rest = &rest[end..];
    }
    bodies
}

fn migrated() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::migrate(&mut conn).unwrap();
    conn
}

#[test]
fn every_check_constraint_lists_exactly_its_enums_values() {
    let conn = migrated();
    let columns: Vec<(&str, &str, Vec<&str>)> = vec![
        ("products", "status", values::<Status>()),
        ("products", "kind", values::<ProductKind>()),
        ("courses", "status", values::<Status>()),
        ("courses", "level", values::<Level>()),
        ("lessons", "content_type", values::<ContentType>()),
        ("lessons", "content_type", values::<LessonType>()),
        ("quiz_questions", "kind", values::<QuestionKind>()),
        ("enrollments", "status", values::<EnrollmentStatus>()),
        ("enrollments", "source", values::<EnrollmentSource>()),
        ("submissions", "status", values::<SubmissionStatus>()),
        ("cart_items", "item_type", values::<ItemType>()),
        ("order_items", "item_type", values::<ItemType>()),
        ("orders", "status", values::<OrderStatus>()),
        ("payments", "status", values::<PaymentStatus>()),
        ("refunds", "status", values::<RefundStatus>()),
        ("memberships", "status", values::<MembershipStatus>()),
        ("memberships", "gateway", values::<MembershipGateway>()),
        ("membership_plans", "interval", values::<PlanInterval>()),
        ("membership_plans", "scope", values::<PlanScope>()),
        ("membership_invoices", "status", values::<InvoiceStatus>()),
        (
            "users",
            "role",
            crate::users::Role::ALL.iter().map(|r| r.as_str()).collect(),
        ),
    ];
    for (table, column, expected) in columns {
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |row| row.get(0),
            )
            .unwrap_or_else(|e| panic!("table {table}: {e}"));
        let found: Vec<Vec<String>> = check_bodies(&sql)
            .into_iter()
            .filter_map(|body| allowed_values(body, column))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{table}.{column}: one CHECK, found {found:?}"
        );
        assert_eq!(found[0], expected, "{table}.{column}");
    }
}

#[test]
fn the_check_reader_understands_both_spellings_and_skips_other_checks() {
    let sql = "CREATE TABLE t (a TEXT CHECK (a IN ('x', 'y')), \
               b TEXT CHECK (b = 'p' OR b = 'q'), CHECK (b = 'p' OR a IS NOT NULL))";
    let bodies = check_bodies(sql);
    assert_eq!(bodies.len(), 3);
    let a: Vec<_> = bodies
        .iter()
        .filter_map(|c| allowed_values(c, "a"))
        .collect();
    let b: Vec<_> = bodies
        .iter()
        .filter_map(|c| allowed_values(c, "b"))
        .collect();
    assert_eq!(a, [["x", "y"]]);
    assert_eq!(b, [["p", "q"]]);
}

fn assert_text_is_the_same_everywhere<S>()
where
    S: StatusEnum
        + std::fmt::Display
        + std::str::FromStr<Err = ParseStatusError>
        + serde::Serialize
        + for<'de> serde::Deserialize<'de>
        + rusqlite::ToSql
        + rusqlite::types::FromSql,
{
    let conn = Connection::open_in_memory().unwrap();
    for &status in S::ALL {
        let text = status.as_str();
        assert_eq!(status.to_string(), text);
        assert_eq!(text.parse::<S>(), Ok(status));
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<S>(&json).unwrap(), status);
        let stored: String = conn
            .query_row("SELECT ?1", [&status], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, text);
        let read: S = conn.query_row("SELECT ?1", [text], |r| r.get(0)).unwrap();
        assert_eq!(read, status);
    }
    let unique: std::collections::HashSet<&str> = S::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(unique.len(), S::ALL.len(), "{}", S::NAME);
}

#[test]
fn every_status_is_the_same_text_in_rust_json_and_sql() {
    assert_text_is_the_same_everywhere::<Status>();
    assert_text_is_the_same_everywhere::<ProductKind>();
    assert_text_is_the_same_everywhere::<Level>();
    assert_text_is_the_same_everywhere::<ContentType>();
    assert_text_is_the_same_everywhere::<QuestionKind>();
    assert_text_is_the_same_everywhere::<EnrollmentStatus>();
    assert_text_is_the_same_everywhere::<EnrollmentSource>();
    assert_text_is_the_same_everywhere::<LessonType>();
    assert_text_is_the_same_everywhere::<SubmissionStatus>();
    assert_text_is_the_same_everywhere::<ItemType>();
    assert_text_is_the_same_everywhere::<OrderStatus>();
    assert_text_is_the_same_everywhere::<PaymentStatus>();
    assert_text_is_the_same_everywhere::<RefundStatus>();
    assert_text_is_the_same_everywhere::<MembershipStatus>();
    assert_text_is_the_same_everywhere::<MembershipGateway>();
    assert_text_is_the_same_everywhere::<PlanInterval>();
    assert_text_is_the_same_everywhere::<PlanScope>();
    assert_text_is_the_same_everywhere::<InvoiceStatus>();
}

#[test]
fn an_unknown_stored_value_is_an_error_naming_the_valid_ones_not_a_default() {
    let conn = Connection::open_in_memory().unwrap();
    let read = conn.query_row("SELECT 'deleted'", [], |r| r.get::<_, Status>(0));
    let message = read.unwrap_err().to_string();
    assert!(
        message
            .contains("unknown status \"deleted\" (expected one of: draft, published, archived)"),
        "{message}"
    );
    let error = "Paid".parse::<OrderStatus>().unwrap_err();
    assert_eq!(error.value, "Paid");
    assert_eq!(error.expected, values::<OrderStatus>());
}

#[test]
fn an_illegal_move_is_a_409_naming_both_states_whichever_lifecycle_refused_it() {
    let refusals: Vec<AppError> = vec![
        OrderStatus::Cancelled
            .check_move(OrderStatus::Paid)
            .unwrap_err()
            .into(),
        PaymentStatus::Refunded
            .check_move(PaymentStatus::Completed)
            .unwrap_err()
            .into(),
        EnrollmentStatus::Revoked
            .check_move(EnrollmentStatus::Completed)
            .unwrap_err()
            .into(),
    ];
    for error in refusals {
        assert_eq!(error.status(), StatusCode::CONFLICT);
    }
    assert_eq!(
        EnrollmentStatus::Revoked
            .check_move(EnrollmentStatus::Completed)
            .unwrap_err()
            .to_string(),
        "cannot move an enrolment from revoked to completed"
    );
}

#[test]
fn a_status_in_a_sentence_is_a_word_of_the_readers_language_and_its_code_in_english() {
    fn check<S: StatusEnum>(french: &str) {
        for &status in S::ALL {
            let said = word(status);
            assert_eq!(said.as_str(), status.as_str(), "English keeps the code");
            let key = format!("[{}-{}]", S::NAME.replace(' ', "-"), status.as_str());
            assert!(
                french.contains(&key),
                "the French `status-word` has no {key}"
            );
            assert!(!said.in_locale("fr").is_empty());
        }
    }
    let french = include_str!("../../assets/locales/fr/server.ftl");
    check::<Status>(french);
    check::<OrderStatus>(french);
    check::<PaymentStatus>(french);
    check::<RefundStatus>(french);
    check::<MembershipStatus>(french);
    check::<EnrollmentStatus>(french);
    assert_eq!(
        word(MembershipStatus::PastDue).in_locale("fr"),
        "en retard de paiement"
    );
    assert_eq!(
        OrderStatus::Cancelled
            .check_move(OrderStatus::Paid)
            .unwrap_err()
            .message()
            .in_locale("fr"),
        "impossible de faire passer une commande de «\u{a0}annulée\u{a0}» à «\u{a0}payée\u{a0}»"
    );
}
