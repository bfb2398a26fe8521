//! The catalogues: complete in every locale, every key the code asks for present,
//! plural forms right in each language.

use super::*;

fn sorted_keys(locale: &str) -> Vec<String> {
    let mut keys = keys(locale);
    keys.sort();
    keys
}

#[test]
fn every_locale_has_exactly_the_keys_of_the_english_catalogue() {
    let english = sorted_keys(SOURCE_LOCALE);
    assert!(english.len() > 50, "the English catalogue looks truncated");
    let locales = stored_locales();
    assert!(locales.contains(&"fr".to_string()), "{locales:?}");
    for locale in locales {
        let theirs = sorted_keys(&locale);
        let missing: Vec<_> = english.iter().filter(|k| !theirs.contains(k)).collect();
        let extra: Vec<_> = theirs.iter().filter(|k| !english.contains(k)).collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{locale} has keys English lacks: {extra:?}"
        );
    }
}

#[test]
fn every_message_formats_without_errors_in_every_locale() {
    for locale in available() {
        for key in keys(SOURCE_LOCALE) {
            let text = lookup(&locale.code, &key, &sample_args());
            let text = text.unwrap_or_else(|| panic!("{} lacks {key}", locale.code));
            assert!(
                !text.contains("{$") && !text.contains("{ $"),
                "{key}: {text}"
            );
        }
    }
}

fn sample_args() -> Args {
    let mut args = Args::new()
        .number("count", 2)
        .number("minutes", 5)
        .number("days", 7);
    for name in [
        "name",
        "store_name",
        "email",
        "login_url",
        "reset_url",
        "number",
        "items",
        "total",
        "order_url",
        "ships",
        "tracking_number",
        "reason",
        "lapses_at",
        "amount",
        "gateway",
        "course_title",
        "my_courses_url",
        "serial",
        "verify_url",
        "review_url",
        "lesson_title",
        "score",
        "max_score",
        "passed",
        "feedback",
        "lesson_url",
        "decision",
        "note",
        "thing",
        "url",
        "learner",
        "course",
        "store",
        "at",
        "plan",
        "price",
        "interval",
        "membership_url",
        "grace_until",
        "when",
        "window_days",
        "days_since_payment",
        "course_id",
        "progress_percent",
        "max_progress_percent",
        "bundle_id",
        "rule",
        "product_id",
        "date",
        "time",
        "title",
        "order",
        "symbol",
        "text",
        "roles",
        "what",
        "min",
        "max",
        "id",
        "status",
        "table",
        "value",
        "allowed",
        "cause",
        "size",
        "opens",
        "accepted",
        "ids",
        "slug",
        "open",
        "limit",
        "held",
        "item_type",
        "country",
        "registered",
        "declared",
        "billing",
        "ip",
        "price",
        "currency",
        "bundle_currency",
        "said",
        "outcome",
        "reasons",
        "asked",
        "refundable",
        "whole",
        "header",
        "kind",
        "answer",
        "seconds",
        "role",
        "expected",
        "subject",
        "from",
        "to",
        "bps",
        "why",
        "available",
        "problem",
        "field",
        "got",
        "code",
        "message",
        "change",
    ] {
        args = args.text(name, "x");
    }
    args
}

