//! Collections (issue 17): ordered lists of questions and articles with an owner and editors.
//! The list with its filters, one collection, and the three writes: `POST` creates, `PUT`
//! replaces everything (and `ownerId` hands the collection over), `DELETE` soft-deletes.
//!
//! Who may (the domain's rules, [`crate::domain::Site::can_edit_collection`]): every user
//! reads; the owner, the editors (listed users and members of listed groups), moderators and
//! admins edit; only the owner, moderators and admins delete or hand over.
//!
//! Mock rules (docs/articles-and-collections.md): a collection's `tags` are the distinct tags
//! of the live questions and articles it holds, in content order; content deleted after it
//! was added is left out of `content` and `tags` (the collection keeps its id, so undoing the
//! deletion would bring it back); `from`/`to` bound the creation date, both inclusive.

mod view;

use axum::Json;
use axum::http::StatusCode;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Error, V3Result};
use super::input::{self, RawBody, V3Path, V3Query};
use super::list::SortKey;
use super::models::SortOrder;
use super::models::collections::{
    CollectionRequestModel, CollectionsPermissionsFilter, CollectionsResponseModel,
    CollectionsSortParameter, EditCollectionRequestModel, PaginatedCollections,
};
use crate::domain::posts::{Collection, CollectionId, PostId, Viewer};
use crate::domain::{DomainError, GroupId, Site, UserId, World};
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![
        // A query parameter's enum is not collected from the annotation; named here so that
        // its `$ref` resolves.
        routes!(collections_list, collections_create; schemas(CollectionsPermissionsFilter)),
        routes!(collections_get, collections_replace, collections_delete),
    ]
}

/// Emulates `GET /collections`: the site's live collections, filtered, sorted and paginated.
#[utoipa::path(get, path = "/collections", tag = "Collections",
    params(
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<CollectionsSortParameter>, Query, description = "default `creation` (mock choice)"),
        ("order" = Option<SortOrder>, Query, description = "default `desc`"),
        ("authorIds" = Option<Vec<i32>>, Query, description = "Collections owned by any of these users (repeat the parameter)"),
        ("partialTitle" = Option<String>, Query, description = "Part of the title (case-insensitive substring)"),
        ("permissions" = Option<CollectionsPermissionsFilter>, Query, description = "`all` (default), `owned` by the caller, or `editable` by the caller"),
        ("from" = Option<String>, Query, format = DateTime, description = "Created at or after (inclusive)"),
        ("to" = Option<String>, Query, format = DateTime, description = "Created at or before (inclusive)"),
    ),
    responses((status = 200, description = "Collections found", body = PaginatedCollections)))]
pub async fn collections_list(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedCollections>> {
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        let mut q = query.check();
        let p = q.list::<CollectionsSortParameter>();
        let authors = q.int_list("authorIds");
        let partial = q.text("partialTitle").map(|t| t.to_lowercase());
        let permissions = q
            .parsed("permissions", CollectionsPermissionsFilter::parse)
            .unwrap_or(CollectionsPermissionsFilter::All);
        let from = q.date("from");
        let to = q.date("to");
        q.finish()?;
        let collections: Vec<&Collection> = site
            .posts
            .collections
            .values()
            .filter(|c| c.deletion_date.is_none())
            .filter(|c| {
                authors.is_empty() || authors.iter().any(|a| i64::from(*a) == i64::from(c.owner))
            })
            .filter(|c| {
                partial
                    .as_deref()
                    .is_none_or(|t| c.title.to_lowercase().contains(t))
            })
            .filter(|c| match permissions {
                CollectionsPermissionsFilter::All => true,
                CollectionsPermissionsFilter::Owned => viewer.user == Some(c.owner),
                CollectionsPermissionsFilter::Editable => site.can_edit_collection(c, viewer),
            })
            .filter(|c| super::list::within(c.creation_date, from, to))
            .collect();
        let sorted = p.sort(
            collections,
            |c| match p.sort {
                CollectionsSortParameter::Creation => SortKey::Date(c.creation_date),
                CollectionsSortParameter::LastEdit => {
                    SortKey::Date(c.last_edit_date.unwrap_or(c.creation_date))
                }
            },
            |c| c.id,
        );
        Ok(PaginatedCollections::page(&sorted, &p, |c| {
            view::summary(w, site, c)
        }))
    })
}

