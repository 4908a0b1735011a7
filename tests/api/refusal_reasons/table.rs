//! The table of refusals: one row per reason the default fixtures can produce, each with the
//! status and the body the mock answered before reasons existed.

use serde_json::{Value, json};

use super::{ADMIN, USERSYNC};

/// What a refused answer's body is, exactly as before reasons existed.
pub enum Body {
    /// v3's `text/plain` 401.
    Text(&'static str),
    /// A JSON body, compared whole.
    Json(Value),
    /// The mock's own error (`{"error": …}`), by the start of its message.
    MockError(&'static str),
}

/// One request of the table, and what it must answer.
pub struct Row {
    pub what: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub headers: Vec<(&'static str, &'static str)>,
    pub form: Vec<(&'static str, &'static str)>,
    pub json: Option<Value>,
    /// A refusal of the server's own (the `Host`), which the spec does not describe.
    pub unchecked: bool,
    pub status: u16,
    pub reason: &'static str,
    pub body: Body,
}

fn get(what: &'static str, path: &'static str) -> Row {
    Row {
        what,
        method: "GET",
        path,
        headers: vec![],
        form: vec![],
        json: None,
        unchecked: false,
        status: 0,
        reason: "",
        body: Body::Text(""),
    }
}

/// A usersync call with these form fields (and `requestsJson=[]`).
fn sync(what: &'static str, form: &[(&'static str, &'static str)]) -> Row {
    let mut form = form.to_vec();
    form.push(("requestsJson", "[]"));
    Row {
        method: "POST",
        path: USERSYNC,
        form,
        ..get(what, USERSYNC)
    }
}

impl Row {
    fn authorization(self, value: &'static str) -> Row {
        self.header("Authorization", value)
    }
    fn header(mut self, name: &'static str, value: &'static str) -> Row {
        self.headers.push((name, value));
        self
    }
    fn post_json(mut self, body: Value) -> Row {
        self.method = "POST";
        self.json = Some(body);
        self
    }
    fn unchecked(mut self) -> Row {
        self.unchecked = true;
        self
    }
    fn answers(mut self, status: u16, reason: &'static str, body: Body) -> Row {
        (self.status, self.reason, self.body) = (status, reason, body);
        self
    }
}

const INVALID: Body = Body::Text("Invalid access token");

fn forbidden(detail: Option<&str>) -> Body {
    let mut body =
        json!({"type": "/v3/errors/forbidden", "title": "Forbidden Action", "status": 403});
    if let Some(detail) = detail {
        body["detail"] = json!(detail);
    }
    Body::Json(body)
}

fn v2(id: u16, name: &str, message: &str) -> Body {
    Body::Json(json!({"error_id": id, "error_name": name, "error_message": message}))
}

pub const ADMIN_DENIED: &str =
    "usersync requires a write access token owned by an Admin of the Enterprise main site: ";

/// One row per reason the default fixtures can produce (`no-main-site` needs fixtures without
/// an Enterprise site: its own test below), some reasons twice to show two ways to get them.
pub fn rows() -> Vec<Row> {
    let me = "/api/v3/users/me";
    vec![
        get("no Authorization", me).answers(401, "bearer-missing", INVALID),
        get("no scheme", me)
            .authorization("ada-rw")
            .answers(401, "bearer-malformed", INVALID),
        get("Basic", me)
            .authorization("Basic YWRhOnJ3")
            .answers(401, "bearer-malformed", INVALID),
        get("usersync's query parameter", "/api/v3/users/me?access_token=ada-rw").answers(
            401,
            "credentials-in-wrong-place",
            INVALID,
        ),
        get("usersync's header", me)
            .header("X-API-Access-Token", "ada-rw")
            .answers(401, "credentials-in-wrong-place", INVALID),
        get("unknown", me)
            .authorization("Bearer nope")
            .answers(401, "token-unknown", INVALID),
        get("revoked", me)
            .authorization("Bearer doomed-token")
            .answers(401, "token-revoked", INVALID),
        get("expired", me)
            .authorization("Bearer expired-pat")
            .answers(401, "token-expired", INVALID),
        get("unknown cloud team", "/v3/teams/no-such-team/users/me")
            .authorization("Bearer acme-admin-rw")
            .answers(401, "team-unknown", INVALID),
        get("main-site PAT on a private team", "/api/v3/teams/productone/users/me")
            .authorization("Bearer main-pat-rw")
            .answers(401, "token-wrong-site", INVALID),
        get("OAuth token on a cloud team", "/v3/teams/acme/users/me")
            .authorization("Bearer ada-rw")
            .answers(401, "token-wrong-site", INVALID),
        get("deactivated owner", me).authorization("Bearer cy-rw").answers(
            403,
            "owner-deactivated",
            forbidden(Some("The account that owns this token is deactivated")),
        ),
        get("not a user of the site", me)
            .authorization("Bearer outsider-rw")
            .answers(
                403,
                "not-a-site-user",
                forbidden(Some("The token's owner is not a user of Example Corp")),
            ),
        get("admin-only route", "/api/v3/users/manage")
            .authorization("Bearer bob-rw")
            .answers(403, "admin-only", forbidden(None)),
        get("write with a read-only token", "/api/v3/user-groups")
            .authorization("Bearer bob-ro")
            .post_json(json!({"name": "Reasons"}))
            .answers(403, "token-read-only", forbidden(None)),
        get("write on a Basic team", "/v3/teams/startup/user-groups")
            .authorization("Bearer startup-rw")
            .post_json(json!({"name": "Reasons"}))
            .answers(403, "basic-team-read-only", forbidden(None)),
        get("injected 401", me)
            .authorization("Bearer ada-rw")
            .header("X-Mock-Fault", "status=401")
            .answers(401, "injected-fault", INVALID),
        get("injected 403", me)
            .authorization("Bearer ada-rw")
            .header("X-Mock-Fault", "status=403")
            .answers(403, "injected-fault", forbidden(None)),
        sync("usersync: no token", &[("key", "local-key")]).answers(
            400,
            "access-token-missing",
            v2(
                401,
                "access_token_required",
                "this method requires an access_token (form field, query parameter or X-API-Access-Token header)",
            ),
        ),
        sync(
            "usersync: two tokens",
            &[("access_token", "bob-rw"), ("key", "local-key")],
        )
        .header("X-API-Access-Token", "ada-rw")
        .answers(
            400,
            "credentials-conflict",
            v2(
                400,
                "bad_parameter",
                "access_token: two different values were sent, bob… in the form body and ada… in the X-API-Access-Token header; send one (mock choice)",
            ),
        ),
        sync(
            "usersync: unknown token",
            &[("access_token", "nope"), ("key", "local-key")],
        )
        .answers(
            400,
            "token-unknown",
            v2(402, "invalid_access_token", "access_token is not valid"),
        ),
        sync(
            "usersync: revoked token",
            &[("access_token", "doomed-token"), ("key", "local-key")],
        )
        .answers(
            400,
            "token-revoked",
            v2(402, "invalid_access_token", "access_token is not valid"),
        ),
        sync(
            "usersync: expired token",
            &[("access_token", "expired-pat"), ("key", "local-key")],
        )
        .answers(
            400,
            "token-expired",
            v2(402, "invalid_access_token", "access_token has expired"),
        ),
        sync(
            "usersync: a cloud team's PAT",
            &[("access_token", "acme-admin-rw"), ("key", "local-key")],
        )
        .answers(
            400,
            "token-wrong-site",
            v2(
                402,
                "invalid_access_token",
                "access_token is not valid for the Enterprise main site",
            ),
        ),
        sync("usersync: no key", &[("access_token", "ada-rw")]).answers(
            400,
            "key-missing",
            v2(
                405,
                "key_required",
                "this method requires a key (form field, query parameter or X-API-Key header)",
            ),
        ),
        sync(
            "usersync: unknown key",
            &[("access_token", "ada-rw"), ("key", "stolen-key")],
        )
        .answers(
            400,
            "key-unknown",
            v2(400, "bad_parameter", "key: not a valid application key"),
        ),
        sync(
            "usersync: service token",
            &[("access_token", "service-main"), ("key", "local-key")],
        )
        .answers(
            400,
            "service-token",
            v2(
                403,
                "access_denied",
                &format!("{ADMIN_DENIED}service application tokens are not accepted"),
            ),
        ),
        sync(
            "usersync: read-only token",
            &[("access_token", "ada-ro"), ("key", "local-key")],
        )
        .answers(
            400,
            "token-read-only",
            v2(
                403,
                "access_denied",
                &format!("{ADMIN_DENIED}the access token is read-only"),
            ),
        ),
        sync(
            "usersync: deactivated owner",
            &[("access_token", "cy-rw"), ("key", "local-key")],
        )
        .answers(
            400,
            "owner-deactivated",
            v2(
                403,
                "access_denied",
                &format!("{ADMIN_DENIED}the token's owner is deactivated"),
            ),
        ),
        sync(
            "usersync: not a main-site Admin",
            &[("access_token", "bob-rw"), ("key", "local-key")],
        )
        .answers(
            400,
            "not-main-site-admin",
            v2(
                403,
                "access_denied",
                &format!(
                    "{ADMIN_DENIED}the token's owner is not an Admin of the Enterprise main site"
                ),
            ),
        ),
        sync(
            "usersync: injected 403",
            &[("access_token", "ada-rw"), ("key", "local-key")],
        )
        .header("X-Mock-Fault", "status=403")
        .answers(
            400,
            "injected-fault",
            v2(403, "access_denied", "Access denied"),
        ),
        get("control API without the admin token", "/__admin/health").answers(
            401,
            "admin-token-missing",
            Body::MockError("this control API requires the admin token"),
        ),
        get("control API with another admin token", "/__admin/health")
            .header("X-Admin-Token", "not-it")
            .answers(
                401,
                "admin-token-wrong",
                Body::MockError("this control API requires the admin token"),
            ),
        get("control API from a web page", "/__admin/health")
            .header("X-Admin-Token", ADMIN)
            .header("Origin", "http://evil.example")
            .answers(
                403,
                "origin-not-allowed",
                Body::MockError("the control API answers only its own origin"),
            ),
        get("a foreign Host", me)
            .authorization("Bearer ada-rw")
            .header("Host", "evil.example")
            .unchecked()
            .answers(
                403,
                "host-not-allowed",
                Body::MockError("the Host \"evil.example\" is not a loopback name"),
            ),
    ]
}
