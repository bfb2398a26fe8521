//! User types and the validation rules for profile fields.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::http::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Vendor,
    Instructor,
    Student,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Vendor, Role::Instructor, Role::Student];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Vendor => "vendor",
            Role::Instructor => "instructor",
            Role::Student => "student",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::http::Message;

    fn from_str(s: &str) -> Result<Role, crate::http::Message> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::msg!("problem-unknown-role", role = s))
    }
}

impl rusqlite::types::FromSql for Role {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        value.as_str()?.parse().map_err(|e: crate::http::Message| {
            rusqlite::types::FromSqlError::Other(e.to_string().into())
        })
    }
}

impl rusqlite::ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

/// A user row (without secrets other than the hash, which never leaves the server).
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the API shows of a user.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&User> for UserView {
    fn from(u: &User) -> UserView {
        UserView {
            id: u.id.clone(),
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role,
            disabled: u.disabled_at.is_some(),
            created_at: u.created_at.clone(),
            updated_at: u.updated_at.clone(),
        }
    }
}

/// The caller's own profile (`/api/users/me`): the user plus their security settings.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeView {
    #[serde(flatten)]
    pub user: UserView,
    /// Whether a confirmed authenticator app (TOTP) protects the login.
    pub mfa_enabled: bool,
    /// The language chosen for mails, messages and pages (a code of `GET /api/i18n`);
    /// `null`: negotiated from the browser on each request.
    pub locale: Option<String>,
}

pub const MAX_NAME_CHARS: usize = 200;
const MAX_EMAIL_BYTES: usize = 254;

/// Trims and lower-cases an email and checks its shape (one `@`, a dotted domain).
pub fn normalize_email(raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    let invalid = || FieldError::new("email", "must be a valid email address");
    if email.len() > MAX_EMAIL_BYTES {
        return Err(FieldError::new("email", "must be at most 254 characters"));
    }
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let valid_local = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let valid_domain = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if valid_local && valid_domain {
        Ok(email)
    } else {
        Err(invalid())
    }
}

/// Trims a display name and checks its length.
pub fn normalize_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim().to_string();
    if name.is_empty() {
        return Err(FieldError::new("name", "must not be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError::new("name", "must be at most 200 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "must not contain control characters",
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_email("  Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@x.io",
            "ada@-x.io",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn names_are_bounded() {
        assert!(normalize_name("   ").is_err());
        assert!(normalize_name(&"x".repeat(201)).is_err());
        assert_eq!(normalize_name(" Ada ").unwrap(), "Ada");
    }
}
