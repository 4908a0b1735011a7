//! The inverted index of a site's posts: which live post holds which word, and where (title or
//! body), plus the few facts a query filters on without reading the post (kind, question,
//! owner, creation date, tags).
//!
//! It lives inside [`Posts`] (behind its own `Arc`, so a vote or a comment after a snapshot
//! does not copy it) and is kept in step by one call, [`Posts::reindex`], made wherever a
//! question, answer or article is inserted (fixture loading, state import and the create
//! writes all go through `Posts::insert_*`), edited or deleted. A deleted post leaves the
//! index; an answer stays while its question is deleted, and queries leave it out then.
//!
//! Postings are sorted id lists with a parallel list of where the word occurs, so an AND of
//! words is an intersection of sorted lists, and adding a new post (the highest id) is a push.
//! The posts' facts are a table sorted by id too, so a query walks it in step with its
//! candidates ([`DocCursor`]) instead of looking each one up: at 100k matches that walk is
//! what keeps a search within its time (BENCHMARKS.md, "Search").
//! Each post keeps the list of its word ids, so an edit or a delete removes exactly its own
//! postings. Words whose postings empty are forgotten and their ids reused, so a long run of
//! edits with fresh words does not grow the vocabulary.

use std::collections::HashMap;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser};

use crate::domain::posts::{PostId, PostKind, PostMeta, Posts};
use crate::domain::{TagId, UserId};

/// Words longer than this are cut to it, in posts and in queries alike (mock choice: it
/// bounds the index's memory whatever a body holds).
pub const MAX_WORD_CHARS: usize = 64;

/// Where a word occurs in a post (bit flags of [`Postings::fields`]).
pub const IN_TITLE: u8 = 1;
pub const IN_BODY: u8 = 2;

type WordId = u32;

/// The posts holding one word, by ascending id, and where in each.
#[derive(Debug, Clone, Default)]
struct Postings {
    word: Box<str>,
    posts: Vec<PostId>,
    fields: Vec<u8>,
}

/// What a query reads of an indexed post without going to the post itself.
#[derive(Debug, Clone)]
pub struct Doc {
    /// False once the post is deleted: its postings are gone, and it stays here as a
    /// tombstone (a table sorted by id inserts cheaply at its end only).
    live: bool,
    pub kind: PostKind,
    /// An answer's question; a question's or article's own id.
    pub question: PostId,
    pub owner: UserId,
    /// Creation date in microseconds since the epoch (a sort key).
    pub created: i64,
    /// The post's own tags (questions and articles; answers carry their question's).
    pub tags: Box<[TagId]>,
    /// The post's words in order: the title's, [`BREAK`], the body's. Phrases are checked
    /// on it, and an edit or a delete removes the postings of the words it holds.
    seq: Box<[WordId]>,
}

/// Between the title's words and the body's in [`Doc`]'s sequence: no phrase spans it.
const BREAK: WordId = WordId::MAX;

/// See the module docs.
#[derive(Clone, Default)]
pub struct SearchIndex {
    ids: HashMap<Box<str>, WordId>,
    words: Vec<Postings>,
    /// Word ids whose postings emptied, for reuse.
    spare: Vec<WordId>,
    /// Every post ever indexed, by ascending id, and its facts ([`Doc`]), in step.
    doc_ids: Vec<PostId>,
    docs: Vec<Doc>,
    /// Questions and articles by tag, ascending ids.
    tagged: HashMap<TagId, Vec<PostId>>,
}

/// Derived data: two indexes of equal posts hold the same postings (perhaps under other word
/// ids), so the index never makes two [`Posts`] unequal.
impl PartialEq for SearchIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("posts", &self.docs.iter().filter(|d| d.live).count())
            .field("words", &self.ids.len())
            .finish()
    }
}

impl SearchIndex {
    /// The indexed live post `id`.
    pub fn doc(&self, id: PostId) -> Option<&Doc> {
        let at = self.doc_ids.binary_search(&id).ok()?;
        Some(&self.docs[at]).filter(|d| d.live)
    }

    /// Every indexed live post, by ascending id.
    pub fn docs(&self) -> impl Iterator<Item = (PostId, &Doc)> {
        self.doc_ids
            .iter()
            .copied()
            .zip(self.docs.iter())
            .filter(|(_, d)| d.live)
    }

