//! Rendering domain data as v3 wire models. Every function reads; none changes state.

use chrono::{DateTime, SecondsFormat, Utc};

use super::auth::V3Ctx;
use super::models::{
    CommunityMemberResponseModel, CommunityResponseModel, CommunitySummaryResponseModel,
    ManageUserResponseModel, SubjectMatterExpertResponseModel, TagResponseModel,
    TagSummaryResponseModel, UserDetailsResponseModel, UserGroupResponseModel, UserResponseModel,
    UserSummaryResponseModel,
};
use crate::domain::{
    Account, Community, Site, SiteKind, SiteUser, SmeSet, Tag, TagId, UserGroup, World,
};

/// Mock choice: where profile and tag pages would live. Cloud teams use the real cloud host;
/// Enterprise sites a placeholder host.
pub fn web_base(site: &Site) -> String {
    match site.kind {
        SiteKind::Enterprise => "https://example.stackenterprise.co".to_string(),
        SiteKind::PrivateTeam => format!("https://example.stackenterprise.co/c/{}", site.slug),
        SiteKind::Basic | SiteKind::Business => {
            format!("https://stackoverflowteams.com/c/{}", site.slug)
        }
    }
}

pub fn date(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Mock choice: dates a fixture leaves out.
const EPOCH_OF_THE_MOCK: &str = "2024-01-01T00:00:00Z";

fn default_date() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(EPOCH_OF_THE_MOCK)
        .expect("constant")
        .to_utc()
}

fn account<'w>(world: &'w World, user: &SiteUser) -> Option<&'w Account> {
    world.accounts.get(user.account_id)
}

fn avatar(acc: Option<&Account>, user: &SiteUser) -> String {
    acc.and_then(|a| a.avatar_url.clone()).unwrap_or_else(|| {
        format!(
            "https://www.gravatar.com/avatar/{:032x}?s=256&d=identicon&r=PG",
            user.account_id
        )
    })
}

pub fn user_summary(world: &World, site: &Site, user: &SiteUser) -> UserSummaryResponseModel {
    let acc = account(world, user);
    UserSummaryResponseModel {
        id: user.id,
        account_id: Some(user.account_id),
        name: acc.map(|a| a.name.clone()).unwrap_or_default(),
        avatar_url: avatar(acc, user),
        web_url: format!("{}/users/{}", web_base(site), user.id),
        reputation: user.reputation,
        role: user.role.as_str().to_string(),
    }
}

/// The author (or editor) of a post, comment or collection. A user who has since left the
/// site (usersync removal) still owns their content, and renders as the real service renders
/// a removed account (mock rule, docs/questions-and-answers.md): the old id, no account,
/// the name `user{id}`, reputation 1, role `Registered`, the default avatar.
pub fn post_owner(world: &World, site: &Site, user: u32) -> UserSummaryResponseModel {
    match site.users.get(&user) {
        Some(u) => user_summary(world, site, u),
        None => UserSummaryResponseModel {
            id: user,
            account_id: None,
            name: format!("user{user}"),
            avatar_url: format!(
                "https://www.gravatar.com/avatar/{:032x}?s=256&d=identicon&r=PG",
                0
            ),
            web_url: format!("{}/users/{}", web_base(site), user),
            reputation: 1,
            role: crate::domain::Role::Registered.as_str().to_string(),
        },
    }
}

/// Summaries of the given user ids that are users of the site, in id order.
pub fn user_summaries<'a>(
    world: &World,
    site: &Site,
    ids: impl IntoIterator<Item = &'a u32>,
) -> Vec<UserSummaryResponseModel> {
    ids.into_iter()
        .filter_map(|id| site.users.get(id))
        .map(|u| user_summary(world, site, u))
        .collect()
}

pub fn user(ctx: &V3Ctx, world: &World, site: &Site, user: &SiteUser) -> UserResponseModel {
    let s = user_summary(world, site, user);
    let acc = account(world, user);
    UserResponseModel {
        external_id: acc.and_then(|a| a.external_id.clone()),
        department: user.department.clone(),
        job_title: user.job_title.clone(),
        email: acc
            .filter(|_| ctx.may_see_email_of(user.id))
            .map(|a| a.email.clone()),
        id: s.id,
        account_id: s.account_id,
        name: s.name,
        avatar_url: s.avatar_url,
        web_url: s.web_url,
        reputation: s.reputation,
        role: s.role,
    }
}

pub fn user_details(
    ctx: &V3Ctx,
    world: &World,
    site: &Site,
    u: &SiteUser,
) -> UserDetailsResponseModel {
    let id = u.id;
    let u = user(ctx, world, site, u);
    UserDetailsResponseModel {
        communities: site
            .communities_of(id)
            .into_iter()
            .map(|c| community_summary(site, c))
            .collect(),
        external_id: u.external_id,
        department: u.department,
        job_title: u.job_title,
        email: u.email,
        id: u.id,
        account_id: u.account_id,
        name: u.name,
        avatar_url: u.avatar_url,
        web_url: u.web_url,
        reputation: u.reputation,
        role: u.role,
    }
}

