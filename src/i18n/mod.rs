//! Message catalogues (Project Fluent) embedded in the binary, `t(locale, key, args)`, and the locale of a request.
//!
//! Each locale is one folder under `assets/locales/<code>/` whose `server.ftl` holds the
//! server's strings (mails, problems, certificate, data export); a new language is one new
//! folder, found at build time. Two pseudo-locales are made from English by a transform
//! ([`pseudo`]) so tests can find truncation and unflipped layout without a stored file.

pub mod format;
pub mod message;
pub mod negotiate;
pub mod problems;
pub mod pseudo;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub use message::Message;
pub use negotiate::{COOKIE, negotiate};

/// The catalogue every other falls back to, key by key.
pub const SOURCE_LOCALE: &str = "en";

#[derive(rust_embed::Embed)]
#[folder = "assets/locales/"]
#[include = "*/server.ftl"]
struct Catalogues;

/// One locale as `GET /api/i18n` lists it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LocaleInfo {
    /// BCP 47 code, e.g. `fr` or `en-XA`.
    pub code: String,
    /// The language's own name for itself (`Français`).
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// A generated test locale (accented or mirrored English), not a translation.
    pub pseudo: bool,
}

struct Locale {
    info: LocaleInfo,
    bundle: FluentBundle<FluentResource>,
}

struct Registry {
    locales: Vec<Locale>,
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| match load() {
        Ok(registry) => registry,
        // The catalogues are part of the binary and checked by unit tests; a broken one is
        // a build defect, shown at first use rather than hidden.
        Err(e) => panic!("a message catalogue is invalid: {e}"),
    })
}

/// Every stored catalogue by locale code, plus the pseudo-locales.
fn load() -> Result<Registry, String> {
    let mut sources = BTreeMap::new();
    for path in Catalogues::iter() {
        let Some((code, _)) = path.split_once('/') else {
            continue;
        };
        let file = Catalogues::get(&path).ok_or_else(|| format!("{path} vanished"))?;
        let text = String::from_utf8(file.data.into_owned())
            .map_err(|_| format!("{path} is not UTF-8"))?;
        sources.insert(code.to_string(), text);
    }
    let english = sources
        .get(SOURCE_LOCALE)
        .cloned()
        .ok_or("the English catalogue is missing")?;
    let mut locales = Vec::new();
    // English first, so it leads the list of available locales.
    let mut codes: Vec<&String> = sources.keys().collect();
    codes.sort_by_key(|c| (c.as_str() != SOURCE_LOCALE, c.to_string()));
    for code in codes {
        locales.push(build(code, &sources[code], None)?);
    }
    for pseudo in &pseudo::ALL {
        locales.push(build(pseudo.code, &english, Some(pseudo))?);
    }
    Ok(Registry { locales })
}

fn build(code: &str, text: &str, pseudo: Option<&pseudo::Pseudo>) -> Result<Locale, String> {
    let langid: LanguageIdentifier = code
        .parse()
        .map_err(|_| format!("{code} is not a BCP 47 code"))?;
    let resource = FluentResource::try_new(text.to_string())
        .map_err(|(_, errors)| format!("{code}/server.ftl: {errors:?}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid.clone()]);
    // Isolation marks would end up inside links and subjects of plain-text mail.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format::fluent_formatter_for(langid.language.as_str())));
    if let Some(p) = pseudo {
        bundle.set_transform(Some(p.transform));
    }
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("{code}/server.ftl: {errors:?}"))?;
    let plain = |key: &str| {
        let msg = bundle.get_message(key)?;
        let mut errors = Vec::new();
        Some(
            bundle
                .format_pattern(msg.value()?, None, &mut errors)
                .into_owned(),
        )
    };
    let name = match pseudo {
        Some(p) => p.name.to_string(),
        None => plain("locale-name").ok_or(format!("{code} has no locale-name"))?,
    };
    let dir = match pseudo {
        Some(p) => p.dir.to_string(),
        None => plain("locale-dir").unwrap_or_else(|| "ltr".into()),
    };
    Ok(Locale {
        info: LocaleInfo {
            code: code.to_string(),
            name,
            dir,
            pseudo: pseudo.is_some(),
        },
        bundle,
    })
}

fn find(code: &str) -> Option<&'static Locale> {
    registry()
        .locales
        .iter()
        .find(|l| l.info.code.eq_ignore_ascii_case(code))
}

