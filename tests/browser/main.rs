//! Browser tests (issue 15 item 7): Debian's Chromium, headless, driven through WebDriver
//! (`chromedriver`) with `fantoccini`, against the real server started in-process.
//!
//! Why fantoccini: a small async WebDriver client on tokio and hyper, which this crate has
//! already; with its default features off it brings no TLS stack (chromedriver is spoken to
//! over plain HTTP on loopback). Playwright would need Node and its own browser download.
//!
//! Without `chromium` and `chromedriver` on `PATH` each test prints why and passes, so a plain
//! `cargo test` works anywhere; `.ci/run` installs them and sets `BROWSER_TESTS=required`,
//! which turns a missing browser into a failure. The tests take turns (one browser at a time:
//! CI has two cores) and save screenshots to `target/screenshots/`, or with `UPDATE_SCREENSHOTS=1`
//! to `docs/images/` (the README's).

mod dashboard;
mod harness;
mod swagger;
