//! Content with known ids (fixture loading, an imported state, and the create writes once
//! they have chosen an id): each insert also raises the site's high-water mark of its kind
//! ([`crate::domain::ids`]), so a post, comment or collection created afterwards never reuses
//! a loaded id. The caller has checked the ids and every reference. A loader of many posts
//! uses [`Site::load_posts`], which indexes them once.

use std::sync::Arc;

use super::{Answer, Article, Collection, Comment, Flag, Question};
use crate::domain::Site;

impl Site {
    pub fn insert_question(&mut self, q: Question) {
        self.ids.posts = self.ids.posts.max(q.id);
        Arc::make_mut(&mut self.posts).insert_question(q);
    }

    pub fn insert_answer(&mut self, a: Answer) {
        self.ids.posts = self.ids.posts.max(a.id);
        Arc::make_mut(&mut self.posts).insert_answer(a);
    }

    pub fn insert_article(&mut self, a: Article) {
        self.ids.posts = self.ids.posts.max(a.id);
        Arc::make_mut(&mut self.posts).insert_article(a);
    }

    /// Many posts at once ([`super::Posts::load`]: the search index built once, in bulk).
    pub fn load_posts(
        &mut self,
        questions: Vec<Question>,
        answers: Vec<Answer>,
        articles: Vec<Article>,
    ) {
        let ids = (questions.iter().map(|q| q.id))
            .chain(answers.iter().map(|a| a.id))
            .chain(articles.iter().map(|a| a.id));
        self.ids.posts = ids.fold(self.ids.posts, |mark, id| mark.max(id));
        Arc::make_mut(&mut self.posts).load(questions, answers, articles);
    }

    pub fn insert_comment(&mut self, c: Comment) {
        self.ids.comments = self.ids.comments.max(c.id);
        Arc::make_mut(&mut self.posts).insert_comment(c);
    }

    pub fn insert_collection(&mut self, c: Collection) {
        self.ids.collections = self.ids.collections.max(c.id);
        Arc::make_mut(&mut self.posts).insert_collection(c);
    }

    /// A flag as it was raised (flags have no id).
    pub fn insert_flag(&mut self, f: Flag) {
        Arc::make_mut(&mut self.posts).flags.push(f);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::posts::{PostEdit, PostMeta, Viewer};
    use crate::domain::{Role, SiteKind, SiteUser, Tag};

    #[test]
    fn content_loaded_with_ids_raises_the_marks_so_new_content_never_reuses_them() {
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let mut site = Site::new("t".into(), "T".into(), SiteKind::PrivateTeam);
        site.insert_user(SiteUser {
            id: 1,
            account_id: 1,
            role: Role::Registered,
            reputation: 1,
            job_title: None,
            department: None,
            creation_date: None,
            last_access_date: None,
            last_modified_date: None,
        });
        site.insert_tag(Tag {
            id: 1,
            name: "rust".into(),
            description: String::new(),
            post_count: 1,
            creation_date: now,
            watcher_ids: BTreeSet::new(),
            has_synonyms: false,
        });
        site.insert_question(Question {
            id: 40,
            title: "Loaded".into(),
            tags: vec![1],
            meta: PostMeta::new(1, "body", now),
            view_count: 0,
            is_closed: false,
            is_obsolete: false,
            accepted_answer: None,
            bookmarked_by: BTreeSet::new(),
            linked: BTreeSet::new(),
        });
        site.insert_answer(Answer {
            id: 41,
            question_id: 40,
            meta: PostMeta::new(1, "answer", now),
            bookmarked_by: BTreeSet::new(),
        });
        site.insert_comment(Comment {
            id: 9,
            post_id: 40,
            owner: 1,
            body: "c".into(),
            creation_date: now,
            score: 0,
        });
        site.insert_collection(Collection {
            id: 5,
            title: "C".into(),
            description: String::new(),
            owner: 1,
            creation_date: now,
            last_edit_date: None,
            deletion_date: None,
            editor_user_ids: BTreeSet::new(),
            editor_group_ids: BTreeSet::new(),
            content: vec![40],
        });
        let marks = site.id_high_water();
        assert_eq!((marks.posts, marks.comments, marks.collections), (41, 9, 5));
        let author = Viewer {
            user: Some(1),
            role: Some(Role::Registered),
        };
        let tags = vec!["rust".to_string()];
        let edit = PostEdit {
            title: "New",
            body: "new body",
            tags: &tags,
        };
        assert_eq!(site.create_question(author, edit, now), Ok(42));
        assert_eq!(site.create_answer(40, author, "another", now), Ok(43));
        assert_eq!(
            site.create_collection(author, "D", "", (&[], &[]), &[40], now),
            Ok(6)
        );
    }
}
