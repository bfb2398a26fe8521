//! A person's export names other people only by their role: ids and emails of other
//! accounts found anywhere in it become "an administrator", "an instructor" and so on.

use serde_json::Value;

use crate::users::Role;

/// The words an export uses for someone else with `role`.
pub fn role_phrase(role: Role) -> &'static str {
    match role {
        Role::Admin => "an administrator",
        Role::Instructor => "an instructor",
        Role::Vendor => "a vendor",
        Role::Student => "another learner",
    }
}

/// Could `text` name an account? Only ids (UUIDs) and email addresses are looked up, so the
/// many titles, statuses and times of an export cost nothing.
fn may_name_someone(text: &str) -> bool {
    text.contains('@') || uuid::Uuid::parse_str(text).is_ok()
}

/// Replaces, everywhere in `value`, each string that `other_role` recognises as another
/// person's id or email with the phrase for their role.
pub fn others<E>(
    value: &mut Value,
    other_role: &mut impl FnMut(&str) -> Result<Option<Role>, E>,
) -> Result<(), E> {
    match value {
        Value::String(text) if may_name_someone(text) => {
            if let Some(role) = other_role(text)? {
                *value = Value::from(role_phrase(role));
            } else if let Ok(mut embedded @ Value::Object(_)) = serde_json::from_str(text) {
                // Audit details are stored as JSON text: look inside, keep them as text.
                others(&mut embedded, other_role)?;
                *value = Value::from(embedded.to_string());
            }
        }
        Value::Array(items) => {
            for item in items {
                others(item, other_role)?;
            }
        }
        Value::Object(fields) => {
            for (_, field) in fields.iter_mut() {
                others(field, other_role)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ADMIN_ID: &str = "0193a9a0-0000-7000-8000-000000000001";
    const ME: &str = "0193a9a0-0000-7000-8000-000000000002";

    fn lookup(text: &str) -> Result<Option<Role>, ()> {
        Ok(match text {
            ADMIN_ID | "boss@school.example" => Some(Role::Admin),
            _ => None,
        })
    }

    #[test]
    fn another_persons_id_and_email_become_their_role_wherever_they_are() {
        let mut data = json!({
            "audit_entries": [{"actor_id": ADMIN_ID, "target_id": ME,
                "detail": {"by": "boss@school.example", "note": "role changed"}}],
            "submissions": [{"graded_by": ADMIN_ID, "score": 8}],
            "stored": r#"{"by":"boss@school.example","to":"instructor"}"#,
        });
        others(&mut data, &mut lookup).unwrap();
        assert_eq!(data["audit_entries"][0]["actor_id"], "an administrator");
        assert_eq!(data["audit_entries"][0]["detail"]["by"], "an administrator");
        assert_eq!(data["audit_entries"][0]["target_id"], ME);
        assert_eq!(data["audit_entries"][0]["detail"]["note"], "role changed");
        assert_eq!(data["submissions"][0]["graded_by"], "an administrator");
        assert_eq!(data["submissions"][0]["score"], 8);
        assert_eq!(
            data["stored"],
            r#"{"by":"an administrator","to":"instructor"}"#
        );
    }

    #[test]
    fn plain_text_is_never_looked_up() {
        let mut asked = Vec::new();
        let mut data = json!({"title": "Algebra", "status": "paid", "at": "2026-01-01T00:00:00Z"});
        others(&mut data, &mut |t: &str| {
            asked.push(t.to_string());
            Ok::<_, ()>(None)
        })
        .unwrap();
        assert!(asked.is_empty(), "looked up {asked:?}");
    }
}
