//! The consent pages, rendered on the server with `format!` and one escaping function: three
//! small pages do not need a template crate. No script at all; the style sheet is the
//! dashboard's (`/dashboard/dashboard.css`), and the headers forbid everything else.

use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::Request;
use super::grant::Choice;
use crate::domain::{AccountId, SiteKind};

/// The headers of every page and redirect of the dialog: nothing but this origin's style
/// sheet, forms posting only to this origin, no framing (a consent page in a frame can be
/// clicked through), nothing cached. The referrer policy is `same-origin`, not `no-referrer`:
/// with `no-referrer` Chromium sends `Origin: null` with the form's POST, which the
/// same-origin check must refuse.
pub fn security_headers() -> [(&'static str, &'static str); 4] {
    [
        (
            "content-security-policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("x-content-type-options", "nosniff"),
    ]
}

/// Escapes text for HTML content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title} · soteams-mock</title>\
         <link rel=\"stylesheet\" href=\"/dashboard/dashboard.css\"></head>\
         <body class=\"dialog\"><main class=\"card\"><h1>{title}</h1>\n{body}\n</main></body></html>\n",
        title = escape(title),
    );
    (
        status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        security_headers(),
        page,
    )
        .into_response()
}

/// A request the dialog refuses: what is wrong, and no way on.
pub fn refused(status: StatusCode, why: &str) -> Response {
    let body = format!(
        "<p class=\"error\" id=\"refusal\">{}</p>\
         <p>Swagger UI sends a good request: open <a href=\"/swagger-ui/\">Swagger UI</a>, click \
         <b>Authorize</b>, leave the Client ID unchanged and tick <code>access_team</code>.</p>",
        escape(why)
    );
    html(status, "Authorization refused", &body)
}

/// The authorization request again, as hidden fields of the next form.
fn hidden(req: &Request) -> String {
    let fields = [
        ("response_type", &req.response_type),
        ("client_id", &req.client_id),
        ("redirect_uri", &req.redirect_uri),
        ("scope", &req.scope),
        ("state", &req.state),
    ];
    fields
        .iter()
        .filter_map(|(name, value)| {
            value.as_ref().map(|v| {
                format!(
                    "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                    escape(v)
                )
            })
        })
        .collect()
}

/// Step 1: which account signs in.
pub fn sign_in(req: &Request, accounts: &[(AccountId, String)]) -> Response {
    let options: String = accounts
        .iter()
        .map(|(id, name)| format!("<option value=\"{id}\">{} ({id})</option>", escape(name)))
        .collect();
    let body = format!(
        "<p><b>Swagger UI</b> wants to access Stack Overflow for Teams on your behalf. The mock \
         has no passwords: choose who signs in.</p>\
         <form method=\"get\" action=\"dialog\">{}\
         <label>Account <select name=\"account\" id=\"account\">{options}</select></label>\
         <p><button type=\"submit\" id=\"continue\">Continue</button></p></form>",
        hidden(req)
    );
    html(StatusCode::OK, "Sign in", &body)
}

/// Step 2: the account's sites, whether each can be written, Approve or Deny.
pub fn consent(
    req: &Request,
    account: AccountId,
    name: &str,
    choices: &[Choice],
    write_access: bool,
) -> Response {
    let rows: String = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let access = match (write_access, c.writable) {
                (true, true) => "read and write".to_string(),
                (true, false) => "read only: Basic teams are read-only".to_string(),
                (false, _) => "read only: write_access was not ticked".to_string(),
            };
            let kind = match c.kind {
                SiteKind::Enterprise => "Enterprise main site",
                SiteKind::PrivateTeam => "private team",
                SiteKind::Business => "Business team",
                SiteKind::Basic => "Basic team",
            };
            format!(
                "<li><label><input type=\"radio\" name=\"site\" value=\"{slug}\"{checked}> \
                 <b>{name}</b> <code>{slug}</code> <span class=\"muted\">{kind}</span> \
                 <span class=\"access\">{access}</span></label></li>",
                slug = escape(&c.slug),
                name = escape(&c.name),
                checked = if i == 0 { " checked" } else { "" },
            )
        })
        .collect();
    let body = format!(
        "<p>Signed in as <b>{name}</b> ({account}). <b>Swagger UI</b> asks for \
         <code>access_team</code>{write}. It gets a personal access token for the team you \
         choose, listed as \"Created by Swagger UI\", valid for 24 hours.</p>\
         <form method=\"post\" action=\"dialog\">{hidden}\
         <input type=\"hidden\" name=\"account\" value=\"{account}\">\
         <fieldset><legend>Team</legend><ul class=\"choices\">{rows}</ul></fieldset>\
         <p><button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button> \
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\" class=\"secondary\">Deny</button></p>\
         </form>",
        name = escape(name),
        write = if write_access {
            " and <code>write_access</code>"
        } else {
            ""
        },
        hidden = hidden(req),
    );
    html(StatusCode::OK, "Authorize Swagger UI", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
