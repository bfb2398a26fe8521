//! Getting back into an account: password change, password reset by mail, and one-time
//! login links printed by the CLI.

pub mod routes;
pub mod service;
pub mod store;

use std::fmt;

/// What a one-time account token is for (the `account_tokens.purpose` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    PasswordReset,
    LoginLink,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::LoginLink => "login_link",
        }
    }

    /// How the token is named in messages to people.
    pub fn describe(self) -> &'static str {
        match self {
            TokenPurpose::PasswordReset => "password reset link",
            TokenPurpose::LoginLink => "login link",
        }
    }
}

impl fmt::Display for TokenPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl rusqlite::ToSql for TokenPurpose {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}
