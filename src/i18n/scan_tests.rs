//! Every problem message the server writes is in the catalogue: a scanner over `src/` that
//! fails on an English-only message, so new code cannot add one.

use super::problems::catalogue_key;
use super::*;

/// Where a problem message is written, and which argument (from 0) is the message.
const CONSTRUCTORS: [(&str, usize); 16] = [
    ("AppError::BadRequest(", 0),
    ("AppError::Unauthorized(", 0),
    ("AppError::Forbidden(", 0),
    ("AppError::Gone(", 0),
    ("AppError::PaymentRequired(", 0),
    ("AppError::UnsupportedMediaType(", 0),
    ("AppError::Unavailable(", 0),
    ("AppError::field(", 1),
    ("AppError::conflict(", 0),
    ("AppError::conflict_on(", 1),
    ("FieldError::new(", 1),
    ("Problem::new(", 1),
    ("Message::from(", 0),
    // Reasons carried to a problem by a type of their own.
    ("NotThisWay(", 0),
    ("Rotation::Invalid(", 0),
    ("SecondStep::Invalid(", 0),
];

/// The production text of every `.rs` file under `src/` (test modules and files cut off).
fn production_sources() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let root = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "tests" {
                    stack.push(path);
                }
                continue;
            }
            if !name.ends_with(".rs") || name == "tests.rs" || name.ends_with("_tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let text = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            found.push((path.display().to_string(), text));
        }
    }
    found
}

/// The arguments of the call whose `(` is at `open`, split at top-level commas.
fn call_args(text: &str, open: usize) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    let mut chars = text[open..].chars();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            current.push(c);
            match c {
                '\\' => current.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > 1 {
                    current.push(c);
                }
            }
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    args.push(current.trim().to_string());
                    return args;
                }
                current.push(c);
            }
            ',' if depth == 1 => args.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    args
}

/// The string literals in an expression, as Rust reads them (escapes and `\` line
/// continuations resolved).
fn literals(expr: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('\n') => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    Some('n') => text.push('\n'),
                    Some(other) => text.push(other),
                    None => {}
                },
                _ => text.push(c),
            }
        }
        found.push(text);
    }
    found
}

/// Each message argument of a problem constructor in `src/`, with where it is.
fn problem_messages() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (file, text) in production_sources() {
        for (call, index) in CONSTRUCTORS {
            for (at, _) in text.match_indices(call) {
                let open = at + call.len() - 1;
                let line = text[..at].lines().count();
                if let Some(arg) = call_args(&text, open).get(index) {
                    found.push((format!("{file}:{line}"), arg.clone()));
                }
            }
        }
        for (at, _) in text.match_indices("detail: ") {
            let rest = &text[at + "detail: ".len()..];
            let arg = rest.split(",\n").next().unwrap_or_default();
            if arg.starts_with('"') || arg.starts_with("format!") {
                let line = text[..at].lines().count();
                found.push((format!("{file}:{line}"), arg.to_string()));
            }
        }
    }
    found
}

#[test]
fn the_scanner_reads_literals_across_lines_and_match_arms() {
    let text = "AppError::field(\"a\", match x { A => \"one\", _ => \"two \\\n    three\" })";
    let args = call_args(text, text.find('(').unwrap());
    assert_eq!(args.len(), 2);
    assert_eq!(literals(&args[1]), vec!["one", "two three"]);
    assert!(
        problem_messages().len() > 300,
        "the scanner found too few messages"
    );
}

#[test]
fn every_problem_message_in_src_is_in_the_catalogue() {
    let mut english_only = Vec::new();
    for (at, arg) in problem_messages() {
        if arg.contains("format!(") && !arg.contains("msg!(") {
            english_only.push(format!("{at}: a format!-built message; use msg!(key, ..)"));
            continue;
        }
        if arg.contains("msg!(") {
            // A keyed message: its key is checked with every key the code asks for.
            continue;
        }
        for literal in literals(&arg) {
            if catalogue_key(&literal).is_none() {
                english_only.push(format!("{at}: {literal:?} has no problem-detail-* entry"));
            }
        }
    }
    assert!(
        english_only.is_empty(),
        "messages a French reader would read in English:\n{}",
        english_only.join("\n")
    );
}

#[test]
fn every_thing_that_can_be_not_found_has_a_name_in_the_catalogue() {
    let mut missing = Vec::new();
    for (file, text) in production_sources() {
        for (at, _) in text.match_indices("AppError::NotFound(") {
            let open = at + "AppError::NotFound(".len() - 1;
            for thing in call_args(&text, open).iter().flat_map(|a| literals(a)) {
                let key = format!("thing-{}", thing.replace(' ', "-"));
                if lookup(SOURCE_LOCALE, &key, &Args::new()).is_none() {
                    missing.push(format!("{file}: {key}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn every_catalogued_problem_message_reads_differently_in_french() {
    // Technical words stay as they are, so only whole messages are compared.
    let french = String::from("fr");
    let same: Vec<String> = keys(SOURCE_LOCALE)
        .into_iter()
        .filter(|k| k.starts_with("problem-detail-"))
        .filter(|k| lookup(SOURCE_LOCALE, k, &Args::new()) == lookup(&french, k, &Args::new()))
        .collect();
    assert!(same.is_empty(), "left in English: {same:?}");
}

#[test]
fn problem_messages_with_a_number_choose_the_plural_of_each_language() {
    let said =
        |locale: &str, max: i64| crate::msg!("problem-max-lines", max = max).in_locale(locale);
    assert_eq!(said("en", 1), "may hold at most 1 line");
    assert_eq!(said("en", 5), "may hold at most 5 lines");
    assert_eq!(said("fr", 0), "peut compter au plus 0 ligne");
    assert_eq!(said("fr", 1), "peut compter au plus 1 ligne");
    assert_eq!(said("fr", 2), "peut compter au plus 2 lignes");
    assert_eq!(said("fr", 1000), "peut compter au plus 1\u{202F}000 lignes");
    let english = crate::msg!("problem-max-lines", max = 100);
    assert_eq!(english.as_str(), "may hold at most 100 lines");
}

#[test]
fn a_message_keeps_its_english_and_is_said_again_in_the_readers_language() {
    let fixed = Message::from("the cart is empty");
    assert_eq!(fixed.as_str(), "the cart is empty");
    assert_eq!(fixed.in_locale("fr"), "le panier est vide");
    let transition = crate::msg!(
        "problem-cannot-move",
        subject = crate::msg!("lifecycle-subject", subject = "an-order", text = "an order"),
        from = crate::status::word(crate::commerce::lifecycle::OrderStatus::Paid),
        to = crate::status::word(crate::commerce::lifecycle::OrderStatus::Pending)
    );
    assert_eq!(
        transition.as_str(),
        "cannot move an order from paid to pending"
    );
    assert_eq!(
        transition.in_locale("fr"),
        "impossible de faire passer une commande de « payée » à « en attente de paiement »"
    );
}
