//! A search query as typed (docs/search.md): words, `"exact phrases"`, `[tags]` and the
//! operators `is:`, `user:`, `score:`, `answers:` and `isaccepted:`. Parsing is pure; the
//! query runs in [`super`].

use super::index::token_list;
use crate::domain::DomainError;
use crate::domain::UserId;
use crate::domain::posts::PostKind;

/// The longest query, in characters (mock choice; a longer one is a 400).
pub const MAX_QUERY_CHARS: usize = 500;
/// The most words, phrases, tags and operators in one query (mock choice; more is a 400).
pub const MAX_QUERY_TERMS: usize = 32;

/// A word of the query (a whitespace-separated chunk that is no operator), e.g. `c#` or
/// `tokio-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The chunk, lower-cased: a post carrying a tag of exactly this name matches the term.
    pub raw: String,
    /// Its words ([`super::index::tokens`]): a post holding all of them matches the term.
    pub words: Vec<String>,
}

/// `user:`: a site user id, or `me` (the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserFilter {
    Id(UserId),
    Me,
}

/// A parsed query. Every part must hold for a post to match (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
    /// Each phrase's words, which must follow one another in the title or the body.
    pub phrases: Vec<Vec<String>>,
    /// `[tag]` names, lower-cased.
    pub tags: Vec<String>,
    /// `is:question`, `is:answer`, `is:article` (two different ones match nothing).
    pub kinds: Vec<PostKind>,
    pub user: Option<UserFilter>,
    /// `score:N`: a score of at least N.
    pub min_score: Option<i32>,
    /// `answers:N`: questions with at least N live answers (`answers:0`: with none).
    pub answers: Option<u32>,
    /// `isaccepted:yes|no`: answers that are (not) their question's accepted answer.
    pub accepted: Option<bool>,
}

fn invalid(message: String) -> DomainError {
    DomainError::InvalidField {
        field: "query",
        message,
    }
}

/// One chunk of the raw query.
enum Chunk<'a> {
    Phrase(&'a str),
    Tag(&'a str),
    Word(&'a str),
}

/// Splits on whitespace, keeping `"…"` and `[…]` whole (an unclosed one runs to the end).
fn chunks(text: &str) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while let Some(first) = rest.chars().next() {
        let (chunk, next) = match first {
            '"' => {
                let body = &rest[1..];
                let end = body.find('"').unwrap_or(body.len());
                (
                    Chunk::Phrase(&body[..end]),
                    &body[(end + 1).min(body.len())..],
                )
            }
            '[' => {
                let body = &rest[1..];
                let end = body.find(']').unwrap_or(body.len());
                (Chunk::Tag(&body[..end]), &body[(end + 1).min(body.len())..])
            }
            _ => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (Chunk::Word(&rest[..end]), &rest[end..])
            }
        };
        out.push(chunk);
        rest = next.trim_start();
    }
    out
}

impl Query {
    /// Parses `text`. A query over [`MAX_QUERY_CHARS`] characters or [`MAX_QUERY_TERMS`]
    /// parts, or an operator with a value it does not take (`score:high`), is refused with
    /// `InvalidField("query")`. A `name:value` chunk whose name is no operator is a word.
    pub fn parse(text: &str) -> Result<Query, DomainError> {
        let chars = text.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(invalid(format!(
                "The query must be at most {MAX_QUERY_CHARS} characters long (it has {chars})."
            )));
        }
        let chunks = chunks(text);
        if chunks.len() > MAX_QUERY_TERMS {
            return Err(invalid(format!(
                "The query may hold at most {MAX_QUERY_TERMS} words, phrases, tags and operators (it has {}).",
                chunks.len()
            )));
        }
        let mut q = Query::default();
        for chunk in chunks {
            match chunk {
                Chunk::Phrase(p) => {
                    let words = token_list(p);
                    if !words.is_empty() {
                        q.phrases.push(words);
                    }
                }
                Chunk::Tag(t) => {
                    let t = t.trim().to_lowercase();
                    if !t.is_empty() {
                        q.tags.push(t);
                    }
                }
                Chunk::Word(w) => q.word_or_operator(w)?,
            }
        }
        Ok(q)
    }

    fn word_or_operator(&mut self, chunk: &str) -> Result<(), DomainError> {
        let bad = |op: &str, value: &str, takes: &str| {
            invalid(format!(
                "The operator {op}: takes {takes}; '{value}' is not one."
            ))
        };
        if let Some((name, value)) = chunk.split_once(':') {
            let v = value.to_ascii_lowercase();
            match name.to_ascii_lowercase().as_str() {
                "is" => {
                    let kind = match v.as_str() {
                        "question" | "q" => PostKind::Question,
                        "answer" | "a" => PostKind::Answer,
                        "article" => PostKind::Article,
                        _ => return Err(bad("is", value, "question, answer or article")),
                    };
                    self.kinds.push(kind);
                    return Ok(());
                }
                "user" => {
                    let user = match v.as_str() {
                        "me" => UserFilter::Me,
                        _ => UserFilter::Id(
                            value
                                .parse::<i32>()
                                .ok()
                                .filter(|id| *id >= 1)
                                .ok_or_else(|| bad("user", value, "a user id or me"))?
                                as UserId,
                        ),
                    };
                    self.user = Some(user);
                    return Ok(());
                }
                "score" => {
                    let n = value
                        .parse::<i32>()
                        .map_err(|_| bad("score", value, "a whole number"))?;
                    self.min_score = Some(n);
                    return Ok(());
                }
                "answers" => {
                    let n = value
                        .parse::<i32>()
                        .ok()
                        .filter(|n| *n >= 0)
                        .ok_or_else(|| bad("answers", value, "a whole number from 0"))?;
                    self.answers = Some(n as u32);
                    return Ok(());
                }
                "isaccepted" => {
                    let yes = match v.as_str() {
                        "yes" | "true" | "1" => true,
                        "no" | "false" | "0" => false,
                        _ => return Err(bad("isaccepted", value, "yes or no")),
                    };
                    self.accepted = Some(yes);
                    return Ok(());
                }
                _ => {}
            }
        }
        self.terms.push(Term {
            raw: chunk.to_lowercase(),
            words: token_list(chunk),
        });
        Ok(())
    }

    /// Every word the query asks for (terms and phrases), for snippets.
    pub fn all_words(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .flat_map(|t| &t.words)
            .chain(self.phrases.iter().flatten())
            .map(String::as_str)
    }

    /// Whether the query has words or phrases (else it only filters).
    pub fn has_words(&self) -> bool {
        !self.terms.is_empty() || !self.phrases.is_empty()
    }
}