pub fn manage_user(world: &World, site: &Site, user: &SiteUser) -> ManageUserResponseModel {
    let s = user_summary(world, site, user);
    let acc = account(world, user);
    let created = user.creation_date.unwrap_or_else(default_date);
    ManageUserResponseModel {
        email: acc.map(|a| a.email.clone()),
        is_deactivated: acc.is_some_and(|a| a.is_deactivated),
        creation_date: date(created),
        last_modified_date: user.last_modified_date.map(date),
        last_access_date: date(last_access(user)),
        id: s.id,
        account_id: s.account_id,
        name: s.name,
        avatar_url: s.avatar_url,
        web_url: s.web_url,
        reputation: s.reputation,
        role: s.role,
    }
}

/// The last access date a fixture gives, else the creation date (mock choice).
pub fn last_access(user: &SiteUser) -> DateTime<Utc> {
    user.last_access_date
        .or(user.creation_date)
        .unwrap_or_else(default_date)
}

pub fn tag_summary(site: &Site, tag: &Tag) -> TagSummaryResponseModel {
    TagSummaryResponseModel {
        id: tag.id,
        name: tag.name.clone(),
        description: tag.description.clone(),
        post_count: tag.post_count,
        subject_matter_expert_count: site.sme_count(tag.id).map(|n| n as i32),
        watcher_count: tag.watcher_ids.len() as i32,
        creation_date: date(tag.creation_date),
        has_synonyms: tag.has_synonyms,
        web_url: format!("{}/questions/tagged/{}", web_base(site), tag.name),
    }
}

pub fn tag(world: &World, site: &Site, tag: &Tag) -> TagResponseModel {
    let t = tag_summary(site, tag);
    TagResponseModel {
        subject_matter_experts: tag_smes(world, site, tag.id),
        id: t.id,
        name: t.name,
        description: t.description,
        post_count: t.post_count,
        subject_matter_expert_count: t.subject_matter_expert_count,
        watcher_count: t.watcher_count,
        creation_date: t.creation_date,
        has_synonyms: t.has_synonyms,
        web_url: t.web_url,
    }
}

pub fn group(world: &World, site: &Site, group: &UserGroup) -> UserGroupResponseModel {
    UserGroupResponseModel {
        id: group.id,
        name: group.name.clone(),
        description: group.description.clone(),
        users: user_summaries(world, site, &group.user_ids),
    }
}

pub fn sme_set(world: &World, site: &Site, set: &SmeSet) -> SubjectMatterExpertResponseModel {
    SubjectMatterExpertResponseModel {
        users: user_summaries(world, site, &set.user_ids),
        user_groups: set
            .group_ids
            .iter()
            .filter_map(|g| site.groups.get(g))
            .map(|g| group(world, site, g))
            .collect(),
    }
}

/// The SME set of a tag as it stands (empty when the tag has none).
pub fn tag_smes(world: &World, site: &Site, tag: TagId) -> SubjectMatterExpertResponseModel {
    site.smes.get(&tag).map_or_else(
        || SubjectMatterExpertResponseModel {
            users: Vec::new(),
            user_groups: Vec::new(),
        },
        |set| sme_set(world, site, set),
    )
}

/// The community's tags that exist on the site, in id order.
fn community_tags(site: &Site, c: &Community) -> Vec<TagSummaryResponseModel> {
    c.tag_ids
        .iter()
        .filter_map(|t| site.tags.get(t))
        .map(|t| tag_summary(site, t))
        .collect()
}

pub fn community_summary(site: &Site, c: &Community) -> CommunitySummaryResponseModel {
    CommunitySummaryResponseModel {
        name: c.name.clone(),
        description: c.description.clone(),
        id: c.id,
        member_count: c.members.len() as i32,
        tags: community_tags(site, c),
    }
}

/// A community with its members in user-id order (mock choice); a member whose join time a
/// fixture left out shows the mock's default date.
pub fn community(world: &World, site: &Site, c: &Community) -> CommunityResponseModel {
    let members = c
        .members
        .iter()
        .filter_map(|(id, since)| site.users.get(id).map(|u| (u, since)))
        .map(|(u, since)| CommunityMemberResponseModel {
            id: u.id,
            name: account(world, u)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            member_since: date(since.unwrap_or_else(default_date)),
            is_sme: site.is_community_sme(c, u.id),
        })
        .collect();
    let s = community_summary(site, c);
    CommunityResponseModel {
        members,
        name: s.name,
        description: s.description,
        id: s.id,
        member_count: s.member_count,
        tags: s.tags,
    }
}
