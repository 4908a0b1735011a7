//! `GET /__admin` (and `/__admin/`): the index of the control API, so that the address the
//! banner prints answers something useful. Every area with its routes, each with one line, and
//! where the documentation is.
//!
//! One handler answers every client: an HTML dashboard for browsers (`Accept: text/html`) will
//! branch in [`control_index`], at the same URL, and leave the JSON to every other client.

use axum::Json;
use axum::extract::OriginalUri;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::instance::Instance;

/// One area of the control API: its routes as `(method, path under the instance, what it
/// does)`. `root_only`: served at the root alone, never under a sandbox.
struct Area {
    name: &'static str,
    root_only: bool,
    routes: &'static [(&'static str, &'static str, &'static str)],
}

/// Every control route. A test holds this list to the served OpenAPI document, so a route
/// added there and forgotten here (or the reverse) fails.
const AREAS: &[Area] = &[
    Area {
        name: "health and reset",
        root_only: false,
        routes: &[
            ("GET", "/__admin", "This index of the control API"),
            (
                "GET",
                "/__admin/health",
                "Whether the mock is up, which instance answered, its version and its clock",
            ),
            (
                "POST",
                "/__admin/reset",
                "Back to the loaded fixtures: state, clock, journal, fault rules, quotas and \
                 rate limits (snapshots are kept)",
            ),
        ],
    },
    Area {
        name: "state",
        root_only: false,
        routes: &[
            (
                "GET",
                "/__admin/state",
                "The whole current state as one fixture document",
            ),
            (
                "PUT",
                "/__admin/state",
                "Replaces the state with a fixture document, validated like a fixture file",
            ),
        ],
    },
    Area {
        name: "snapshots",
        root_only: false,
        routes: &[
            ("GET", "/__admin/snapshots", "The named snapshots, by name"),
            (
                "POST",
                "/__admin/snapshots",
                "Saves the current state under a name",
            ),
            (
                "POST",
                "/__admin/snapshots/{name}/restore",
                "Makes a snapshot the current state again",
            ),
            ("DELETE", "/__admin/snapshots/{name}", "Deletes a snapshot"),
        ],
    },
    Area {
        name: "faults",
        root_only: false,
        routes: &[
            (
                "GET",
                "/__admin/faults",
                "The fault rules, with their calls and hits",
            ),
            (
                "POST",
                "/__admin/faults",
                "Adds a rule: a status, a usersync failure, a delay or a dropped connection",
            ),
            ("DELETE", "/__admin/faults", "Removes every rule"),
            ("GET", "/__admin/faults/{id}", "One rule"),
            ("DELETE", "/__admin/faults/{id}", "Removes one rule"),
        ],
    },
    Area {
        name: "journal",
        root_only: false,
        routes: &[
            (
                "GET",
                "/__admin/requests",
                "The requests received, oldest first, tokens masked (filters in the query)",
            ),
            (
                "GET",
                "/__admin/requests/count",
                "How many requests match the filters",
            ),
            ("DELETE", "/__admin/requests", "Clears the journal"),
            (
                "GET",
                "/__admin/usersync-runs",
                "What the last usersync calls answered per team, and the rosters real runs changed",
            ),
        ],
    },
    Area {
        name: "tokens",
        root_only: false,
        routes: &[
            (
                "POST",
                "/__admin/tokens",
                "Mints a token (24 h by default); the only answer that shows a token in full",
            ),
            (
                "GET",
                "/__admin/tokens",
                "The tokens, codes masked, with their owner, site, write access and expiry",
            ),
            ("POST", "/__admin/tokens/revoke", "Revokes a token"),
        ],
    },
    Area {
        name: "clock",
        root_only: false,
        routes: &[
            ("GET", "/__admin/clock", "The mock clock"),
            ("PUT", "/__admin/clock", "Sets the mock clock"),
            (
                "POST",
                "/__admin/clock/advance",
                "Moves the mock clock by a number of seconds",
            ),
            ("DELETE", "/__admin/clock", "Back to real time"),
        ],
    },
    Area {
        name: "rate limits",
        root_only: false,
        routes: &[
            (
                "GET",
                "/__admin/rate-limits",
                "Whether rate limits are enforced",
            ),
            (
                "PUT",
                "/__admin/rate-limits",
                "Switches enforcement on or off",
            ),
        ],
    },
    Area {
        name: "sandboxes",
        root_only: true,
        routes: &[
            (
                "GET",
                "/__admin/sandboxes",
                "The live sandboxes, oldest first",
            ),
            (
                "POST",
                "/__admin/sandboxes",
                "Creates a sandbox: a private copy of the loaded fixtures under its own base URL",
            ),
            ("DELETE", "/__admin/sandboxes/{id}", "Deletes a sandbox"),
        ],
    },
];

