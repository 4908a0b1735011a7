//! The OpenAPI document the mock serves at `/openapi.json` and commits at
//! `openapi/openapi.json`.
//!
//! Each handler carries its own `#[utoipa::path]` with the responses that are particular to
//! it; [`finish`] adds what every v3 operation shares (400, 401 `text/plain`, 403, 429, and
//! 413/415 where there is a body), the `team` parameter of the team shapes, one operation id
//! per shape, and bearer security, so no annotation repeats them. It also declares the tags,
//! in the order Swagger UI shows them ([`tags`]), and the
//! mock-only `X-Mock-Reason` header ([`crate::refusal`]) on every answer that can refuse a
//! caller: v3's 401 and 403, usersync's 400 (its refusals are `error_id`s in a 400), and the
//! control API's 401 and 403. The drift guard compares no headers (the excerpt declares none).

use utoipa::OpenApi as _;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{AdditionalProperties, Schema, SchemaType};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Flow, HttpAuthScheme, HttpBuilder, Implicit, OAuth2, Scopes,
    SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::tag::{Tag, TagBuilder};
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Required, Response, ResponseBuilder, Type,
};

use crate::api::v3::{CLOUD_PREFIX, MAIN_PREFIX, PRIVATE_TEAM_PREFIX};
use crate::refusal::{HEADER_NAME, Refusal};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "soteams-mock",
        description = "A local, stateful mock of the Stack Overflow for Teams API v3 (subject matter experts, \
user groups, users, tags) under its three URL shapes, and of the Enterprise API 2.3 usersync endpoint. \
Authorize with one of the fixture tokens (e.g. `ada-rw`) as a bearer token. \
The control API (tag \"Control API\", under `/__admin`) resets, snapshots and imports the state, injects faults, \
reads the request journal, mints tokens and moves the clock. Every route documented here also works under \
`/_sandbox/{id}` (create a sandbox with `POST /__admin/sandboxes`) on that sandbox's private copy of the fixtures; \
the sandbox routes themselves exist at the root only. Injected faults may answer statuses this document does not \
declare for an operation.",
        license(name = "MIT"),
    ),
    components(schemas(crate::api::v3::error::ProblemDetails))
)]
struct ApiDoc;

/// The document before the routes are added.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// Adds what every v3 operation shares; see the module docs.
pub fn finish(mut api: OpenApi) -> OpenApi {
    let components = api.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "A fixture or minted token, e.g. `ada-rw` (Enterprise admin, read-write)",
                ))
                .build(),
        )
        .into(),
    );
    components.security_schemes.insert(
        OAUTH_SCHEME.into(),
        SecurityScheme::OAuth2(OAuth2::with_description(
            [Flow::Implicit(Implicit::new(
                crate::oauth::DIALOG_PATH,
                Scopes::from_iter(crate::oauth::SCOPES),
            ))],
            "Swagger UI's own PAT, as on the real service: leave the Client ID unchanged, tick \
             `access_team` (and `write_access` for writes), choose the account and the team on \
             the consent page, Approve. The PAT is listed as \"Created by Swagger UI\" and expires \
             24 hours later on the mock clock.",
        ))
        .into(),
    );
    // The excerpt's models allow no extra fields (ProblemDetails excepted); say so, so that
    // response validation catches a stray field.
    for (name, schema) in components.schemas.iter_mut() {
        if let RefOr::T(Schema::Object(object)) = schema
            && name != "ProblemDetails"
            && object.schema_type == SchemaType::new(Type::Object)
        {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
    }
    components
        .headers
        .insert(HEADER_NAME.into(), reason_header().into());
    finish_admin(&mut api);
    api.tags = Some(tags());
    // The private team prefix first: it starts with the main site's.
    if let Some(item) = api.paths.paths.get_mut(crate::surface::USERSYNC_PATH) {
        operations(item).for_each(|op| declare_reason(op, &["400"]));
    }
    let shapes = [
        (PRIVATE_TEAM_PREFIX, "team", PRIVATE_TEAM_TAG),
        (CLOUD_PREFIX, "cloud", CLOUD_TAG),
        (MAIN_PREFIX, "", MAIN_TAG),
    ];
    for (path, item) in api.paths.paths.iter_mut() {
        let Some((prefix, suffix, tag_suffix)) = shapes.iter().find(|(p, ..)| path.starts_with(p))
        else {
            continue;
        };
        let team = prefix.contains("{team}");
        let not_found = match *suffix {
            "team" => Some("Unknown private team (mock choice)"),
            "" => Some("The fixtures have no Enterprise main site (mock choice)"),
            _ => None,
        };
        for (op, reads) in operations_by_kind(item) {
            if team {
                let params = op.parameters.get_or_insert_with(Vec::new);
                params.insert(0, team_parameter().into());
            }
            if !suffix.is_empty() {
                op.operation_id = op.operation_id.take().map(|id| format!("{id}_{suffix}"));
            }
            op.tags = op.tags.take().map(|tags| {
                tags.into_iter()
                    .map(|t| format!("{t} - {tag_suffix}"))
                    .collect()
            });
            op.security = Some(v3_security(!reads));
            add_json_media_types(op);
            add_shared_responses(op);
            declare_reason(op, &["401", "403"]);
            document_page_sizes(op);
            if let Some(why) = not_found {
                op.responses
                    .responses
                    .entry("404".into())
                    .or_insert_with(|| problem(why));
            }
        }
    }
    api
}

