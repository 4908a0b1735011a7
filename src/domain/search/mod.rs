//! Search over a site's questions, answers and articles (`GET /search`, docs/search.md).
//!
//! [`index`] holds which live post has which word; [`query`] parses what the caller typed;
//! [`Site::search`] runs a query: it intersects the postings of the query's words (every
//! word must match: AND), filters by the operators, scores and sorts. Votes change a post's
//! score without touching the index: the `score:` operator and the `score` sort read it from
//! the post when the query runs, as they read `answers:`, `isaccepted:` and the last activity.
//!
//! Relevance (mock rule): for each query word, 3 when the post's title holds it and 1 when its
//! body does (4 for both); 2 more for a query word that is the name of a tag the post carries.
//! Ties go to the newest post, then the highest id.

pub mod index;
pub mod query;

use std::collections::{HashSet, btree_map};
use std::iter::Peekable;

pub use index::{Doc, SearchIndex, body_text, tokens};
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_TERMS, Query, Term, UserFilter};

use crate::domain::posts::{Answer, Article, PostId, PostKind, PostMeta, Posts, Question, Viewer};
use crate::domain::{Site, TagId};

/// `SearchSortParameter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchSort {
    /// [the module docs' score](self), ties to the newest.
    Relevance,
    /// Creation date, newest first.
    Newest,
    /// Last activity (an edit; for a question, also an answer added or edited), latest first.
    Active,
    /// Score, highest first; ties to the newest.
    Score,
}

/// The relevance weights (see the module docs).
pub mod weight {
    pub const TITLE: u32 = 3;
    pub const BODY: u32 = 1;
    pub const TAG: u32 = 2;
}

/// The length of a result's `snippet`, in characters (ellipses aside).
pub const SNIPPET_CHARS: usize = 200;
/// How much text a snippet shows before the first match, in characters at most.
const SNIPPET_LEAD_CHARS: usize = 60;

/// Candidates: post ids ascending, each with its relevance so far.
type Scored = Vec<(PostId, u32)>;

/// The posts holding every one of `words`, with the relevance those words give.
fn all_words(index: &SearchIndex, words: &[String]) -> Scored {
    let mut lists = Vec::with_capacity(words.len());
    for w in words {
        match index.postings(w) {
            Some(p) => lists.push(p),
            None => return Vec::new(),
        }
    }
    lists.sort_by_key(|(posts, _)| posts.len());
    let Some(((first, first_fields), rest)) = lists.split_first() else {
        return Vec::new();
    };
    let points = |f: u8| {
        (if f & index::IN_TITLE != 0 {
            weight::TITLE
        } else {
            0
        }) + (if f & index::IN_BODY != 0 {
            weight::BODY
        } else {
            0
        })
    };
    let mut out: Scored = first
        .iter()
        .zip(first_fields.iter())
        .map(|(id, f)| (*id, points(*f)))
        .collect();
    for (posts, fields) in rest {
        out.retain_mut(|(id, score)| match posts.binary_search(id) {
            Ok(at) => {
                *score += points(fields[at]);
                true
            }
            Err(_) => false,
        });
    }
    out
}

/// `a` ∪ `b` (ascending), relevances added.
fn union(a: Scored, b: &[PostId], points: u32) -> Scored {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(&(x, s)), Some(&y)) if x == y => {
                out.push((x, s + points));
                i += 1;
                j += 1;
            }
            (Some(&(x, s)), Some(&y)) if x < y => {
                out.push((x, s));
                i += 1;
            }
            (Some(&(x, s)), None) => {
                out.push((x, s));
                i += 1;
            }
            (_, Some(&y)) => {
                out.push((y, points));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// The intersection of every set (each ascending), relevances added.
fn intersect(mut sets: Vec<Scored>) -> Scored {
    sets.sort_by_key(Vec::len);
    let mut sets = sets.into_iter();
    let Some(mut out) = sets.next() else {
        return Vec::new();
    };
    for set in sets {
        out.retain_mut(
            |(id, score)| match set.binary_search_by_key(id, |(i, _)| *i) {
                Ok(at) => {
                    *score += set[at].1;
                    true
                }
                Err(_) => false,
            },
        );
    }
    out
}

/// A question, answer or article as [`Metas`] finds it.
#[derive(Clone, Copy)]
enum Post<'a> {
    Question(&'a Question),
    Answer(&'a Answer),
    Article(&'a Article),
}

impl<'a> Post<'a> {
    fn meta(self) -> &'a PostMeta {
        match self {
            Post::Question(q) => &q.meta,
            Post::Answer(a) => &a.meta,
            Post::Article(a) => &a.meta,
        }
    }
}

type Walk<'a, V> = Peekable<btree_map::Iter<'a, PostId, V>>;

/// Finds the posts of ascending candidate ids. For many candidates it walks the three maps
/// forward in step with them (sequential reads); for a few it looks each one up.
struct Metas<'a> {
    posts: &'a Posts,
    walk: Option<(Walk<'a, Question>, Walk<'a, Answer>, Walk<'a, Article>)>,
}

fn walk_to<'a, V>(walk: &mut Walk<'a, V>, id: PostId) -> Option<&'a V> {
    while walk.next_if(|(k, _)| **k < id).is_some() {}
    walk.next_if(|(k, _)| **k == id).map(|(_, v)| v)
}