/// Emulates `GET /collections/{collectionId}`: the collection with its live content in order.
#[utoipa::path(get, path = "/collections/{collectionId}", tag = "Collections",
    params(("collectionId" = i32, Path, minimum = 1, description = "Collection ID")),
    responses(
        (status = 200, description = "Collection found", body = CollectionsResponseModel),
        (status = 404, description = "Collection not found (or deleted, unless the caller is a moderator or an admin)", body = ProblemDetails),
    ))]
pub async fn collections_get(ctx: V3Ctx, path: V3Path) -> V3Result<Json<CollectionsResponseModel>> {
    let id = path.id("collectionId")?;
    ctx.read(|w, site| rendered(w, site, ctx.viewer(), id))
}

/// Emulates `POST /collections`: creates a collection owned by the caller (201). `title` is
/// required (mock choice); editor ids must name users and groups of the site and content ids
/// live questions or articles (400 naming every bad one); duplicates count once.
#[utoipa::path(post, path = "/collections", tag = "Collections",
    request_body(content = CollectionRequestModel, content_type = "application/json"),
    responses(
        (status = 201, description = "Collection created", body = CollectionsResponseModel),
        (status = 409, description = "A limit of the mock is reached (collections on the site, items in a collection, text on the site), or no collection id is left (mock addition)", body = ProblemDetails),
    ))]
pub async fn collections_create(
    ctx: V3Ctx,
    body: RawBody,
) -> V3Result<(StatusCode, Json<CollectionsResponseModel>)> {
    ctx.require_write()?;
    let req: CollectionRequestModel = body.json_object()?;
    let fields = CollectionFields::of(
        req.title,
        req.description,
        req.editor_user_ids,
        req.editor_user_group_ids,
        req.content_ids,
    )?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| {
            let (users, groups) = fields.editors(site)?;
            Ok(site.create_collection(
                viewer,
                &fields.title,
                &fields.description,
                (&users, &groups),
                &fields.content,
                now,
            )?)
        },
        |w, site, id| Ok((StatusCode::CREATED, rendered(w, site, viewer, id)?)),
    )
}

/// Emulates `PUT /collections/{collectionId}`: a **full replace** (absent description and
/// lists become empty); `ownerId` hands the collection over (absent or null keeps the owner;
/// only the owner, a moderator or an admin may change it). 404 for an unknown collection is a
/// mock addition.
#[utoipa::path(put, path = "/collections/{collectionId}", tag = "Collections",
    params(("collectionId" = i32, Path, minimum = 1, description = "Collection ID")),
    request_body(content = EditCollectionRequestModel, content_type = "application/json"),
    responses(
        (status = 200, description = "Collection updated", body = CollectionsResponseModel),
        (status = 404, description = "Collection not found (mock addition: the document declares no 404 here)", body = ProblemDetails),
        (status = 409, description = "A limit of the mock is reached (items in a collection, text on the site; mock addition)", body = ProblemDetails),
    ))]
