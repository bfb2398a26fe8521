//! URL slugs: derived from names and titles, or checked when given.

/// Lower-case ASCII letters and digits separated by single dashes; never empty.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    let trimmed = out.trim_matches('-').to_string();
    if trimmed.is_empty() {
        "item".to_string()
    } else {
        trimmed
    }
}

/// Common Latin letters with diacritics, folded to their base letter.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other,
    }
}

/// A client-chosen slug must already be in slug form.
pub fn check(slug: &str) -> Result<(), &'static str> {
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok {
        Ok(())
    } else {
        Err("must be 1-100 lower-case letters, digits and single dashes, e.g. `intro-to-rust`")
    }
}

/// `base`, then `base-2`, `base-3` ... : the candidates tried for an automatic slug.
pub fn candidate(base: &str, attempt: u32) -> String {
    if attempt <= 1 {
        base.to_string()
    } else {
        format!("{base}-{attempt}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_dashed_lower_case() {
        assert_eq!(
            slugify("  Intro to Rust: Part 2!  "),
            "intro-to-rust-part-2"
        );
        assert_eq!(slugify("Café Crème"), "cafe-creme");
        assert_eq!(slugify("!!!"), "item");
    }

    #[test]
    fn given_slugs_must_be_in_slug_form() {
        assert!(check("intro-to-rust").is_ok());
        assert!(check("Intro").is_err());
        assert!(check("a--b").is_err());
        assert!(check("-a").is_err());
        assert!(check("").is_err());
    }

    #[test]
    fn candidates_count_from_two() {
        assert_eq!(candidate("x", 1), "x");
        assert_eq!(candidate("x", 3), "x-3");
    }
}
