//! A small Markdown renderer whose output is safe by construction: every piece of text is
//! HTML-escaped, only a fixed set of tags is produced, and links must be http(s), mailto or
//! site-relative. Supports headings, paragraphs, lists, quotes, rules, fenced code,
//! `code`, **strong**, *emphasis* and [links](https://example.com).

/// Escapes text for use in HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(PartialEq)]
enum Block {
    None,
    Paragraph,
    Unordered,
    Ordered,
    Quote,
}

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let mut out = String::new();
    let mut block = Block::None;
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = markdown.lines();
    while let Some(raw) = lines.next() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            close(&mut out, &mut block, &mut paragraph);
            let mut code = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
                    break;
                }
                code.push(inner);
            }
            out.push_str("<pre><code>");
            out.push_str(&escape(&code.join("\n")));
            out.push_str("</code></pre>\n");
            continue;
        }
        if trimmed.is_empty() {
            close(&mut out, &mut block, &mut paragraph);
            continue;
        }
        if let Some((level, text)) = heading(trimmed) {
            close(&mut out, &mut block, &mut paragraph);
            out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(text)));
            continue;
        }
        if trimmed.len() >= 3 && trimmed.chars().all(|c| c == '-' || c == '*') {
            close(&mut out, &mut block, &mut paragraph);
            out.push_str("<hr>\n");
            continue;
        }
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .map(|t| (Block::Unordered, t))
            .or_else(|| ordered_item(trimmed).map(|t| (Block::Ordered, t)))
            .or_else(|| {
                trimmed
                    .strip_prefix('>')
                    .map(|t| (Block::Quote, t.trim_start()))
            });
        match item {
            Some((kind, text)) => {
                if block != kind {
                    close(&mut out, &mut block, &mut paragraph);
                    out.push_str(match kind {
                        Block::Unordered => "<ul>\n",
                        Block::Ordered => "<ol>\n",
                        _ => "<blockquote>\n",
                    });
                    block = kind;
                }
                if block == Block::Quote {
                    out.push_str(&format!("<p>{}</p>\n", inline(text)));
                } else {
                    out.push_str(&format!("<li>{}</li>\n", inline(text)));
                }
            }
            None => {
                if block != Block::Paragraph {
                    close(&mut out, &mut block, &mut paragraph);
                    block = Block::Paragraph;
                }
                paragraph.push(trimmed);
            }
        }
    }
    close(&mut out, &mut block, &mut paragraph);
    out
}

fn close(out: &mut String, block: &mut Block, paragraph: &mut Vec<&str>) {
    match block {
        Block::Paragraph => {
            out.push_str(&format!("<p>{}</p>\n", inline(&paragraph.join("\n"))));
            paragraph.clear();
        }
        Block::Unordered => out.push_str("</ul>\n"),
        Block::Ordered => out.push_str("</ol>\n"),
        Block::Quote => out.push_str("</blockquote>\n"),
        Block::None => {}
    }
    *block = Block::None;
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&level) {
        line[level..].strip_prefix(' ').map(|t| (level, t.trim()))
    } else {
        None
    }
}

fn ordered_item(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    line[digits..].strip_prefix(". ")
}

fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with('#')
}

/// Inline spans; text is escaped, nesting handled by recursion on the inner text.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        if c == '\\'
            && let Some(next) = after.chars().next()
            && next.is_ascii_punctuation()
        {
            out.push_str(&escape(&next.to_string()));
            rest = &after[next.len_utf8()..];
            continue;
        }
        if c == '`'
            && let Some(end) = after.find('`')
        {
            out.push_str(&format!("<code>{}</code>", escape(&after[..end])));
            rest = &after[end + 1..];
            continue;
        }
        if c == '['
            && let Some(mid) = after.find("](")
            && let Some(end) = after[mid + 2..].find(')')
        {
            let label = &after[..mid];
            let url = after[mid + 2..mid + 2 + end].trim();
            if safe_url(url) && !label.is_empty() {
                out.push_str(&format!(
                    "<a href=\"{}\" rel=\"nofollow noopener\">{}</a>",
                    escape(url),
                    inline(label)
                ));
                rest = &after[mid + 2 + end + 1..];
                continue;
            }
        }
        if let Some(inner) = rest.strip_prefix("**")
            && let Some(end) = inner.find("**")
            && end > 0
        {
            out.push_str(&format!("<strong>{}</strong>", inline(&inner[..end])));
            rest = &inner[end + 2..];
            continue;
        }
        if (c == '*' || c == '_')
            && let Some(end) = after.find(c)
            && end > 0
            && !after.starts_with(' ')
        {
            out.push_str(&format!("<em>{}</em>", inline(&after[..end])));
            rest = &after[end + 1..];
            continue;
        }
        out.push_str(&escape(&c.to_string()));
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_markdown_renders() {
        let html =
            render("# Title\n\nSome **bold** and *em* with `x<y`.\n\n- one\n- two\n\n1. first");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("<em>em</em>"));
        assert!(html.contains("<code>x&lt;y</code>"));
        assert!(html.contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"));
        assert!(html.contains("<ol>\n<li>first</li>\n</ol>"));
    }

    #[test]
    fn raw_html_and_script_urls_are_neutralised() {
        let html = render(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://a.example/?q=\"x\")\n\n<img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("<a href=\"https://a.example/?q=&quot;x&quot;\""));
    }

    #[test]
    fn fenced_code_is_escaped_verbatim() {
        let html = render("```\n<b>not bold</b>\n**no**\n```");
        assert_eq!(
            html,
            "<pre><code>&lt;b&gt;not bold&lt;/b&gt;\n**no**</code></pre>\n"
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "**", "*", "[", "[a](", "`", "\\", "é*é", "#", "1.", "> ", "__*_",
        ] {
            let _ = render(text);
        }
    }
}
