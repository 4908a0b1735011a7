//! Collections rendered as the v3 wire models. Every function reads.

use crate::api::v3::models::TagSummaryResponseModel;
use crate::api::v3::models::collections::{
    CollectionContentSummaryResponseModel, CollectionContentType, CollectionsResponseModel,
    CollectionsSummaryResponseModel,
};
use crate::api::v3::render;
use crate::domain::posts::Collection;
use crate::domain::{Site, TagId, World};

/// One live item of a collection: its id, kind, title and tags.
struct Item<'s> {
    id: u32,
    kind: CollectionContentType,
    title: &'s str,
    tags: &'s [TagId],
}

/// The collection's questions and articles that are not deleted, in its order (mock rule:
/// content deleted since it was added is left out, for every caller).
fn live_content<'s>(site: &'s Site, c: &Collection) -> Vec<Item<'s>> {
    let posts = &site.posts;
    c.content
        .iter()
        .filter_map(|id| {
            if let Some(q) = posts.questions.get(id) {
                (!q.meta.is_deleted()).then_some(Item {
                    id: q.id,
                    kind: CollectionContentType::Question,
                    title: &q.title,
                    tags: &q.tags,
                })
            } else if let Some(a) = posts.articles.get(id) {
                (!a.meta.is_deleted()).then_some(Item {
                    id: a.id,
                    kind: CollectionContentType::Article,
                    title: &a.title,
                    tags: &a.tags,
                })
            } else {
                None
            }
        })
        .collect()
}

/// The distinct tags of the items, in the order first met (mock rule).
fn tags(site: &Site, items: &[Item<'_>]) -> Vec<TagSummaryResponseModel> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .iter()
        .flat_map(|i| i.tags.iter())
        .filter(|t| seen.insert(**t))
        .filter_map(|t| site.tags.get(t))
        .map(|t| render::tag_summary(site, t))
        .collect()
}

pub fn summary(w: &World, site: &Site, c: &Collection) -> CollectionsSummaryResponseModel {
    let items = live_content(site, c);
    CollectionsSummaryResponseModel {
        id: c.id,
        title: c.title.clone(),
        description: c.description.clone(),
        owner: render::post_owner(w, site, c.owner),
        creation_date: render::date(c.creation_date),
        is_deleted: c.deletion_date.is_some(),
        tags: tags(site, &items),
    }
}

pub fn collection(w: &World, site: &Site, c: &Collection) -> CollectionsResponseModel {
    let items = live_content(site, c);
    let s = summary(w, site, c);
    CollectionsResponseModel {
        content: items
            .iter()
            .map(|i| CollectionContentSummaryResponseModel {
                id: i.id,
                type_: i.kind,
                title: i.title.to_string(),
            })
            .collect(),
        editor_users: render::user_summaries(w, site, &c.editor_user_ids),
        editor_user_groups: c
            .editor_group_ids
            .iter()
            .filter_map(|g| site.groups.get(g))
            .map(|g| render::group(w, site, g))
            .collect(),
        id: s.id,
        title: s.title,
        description: s.description,
        owner: s.owner,
        creation_date: s.creation_date,
        is_deleted: s.is_deleted,
        tags: s.tags,
    }
}
