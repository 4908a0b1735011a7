//! Search (docs/search.md): `GET /search` over the site's live questions, answers and
//! articles. The domain ([`crate::domain::search`]) matches and sorts; this edge reads the
//! query string, pages the sorted ids and renders only the page.

use axum::Json;

use super::auth::V3Ctx;
use super::error::{ProblemDetails, V3Result};
use super::input::V3Query;
use super::models::search::{
    AnswerResultType, AnswerSearchResultModel, ArticleResultType, ArticleSearchResultModel,
    PaginatedSearchResults, QuestionResultType, QuestionSearchResultModel, SearchResult,
    SearchSortParameter,
};
use super::render;
use crate::domain::posts::{PostId, PostKind, PostMeta};
use crate::domain::search::{self, Query};
use crate::domain::{DomainError, Site, TagId, World};
use crate::routes;
use crate::routes::Route;
use crate::state::AppState;

pub fn routes() -> Vec<Route<AppState>> {
    vec![routes!(search)]
}

/// Emulates `GET /search`: the live posts matching `query`, sorted and paginated. Matching
/// (mock rules, docs/search.md): every word must match (AND), case-insensitively, in a title,
/// a Markdown body or a tag name; `"phrases"`, `[tag]`, `is:question|answer|article`,
/// `user:ID|me`, `score:N`, `answers:N` and `isaccepted:yes|no` narrow it; other `name:value`
/// words are plain words. An empty query matches every live post.
#[utoipa::path(get, path = "/search", tag = "Search",
    params(
        ("query" = Option<String>, Query, description = "Words, \"phrases\", [tags] and operators; at most 500 characters and 32 parts (docs/search.md)"),
        ("page" = Option<i32>, Query, minimum = 1, maximum = 2147483647),
        ("pageSize" = Option<i32>, Query, description = "15, 30 (default), 50 or 100"),
        ("sort" = Option<SearchSortParameter>, Query, description = "default `relevance`"),
    ),
    responses(
        (status = 200, description = "Search results", body = PaginatedSearchResults),
        (status = 500, description = "Internal server error (fault injection: `X-Mock-Fault` or a rule)", body = ProblemDetails),
        (status = 503, description = "Service unavailable (fault injection: `X-Mock-Fault` or a rule)", body = ProblemDetails),
    ))]
pub async fn search(ctx: V3Ctx, query: V3Query) -> V3Result<Json<PaginatedSearchResults>> {
    let mut q = query.check();
    let p = q.list_unordered::<SearchSortParameter>();
    let text = q.text("query").unwrap_or_default();
    let parsed = Query::parse(&text).unwrap_or_else(|e| {
        let message = match e {
            DomainError::InvalidField { message, .. } => message,
            other => other.to_string(),
        };
        q.reject("query", message);
        Query::default()
    });
    q.finish()?;
    let viewer = ctx.viewer();
    ctx.render(|w, site| {
        let ids = site.search(&parsed, viewer, p.sort.into());
        Ok(PaginatedSearchResults {
            total_count: i32::try_from(ids.len()).unwrap_or(i32::MAX),
            page_size: p.page_size as i32,
            page: p.page as i32,
            total_pages: p.total_pages(ids.len()) as i32,
            sort: p.sort,
            items: ids[p.window(ids.len())]
                .iter()
                .filter_map(|id| result(w, site, *id, &parsed))
                .collect(),
        })
    })
}

/// The fields every result shares (`SearchResultModel`).
struct Shared {
    snippet: String,
    tags: Vec<crate::api::v3::models::TagSummaryResponseModel>,
    owner: crate::api::v3::models::UserSummaryResponseModel,
    creation_date: String,
    score: i32,
}

fn shared(w: &World, site: &Site, meta: &PostMeta, tags: &[TagId], q: &Query) -> Shared {
    Shared {
        snippet: search::snippet(&meta.body.markdown, q),
        tags: tags
            .iter()
            .filter_map(|t| site.tags.get(t))
            .map(|t| render::tag_summary(site, t))
            .collect(),
        owner: render::post_owner(w, site, meta.owner),
        creation_date: render::date(meta.creation_date),
        score: meta.score(),
    }
}

/// One result. Mock choice for `webUrl`: `/questions/{id}`, `/questions/{q}/{a}#{a}` (the
/// real service's answer link) and `/articles/{id}` under the site's base.
fn result(w: &World, site: &Site, id: PostId, q: &Query) -> Option<SearchResult> {
    let posts = &site.posts;
    let base = render::web_base(site);
    Some(match posts.kind_of(id)? {
        PostKind::Question => {
            let question = posts.questions.get(&id)?;
            let s = shared(w, site, &question.meta, &question.tags, q);
            SearchResult::Question(QuestionSearchResultModel {
                title: question.title.clone(),
                snippet: s.snippet,
                tags: s.tags,
                owner: s.owner,
                creation_date: s.creation_date,
                score: s.score,
                web_url: format!("{base}/questions/{id}"),
                r#type: QuestionResultType::Question,
                question_id: id,
                answer_count: i32::try_from(posts.answer_count(id)).unwrap_or(i32::MAX),
                has_accepted_answer: posts.accepted_answer(question).is_some(),
                view_count: question.view_count,
            })
        }
        PostKind::Answer => {
            let answer = posts.answers.get(&id)?;
            let question = posts.questions.get(&answer.question_id)?;
            let s = shared(w, site, &answer.meta, &question.tags, q);
            SearchResult::Answer(AnswerSearchResultModel {
                title: question.title.clone(),
                snippet: s.snippet,
                tags: s.tags,
                owner: s.owner,
                creation_date: s.creation_date,
                score: s.score,
                web_url: format!("{base}/questions/{}/{id}#{id}", question.id),
                r#type: AnswerResultType::Answer,
                answer_id: id,
                parent_question_id: question.id,
                is_accepted: posts.accepted_answer(question).is_some_and(|a| a.id == id),
            })
        }
        PostKind::Article => {
            let article = posts.articles.get(&id)?;
            let s = shared(w, site, &article.meta, &article.tags, q);
            SearchResult::Article(ArticleSearchResultModel {
                title: article.title.clone(),
                snippet: s.snippet,
                tags: s.tags,
                owner: s.owner,
                creation_date: s.creation_date,
                score: s.score,
                web_url: format!("{base}/articles/{id}"),
                r#type: ArticleResultType::Article,
                article_id: id,
                view_count: article.view_count,
                article_type: article.article_type.into(),
                read_time_in_minutes: search::read_time_minutes(&article.meta.body.markdown),
            })
        }
    })
}
