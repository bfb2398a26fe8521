//! Markdown (CommonMark, parsed by pulldown-cmark, with tables and strikethrough) to HTML
//! that is safe to embed: raw HTML in the source is shown as text, links keep only http(s),
//! mailto, site-relative and `#` targets, and images are shown as links to them.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

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

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Whether each open link or image was kept, so its end matches its start.
    let mut open_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let keep = safe_url(&dest_url);
            open_links.push(keep);
            keep.then(|| Event::InlineHtml(link_open(&dest_url)))
        }
        Event::End(TagEnd::Link | TagEnd::Image) => open_links
            .pop()
            .unwrap_or(false)
            .then_some(Event::InlineHtml(CowStr::Borrowed("</a>"))),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut out, events);
    out
}

/// The opening tag of a link that search engines do not follow and that gets no opener.
fn link_open(url: &str) -> CowStr<'static> {
    CowStr::from(format!(
        "<a href=\"{}\" rel=\"nofollow noopener\">",
        escape(url)
    ))
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
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
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://a.example/?q=\"x\")\n\n<img src=x onerror=alert(1)>\n\n![pic](javascript:alert(2)) [up](//evil.example)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("evil.example\""), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            html.contains(
                "<a href=\"https://a.example/?q=&quot;x&quot;\" rel=\"nofollow noopener\">ok</a>"
            ),
            "{html}"
        );
    }

    #[test]
    fn images_become_links_and_tables_render() {
        let html = render("![A kiln](/media/kiln.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(
            html.contains("<a href=\"/media/kiln.png\" rel=\"nofollow noopener\">A kiln</a>"),
            "{html}"
        );
        assert!(
            html.contains("<table>") && html.contains("<td>2</td>"),
            "{html}"
        );
    }

    #[test]
    fn fenced_code_is_escaped_verbatim() {
        let html = render("```\n<b>not bold</b>\n**no**\n```");
        assert_eq!(
            html,
            "<pre><code>&lt;b&gt;not bold&lt;/b&gt;\n**no**\n</code></pre>\n"
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "**", "*", "[", "[a](", "`", "\\", "é*é", "#", "1.", "> ", "__*_", "![", "[a]: <",
        ] {
            let _ = render(text);
        }
    }
}