/// The suffix of the v3 tags of each URL shape (`Users - Main`).
const MAIN_TAG: &str = "Main";
const PRIVATE_TEAM_TAG: &str = "Teams (Enterprise private team)";
const CLOUD_TAG: &str = "Teams (Basic/Business)";

/// Every tag the operations use, each with a one-line description, in the order a reader meets
/// them: the v3 main site, private teams, cloud teams, usersync, then the mock's own control
/// API. Swagger UI lists tags in this order (without the list, in the order of the sorted
/// paths, which put `/__admin` first and mix the shapes).
fn tags() -> Vec<Tag> {
    let shapes = [
        (MAIN_TAG, "the Enterprise main site (`/api/v3/…`)"),
        (
            PRIVATE_TEAM_TAG,
            "an Enterprise private team (`/api/v3/teams/{team}/…`)",
        ),
        (
            CLOUD_TAG,
            "a Basic or Business cloud team (`/v3/teams/{team}/…`)",
        ),
    ];
    let resources = [
        (
            "Users",
            "Users, their watched tags, and lookups by email or external id",
        ),
        ("UserGroups", "User groups and their members"),
        (
            "Tags",
            "Tags, their watchers and their subject matter experts (SMEs)",
        ),
        ("Images", "Uploading images and reading them back"),
        ("Articles", "Articles, their upvotes and their comments"),
        ("Collections", "Collections of questions and articles"),
        (
            "Questions",
            "Questions, their votes, bookmarks and flags, and the questions linked and related to \
             them (and to articles)",
        ),
        ("Answers", "Answers to questions: accept, votes, flags"),
        ("Comments", "Comments on posts"),
        ("Search", "Search over questions, answers and articles"),
    ];
    // Resources the official document declares on the main site only.
    let main_only = [
        (
            "Communities",
            "Communities, their members and tags; joining and leaving",
        ),
        ("Stacky", "Stacky's ASCII art, for testing"),
    ];
    let tag = |name: String, description: String| {
        TagBuilder::new()
            .name(name)
            .description(Some(description))
            .build()
    };
    let mut tags: Vec<Tag> = shapes
        .iter()
        .flat_map(|(shape, place)| {
            let main = (*shape == MAIN_TAG).then_some(main_only.iter()).into_iter();
            resources
                .iter()
                .chain(main.flatten())
                .map(move |(resource, what)| {
                    tag(
                        format!("{resource} - {shape}"),
                        format!("{what} on {place}"),
                    )
                })
        })
        .collect();
    tags.push(tag(
        crate::api::v2::TAG.into(),
        "Usersync: the Enterprise team membership sync, a full replace of each named private \
         team's roster (`POST /api/2.3/enterprise/usersync`)"
            .into(),
    ));
    tags.push(tag(
        crate::admin::TAG.into(),
        "The mock's own control routes (`/__admin/…`, not part of the real service): reset, \
         state, snapshots, faults, journal, tokens, clock, rate limits and sandboxes"
            .into(),
    ));
    tags
}

/// The name of Swagger UI's OAuth2 scheme ([`crate::oauth`]).
pub const OAUTH_SCHEME: &str = "swaggerUi";

/// A v3 operation takes a bearer token, or Swagger UI's PAT with `access_team` (and
/// `write_access` for a write).
fn v3_security(write: bool) -> Vec<SecurityRequirement> {
    let scopes: &[&str] = if write {
        &["write_access", "access_team"]
    } else {
        &["access_team"]
    };
    vec![
        SecurityRequirement::new("bearer", Vec::<String>::new()),
        SecurityRequirement::new(OAUTH_SCHEME, scopes.iter().copied()),
    ]
}