    /// A cursor for looking up posts by ascending ids ([`DocCursor`]).
    pub fn cursor(&self) -> DocCursor<'_> {
        DocCursor {
            ids: &self.doc_ids,
            docs: &self.docs,
            at: 0,
        }
    }

    /// Whether a live post may be found: for an answer, its question must be live too.
    pub fn is_live(&self, doc: &Doc) -> bool {
        doc.live && (doc.kind != PostKind::Answer || self.doc(doc.question).is_some())
    }

    /// The posts holding `word` (a token, as [`tokens`] makes them) and where in each.
    pub fn postings(&self, word: &str) -> Option<(&[PostId], &[u8])> {
        let p = &self.words[*self.ids.get(word)? as usize];
        Some((&p.posts, &p.fields))
    }

    /// The ids of `words` (a phrase), or `None` when one of them is held by no post.
    pub fn word_ids(&self, words: &[String]) -> Option<Vec<u32>> {
        words
            .iter()
            .map(|w| self.ids.get(w.as_str()).copied())
            .collect()
    }

    /// Whether the words `phrase` ([`SearchIndex::word_ids`]) follow one another in the
    /// post's title or in its body: one pass over its words, with Knuth–Morris–Pratt's
    /// table so that `a a b` is found in `a a a b`.
    pub fn holds_phrase(&self, doc: &Doc, phrase: &[u32]) -> bool {
        if phrase.is_empty() {
            return true;
        }
        let mut fallback = vec![0usize; phrase.len()];
        let mut k = 0;
        for i in 1..phrase.len() {
            while k > 0 && phrase[i] != phrase[k] {
                k = fallback[k - 1];
            }
            if phrase[i] == phrase[k] {
                k += 1;
            }
            fallback[i] = k;
        }
        let mut matched = 0;
        for &w in doc.seq.iter() {
            while matched > 0 && phrase[matched] != w {
                matched = fallback[matched - 1];
            }
            if phrase[matched] == w {
                matched += 1;
                if matched == phrase.len() {
                    return true;
                }
            }
        }
        false
    }

    /// The questions and articles carrying `tag`, ascending.
    pub fn tagged(&self, tag: TagId) -> &[PostId] {
        self.tagged.get(&tag).map_or(&[], Vec::as_slice)
    }

    /// The number of distinct words held.
    pub fn word_count(&self) -> usize {
        self.ids.len()
    }

    /// The number of (word, post) pairs held.
    pub fn posting_count(&self) -> usize {
        self.words.iter().map(|p| p.posts.len()).sum()
    }

    /// An estimate of the heap bytes the index holds (BENCHMARKS.md's figure): capacities of
    /// every list and the hash maps' slots.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let map_slot = |k: usize, v: usize| k + v + 1;
        let words: usize = self
            .words
            .iter()
            .map(|p| p.word.len() + p.posts.capacity() * 4 + p.fields.capacity())
            .sum();
        let docs: usize = self
            .docs
            .iter()
            .map(|d| d.seq.len() * 4 + d.tags.len() * 4)
            .sum();
        let tagged: usize = self.tagged.values().map(|v| v.capacity() * 4).sum();
        words
            + self.words.capacity() * size_of::<Postings>()
            + self.ids.capacity() * map_slot(size_of::<Box<str>>(), 4)
            + docs
            + self.doc_ids.capacity() * 4
            + self.docs.capacity() * size_of::<Doc>()
            + tagged
            + self.tagged.capacity() * map_slot(4, size_of::<Vec<PostId>>())
            + self.spare.capacity() * 4
    }

    fn remove(&mut self, id: PostId) {
        let Ok(at) = self.doc_ids.binary_search(&id) else {
            return;
        };
        let doc = &mut self.docs[at];
        doc.live = false;
        let mut words = std::mem::take(&mut doc.seq).into_vec();
        let tags = std::mem::take(&mut doc.tags);
        words.sort_unstable();
        words.dedup();
        for &w in words.iter().filter(|w| **w != BREAK) {
            let p = &mut self.words[w as usize];
            if let Ok(at) = p.posts.binary_search(&id) {
                p.posts.remove(at);
                p.fields.remove(at);
            }
            if p.posts.is_empty() {
                let word = std::mem::take(&mut p.word);
                p.posts = Vec::new();
                p.fields = Vec::new();
                self.ids.remove(&word);
                self.spare.push(w);
            }
        }
        for tag in tags.iter() {
            if let Some(list) = self.tagged.get_mut(tag) {
                if let Ok(at) = list.binary_search(&id) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.tagged.remove(tag);
                }
            }
        }
    }

    fn word_id(&mut self, word: &str) -> WordId {
        if let Some(&w) = self.ids.get(word) {
            return w;
        }
        let postings = Postings {
            word: word.into(),
            ..Postings::default()
        };
        let w = match self.spare.pop() {
            Some(w) => {
                self.words[w as usize] = postings;
                w
            }
            None => {
                self.words.push(postings);
                (self.words.len() - 1) as WordId
            }
        };
        self.ids.insert(word.into(), w);
        w
    }

    fn add(&mut self, id: PostId, mut doc: Doc, title: &str, meta: &PostMeta) {
        let mut found: HashMap<WordId, u8> = HashMap::new();
        let mut seq = Vec::new();
        tokens(title, |_, t| {
            let w = self.word_id(t);
            seq.push(w);
            *found.entry(w).or_default() |= IN_TITLE;
        });
        seq.push(BREAK);
        tokens(&body_text(&meta.body.markdown), |_, t| {
            let w = self.word_id(t);
            seq.push(w);
            *found.entry(w).or_default() |= IN_BODY;
        });
        for (w, fields) in found {
            let p = &mut self.words[w as usize];
            match p.posts.last() {
                Some(&last) if last >= id => {
                    let at = p.posts.binary_search(&id).unwrap_or_else(|at| at);
                    p.posts.insert(at, id);
                    p.fields.insert(at, fields);
                }
                _ => {
                    p.posts.push(id);
                    p.fields.push(fields);
                }
            }
        }
        for tag in doc.tags.iter() {
            let list = self.tagged.entry(*tag).or_default();
            if let Err(at) = list.binary_search(&id) {
                list.insert(at, id);
            }
        }
        doc.seq = seq.into_boxed_slice();
        match self.doc_ids.binary_search(&id) {
            Ok(at) => self.docs[at] = doc,
            Err(at) => {
                self.doc_ids.insert(at, id);
                self.docs.insert(at, doc);
            }
        }
    }
}

