//! Black-box tests: each test starts the real server in-process on a free port and talks to it
//! over HTTP. Every response is checked against the served OpenAPI document by the shared
//! client in `helpers` (see `spec`), so no test can forget to.

mod helpers;
mod raw;
mod site_state;
mod spec;

mod admin_after_merge;
mod admin_faults;
mod admin_journal;
mod admin_sandboxes;
mod admin_security;
mod admin_state;
mod admin_tokens;
mod answers;
mod bad_inputs;
mod conformance;
mod dashboard_http;
mod docs_run;
mod first_minutes;
mod fixture_content;
mod fixture_problems;
mod fixtures_cli;
mod hardening_bodies;
mod hardening_clock;
mod hardening_host;
mod hardening_ids;
mod hardening_serve;
mod hardening_shutdown;
mod hardening_validation;
mod limits;
mod no_secret_leaks;
mod oauth_dialog;
mod one_stack;
mod openapi_doc;
mod ready_file;
mod refusal_reasons;
mod search;
mod soak;
mod usersync;
mod v3_articles;
mod v3_auth;
mod v3_collections;
mod v3_communities;
mod v3_concurrency;
mod v3_images;
mod v3_questions;
mod v3_read_cache;
mod v3_reads;
mod v3_writes_groups;
mod v3_writes_smes;
