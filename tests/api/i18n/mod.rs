//! Languages: negotiation, the user's choice, problems and mails in the reader's locale,
//! course languages.

mod course_language;
mod locales;
mod problems;
