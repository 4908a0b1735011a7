//! # soteams-mock
//!
//! A local, stateful mock of the Stack Overflow for Teams API v3 (subject matter experts, user
//! groups, users, tags) and the Enterprise API 2.3 `usersync` endpoint.
//!
//! How the parts fit, from the world up:
//! - [`domain`] is the world the mock holds, in plain Rust, with the usersync engine;
//!   [`fixtures`] loads and validates one (or reports every [`problem`]) and exports it;
//! - an [`instance::Instance`] is one isolated world and what belongs to it: the
//!   [`store::Store`] (world, [`clock`], snapshots), the read [`cache`], the [`ratelimit`]s,
//!   the usersync [`quota`]s, the [`journal`], the [`faults`] and the [`revoked`] tokens; the
//!   root is one, each [`sandbox`] another; [`state::AppState`] holds them;
//! - [`api`] holds the emulated APIs' edges (v3, usersync) and [`admin`] the control API: thin
//!   modules that parse, authorize, call the domain and render;
//! - [`pipeline`] is what every request crosses before its edge (sandbox selection, the body
//!   read once ([`body`]), faults, journal, rate limits), [`credentials`] finds and masks
//!   secrets, [`surface`] tells which API a path addresses, [`host`] which `Host` and
//!   `Origin` headers are answered, [`refusal`] why a caller was refused;
//! - [`app`] puts it all in one service with the documents ([`openapi`], [`docs`]) and the request
//!   logs ([`logging`]); [`server`] binds and serves it, and [`MockServer`] starts it inside a
//!   test.

pub mod admin;
pub mod api;
pub mod app;
pub mod banner;
pub mod body;
pub mod cache;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod dashboard;
pub mod docs;
pub mod domain;
pub mod faults;
pub mod fixtures;
#[cfg(test)]
mod fuzz;
pub mod glob;
pub mod host;
pub mod instance;
pub mod journal;
pub mod logging;
pub mod memory;
pub mod oauth;
pub mod openapi;
pub mod parallel;
pub mod pipeline;
pub mod problem;
pub mod quota;
pub mod random;
pub mod ratelimit;
pub mod ready_file;
pub mod refusal;
pub mod revoked;
pub mod roster_changes;
pub mod routes;
pub mod sandbox;
pub mod server;
pub mod state;
pub mod store;
pub mod surface;

pub use server::{Limits, MockServer, ServerConfig};