impl Posts {
    /// Brings the search index in step with post `id` as it now stands: its old entry goes,
    /// and a live question, answer or article is indexed afresh. Called by every write that
    /// creates, edits or deletes a post, and by `insert_*` (fixtures, state import).
    pub fn reindex(&mut self, id: PostId) {
        let index = Arc::make_mut(&mut self.index);
        index.remove(id);
        let doc = |kind, question, meta: &PostMeta, tags: &[TagId]| Doc {
            live: true,
            kind,
            question,
            owner: meta.owner,
            created: meta.creation_date.timestamp_micros(),
            tags: {
                let mut tags = tags.to_vec();
                tags.sort_unstable();
                tags.dedup();
                tags.into_boxed_slice()
            },
            seq: Box::default(),
        };
        if let Some(q) = self.questions.get(&id).filter(|q| !q.meta.is_deleted()) {
            index.add(
                id,
                doc(PostKind::Question, id, &q.meta, &q.tags),
                &q.title,
                &q.meta,
            );
        } else if let Some(a) = self.answers.get(&id).filter(|a| !a.meta.is_deleted()) {
            index.add(
                id,
                doc(PostKind::Answer, a.question_id, &a.meta, &[]),
                "",
                &a.meta,
            );
        } else if let Some(a) = self.articles.get(&id).filter(|a| !a.meta.is_deleted()) {
            index.add(
                id,
                doc(PostKind::Article, id, &a.meta, &a.tags),
                &a.title,
                &a.meta,
            );
        }
    }
}

impl Posts {
    /// Indexes every post afresh, in id order, so that every list only grows at its end.
    /// `insert_*` index as they insert, which is cheap for the highest id (every create) but
    /// shifts the lists' tails for a lower one: a loader of many posts (fixtures, state
    /// import) should insert them in id order, or fill the maps and call this once.
    pub fn rebuild_index(&mut self) {
        self.index = Arc::default();
        let mut ids: Vec<PostId> = (self.questions.keys())
            .chain(self.answers.keys())
            .chain(self.articles.keys())
            .copied()
            .collect();
        ids.sort_unstable();
        for id in ids {
            self.reindex(id);
        }
    }
}

/// Looks up posts by ascending ids in the sorted table: each lookup starts where the last
/// one ended, so a query's sorted candidates are found in one forward walk, in cache order.
pub struct DocCursor<'a> {
    ids: &'a [PostId],
    docs: &'a [Doc],
    at: usize,
}

impl<'a> DocCursor<'a> {
    /// The live post `id`, which must not be below the id of the previous call.
    pub fn seek(&mut self, id: PostId) -> Option<&'a Doc> {
        // Dense candidates are found within a few steps; sparse ones by a binary search of
        // the rest.
        let rest = &self.ids[self.at..];
        let step = match rest.iter().take(8).position(|x| *x >= id) {
            Some(i) => i,
            None => rest.binary_search(&id).unwrap_or_else(|i| i),
        };
        self.at += step;
        match self.ids.get(self.at) {
            Some(x) if *x == id => Some(&self.docs[self.at]).filter(|d| d.live),
            _ => None,
        }
    }
}

/// The words of `text`: maximal runs of letters and digits, lower-cased, each cut to
/// [`MAX_WORD_CHARS`], handed to `f` with the byte offset where it starts in `text`.
pub fn tokens(text: &str, mut f: impl FnMut(usize, &str)) {
    let mut word = String::new();
    let mut chars = 0;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if chars == 0 {
                start = at;
            }
            if chars < MAX_WORD_CHARS {
                word.extend(c.to_lowercase());
            }
            chars += 1;
        } else if chars > 0 {
            f(start, &word);
            word.clear();
            chars = 0;
        }
    }
    if chars > 0 {
        f(start, &word);
    }
}

/// The words of `text` as a list.
pub fn token_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokens(text, |_, t| out.push(t.to_string()));
    out
}

/// The plain text of a Markdown body: its text and code, one space between blocks and
/// inline elements, without link targets or image sources. (Like `markdown::plain_text`,
/// uncut and linear in the body's length.)
pub fn body_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                for word in t.split_whitespace() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(word);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {}
            _ => {}
        }
    }
    out
}
