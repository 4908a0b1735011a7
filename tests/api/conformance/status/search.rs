//! The rows of `GET /search`, the one operation whose 500 and 503 only a fault produces and
//! whose 429 comes from rate-limit enforcement.

use super::{ADMIN, DEACTIVATED, FAULT_500, NONE, READ_ONLY, Row, State, row};

/// `GET /search`: every declared status, 500 and 503 by fault injection only.
pub(super) fn rows() -> Vec<Row> {
    let search = ("GET", "/search");
    let mut rows = vec![
        row(
            search,
            200,
            "/api/v3/search?query=is:question",
            READ_ONLY,
            None,
            "a read-only token searches",
        ),
        row(
            search,
            400,
            "/api/v3/search?query=score:high",
            ADMIN,
            None,
            "an operator with a value it does not take",
        ),
        Row {
            state: State::BurstSpent,
            ..row(
                search,
                429,
                "/api/v3/search?query=x",
                ADMIN,
                None,
                "rate limits enforced, the burst spent",
            )
        },
    ];
    for (status, spec) in [(500, FAULT_500), (503, "status=503")] {
        rows.push(Row {
            state: State::Fault(spec),
            ..row(
                search,
                status,
                "/api/v3/search?query=x",
                ADMIN,
                None,
                "fault injection: X-Mock-Fault",
            )
        });
    }
    rows.extend(auth_rows!(search, "/api/v3/search"));
    rows
}
