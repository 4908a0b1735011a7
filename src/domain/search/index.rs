//! The inverted index of a site's posts: which live post holds which word, and where (title or
//! body), plus the few facts a query filters on without reading the post (kind, question,
//! owner, creation date, tags).
//!
//! It lives inside [`Posts`] (behind its own `Arc`, so a vote or a comment after a snapshot
//! does not copy it) and is kept in step by one call, [`Posts::reindex`], made wherever a
//! question, answer or article is created (`Posts::insert_*`), edited or deleted. A loader of
//! many posts (fixtures, state import: `Posts::load`) builds it once instead
//! ([`SearchIndex::build`]: runs of posts indexed on every core, then appended), which holds
//! the same postings (a unit test compares the two). A deleted post leaves the index; an
//! answer stays while its question is deleted, and queries leave it out then.
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

    /// Indexes post `id` with its facts, title and Markdown body (its text: [`body_tokens`]).
    fn add(&mut self, id: PostId, mut doc: Doc, title: &str, markdown: &str) {
        let mut seq = Vec::new();
        tokens(title, |_, t| {
            let w = self.word_id(t);
            seq.push(w);
            self.note(w, id, IN_TITLE);
        });
        seq.push(BREAK);
        body_tokens(markdown, |t| {
            let w = self.word_id(t);
            seq.push(w);
            self.note(w, id, IN_BODY);
        });
        for tag in doc.tags.iter() {
            let list = self.tagged.entry(*tag).or_default();
            if let Err(at) = place(list, id) {
                list.insert(at, id);
            }
        }
        doc.seq = seq.into_boxed_slice();
        match place(&self.doc_ids, id) {
            Ok(at) => self.docs[at] = doc,
            Err(at) => {
                self.doc_ids.insert(at, id);
                self.docs.insert(at, doc);
            }
        }
    }

    /// Notes that post `id` holds word `w` in `field`.
    fn note(&mut self, w: WordId, id: PostId, field: u8) {
        let p = &mut self.words[w as usize];
        let at = place(&p.posts, id).unwrap_or_else(|at| {
            p.posts.insert(at, id);
            p.fields.insert(at, 0);
            at
        });
        p.fields[at] |= field;
    }

    /// The index of `sources`, which are in ascending id order: each thread indexes a run of
    /// consecutive posts ([`crate::parallel`]), and the runs are appended in order.
    pub fn build(sources: &[Source<'_>]) -> SearchIndex {
        let parts = crate::parallel::map_chunks(sources, |run| {
            let mut part = SearchIndex::default();
            for s in run {
                part.add(s.id, s.doc.clone(), s.title, s.markdown);
            }
            part
        });
        let mut parts = parts.into_iter();
        let mut index = parts.next().unwrap_or_default();
        for part in parts {
            index.append(part);
        }
        index
    }

    /// Appends `later`, whose posts all have higher ids than this index's (a run of
    /// [`SearchIndex::build`]): its words are mapped to this index's ids and its lists
    /// appended.
    fn append(&mut self, later: SearchIndex) {
        let SearchIndex {
            words,
            doc_ids,
            docs,
            tagged,
            ..
        } = later;
        let mut to_here = Vec::with_capacity(words.len());
        for p in words {
            let w = self.word_id(&p.word);
            to_here.push(w);
            let have = &mut self.words[w as usize];
            have.posts.extend(p.posts);
            have.fields.extend(p.fields);
        }
        self.doc_ids.extend(doc_ids);
        self.docs.extend(docs.into_iter().map(|mut doc| {
            for w in doc.seq.iter_mut().filter(|w| **w != BREAK) {
                *w = to_here[*w as usize];
            }
            doc
        }));
        for (tag, ids) in tagged {
            self.tagged.entry(tag).or_default().extend(ids);
        }
    }
}