/// Every locale a request may ask for, English first, pseudo-locales last.
pub fn available() -> Vec<LocaleInfo> {
    registry().locales.iter().map(|l| l.info.clone()).collect()
}

/// The code as listed (`FR` -> `fr`) when `code` names an available locale.
pub fn canonical(code: &str) -> Option<&'static str> {
    find(code).map(|l| l.info.code.as_str())
}

/// `ltr` or `rtl` for an available locale (`ltr` for anything else).
pub fn dir(code: &str) -> &'static str {
    match find(code) {
        Some(l) if l.info.dir == "rtl" => "rtl",
        _ => "ltr",
    }
}

/// Named values for a message: strings, or numbers (plural selection, locale digits).
#[derive(Debug, Default, Clone)]
pub struct Args(Vec<(String, Arg)>);

#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Number(f64),
    /// Said in the same locale as the message around it.
    Message(Box<Message>),
}

impl Args {
    pub fn new() -> Args {
        Args::default()
    }

    pub fn text(mut self, name: &str, value: impl Into<String>) -> Args {
        self.0.push((name.to_string(), Arg::Text(value.into())));
        self
    }

    pub fn number(mut self, name: &str, value: i64) -> Args {
        self.0.push((name.to_string(), Arg::Number(value as f64)));
        self
    }

    /// A message inside this one (a field's name, a thing), said in the reader's locale.
    pub fn message(mut self, name: &str, value: Message) -> Args {
        self.0
            .push((name.to_string(), Arg::Message(Box::new(value))));
        self
    }

    fn fluent(&self, locale: &str) -> FluentArgs<'_> {
        let mut args = FluentArgs::new();
        for (name, value) in &self.0 {
            match value {
                Arg::Text(s) => args.set(name.as_str(), FluentValue::from(s.as_str())),
                Arg::Number(n) => args.set(name.as_str(), FluentValue::from(*n)),
                Arg::Message(m) => args.set(name.as_str(), FluentValue::from(m.in_locale(locale))),
            }
        }
        args
    }
}

/// The message `key` (or `key.attribute`) in `locale`, falling back to English, then to
/// the key itself so a missing string shows up instead of vanishing.
pub fn t(locale: &str, key: &str, args: &Args) -> String {
    lookup(locale, key, args)
        .or_else(|| lookup(SOURCE_LOCALE, key, args))
        .unwrap_or_else(|| key.to_string())
}

/// Like [`t`], but `None` when no catalogue has the message.
pub fn lookup(locale: &str, key: &str, args: &Args) -> Option<String> {
    let bundle = &find(locale)?.bundle;
    let (id, attribute) = match key.split_once('.') {
        Some((id, attribute)) => (id, Some(attribute)),
        None => (key, None),
    };
    let message = bundle.get_message(id)?;
    let pattern = match attribute {
        Some(a) => message.get_attribute(a)?.value(),
        None => message.value()?,
    };
    let fluent = args.fluent(locale);
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(locale, key, ?errors, "a message was formatted with errors");
    }
    Some(text.into_owned())
}

/// Every message id of a stored catalogue, and its attributes as `id.attribute` (terms,
/// `-name`, are private to the catalogue and not listed).
pub fn keys(locale: &str) -> Vec<String> {
    let Some(file) = Catalogues::get(&format!("{locale}/server.ftl")) else {
        return Vec::new();
    };
    catalogue_keys(&String::from_utf8_lossy(&file.data))
}

fn catalogue_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let is_id = |s: &str| {
            s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if let Some((id, value)) = line.split_once('=')
            && is_id(id.trim_end())
            && !line.starts_with(' ')
        {
            let id = id.trim_end().to_string();
            if !value.trim().is_empty() {
                keys.push(id.clone());
            }
            current = Some(id);
        } else if line.starts_with('-') || line.starts_with('#') {
            current = None;
        } else if let (Some(id), Some(rest)) = (&current, line.trim_start().strip_prefix('.'))
            && let Some((attribute, _)) = rest.split_once('=')
            && is_id(attribute.trim_end())
        {
            keys.push(format!("{id}.{}", attribute.trim_end()));
        }
    }
    keys
}

/// The codes of the stored catalogues (not the pseudo-locales).
pub fn stored_locales() -> Vec<String> {
    let mut codes: Vec<String> = Catalogues::iter()
        .filter_map(|p| p.split_once('/').map(|(c, _)| c.to_string()))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[cfg(test)]
mod scan_tests;
#[cfg(test)]
mod tests;