/// The string literals passed as keys in src/: `t(locale, "key"`, `tr("key"`,
/// `lookup(locale, "key"`, `phrase("key"` (a mail value resolved when sent) and
/// `msg!("key"` (a problem message with values).
fn keys_used_in_code() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n/tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices('"') {
                let before = &text[..i];
                let is_key_arg = ["t(", "tr(", "lookup(", "phrase(", "msg!("]
                    .iter()
                    .any(|call| {
                        let Some(at) = before.rfind(call) else {
                            return false;
                        };
                        let args = &before[at + call.len()..];
                        let boundary = before[..at]
                            .chars()
                            .next_back()
                            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                        boundary && args.len() < 40 && !args.contains([')', ';', '"', '\n'])
                    });
                if !is_key_arg {
                    continue;
                }
                let rest = &text[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                {
                    found.push((path.display().to_string(), key.to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn every_key_the_code_asks_for_is_in_the_english_catalogue() {
    let english = keys(SOURCE_LOCALE);
    let used = keys_used_in_code();
    assert!(used.len() > 10, "the scanner found too few keys: {used:?}");
    for (file, key) in used {
        assert!(
            english.contains(&key),
            "{file} asks for {key}, which en lacks"
        );
    }
}

/// Rust source with each `\` line continuation of a string joined, as the compiler reads it.
fn without_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\\n") {
        out.push_str(&rest[..at]);
        rest = rest[at + 2..].trim_start();
    }
    out.push_str(rest);
    out
}

#[test]
fn catalogued_problem_details_are_the_exact_text_the_code_writes() {
    let mut source = String::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                source.push_str(&without_continuations(
                    &std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    for (key, english) in problems::catalogued_details() {
        assert!(
            source.contains(&format!("\"{}", english.replace('"', "\\\""))),
            "{key}: no code writes {english:?} any more; update the catalogue"
        );
    }
}

fn count(locale: &str, key: &str, n: i64) -> String {
    t(locale, key, &Args::new().number("count", n))
}

#[test]
fn plural_forms_follow_english_rules_for_0_1_2_and_5() {
    assert_eq!(count("en", "items-count", 0), "0 items");
    assert_eq!(count("en", "items-count", 1), "1 item");
    assert_eq!(count("en", "items-count", 2), "2 items");
    assert_eq!(count("en", "items-count", 5), "5 items");
}

#[test]
fn plural_forms_follow_french_rules_where_zero_is_singular() {
    assert_eq!(count("fr", "items-count", 0), "0 article");
    assert_eq!(count("fr", "items-count", 1), "1 article");
    assert_eq!(count("fr", "items-count", 2), "2 articles");
    assert_eq!(count("fr", "items-count", 5), "5 articles");
}

#[test]
fn numbers_inside_messages_use_the_locale_separators() {
    assert_eq!(count("fr", "items-count", 12345), "12\u{202F}345 articles");
    assert_eq!(count("en", "items-count", 12345), "12,345 items");
}

#[test]
fn a_missing_locale_falls_back_to_english_and_a_missing_key_shows_itself() {
    assert_eq!(
        t("xx", "cert-heading", &Args::new()),
        "Certificate of Completion"
    );
    assert_eq!(t("fr", "no-such-key", &Args::new()), "no-such-key");
}

#[test]
fn pseudo_locales_are_listed_and_transform_the_english_text() {
    let listed = available();
    let codes: Vec<&str> = listed.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes[0], "en");
    assert!(codes.contains(&"fr") && codes.contains(&"en-XA") && codes.contains(&"ar-XB"));
    assert_eq!(dir("ar-XB"), "rtl");
    assert_eq!(dir("fr"), "ltr");
    let accented = t("en-XA", "cert-heading", &Args::new());
    assert!(accented.starts_with("Çéŕ"), "{accented}");
    assert!(t("ar-XB", "cert-heading", &Args::new()).starts_with('\u{202E}'));
}

#[test]
fn problem_details_are_translated_by_their_english_text() {
    use problems::translate_detail;
    assert_eq!(
        translate_detail("fr", "the email or password is incorrect"),
        "l'adresse e-mail ou le mot de passe est incorrect"
    );
    assert_eq!(
        translate_detail("fr", "course not found"),
        "cours introuvable"
    );
    assert_eq!(
        translate_detail("fr", "something uncatalogued"),
        "something uncatalogued"
    );
}

#[test]
fn the_catalogue_key_scanner_reads_messages_attributes_and_skips_terms() {
    let text = "a-b = x\n-term = y\nmail-x =\n    .subject = s\n    .html = h\n# c = d\n";
    assert_eq!(
        catalogue_keys(text),
        vec!["a-b", "mail-x.subject", "mail-x.html"]
    );
}