/// Where `id` is in the ascending `list` (`Ok`), or where it goes (`Err`). Posts are mostly
/// indexed in ascending id order (a loader, every create), so the end is tried first: the
/// post is the last one, or new after it; an edit of an older post is found by a binary
/// search.
fn place(list: &[PostId], id: PostId) -> Result<usize, usize> {
    match list.last() {
        Some(&last) if last == id => Ok(list.len() - 1),
        Some(&last) if last > id => list.binary_search(&id),
        _ => Err(list.len()),
    }
}

/// What the index reads of one post ([`SearchIndex::build`]).
pub struct Source<'a> {
    pub id: PostId,
    pub doc: Doc,
    pub title: &'a str,
    pub markdown: &'a str,
}

impl Posts {
    /// Brings the search index in step with post `id` as it now stands: its old entry goes,
    /// and a live question, answer or article is indexed afresh. Called by every write that
    /// creates, edits or deletes a post, and by `insert_*`.
    pub fn reindex(&mut self, id: PostId) {
        // Out of `self` while it is changed, so that the post's text can be borrowed.
        let mut index = std::mem::take(&mut self.index);
        let changed = Arc::make_mut(&mut index);
        changed.remove(id);
        if let Some(s) = self.index_source(id) {
            changed.add(s.id, s.doc, s.title, s.markdown);
        }
        self.index = index;
    }

    /// What the index holds of post `id`: `None` unless it is a live question, answer or
    /// article. The title and body are borrowed from the post.
    fn index_source(&self, id: PostId) -> Option<Source<'_>> {
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
            return Some(Source {
                id,
                doc: doc(PostKind::Question, id, &q.meta, &q.tags),
                title: &q.title,
                markdown: &q.meta.body.markdown,
            });
        }
        if let Some(a) = self.answers.get(&id).filter(|a| !a.meta.is_deleted()) {
            return Some(Source {
                id,
                doc: doc(PostKind::Answer, a.question_id, &a.meta, &[]),
                title: "",
                markdown: &a.meta.body.markdown,
            });
        }
        let a = self.articles.get(&id).filter(|a| !a.meta.is_deleted())?;
        Some(Source {
            id,
            doc: doc(PostKind::Article, id, &a.meta, &a.tags),
            title: &a.title,
            markdown: &a.meta.body.markdown,
        })
    }

    /// Indexes every post afresh ([`SearchIndex::build`]): what a loader of many posts
    /// (fixtures, state import) calls once, after inserting them without indexing.
    pub fn rebuild_index(&mut self) {
        let mut ids: Vec<PostId> = (self.questions.keys())
            .chain(self.answers.keys())
            .chain(self.articles.keys())
            .copied()
            .collect();
        ids.sort_unstable();
        // An id held by two kinds (the loader refuses that) is indexed once, as `reindex`
        // would: the lists must stay strictly ascending.
        ids.dedup();
        let sources: Vec<Source<'_>> = ids
            .into_iter()
            .filter_map(|id| self.index_source(id))
            .collect();
        let index = SearchIndex::build(&sources);
        drop(sources);
        self.index = Arc::new(index);
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
    text_events(markdown, |t| {
        for word in t.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    });
    out
}

/// The words of [`body_text`], in order, without building it: each piece of text is
/// tokenised where it is ([`tokens`]; no word spans two pieces, as none spans the space
/// `body_text` puts between them).
pub fn body_tokens(markdown: &str, mut f: impl FnMut(&str)) {
    text_events(markdown, |t| tokens(t, |_, word| f(word)));
}

