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

    /// Serves and documents `route` at its path under `prefix`.
    pub fn routes_under(mut self, prefix: &str, route: Route<S>) -> Self {
        self.router = self
            .router
            .route(&format!("{prefix}{}", route.path), route.handlers);
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
/// documentation is not generated here but by [`Route::doc`].
#[macro_export]
macro_rules! routes {
    ($( $($segment:ident)::+ ),+ $(,)?) => {{
        #[allow(unused_imports)]
        use ::utoipa_axum::PathItemExt as _;
        let paths: Vec<String> =
            vec![$( ::utoipa_axum::routes!(@path [path()] of $($segment)::+) ),+];
        debug_assert!(
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
