//! The world the mock holds (contract §1): accounts, sites, site users, tags, user groups,
//! subject matter experts, API keys and tokens.
//!
//! This module is plain Rust: no HTTP types. The protocol edges (`api::v3`, `api::v2`, `admin`)
//! read and change it through [`crate::store::Store`], which owns the one lock.
//!
//! Sites sit behind `Arc`s so that cloning a [`World`] (a snapshot, a sandbox) is cheap and a
//! write copies only the one site it touches (`Arc::make_mut`).

mod communities;
mod ids;
mod images;
pub mod markdown;
pub mod posts;
pub mod search;
mod site;
mod tokens;
pub mod usersync;
mod world;

pub use communities::{Community, CommunityId};
pub use ids::{IdHighWater, IdKind, MAX_ID};
pub use images::{
    Image, ImageFormat, ImageId, Images, MAX_IMAGE_BYTES, MAX_IMAGES, MAX_TOTAL_BYTES, fresh_guid,
    is_guid,
};
pub use site::{Role, Site, SiteKind, SiteUser, SmeSet, Tag, UserGroup};
pub use tokens::TokenError;
pub use world::{Account, Accounts, ApiKey, Token, TokenKind, World};

/// A network-wide account id (`AccountId` on the wire).
pub type AccountId = u32;
/// A site-local user id (`SiteUserId` on the wire, `id` in v3).
pub type UserId = u32;
/// A site-local tag id.
pub type TagId = u32;
/// A site-local user group id.
pub type GroupId = u32;

/// What a domain operation can refuse. Each edge maps these to its own wire shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("tag {0} not found")]
    TagNotFound(TagId),
    #[error("user {0} not found")]
    UserNotFound(UserId),
    #[error("user group {0} not found")]
    GroupNotFound(GroupId),
    #[error("user {user} is not a member of user group {group}")]
    MembershipNotFound { group: GroupId, user: UserId },
    #[error("subject matter experts are not enabled on this site")]
    SmesDisabled,
    #[error("unknown user ids: {0:?}")]
    UnknownUsers(Vec<UserId>),
    #[error("unknown user group ids: {0:?}")]
    UnknownGroups(Vec<GroupId>),
    #[error("a user group named {0:?} already exists")]
    DuplicateGroupName(String),
    #[error("the user group name must not be empty")]
    EmptyGroupName,
    #[error("community {0} not found")]
    CommunityNotFound(CommunityId),
    #[error("image {0} not found")]
    ImageNotFound(String),
    #[error("the image store is full: {0}")]
    ImageStoreFull(String),
    #[error("no {0} id is left on this site: ids stop at 2147483647 (int32)")]
    IdsExhausted(IdKind),
    #[error("question {0} not found")]
    QuestionNotFound(posts::PostId),
    #[error("answer {0} not found")]
    AnswerNotFound(posts::PostId),
    #[error("article {0} not found")]
    ArticleNotFound(posts::PostId),
    #[error("collection {0} not found")]
    CollectionNotFound(posts::CollectionId),
    /// A write on a post a moderator can still read but that is deleted.
    #[error("post {0} is deleted")]
    PostDeleted(posts::PostId),
    #[error("question {0} is closed")]
    QuestionClosed(posts::PostId),
    #[error("answer {0} is not the accepted answer")]
    NotAccepted(posts::PostId),
    #[error("you cannot vote on your own post")]
    OwnPost,
    /// The caller may not do this (a content rule: owner, moderator, admin, editors).
    #[error("you may not {0}")]
    NotAllowed(&'static str),
    #[error("{field}: {message}")]
    InvalidField {
        field: &'static str,
        message: String,
    },
    #[error("the limit of {limit} {what} is reached")]
    LimitReached { what: &'static str, limit: usize },
    #[error("unknown question or article ids: {0:?}")]
    UnknownPosts(Vec<posts::PostId>),
}