/// The pieces of text of a Markdown body, in order: text, code and raw HTML.
fn text_events(markdown: &str, mut f: impl FnMut(&str)) {
    for event in Parser::new(markdown) {
        if let Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) = event {
            f(&t);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::posts::{Answer, Question};

    /// Everything an index holds, by word rather than by word id.
    type Canonical = (
        Vec<(String, Vec<PostId>, Vec<u8>)>,
        Vec<(
            PostId,
            bool,
            PostKind,
            PostId,
            UserId,
            i64,
            Vec<TagId>,
            Vec<String>,
        )>,
        Vec<(TagId, Vec<PostId>)>,
    );

    fn canonical(index: &SearchIndex) -> Canonical {
        let mut words: Vec<_> = index
            .ids
            .iter()
            .map(|(word, w)| {
                let p = &index.words[*w as usize];
                (word.to_string(), p.posts.clone(), p.fields.clone())
            })
            .collect();
        words.sort();
        let word_of = |w: &WordId| match *w {
            BREAK => "|".to_string(),
            w => index.words[w as usize].word.to_string(),
        };
        let docs = (index.doc_ids.iter().zip(&index.docs))
            .map(|(id, d)| {
                let seq = d.seq.iter().map(word_of).collect();
                let tags = d.tags.to_vec();
                (
                    *id, d.live, d.kind, d.question, d.owner, d.created, tags, seq,
                )
            })
            .collect();
        let mut tagged: Vec<_> = (index.tagged.iter())
            .map(|(tag, ids)| (*tag, ids.clone()))
            .collect();
        tagged.sort();
        (words, docs, tagged)
    }

    /// Questions and answers enough for the bulk build to run on several threads, with
    /// upper-case, non-ASCII, long and repeated words, Markdown and links.
    fn posts() -> (Vec<Question>, Vec<Answer>) {
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let mut questions = Vec::new();
        let mut answers = Vec::new();
        let long = "x".repeat(MAX_WORD_CHARS + 9);
        for i in 0..700u32 {
            let id = 1 + 2 * i;
            let title = format!("Rust Ärger {} take{} {long}", i % 13, i % 7);
            let body = format!(
                "Some **Bold** text {i} with [a link](https://example.com/w{i}) and `code{}`\n\n\
                 * item Straße {}\n* item {}",
                i % 5,
                i % 3,
                i % 11
            );
            let mut meta = PostMeta::new(1 + i % 4, &body, now);
            meta.creation_date = now + chrono::Duration::seconds(i64::from(i));
            questions.push(Question {
                id,
                title,
                tags: vec![1 + i % 6, 1 + i % 4, 1 + i % 6],
                meta,
                view_count: 0,
                is_closed: false,
                is_obsolete: false,
                accepted_answer: None,
                bookmarked_by: BTreeSet::new(),
                linked: BTreeSet::new(),
            });
            let mut meta = PostMeta::new(2, &format!("ANSWER take{} {i}", i % 9), now);
            if i % 10 == 0 {
                meta.deletion_date = Some(now);
            }
            answers.push(Answer {
                id: id + 1,
                question_id: id,
                meta,
                bookmarked_by: BTreeSet::new(),
            });
        }
        (questions, answers)
    }

    #[test]
    fn a_bulk_build_holds_what_indexing_post_by_post_holds() {
        let (questions, answers) = posts();
        let mut one_by_one = Posts::default();
        // Answers first, then questions: lists grow at their ends and in their middles.
        for a in answers.iter().rev().cloned() {
            one_by_one.insert_answer(a);
        }
        for q in questions.iter().cloned() {
            one_by_one.insert_question(q);
        }
        let mut bulk = Posts::default();
        bulk.load(questions, answers, Vec::new());
        assert!(bulk.index.word_count() > 40, "{:?}", bulk.index);
        assert_eq!(canonical(&bulk.index), canonical(&one_by_one.index));
    }

    #[test]
    fn words_are_lower_cased_and_cut() {
        let mut seen = Vec::new();
        tokens("abc ABC aBc straße STRASSE Ärger x1 ", |at, w| {
            seen.push((at, w.to_string()));
        });
        let words: Vec<&str> = seen.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(
            words,
            ["abc", "abc", "abc", "straße", "strasse", "ärger", "x1"]
        );
        assert_eq!(
            seen[1].0, 4,
            "offsets are where the word starts in the text"
        );
        let long = format!("{} {}", "a".repeat(70), "B".repeat(70));
        let mut cut = Vec::new();
        tokens(&long, |_, w| cut.push(w.to_string()));
        assert_eq!(cut, ["a".repeat(64), "b".repeat(64)]);
    }
}