/// Every operation of a path, with whether it only reads (`GET`).
fn operations_by_kind(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (&mut Operation, bool)> {
    [
        (&mut item.get, true),
        (&mut item.put, false),
        (&mut item.post, false),
        (&mut item.delete, false),
        (&mut item.patch, false),
    ]
    .into_iter()
    .filter_map(|(op, reads)| op.as_mut().map(|op| (op, reads)))
}

/// Every control route may answer 401 (with `--admin-token`) and names the header it needs,
/// and 403 to another origin; one that changes state answers a body that is not JSON with 415
/// ([`crate::admin::guard`]).
fn finish_admin(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "adminToken".into(),
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-Admin-Token",
            "Only when the server runs with `--admin-token` (`SOTEAMS_ADMIN_TOKEN`)",
        )))
        .into(),
    );
    for (path, item) in api.paths.paths.iter_mut() {
        if !path.starts_with(crate::surface::ADMIN_PREFIX) {
            continue;
        }
        // The operations that change state (every method but GET) take JSON bodies only.
        let changing = [
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in changing.into_iter().flatten() {
            add_error(
                op,
                "415",
                "A body that is not `application/json` (a web page can send other types \
                 cross-site)",
            );
        }
        for op in operations(item) {
            op.security = Some(vec![SecurityRequirement::new(
                "adminToken",
                Vec::<String>::new(),
            )]);
            add_error(
                op,
                "401",
                "The server has an admin token and the request did not send it",
            );
            add_error(
                op,
                "403",
                "The request comes from another origin (its `Origin` is not this server's), or \
                 names a `Host` that is not a loopback one while the server listens on loopback \
                 (see `--allowed-host`)",
            );
            declare_reason(op, &["401", "403"]);
            // Every control route that reads a body answers a bad one with 400 (ErrorBody).
            if op.request_body.is_some() {
                add_error(
                    op,
                    "400",
                    "The body is not valid JSON of the expected shape",
                );
            }
        }
    }
}

/// The mock-only `X-Mock-Reason` header, declared once among the components.
fn reason_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(Refusal::ALL.map(Refusal::reason))),
        ))
        .description(Some(
            "Mock-only (the real service sends no such header): why the caller was refused. \
             Sent with every refusal of a caller (v3 401 and 403; usersync `error_id` 401, 402, \
             403, 405 and the credential errors of 400; control API 401 and 403; an injected \
             401, 402 or 403 says `injected-fault`); README \"Auth and errors\" lists when each \
             reason is given.",
        ))
        .build()
}

/// Declares the `X-Mock-Reason` header on the operation's answers of these statuses.
fn declare_reason(op: &mut Operation, statuses: &[&str]) {
    for status in statuses {
        if let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) {
            response.headers.insert(
                HEADER_NAME.into(),
                RefOr::Ref(Ref::new(format!("#/components/headers/{HEADER_NAME}"))),
            );
        }
    }
}

/// Declares an answer of the control API's error shape, unless the operation declares one.
fn add_error(op: &mut Operation, status: &str, description: &str) {
    let error = ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build();
    op.responses
        .responses
        .entry(status.into())
        .or_insert(error.into());
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .filter_map(|op| op.as_mut())
}

/// `pageSize` takes one of the excerpt's four values (`enum [15, 30, 50, 100]`); the list
/// lives in [`crate::api::v3::list::PAGE_SIZES`], which the parser enforces.
fn document_page_sizes(op: &mut Operation) {
    for param in op.parameters.iter_mut().flatten() {
        if let RefOr::T(param) = param
            && param.name == "pageSize"
            && let Some(RefOr::T(Schema::Object(object))) = param.schema.as_mut()
        {
            object.enum_values = Some(
                crate::api::v3::list::PAGE_SIZES
                    .iter()
                    .map(|n| (*n).into())
                    .collect(),
            );
        }
    }
}

fn team_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("team")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(
            "The team slug (the `c/<slug>` part of the team's URL)",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

fn problem(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemDetails")))
                .build(),
        )
        .build()
        .into()
}

/// The media types under which the excerpt (ASP.NET) accepts every JSON request body; the mock
/// accepts them all too (`api::v3::input::RawBody::json`).
const JSON_MEDIA_TYPES: [&str; 4] = [
    "application/json-patch+json",
    "application/json",
    "text/json",
    "application/*+json",
];

/// Documents an `application/json` request body under each of [`JSON_MEDIA_TYPES`], as the
/// excerpt does, so no annotation has to repeat them.
fn add_json_media_types(op: &mut Operation) {
    let Some(RefOr::T(body)) = op.request_body.as_mut() else {
        return;
    };
    let Some(json) = body.content.get("application/json").cloned() else {
        return;
    };
    for media_type in JSON_MEDIA_TYPES {
        body.content
            .entry(media_type.to_string())
            .or_insert_with(|| json.clone());
    }
}

fn add_shared_responses(op: &mut Operation) {
    let has_body = op.request_body.is_some();
    let responses = &mut op.responses.responses;
    let unauthorized = ResponseBuilder::new()
        .description("Unauthorized: no, unknown, expired or revoked token, or a token not valid for this site")
        .content(
            "text/plain",
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .example(Some("Invalid access token".into()))
                .build(),
        )
        .build();
    let mut shared: Vec<(&str, RefOr<Response>)> = vec![
        ("400", problem("Invalid request")),
        ("401", unauthorized.into()),
        ("403", problem("Forbidden")),
        (
            "429",
            problem("Too many requests (only while rate-limit enforcement is on; mock addition)"),
        ),
    ];
    if has_body {
        shared.push(("413", problem("Request body too large (mock addition)")));
        shared.push((
            "415",
            problem("Unsupported media type: the body must be JSON (mock addition)"),
        ));
    }
    for (status, response) in shared {
        responses.entry(status.to_string()).or_insert(response);
    }
}
