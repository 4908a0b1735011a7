//! Tags (contract §3): `GET /tags` (with `partialName`, `hasSmes`, `hasSynonyms`),
//! `GET /tags/{tagId}` and `GET /tags/{tagId}/tag-watchers`.

use axum::Json;

use super::auth::V3Ctx;
use super::error::V3Result;
use super::input::{V3Path, V3Query};
use super::list::SortKey;
use super::models::{
    PaginatedTags, SortOrder, TagResponseModel, TagWatchersResponseModel, TagsSortParameter,
};
use super::render;
use crate::domain::Tag;
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        routes!(tags_list),
        routes!(tags_get),
        routes!(tags_watchers),
    ]
}

/// Emulates `GET /tags`: the site's tags, filtered, sorted and paginated.
#[utoipa::path(get, path = "/tags", tag = "Tags",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<TagsSortParameter>, Query, description = "default `postCount`"),
        ("order" = Option<SortOrder>, Query, description = "default `desc` for postCount and creationDate, `asc` for name"),
        ("partialName" = Option<String>, Query, description = "Partial name of the tag (case-insensitive substring)"),
        ("hasSmes" = Option<bool>, Query, description = "Only tags with (true) or without (false) SMEs"),
        ("hasSynonyms" = Option<bool>, Query, description = "Only tags with (true) or without (false) synonyms"),
    ),
    responses((status = 200, description = "Tag(s) found", body = PaginatedTags)))]
pub async fn tags_list(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedTags>> {
    ctx.render(|_, site| {
        let mut q = query.check();
        let p = q.list::<TagsSortParameter>();
        let has_smes = q.bool("hasSmes");
        let has_synonyms = q.bool("hasSynonyms");
        let partial = q.text("partialName").map(|s| s.to_lowercase());
        q.finish()?;
        let tags: Vec<&Tag> = site
            .tags
            .values()
            .filter(|t| {
                partial
                    .as_deref()
                    .is_none_or(|n| t.name.to_lowercase().contains(n))
            })
            .filter(|t| has_smes.is_none_or(|h| site.has_smes(t.id) == h))
            .filter(|t| has_synonyms.is_none_or(|h| t.has_synonyms == h))
            .collect();
        let tags = p.sort(
            tags,
            |t| match p.sort {
                TagsSortParameter::Name => SortKey::text(&t.name),
                TagsSortParameter::PostCount => SortKey::Number(t.post_count.into()),
                TagsSortParameter::CreationDate => SortKey::Date(t.creation_date),
            },
            |t| t.id,
        );
        Ok(PaginatedTags::page(&tags, &p, |t| {
            render::tag_summary(site, t)
        }))
    })
}

/// Emulates `GET /tags/{tagId}`: the tag with its SMEs.
#[utoipa::path(get, path = "/tags/{tagId}", tag = "Tags",
    params(("tagId" = i32, Path, minimum = 1, description = "Tag ID")),
    responses(
        (status = 200, description = "Tag found", body = TagResponseModel),
        (status = 404, description = "Tag not found", body = super::error::ProblemDetails),
    ))]
pub async fn tags_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<TagResponseModel>> {
    let id = path.id("tagId")?;
    ctx.render(|w, site| Ok(render::tag(w, site, site.tag(id)?)))
}

/// Emulates `GET /tags/{tagId}/tag-watchers`.
#[utoipa::path(get, path = "/tags/{tagId}/tag-watchers", tag = "Tags",
    params(("tagId" = i32, Path, minimum = 1, description = "Tag ID")),
    responses(
        (status = 200, description = "Tag watchers found", body = TagWatchersResponseModel),
        (status = 404, description = "Tag not found", body = super::error::ProblemDetails),
    ))]
pub async fn tags_watchers(ctx: V3Ctx, path: V3Path) -> V3Result<Json<TagWatchersResponseModel>> {
    let id = path.id("tagId")?;
    ctx.render(|w, site| {
        let tag = site.tag(id)?;
        Ok(TagWatchersResponseModel {
            users: render::user_summaries(w, site, &tag.watcher_ids),
        })
    })
}
