//! Languages: negotiation, the user's choice, problems and mails in the reader's locale,
//! course languages.

mod course_language;
mod invoices;
mod locales;
mod problems;