impl<'a> Metas<'a> {
    fn new(posts: &'a Posts, candidates: usize) -> Self {
        // A walk reads every post once; lookups cost a tree descent each.
        let dense = candidates.saturating_mul(16) >= posts.post_count();
        Metas {
            posts,
            walk: dense.then(|| {
                (
                    posts.questions.iter().peekable(),
                    posts.answers.iter().peekable(),
                    posts.articles.iter().peekable(),
                )
            }),
        }
    }

    /// The post `id` of kind `kind`; ids must come in ascending order.
    fn get(&mut self, id: PostId, kind: PostKind) -> Option<Post<'a>> {
        match (&mut self.walk, kind) {
            (Some((q, ..)), PostKind::Question) => walk_to(q, id).map(Post::Question),
            (Some((_, a, _)), PostKind::Answer) => walk_to(a, id).map(Post::Answer),
            (Some((.., a)), PostKind::Article) => walk_to(a, id).map(Post::Article),
            (None, PostKind::Question) => self.posts.questions.get(&id).map(Post::Question),
            (None, PostKind::Answer) => self.posts.answers.get(&id).map(Post::Answer),
            (None, PostKind::Article) => self.posts.articles.get(&id).map(Post::Article),
        }
    }
}

/// The query with its names resolved against the site: what [`Site::search`] filters by.
struct Resolved {
    tags: Vec<TagId>,
    /// The phrases as word ids ([`SearchIndex::word_ids`]).
    phrases: Vec<Vec<u32>>,
    kind: Option<PostKind>,
    user: Option<crate::domain::UserId>,
}

impl Site {
    /// The tag named `name` (case-insensitively).
    fn tag_named(&self, name: &str) -> Option<TagId> {
        self.tags
            .values()
            .find(|t| {
                t.name.eq_ignore_ascii_case(name)
                    || (!t.name.is_ascii() && t.name.to_lowercase() == name)
            })
            .map(|t| t.id)
    }

    /// `None` when the query can match nothing here (an unknown tag, two kinds, `user:me`
    /// for a caller who is no user of the site).
    fn resolve(&self, q: &Query, viewer: Viewer) -> Option<Resolved> {
        let tags = q
            .tags
            .iter()
            .map(|t| self.tag_named(t))
            .collect::<Option<Vec<TagId>>>()?;
        let mut kinds: Vec<PostKind> = q.kinds.clone();
        if q.answers.is_some() {
            kinds.push(PostKind::Question);
        }
        if q.accepted.is_some() {
            kinds.push(PostKind::Answer);
        }
        let kind = kinds.first().copied();
        if kinds.iter().any(|k| Some(*k) != kind) {
            return None;
        }
        let user = match q.user {
            None => None,
            Some(UserFilter::Id(id)) => Some(id),
            Some(UserFilter::Me) => Some(viewer.user?),
        };
        let phrases = q
            .phrases
            .iter()
            .map(|p| self.posts.index.word_ids(p))
            .collect::<Option<Vec<_>>>()?;
        Some(Resolved {
            tags,
            phrases,
            kind,
            user,
        })
    }

    /// The candidates a query's words and phrases allow (`None`: the query has none that
    /// can match anything, so it only filters).
    fn word_candidates(&self, q: &Query) -> Option<Scored> {
        let index = &self.posts.index;
        let mut sets = Vec::new();
        for term in &q.terms {
            let tag = self.tag_named(&term.raw);
            if term.words.is_empty() && tag.is_none() {
                continue; // punctuation alone, naming no tag: ignored
            }
            let mut set = if term.words.is_empty() {
                Vec::new()
            } else {
                all_words(index, &term.words)
            };
            if let Some(tag) = tag {
                set = union(set, index.tagged(tag), weight::TAG);
            }
            sets.push(set);
        }
        for phrase in &q.phrases {
            sets.push(all_words(index, phrase));
        }
        if sets.is_empty() {
            None
        } else {
            Some(intersect(sets))
        }
    }

    /// Candidates of a query without words, ascending: the posts of its rarest tag (and their
    /// answers), or every indexed post.
    fn filter_candidates(&self, r: &Resolved) -> Scored {
        let index = &self.posts.index;
        let Some(rarest) = r.tags.iter().min_by_key(|t| index.tagged(**t).len()) else {
            return index.docs().map(|(id, _)| (id, 0)).collect();
        };
        let mut out: Scored = Vec::new();
        for &id in index.tagged(*rarest) {
            out.push((id, 0));
            if r.kind.is_none_or(|k| k == PostKind::Answer) {
                let answers = self.posts.answers_of.get(&id).into_iter().flatten();
                out.extend(answers.map(|a| (*a, 0)));
            }
        }
        out.sort_unstable_by_key(|(id, _)| *id);
        out
    }