pub async fn collections_replace(
    ctx: V3Ctx,
    path: V3Path,
    body: RawBody,
) -> V3Result<Json<CollectionsResponseModel>> {
    ctx.require_write()?;
    let id = path.id("collectionId")?;
    let viewer = ctx.viewer();
    ctx.read(|_, site| {
        let c = live(site, id, viewer)?;
        if site.can_edit_collection(c, viewer) {
            Ok(())
        } else {
            Err(DomainError::NotAllowed("edit this collection"))
        }
    })?;
    let req: EditCollectionRequestModel = body.json_object()?;
    let owner = req.owner_id;
    let fields = CollectionFields::of(
        req.title,
        req.description,
        req.editor_user_ids,
        req.editor_user_group_ids,
        req.content_ids,
    )?;
    let now = ctx.now();
    ctx.write(
        |site| {
            let owner = match owner {
                Some(raw) => input::user_ids(site, &[raw])?.first().copied(),
                None => None,
            };
            let (users, groups) = fields.editors(site)?;
            Ok(site.edit_collection(
                id,
                viewer,
                owner,
                &fields.title,
                &fields.description,
                (&users, &groups),
                &fields.content,
                now,
            )?)
        },
        |w, site, ()| rendered(w, site, viewer, id),
    )
}

/// Emulates `DELETE /collections/{collectionId}`: a soft delete (204) by the owner, a
/// moderator or an admin; editors get 403 `not-post-owner`.
#[utoipa::path(delete, path = "/collections/{collectionId}", tag = "Collections",
    params(("collectionId" = i32, Path, minimum = 1, description = "Collection ID")),
    responses(
        (status = 204, description = "Collection deleted"),
        (status = 403, description = "No permissions", body = ProblemDetails),
        (status = 404, description = "Collection not found", body = ProblemDetails),
    ))]
pub async fn collections_delete(ctx: V3Ctx, path: V3Path) -> V3Result<StatusCode> {
    ctx.require_write()?;
    let id = path.id("collectionId")?;
    let (viewer, now) = (ctx.viewer(), ctx.now());
    ctx.write(
        |site| Ok(site.delete_collection(id, viewer, now)?),
        |_, _, ()| Ok(StatusCode::NO_CONTENT),
    )
}

/// A collection that is not deleted (writes see a deleted one as gone, even for moderators).
fn live(site: &Site, id: CollectionId, viewer: Viewer) -> Result<&Collection, DomainError> {
    site.posts
        .collection(id, viewer)
        .ok()
        .filter(|c| c.deletion_date.is_none())
        .ok_or(DomainError::CollectionNotFound(id))
}

/// The collection as `viewer` reads it, answered by every read and write of one collection.
fn rendered(
    w: &World,
    site: &Site,
    viewer: Viewer,
    id: CollectionId,
) -> V3Result<Json<CollectionsResponseModel>> {
    let c = site.posts.collection(id, viewer)?;
    Ok(Json(view::collection(w, site, c)))
}

/// The fields of a collection write, with the full-replace defaults applied.
struct CollectionFields {
    title: String,
    description: String,
    editor_user_ids: Vec<i32>,
    editor_group_ids: Vec<i32>,
    content: Vec<PostId>,
}

impl CollectionFields {
    fn of(
        title: Option<String>,
        description: Option<String>,
        editor_user_ids: Option<Vec<i32>>,
        editor_group_ids: Option<Vec<i32>>,
        content: Option<Vec<i32>>,
    ) -> V3Result<Self> {
        let title =
            title.ok_or_else(|| V3Error::invalid("Title", "The Title field is required."))?;
        let content = content.unwrap_or_default();
        let below_one: Vec<String> = content
            .iter()
            .filter(|id| **id < 1)
            .map(i32::to_string)
            .collect();
        if !below_one.is_empty() {
            return Err(V3Error::invalid(
                "ContentIds",
                format!("No question or article with id {}", below_one.join(", ")),
            ));
        }
        Ok(CollectionFields {
            title,
            description: description.unwrap_or_default(),
            editor_user_ids: editor_user_ids.unwrap_or_default(),
            editor_group_ids: editor_group_ids.unwrap_or_default(),
            content: content.into_iter().map(|id| id as PostId).collect(),
        })
    }

    /// The editor ids checked against the site (400 naming every unknown one).
    fn editors(&self, site: &Site) -> V3Result<(Vec<UserId>, Vec<GroupId>)> {
        Ok((
            input::user_ids(site, &self.editor_user_ids)?,
            input::group_ids(site, &self.editor_group_ids)?,
        ))
    }
}