/// The index of the control API.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ControlIndex {
    #[schema(example = "soteams-mock control API")]
    pub name: &'static str,
    /// `root`, or `sandbox` when called under `/_sandbox/{id}`.
    #[schema(example = "root")]
    pub instance: &'static str,
    pub docs: DocLinks,
    pub areas: Vec<AreaView>,
}

/// Where the documentation is, on this server.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocLinks {
    /// Swagger UI, every route of the mock.
    #[schema(example = "/swagger-ui/")]
    pub swagger_ui: &'static str,
    /// Swagger UI opened on the control API's routes.
    #[schema(example = "/swagger-ui/#/Control%20API")]
    pub swagger_ui_control_api: &'static str,
    /// The OpenAPI document.
    #[schema(example = "/openapi.json")]
    pub openapi: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AreaView {
    #[schema(example = "faults")]
    pub name: &'static str,
    /// Whether the routes are served at the root only (the sandbox routes): under a sandbox,
    /// their paths are the root's.
    pub root_only: bool,
    pub routes: Vec<RouteView>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteView {
    #[schema(example = "GET")]
    pub method: &'static str,
    /// The path on the instance that answered (under a sandbox, after its base URL).
    #[schema(example = "/__admin/health")]
    pub path: String,
    pub description: &'static str,
}

/// Where everything of the control API is: each area with its routes and what they do, and the
/// documents. Under `/_sandbox/{id}` the paths are the sandbox's own.
#[utoipa::path(get, path = "/__admin", tag = super::TAG,
    responses(
        (status = 200, description = "The index (`/__admin/` sends other clients than browsers here)", body = ControlIndex),
        (status = 303, description = "A browser (`Accept: text/html`) is sent to the dashboard at `/__admin/`"),
    ))]
pub async fn control_index(
    inst: Instance,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    // A browser is sent to the dashboard at `/__admin/`; every other client gets this JSON.
    if crate::dashboard::wants_page(&headers) {
        return Redirect::to(&format!("{}/", uri.path())).into_response();
    }
    Json(index_of(inst.sandbox.as_deref())).into_response()
}

fn index_of(sandbox: Option<&str>) -> ControlIndex {
    let base = sandbox
        .map(|id| format!("{}/{id}", crate::sandbox::PREFIX))
        .unwrap_or_default();
    let areas = AREAS
        .iter()
        .map(|area| {
            let prefix = if area.root_only { "" } else { base.as_str() };
            AreaView {
                name: area.name,
                root_only: area.root_only,
                routes: area
                    .routes
                    .iter()
                    .map(|&(method, path, description)| RouteView {
                        method,
                        path: format!("{prefix}{path}"),
                        description,
                    })
                    .collect(),
            }
        })
        .collect();
    ControlIndex {
        name: "soteams-mock control API",
        instance: if sandbox.is_some() { "sandbox" } else { "root" },
        docs: DocLinks {
            swagger_ui: "/swagger-ui/",
            swagger_ui_control_api: "/swagger-ui/#/Control%20API",
            openapi: "/openapi.json",
        },
        areas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_a_sandbox_the_paths_are_the_sandboxs_except_the_root_only_ones() {
        let index = index_of(Some("sb-1"));
        assert_eq!(index.instance, "sandbox");
        let paths: Vec<&str> = index
            .areas
            .iter()
            .flat_map(|a| a.routes.iter().map(|r| r.path.as_str()))
            .collect();
        assert!(
            paths.contains(&"/_sandbox/sb-1/__admin/health"),
            "{paths:?}"
        );
        assert!(paths.contains(&"/__admin/sandboxes"), "{paths:?}");
        assert!(!paths.contains(&"/__admin/health"), "{paths:?}");
    }
}