    /// Whether the indexed post `id` passes every filter of the query (the posts themselves
    /// read through `metas` only when a filter needs them).
    fn passes(
        &self,
        id: PostId,
        doc: &Doc,
        q: &Query,
        r: &Resolved,
        metas: &mut Metas<'_>,
    ) -> bool {
        let index = &self.posts.index;
        if !index.is_live(doc)
            || r.kind.is_some_and(|k| k != doc.kind)
            || r.user.is_some_and(|u| u != doc.owner)
        {
            return false;
        }
        if !r.tags.is_empty() {
            let carried = match doc.kind {
                PostKind::Answer => index.doc(doc.question).map_or(&[][..], |d| &d.tags),
                _ => &doc.tags,
            };
            if !r.tags.iter().all(|t| carried.contains(t)) {
                return false;
            }
        }
        if let Some(n) = q.answers {
            let count = self.posts.answer_count(id);
            if (n == 0 && count != 0) || (count as u64) < u64::from(n) {
                return false;
            }
        }
        if let Some(want) = q.accepted {
            let accepted = self
                .posts
                .questions
                .get(&doc.question)
                .is_some_and(|question| question.accepted_answer == Some(id));
            if accepted != want {
                return false;
            }
        }
        if !r.phrases.iter().all(|p| index.holds_phrase(doc, p)) {
            return false;
        }
        let Some(min) = q.min_score else {
            return true;
        };
        metas
            .get(id, doc.kind)
            .is_some_and(|post| post.meta().score() >= min)
    }

    /// Runs `q` for `viewer` (whose user `user:me` names): the ids of every live question,
    /// answer and article that matches, in `sort` order. Deleted posts, and answers of
    /// deleted questions, never match, whoever asks.
    pub fn search(&self, q: &Query, viewer: Viewer, sort: SearchSort) -> Vec<PostId> {
        let Some(r) = self.resolve(q, viewer) else {
            return Vec::new();
        };
        // Candidates come by ascending id: the posts' facts and the posts themselves are read
        // in one forward walk each ([`index::DocCursor`], [`Metas`]).
        let candidates = match self.word_candidates(q) {
            Some(c) => c,
            None => self.filter_candidates(&r),
        };
        let mut docs = self.posts.index.cursor();
        let mut filter_metas = Metas::new(&self.posts, candidates.len());
        let mut sort_metas = Metas::new(&self.posts, candidates.len());
        let mut keyed: Vec<(i64, i64, PostId)> = Vec::with_capacity(candidates.len());
        for (id, relevance) in candidates {
            let Some(doc) = docs.seek(id) else { continue };
            if !self.passes(id, doc, q, &r, &mut filter_metas) {
                continue;
            }
            let mut meta = || sort_metas.get(id, doc.kind).map(Post::meta);
            keyed.push(match sort {
                SearchSort::Relevance => (i64::from(relevance), doc.created, id),
                SearchSort::Newest => (doc.created, 0, id),
                SearchSort::Active => match meta() {
                    Some(m) => (m.last_activity_date.timestamp_micros(), 0, id),
                    None => continue,
                },
                SearchSort::Score => match meta() {
                    Some(m) => (i64::from(m.score()), doc.created, id),
                    None => continue,
                },
            });
        }
        keyed.sort_unstable_by(|a, b| b.cmp(a));
        keyed.into_iter().map(|(.., id)| id).collect()
    }
}

/// The `snippet` of a result: up to [`SNIPPET_CHARS`] characters of the body's plain text,
/// starting a little before the first word of the query it holds (from the start when it
/// holds none), with `…` where text was cut.
pub fn snippet(markdown: &str, q: &Query) -> String {
    let text = body_text(markdown);
    let wanted: HashSet<&str> = q.all_words().collect();
    let mut first = None;
    tokens(&text, |at, word| {
        if first.is_none() && wanted.contains(word) {
            first = Some(at);
        }
    });
    let start = first.map_or(0, |at| {
        let lead = text[..at]
            .char_indices()
            .rev()
            .nth(SNIPPET_LEAD_CHARS - 1)
            .map_or(0, |(i, _)| i);
        if lead == 0 {
            0
        } else {
            // Start at a word: after the first space of the lead, if any.
            text[lead..at].find(' ').map_or(lead, |s| lead + s + 1)
        }
    });
    let rest = &text[start..];
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    match rest.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => {
            let cut = rest[..cut].rfind(' ').filter(|s| *s > 0).unwrap_or(cut);
            out.push_str(&rest[..cut]);
            out.push('…');
        }
        None => out.push_str(rest),
    }
    out
}

/// `readTimeInMinutes` of an article (mock rule): its words at 200 a minute, at least 1.
pub fn read_time_minutes(markdown: &str) -> i32 {
    let words = body_text(markdown).split_whitespace().count();
    i32::try_from(words.div_ceil(200).max(1)).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests;
