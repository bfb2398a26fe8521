//! Pseudo-locales made from the English catalogue: `en-XA` (accented and about a third
//! longer, to find truncation and strings that skip the catalogue) and `ar-XB` (marked
//! right-to-left, to find layout that does not mirror).

use std::borrow::Cow;

/// A generated locale: its code, name, direction and the transform of every text piece.
pub struct Pseudo {
    pub code: &'static str,
    pub name: &'static str,
    pub dir: &'static str,
    pub transform: fn(&str) -> Cow<'_, str>,
}

pub const ALL: [Pseudo; 2] = [
    Pseudo {
        code: "en-XA",
        name: "Ȇńĝĺîšĥ (pseudo)",
        dir: "ltr",
        transform: accented,
    },
    Pseudo {
        code: "ar-XB",
        name: "English (pseudo RTL)",
        dir: "rtl",
        transform: mirrored,
    },
];

fn accent(c: char) -> char {
    const FROM: &str = "aceilnorsuyzACEILNORSUYZ";
    const TO: &str = "åçéîļñöŕšûýžÅÇÉÎĻÑÖŔŠÛÝŽ";
    match FROM.chars().position(|f| f == c) {
        Some(i) => TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// Accents every letter and pads each piece by a third with `~`, so text that does not
/// come through the catalogue stands out and tight boxes overflow in tests. Markup and
/// whitespace-only pieces are left alone (`<p>` must stay a tag).
pub fn accented(text: &str) -> Cow<'_, str> {
    if text.trim().is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut in_tag = false;
    let mut letters = 0usize;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        if in_tag || c == '>' {
            out.push(c);
        } else {
            if c.is_alphabetic() {
                letters += 1;
            }
            out.push(accent(c));
        }
    }
    let pad = letters.div_ceil(3);
    if pad > 0 && !text.ends_with('\n') {
        out.push(' ');
        out.extend(std::iter::repeat_n('~', pad));
    }
    Cow::Owned(out)
}

/// Wraps each piece in a right-to-left override (U+202E ... U+202C), so it reads
/// mirrored the way a right-to-left script would run.
pub fn mirrored(text: &str) -> Cow<'_, str> {
    if text.trim().is_empty() || text.contains('<') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("\u{202E}{text}\u{202C}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_text_is_longer_and_keeps_tags_intact() {
        let out = accented("<p>Hello class</p>");
        assert!(out.starts_with("<p>"), "{out}");
        assert!(out.contains("</p>"), "{out}");
        assert!(out.contains("Héļļö"), "{out}");
        assert!(out.chars().count() > "<p>Hello class</p>".chars().count());
    }

    #[test]
    fn mirrored_text_is_marked_right_to_left() {
        assert_eq!(mirrored("Hi"), "\u{202E}Hi\u{202C}");
        assert_eq!(mirrored("  "), "  ");
    }
}
