//! Markdown bodies rendered to the HTML of `body` (questions, answers, articles).
//!
//! CommonMark plus tables and strikethrough, with `pulldown-cmark`. The output is sanitised by
//! construction, not by a second HTML pass: raw HTML in the source (blocks and inline tags) is
//! written as escaped text, and a link or image whose URL has a scheme other than `http`,
//! `https` or `mailto` (for example `javascript:` or `data:`) keeps its text but loses its
//! URL. What the real service allows beyond that (its own HTML whitelist) is not modelled: a
//! mock choice, stated in docs/questions-and-answers.md.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// The sanitised HTML of `markdown`.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, events);
    out
}

/// `url` when it is relative or uses `http`, `https` or `mailto`; otherwise empty.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme_end = url.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| url.as_bytes()[i] == b':');
    if !has_scheme {
        return url;
    }
    let scheme = url[..scheme_end.unwrap_or(0)].trim().to_ascii_lowercase();
    if matches!(scheme.as_str(), "http" | "https" | "mailto") {
        url
    } else {
        CowStr::Borrowed("")
    }
}

/// A plain-text excerpt of `markdown` (search snippets): the text of the rendered events,
/// whitespace collapsed, cut at `max` characters on a char boundary.
pub fn plain_text(markdown: &str, max: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        let text = match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => t,
            Event::SoftBreak | Event::HardBreak | Event::End(_) => CowStr::Borrowed(" "),
            _ => continue,
        };
        for word in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        if out.chars().count() >= max {
            break;
        }
    }
    match out.char_indices().nth(max) {
        Some((cut, _)) => out[..cut].to_string(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_to_html() {
        assert_eq!(to_html("Hello *world*"), "<p>Hello <em>world</em></p>\n");
        assert!(to_html("```\nlet x = 1;\n```").contains("<pre><code>let x = 1;\n</code></pre>"));
        assert!(
            to_html("[ok](https://example.com)")
                .contains(r#"<a href="https://example.com">ok</a>"#)
        );
    }

    #[test]
    fn raw_html_is_escaped_not_kept() {
        let html = to_html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn unsafe_link_schemes_lose_their_url() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x]( data:text/html,hi)",
            "![x](vbscript:msgbox)",
        ] {
            let html = to_html(md);
            assert!(!html.to_lowercase().contains("script:"), "{md} → {html}");
            assert!(!html.contains("data:"), "{md} → {html}");
        }
        assert!(to_html("[x](/questions/1)").contains(r#"href="/questions/1""#));
        assert!(to_html("[x](mailto:a@b.c)").contains(r#"href="mailto:a@b.c""#));
    }

    #[test]
    fn plain_text_is_cut_on_a_char_boundary() {
        assert_eq!(plain_text("Hello **big**\nworld", 100), "Hello big world");
        assert_eq!(plain_text("ééééé", 3), "ééé");
    }
}
