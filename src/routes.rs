//! Routes declared once: registered with axum at start-up, documented when the OpenAPI
//! document is first asked for.
//!
//! `utoipa_axum::routes!` generates a route's OpenAPI path item and schemas where it is
//! called. Generating them for every route under the v3 API's three URL shapes, and merging
//! and finishing the document, was 20 ms of a 35 ms start-up and 2 MiB of its idle memory
//! (BENCHMARKS.md, "Start-up"). [`routes!`](crate::routes!) registers the handlers at once and
//! keeps a function that generates the documentation; [`Docs::document`] calls them.
//!
//! The route declarations stay those of `utoipa_axum`: a handler's `#[utoipa::path]` gives
//! its path and methods to both, so what is served and what is documented cannot drift.

use axum::Router;
use axum::routing::MethodRouter;
use utoipa::openapi::path::Paths;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{Components, OpenApi, RefOr};

/// The schemas a route's documentation names, by name.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// Generates one route's documentation: its path item (methods and operations) and schemas.
pub type Generate = fn() -> (Schemas, Paths);

/// One path's handlers and how to document them; made by [`routes!`](crate::routes!).
#[derive(Clone)]
pub struct Route<S> {
    /// The path, as `#[utoipa::path]` declares it (relative to a prefix, for v3).
    pub path: String,
    /// The handlers of every method the path declares.
    pub handlers: MethodRouter<S>,
    /// Its documentation, generated on demand.
    pub doc: Generate,
}

/// A router whose documented routes keep their documentation to be generated later.
pub struct Routes<S> {
    router: Router<S>,
    docs: Docs,
}

/// The documentation of a set of routes, not generated yet.
#[derive(Clone, Default)]
pub struct Docs(Vec<(String, Generate)>);

