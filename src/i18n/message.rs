//! A message a user reads in a problem: a catalogue key with its arguments, or a catalogued English text.
//!
//! Messages with values (`must be at most { $max } characters`) are built from their key, so
//! the problem layer can say them in any language with the same arguments; their English is
//! the English catalogue's rendering. Fixed messages may be written as their English text,
//! like gettext's message ids: the English catalogue holds the same text under a
//! `problem-detail-*` key (a unit test checks every such literal in `src/`). Only a
//! `&'static str` converts implicitly, so a `format!`-built English text cannot slip in.

use std::borrow::Cow;
use std::fmt;

use super::{Args, SOURCE_LOCALE, lookup, t};

#[derive(Debug, Clone)]
pub struct Message {
    english: String,
    key: Option<Cow<'static, str>>,
    args: Args,
}

impl Message {
    /// The catalogue message `key` with `args`; its English text is rendered at once.
    pub fn new(key: impl Into<Cow<'static, str>>, args: Args) -> Message {
        let key = key.into();
        Message {
            english: t(SOURCE_LOCALE, &key, &args),
            key: Some(key),
            args,
        }
    }

    /// A text that is not a sentence of ours (a library's parse error, an identifier) and is
    /// shown as it is in every language. Prefer a keyed message around it.
    pub fn verbatim(text: impl Into<String>) -> Message {
        Message {
            english: text.into(),
            key: Some(Cow::Borrowed("")),
            args: Args::new(),
        }
    }

    /// The English text, as API consumers have always read it.
    pub fn as_str(&self) -> &str {
        &self.english
    }

    /// The catalogue key, when the message was built from one.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The message in `locale` (English when no catalogue has it).
    pub fn in_locale(&self, locale: &str) -> String {
        match self.key.as_deref() {
            Some("") => self.english.clone(),
            Some(key) => t(locale, key, &self.args),
            None => super::problems::translate_detail(locale, &self.english),
        }
    }

    /// Whether a catalogue holds this message (its key, or its fixed English text).
    pub fn is_catalogued(&self) -> bool {
        match self.key.as_deref() {
            Some("") => true,
            Some(key) => lookup(SOURCE_LOCALE, key, &Args::new()).is_some(),
            None => super::problems::catalogue_key(&self.english).is_some(),
        }
    }
}

impl From<&'static str> for Message {
    fn from(english: &'static str) -> Message {
        Message {
            english: english.to_string(),
            key: None,
            args: Args::new(),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl std::ops::Deref for Message {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.english == other.english
    }
}

impl Eq for Message {}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.english == other
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.english == *other
    }
}

impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english)
    }
}

/// A value a message names: numbers choose plural forms and get the locale's digits;
/// text is shown as it is; a [`Message`] is said in the reader's locale too.
pub trait IntoArg {
    fn add_to(self, args: Args, name: &str) -> Args;
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl IntoArg for $t {
            fn add_to(self, args: Args, name: &str) -> Args {
                args.number(name, i64::try_from(self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(i64, i32, u32, u64, usize);

impl IntoArg for &str {
    fn add_to(self, args: Args, name: &str) -> Args {
        args.text(name, self)
    }
}

impl IntoArg for String {
    fn add_to(self, args: Args, name: &str) -> Args {
        args.text(name, self)
    }
}

impl IntoArg for &String {
    fn add_to(self, args: Args, name: &str) -> Args {
        args.text(name, self.as_str())
    }
}

impl IntoArg for Message {
    fn add_to(self, args: Args, name: &str) -> Args {
        args.message(name, self)
    }
}

impl Args {
    /// Adds `value` under `name`, as a number, a text or a message by its type.
    pub fn with(self, name: &str, value: impl IntoArg) -> Args {
        value.add_to(self, name)
    }
}

/// `msg!("problem-max-chars", max = 200)`: the catalogue message with its arguments.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new(
            $key,
            $crate::i18n::Args::new()$(.with(stringify!($name), $value))*,
        )
    };
}
