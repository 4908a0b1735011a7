//! # soteams-mock
//!
//! A local, stateful mock of the Stack Overflow for Teams API v3 (subject matter experts, user
//! groups, users, tags) and the Enterprise API 2.3 `usersync` endpoint.
//!
//! How the parts fit:
//! - [`fixtures`] loads and validates a [`domain::World`] (or reports every problem);
//! - [`store::Store`] holds the world behind one lock, inside an [`app::Instance`];
//! - [`api`] holds the protocol edges: thin modules that parse, authorize, call the domain
//!   and render in the emulated API's own wire format;
//! - [`admin`] is the control API (`/__admin/…`): reset, state, snapshots, faults, journal,
//!   tokens, clock, rate limits, sandboxes; [`api::traffic`] is the layer in front of every
//!   edge that journals each request ([`journal`]) and injects faults ([`faults`]);
//!   [`sandbox`] keeps the private instances served under `/_sandbox/{id}`;
//! - [`openapi`] assembles the document served at `/openapi.json`;
//! - [`server`] binds and serves; [`MockServer`] starts the mock inside a test.

pub mod admin;
pub mod api;
pub mod app;
pub mod cache;
pub mod clock;
pub mod config;
pub mod domain;
pub mod faults;
pub mod fixtures;
pub mod journal;
pub mod logging;
pub mod memory;
pub mod openapi;
pub mod padded;
pub mod ratelimit;
pub mod sandbox;
pub mod server;
pub mod store;
pub mod traffic;

pub use server::{MockServer, ServerConfig};
