//! What a question's Markdown points at, and the questions near it: linked and related
//! questions (`GET /questions/{id}/linked`, `/related`, `/articles/{id}/linked-questions`) and
//! `@name` mentions (`mentionedUsers`, `mentionedUserGroups`).
//!
//! The rules (mock rules, docs/questions-and-answers.md):
//! - **Links** are read from the Markdown when a question is written ([`linked_ids`]): every
//!   `/questions/{id}`, `/q/{id}` or `/articles/{id}` in a link's URL, an autolink or a bare
//!   URL in the text, with any host or none; not inside code. The ids are kept as written
//!   (they may name nothing yet); reads show only live questions.
//! - **Linked** questions of a question are the live questions its body links to and the live
//!   questions whose bodies link to it, itself excepted ([`Posts::linked_to`]).
//! - **Related** questions share at least one tag with it; the more tags shared, the more
//!   related ([`Posts::related_to`]).
//! - **Mentions** are `@name` tokens in the text (not in code, not inside a word such as an
//!   e-mail address), read when rendered ([`mention_names`]); the edge matches them to users
//!   and groups.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{PostId, Posts, Question};

/// The path segments that name a post in a URL.
const POST_PATHS: [&str; 3] = ["/questions/", "/q/", "/articles/"];

/// Calls `f` with each piece of the Markdown's text a reader sees as text or a URL: link and
/// image destinations, and text outside code spans and code blocks. Adjacent text events (the
/// parser splits text at characters that might have been markup) are joined first, so a
/// token such as `@ada_admin` reaches `f` whole.
fn visible_text(markdown: &str, mut f: impl FnMut(&str)) {
    let mut in_code_block = false;
    let mut text = String::new();
    for event in Parser::new(markdown) {
        if let Event::Text(t) = &event
            && !in_code_block
        {
            text.push_str(t);
            continue;
        }
        if !text.is_empty() {
            f(&text);
            text.clear();
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => f(&dest_url),
            _ => {}
        }
    }
    if !text.is_empty() {
        f(&text);
    }
}

/// The post ids the Markdown links to ([module docs](self)): int32 ids of 1 or more, each once.
pub fn linked_ids(markdown: &str) -> BTreeSet<PostId> {
    let mut ids = BTreeSet::new();
    visible_text(markdown, |text| {
        for segment in POST_PATHS {
            let mut rest = text;
            while let Some(at) = rest.find(segment) {
                rest = &rest[at + segment.len()..];
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let id = rest[..digits].parse::<i32>().ok().filter(|id| *id >= 1);
                if let Some(id) = id {
                    ids.insert(id as PostId);
                }
            }
        }
    });
    ids
}

/// The `@name` tokens of the Markdown, in the order first written, each once (compared without
/// regard to case). A token starts after `@` at the start of a word (not after a letter, digit
/// or one of `._-`) and runs over letters, digits and `._-`; a trailing `.`, `-` or `_`
/// (the end of a sentence) is not part of it.
pub fn mention_names(markdown: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let word = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-');
    visible_text(markdown, |text| {
        let mut previous: Option<char> = None;
        for (at, c) in text.char_indices() {
            if c == '@' && !previous.is_some_and(word) {
                let rest = &text[at + 1..];
                let end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
                let name = rest[..end].trim_end_matches(['.', '-', '_']);
                if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    names.push(name.to_string());
                }
            }
            previous = Some(c);
        }
    });
    names
}

/// A name as a mention spells it: without white space, compared without regard to case.
pub fn mention_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Posts {
    fn live_question(&self, id: PostId) -> Option<&Question> {
        self.questions.get(&id).filter(|q| !q.meta.is_deleted())
    }

    /// The linked questions of question `id` ([module docs](self)), in id order.
    pub fn linked_to(&self, id: PostId) -> Vec<&Question> {
        let Some(q) = self.questions.get(&id) else {
            return Vec::new();
        };
        let mut ids: BTreeSet<PostId> = q.linked.clone();
        ids.extend(
            self.questions
                .values()
                .filter(|other| other.linked.contains(&id))
                .map(|other| other.id),
        );
        ids.remove(&id);
        ids.into_iter()
            .filter_map(|id| self.live_question(id))
            .collect()
    }

    /// The live questions linked with article `id`: those whose bodies link to it, and those
    /// the article's own body links to, in id order.
    pub fn questions_linked_with_article(&self, id: PostId) -> Vec<&Question> {
        let mut ids: BTreeSet<PostId> = self
            .articles
            .get(&id)
            .map(|a| linked_ids(&a.meta.body.markdown))
            .unwrap_or_default();
        ids.extend(
            self.questions
                .values()
                .filter(|q| q.linked.contains(&id))
                .map(|q| q.id),
        );
        ids.into_iter()
            .filter_map(|id| self.live_question(id))
            .collect()
    }

    /// The related questions of question `id` ([module docs](self)), each with the number of
    /// tags it shares, in id order.
    pub fn related_to(&self, id: PostId) -> Vec<(&Question, usize)> {
        let Some(q) = self.questions.get(&id) else {
            return Vec::new();
        };
        self.questions
            .values()
            .filter(|other| other.id != id && !other.meta.is_deleted())
            .filter_map(|other| {
                let shared = other.tags.iter().filter(|t| q.tags.contains(t)).count();
                (shared > 0).then_some((other, shared))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_read_from_urls_and_text_but_not_from_code() {
        let md = "See [this](/questions/12) and https://x.example/q/7, also \
                  <https://x.example/articles/30/how-to> and /questions/5x.\n\n\
                  `/questions/99` is code\n\n```\n/questions/98\n```\n\n\
                  ![img](/questions/40) /questions/0 /questions/2147483648 /questions/";
        assert_eq!(
            linked_ids(md).into_iter().collect::<Vec<_>>(),
            [5, 7, 12, 30, 40]
        );
        assert!(linked_ids("questions/3 without a slash").is_empty());
    }

    #[test]
    fn mentions_are_words_that_start_with_an_at_sign() {
        let md = "Ask @AdaAdmin. Or @ada_admin, @ada-admin- and @AdaAdmin again; \
                  mail ada@example.com; `@InCode` @ alone @Platform";
        assert_eq!(
            mention_names(md),
            ["AdaAdmin", "ada_admin", "ada-admin", "Platform"]
        );
        assert_eq!(mention_key("Ada  Admin"), "adaadmin");
    }
}
