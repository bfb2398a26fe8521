//! The one status mechanism: `status_enum!` declares every stored text enum, `Lifecycle` lists the moves a status may make, and `IllegalTransition` is the one error for a refused move (409).
//!
//! A status enum is stored as the text of its `as_str` (the same text serde uses), and the
//! schema mirrors it with a SQL `CHECK`; `tests::every_check_constraint_lists_exactly_its_enums_values`
//! reads the migrated schema and fails when the two drift apart.

use std::fmt;

use axum::http::StatusCode;

use crate::http::{AppError, Problem};

/// What every enum declared with [`status_enum!`] provides, so parse and transition errors
/// can be shared.
pub trait StatusEnum: Copy + Eq + fmt::Debug + 'static {
    /// Name used in parse errors ("order status").
    const NAME: &'static str;
    /// Every value, in declaration (lifecycle) order.
    const ALL: &'static [Self];

    /// The stored and serialized form, e.g. `"partially_refunded"`.
    fn as_str(self) -> &'static str;
}

/// Parses the stored form; exact match only, because stored values are always written by
/// `as_str`.
pub fn parse<S: StatusEnum>(value: &str) -> Result<S, ParseStatusError> {
    S::ALL
        .iter()
        .copied()
        .find(|status| status.as_str() == value)
        .ok_or_else(|| ParseStatusError {
            name: S::NAME,
            value: value.to_owned(),
            expected: S::ALL.iter().map(|status| status.as_str()).collect(),
        })
}

/// A string that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseStatusError {
    pub name: &'static str,
    pub value: String,
    pub expected: Vec<&'static str>,
}

/// The status as a word of the reader's language (`status-word`, keyed by the enum's name
/// and the code): « en attente de paiement » in French. English says the code itself, which
/// API clients have always read in these messages.
pub fn word<S: StatusEnum>(status: S) -> crate::http::Message {
    crate::msg!(
        "status-word",
        status = format!("{}-{}", S::NAME.replace(' ', "-"), status.as_str()),
        code = status.as_str()
    )
}

impl ParseStatusError {
    pub fn message(&self) -> crate::http::Message {
        crate::msg!(
            "problem-unknown-value",
            name = self.name,
            value = format!("{:?}", self.value),
            expected = self.expected.join(", ")
        )
    }
}

impl From<ParseStatusError> for crate::http::Message {
    fn from(e: ParseStatusError) -> crate::http::Message {
        e.message()
    }
}

impl fmt::Display for ParseStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ParseStatusError {}

/// Lets a parse error be a field error's message as it is.
impl From<ParseStatusError> for String {
    fn from(error: ParseStatusError) -> String {
        error.to_string()
    }
}

/// A status with a lifecycle: the moves listed by [`Lifecycle::next_states`] are the only
/// ones [`Lifecycle::check_move`] allows. A move to the state a record is already in is refused
/// like any other unlisted move, unless the table lists it.
pub trait Lifecycle: StatusEnum {
    /// The record the status belongs to, with its article ("an order").
    const SUBJECT: &'static str;

    /// The states this one may move to.
    fn next_states(self) -> &'static [Self];

    /// No further move is possible.
    fn is_final(self) -> bool {
        self.next_states().is_empty()
    }

    /// The rule: a move is allowed exactly when the table lists it.
    fn check_move(self, to: Self) -> Result<(), IllegalTransition<Self>> {
        if self.next_states().contains(&to) {
            Ok(())
        } else {
            Err(IllegalTransition {
                from: self,
                to,
                only_via: None,
            })
        }
    }
}

/// A refused status change, the one error every lifecycle returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IllegalTransition<S: Lifecycle> {
    pub from: S,
    pub to: S,
    /// Set when the move exists but only for this cause ("a refund").
    pub only_via: Option<&'static str>,
}

impl<S: Lifecycle> fmt::Display for IllegalTransition<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl<S: Lifecycle> IllegalTransition<S> {
    /// `cannot move an order from paid to pending`, the subject, cause and states named in
    /// the reader's language (`lifecycle-subject`, `lifecycle-cause`, [`word`]).
    pub fn message(&self) -> crate::http::Message {
        let subject = crate::msg!(
            "lifecycle-subject",
            subject = S::SUBJECT.replace(' ', "-"),
            text = S::SUBJECT
        );
        let (from, to) = (word(self.from), word(self.to));
        match self.only_via {
            None => crate::msg!(
                "problem-cannot-move",
                subject = subject,
                from = from,
                to = to
            ),
            Some(cause) => crate::msg!(
                "problem-cannot-move-only",
                cause = crate::msg!(
                    "lifecycle-cause",
                    cause = cause.replace(' ', "-"),
                    text = cause
                ),
                subject = subject,
                from = from,
                to = to
            ),
        }
    }
}

impl<S: Lifecycle> std::error::Error for IllegalTransition<S> {}

/// A refused move is a 409 naming both states, whichever lifecycle refused it.
impl<S: Lifecycle> From<IllegalTransition<S>> for AppError {
    fn from(error: IllegalTransition<S>) -> AppError {
        Problem::new(StatusCode::CONFLICT, error.message())
            .with("from", error.from.as_str())
            .with("to", error.to.as_str())
            .into_error()
    }
}

/// Declares a text enum mirrored by a SQL `CHECK`: `as_str`, `ALL`, `Display`, `FromStr`
/// ([`ParseStatusError`]), serde and utoipa under the same text, rusqlite `ToSql`/`FromSql`.
///
/// ```ignore
/// status_enum! {
///     /// Publication state of a product or course.
///     pub enum Status: "status" { Draft => "draft", Published => "published" }
/// }
/// ```
macro_rules! status_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $label:literal {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        // utoipa reads only the enum-wide rule, so the texts must be the variants in
        // snake_case; `every_status_is_the_same_text_in_rust_json_and_sql` holds them to it.
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl $crate::status::StatusEnum for $name {
            const NAME: &'static str = $label;
            const ALL: &'static [$name] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::status::ParseStatusError;

            fn from_str(value: &str) -> Result<$name, Self::Err> {
                $crate::status::parse(value)
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                $crate::status::parse(value.as_str()?)
                    .map_err(|e| rusqlite::types::FromSqlError::Other(e.into()))
            }
        }
    };
}

pub(crate) use status_enum;

#[cfg(test)]
mod tests;