impl<S: Clone + Send + Sync + 'static> Default for Routes<S> {
    fn default() -> Self {
        Routes {
            router: Router::new(),
            docs: Docs::default(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static> Routes<S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves and documents `route` at its path.
    pub fn routes(self, route: Route<S>) -> Self {
        self.routes_under("", route)
    }

    /// Serves and documents `route` at its path under `prefix` (an empty path is the
    /// prefix itself, or `/`, as `utoipa_axum` has it).
    pub fn routes_under(mut self, prefix: &str, route: Route<S>) -> Self {
        let path = match (prefix, route.path.as_str()) {
            ("", "") => "/".to_string(),
            (prefix, path) => format!("{prefix}{path}"),
        };
        self.router = self.router.route(&path, route.handlers);
        self.docs.0.push((prefix.to_string(), route.doc));
        self
    }

    /// Serves `handlers` at `path` without documenting them.
    pub fn route(mut self, path: &str, handlers: MethodRouter<S>) -> Self {
        self.router = self.router.route(path, handlers);
        self
    }

    pub fn merge(mut self, other: Routes<S>) -> Self {
        self.router = self.router.merge(other.router);
        self.docs.0.extend(other.docs.0);
        self
    }

    /// The router to serve, and the documentation to generate when asked.
    pub fn split_for_parts(self) -> (Router<S>, Docs) {
        (self.router, self.docs)
    }
}

impl Docs {
    pub fn merge(&mut self, other: Docs) {
        self.0.extend(other.0);
    }

    /// Adds every route's path item (under its prefix) and schemas to `api`. Routes that
    /// share a path merge their operations, as `utoipa_axum` does; a schema generated twice
    /// (by routes under several prefixes) is the same schema, kept once.
    pub fn document(&self, api: &mut OpenApi) {
        for (prefix, generate) in &self.0 {
            let (schemas, paths) = generate();
            for (path, item) in paths.paths {
                let path = format!("{prefix}{path}");
                match api.paths.paths.get_mut(&path) {
                    Some(have) => have.merge_operations(item),
                    None => {
                        api.paths.paths.insert(path, item);
                    }
                }
            }
            api.components
                .get_or_insert_with(Components::new)
                .schemas
                .extend(schemas);
        }
    }
}

/// A [`Route`] from one or more handlers that share a path (each with `#[utoipa::path]`):
/// `routes!(list, create)`, `routes!(module::handler)`. Unlike `utoipa_axum::routes!`, the
/// documentation is not generated here but by [`Route::doc`]. A schema that the annotations
/// do not collect (a query parameter's enum) is named after a `;`:
/// `routes!(list, create; schemas(Filter))`.
#[macro_export]
macro_rules! routes {
    ($( $($segment:ident)::+ ),+ ; schemas($($schema:ty),+ $(,)?)) => {{
        let mut route = $crate::routes!($( $($segment)::+ ),+);
        route.doc = || {
            let (mut schemas, paths) = ($crate::routes!($( $($segment)::+ ),+).doc)();
            $(
                schemas.push((
                    <$schema as ::utoipa::ToSchema>::name().into(),
                    <$schema as ::utoipa::PartialSchema>::schema(),
                ));
            )+
            (schemas, paths)
        };
        route
    }};
    ($( $($segment:ident)::+ ),+ $(,)?) => {{
        #[allow(unused_imports)]
        use ::utoipa_axum::PathItemExt as _;
        let paths: Vec<String> =
            vec![$( ::utoipa_axum::routes!(@path [path()] of $($segment)::+) ),+];
        // Checked once, at start-up: one path is registered for all of them.
        assert!(
            paths.iter().all(|path| path == &paths[0]),
            "handlers declared together share their path: {paths:?}"
        );
        let path = paths[0].clone();
        let mut handlers = ::axum::routing::MethodRouter::new();
        $(
            for method in ::utoipa_axum::routes!(@path [methods()] of $($segment)::+) {
                handlers = handlers.on(method.to_method_filter(), $($segment)::+);
            }
        )+
        $crate::routes::Route {
            path,
            handlers,
            doc: || {
                let (schemas, paths, _): (_, _, ::axum::routing::MethodRouter<$crate::state::AppState>) =
                    ::utoipa_axum::routes!($( $($segment)::+ ),+);
                (schemas, paths)
            },
        }
    }};
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;
    use crate::state::AppState;

    #[utoipa::path(get, path = "/things", responses((status = 200, description = "listed")))]
    async fn things() -> &'static str {
        "things"
    }

    #[utoipa::path(post, path = "/things", responses((status = 201, description = "made")))]
    async fn make_thing() -> (StatusCode, &'static str) {
        (StatusCode::CREATED, "made")
    }

    /// What is served under each prefix is what is documented there, method by method.
    #[tokio::test]
    async fn routes_under_prefixes_are_served_and_documented_under_each() {
        let (router, docs) = Routes::<AppState>::new()
            .routes_under("/a", crate::routes!(things, make_thing))
            .routes_under("/b", crate::routes!(things))
            .split_for_parts();
        let mut api = utoipa::openapi::OpenApiBuilder::new().build();
        docs.document(&mut api);
        let a = &api.paths.paths["/a/things"];
        assert!(a.get.is_some() && a.post.is_some(), "GET and POST under /a");
        let b = &api.paths.paths["/b/things"];
        assert!(b.get.is_some() && b.post.is_none(), "GET only under /b");
        assert_eq!(api.paths.paths.len(), 2);

        let app = router.with_state(AppState::new(
            Default::default(),
            Default::default(),
            Default::default(),
        ));
        let call = |method: &str, path: &str| {
            let req = Request::builder().method(method).uri(path);
            app.clone().oneshot(req.body(Body::empty()).unwrap())
        };
        assert_eq!(call("GET", "/a/things").await.unwrap().status(), 200);
        assert_eq!(call("POST", "/a/things").await.unwrap().status(), 201);
        assert_eq!(call("GET", "/b/things").await.unwrap().status(), 200);
        let not_there = call("POST", "/b/things").await.unwrap().status();
        assert_eq!(not_there, StatusCode::METHOD_NOT_ALLOWED);
    }
}
