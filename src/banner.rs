//! The binary's start-up banner: where everything is, what was loaded, and one `curl` to paste
//! that works against the loaded world, so that the first minute needs no reading.
//!
//! The call to try is chosen from the world ([`TryIt::choose`]): the token of an Admin of the
//! main site when there is one (every route answers it), else any token that can read
//! something, else how to mint one.

use chrono::{DateTime, Utc};

use crate::api::v3::{CLOUD_PREFIX, MAIN_PREFIX, PRIVATE_TEAM_PREFIX};
use crate::domain::{Role, Site, SiteKind, Token, TokenKind, World};
use crate::fixtures::FixtureSource;
use crate::logging::LogFormat;

/// What the banner shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// The server's base URL, `http://127.0.0.1:8080`.
    pub base: String,
    /// Where the fixtures came from: `embedded default set` or the path.
    pub fixtures: String,
    pub sites: usize,
    /// Site users summed over the sites (one account is a user of several sites).
    pub site_users: usize,
    pub accounts: usize,
    pub tokens: usize,
    pub try_it: TryIt,
    /// Whether the control API needs `X-Admin-Token` (the mint command then sends it).
    pub admin_token: bool,
}

/// The one call the banner suggests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TryIt {
    /// A read that answers 200: `GET {path}` with `token`, and who the token is.
    Read {
        token: String,
        path: String,
        who: String,
    },
    /// No token reads anything: mint one for this account on this site.
    Mint { account_id: u32, scope: String },
    /// No account is an active user of any site: nothing can be read.
    Nothing,
}

impl Banner {
    pub fn new(
        base: &str,
        source: &FixtureSource,
        world: &World,
        now: DateTime<Utc>,
        admin_token: bool,
    ) -> Banner {
        let fixtures = match source {
            FixtureSource::Default => "embedded default set".to_string(),
            FixtureSource::Path(path) => path.display().to_string(),
            FixtureSource::Json(_) => "inline JSON".to_string(),
        };
        Banner {
            base: base.to_string(),
            fixtures,
            sites: world.sites.len(),
            site_users: world.sites.iter().map(|s| s.users.len()).sum(),
            accounts: world.accounts.len(),
            tokens: world.tokens.len(),
            try_it: TryIt::choose(world, now),
            admin_token,
        }
    }

    /// `6 sites, 63 site users, 40 accounts, 13 tokens`.
    pub fn counts(&self) -> String {
        format!(
            "{} sites, {} site users, {} accounts, {} tokens",
            self.sites, self.site_users, self.accounts, self.tokens
        )
    }

    /// The command line to paste, or what to do when there is none.
    pub fn try_line(&self) -> String {
        let base = &self.base;
        match &self.try_it {
            TryIt::Read { token, path, .. } => format!(
                "curl -s {base}{path} -H {}",
                shell_quote(&format!("Authorization: Bearer {token}"))
            ),
            TryIt::Mint { account_id, scope } => {
                let admin = if self.admin_token {
                    " -H 'X-Admin-Token: <your admin token>'"
                } else {
                    ""
                };
                let body =
                    serde_json::json!({"accountId": account_id, "scope": scope, "write": true});
                format!(
                    "curl -s {base}/__admin/tokens{admin} --json {}",
                    shell_quote(&body.to_string())
                )
            }
            TryIt::Nothing => "no account is an active user of a site: load fixtures with one \
                               (PUT /__admin/state), then mint a token (POST /__admin/tokens)"
                .to_string(),
        }
    }

    /// One line on what [`Banner::try_line`] does.
    pub fn try_note(&self) -> String {
        match &self.try_it {
            TryIt::Read { token, who, .. } => format!("{token}: {who}"),
            TryIt::Mint { .. } => "these fixtures have no token that can read: this mints one \
                                  (the answer's \"token\" is a bearer token)"
                .to_string(),
            TryIt::Nothing => "these fixtures have nothing to read".to_string(),
        }
    }

    /// Prints the banner: lines for a person, or one JSON event (`--log-format json`). The
    /// first line names the URL, which tools read.
    pub fn print(&self, format: LogFormat) {
        let base = &self.base;
        let urls = [
            ("Enterprise main site (v3)", format!("{base}{MAIN_PREFIX}")),
            (
                "Enterprise private team (v3)",
                format!("{base}{PRIVATE_TEAM_PREFIX}"),
            ),
            ("Basic/Business team (v3)", format!("{base}{CLOUD_PREFIX}")),
            (
                "Enterprise usersync (v2.3)",
                format!("{base}{}", crate::surface::USERSYNC_PATH),
            ),
            ("OpenAPI", format!("{base}/openapi.json")),
            ("Swagger UI", format!("{base}/swagger-ui/")),
            (
                "Control API",
                format!("{base}{}", crate::surface::ADMIN_PREFIX),
            ),
            (
                "Sandboxes",
                format!("{base}{}/{{id}}", crate::sandbox::PREFIX),
            ),
        ];
        match format {
            LogFormat::Pretty => {
                println!("soteams-mock listening on {base}");
                for (label, url) in &urls {
                    println!("  {label:<29}{url}");
                }
                println!("  {:<29}{}: {}", "Fixtures", self.fixtures, self.counts());
                println!("  {:<29}{}", "Try it", self.try_line());
                println!("  {:<29}({})", "", self.try_note());
            }
            LogFormat::Json => {
                let [
                    main,
                    team,
                    cloud,
                    usersync,
                    openapi,
                    swagger,
                    control,
                    sandboxes,
                ] = urls.map(|(_, url)| url);
                tracing::info!(
                    target: "soteams_mock::start",
                    url = base,
                    enterprise_main = main,
                    enterprise_private_team = team,
                    cloud_team = cloud,
                    usersync,
                    openapi,
                    swagger_ui = swagger,
                    control_api = control,
                    sandboxes,
                    fixtures = self.fixtures,
                    sites = self.sites,
                    site_users = self.site_users,
                    accounts = self.accounts,
                    tokens = self.tokens,
                    try_it = self.try_line(),
                    try_note = self.try_note(),
                    "soteams-mock listening on {base}"
                );
            }
        }
    }
}

impl TryIt {
    /// The call to suggest; see the module docs. Among equals, tokens are taken in name order
    /// (the world keeps them sorted), so the banner is the same at every start.
    pub fn choose(world: &World, now: DateTime<Utc>) -> TryIt {
        let usable: Vec<&Token> = world
            .tokens
            .values()
            .filter(|t| !t.is_expired(now))
            .filter(|t| {
                world
                    .accounts
                    .get(t.account_id)
                    .is_some_and(|a| !a.is_deactivated)
            })
            .collect();
        // An Admin of the main site with a write token answers every route; a service token
        // last, because usersync refuses it.
        if let Some(main) = world.main_site() {
            let admin = |t: &&&Token| {
                t.write
                    && t.covers(main)
                    && main
                        .user_by_account(t.account_id)
                        .is_some_and(|u| u.role == Role::Admin)
            };
            let best = usable
                .iter()
                .filter(admin)
                .min_by_key(|t| t.kind == TokenKind::Service);
            if let Some(token) = best {
                return TryIt::read(world, token, main);
            }
        }
        for token in &usable {
            let readable = world
                .sites
                .iter()
                .find(|s| token.covers(s) && reads(token, s));
            if let Some(site) = readable {
                return TryIt::read(world, token, site);
            }
        }
        let member = world.sites.iter().find_map(|site| {
            site.users
                .values()
                .find(|u| {
                    world
                        .accounts
                        .get(u.account_id)
                        .is_some_and(|a| !a.is_deactivated)
                })
                .map(|u| (u.account_id, site.slug.clone()))
        });
        match member {
            Some((account_id, scope)) => TryIt::Mint { account_id, scope },
            None => TryIt::Nothing,
        }
    }

    fn read(world: &World, token: &Token, site: &Site) -> TryIt {
        let member = site.user_by_account(token.account_id);
        // `/users/me` is the caller itself; a service token that is not a member has no "me"
        // (404, mock choice) but may read the site's tags.
        let route = if member.is_some() {
            "/users/me"
        } else {
            "/tags"
        };
        let name = world
            .accounts
            .get(token.account_id)
            .map_or("?", |a| a.name.as_str());
        let access = if token.write {
            "read-write"
        } else {
            "read-only"
        };
        let kind = format!("{:?}", token.kind).to_lowercase();
        let role = member.map_or("not a member".to_string(), |u| {
            format!("{} of {}", u.role.as_str(), site.slug)
        });
        TryIt::Read {
            token: token.token.clone(),
            path: format!("{}{route}", prefix_of(site)),
            who: format!("a {access} {kind} token of {name}, {role}"),
        }
    }
}

/// Whether `token`'s owner may read `site`: a member, or any service token (mock choice).
fn reads(token: &Token, site: &Site) -> bool {
    token.kind == TokenKind::Service || site.user_by_account(token.account_id).is_some()
}

/// The v3 prefix that addresses `site`.
fn prefix_of(site: &Site) -> String {
    match site.kind {
        SiteKind::Enterprise => MAIN_PREFIX.to_string(),
        SiteKind::PrivateTeam => PRIVATE_TEAM_PREFIX.replace("{team}", &site.slug),
        SiteKind::Basic | SiteKind::Business => CLOUD_PREFIX.replace("{team}", &site.slug),
    }
}

/// `value` as one shell word: single quotes, with any single quote in it closed and escaped.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{FixtureSource, load};

    fn world(json: serde_json::Value) -> World {
        load(&FixtureSource::Json(json.to_string())).unwrap()
    }

    #[test]
    fn the_default_world_offers_ada_rw_on_the_main_site() {
        let w = load(&FixtureSource::Default).unwrap();
        let b = Banner::new(
            "http://127.0.0.1:8080",
            &FixtureSource::Default,
            &w,
            Utc::now(),
            false,
        );
        assert_eq!(
            b.try_line(),
            "curl -s http://127.0.0.1:8080/api/v3/users/me -H 'Authorization: Bearer ada-rw'"
        );
        assert_eq!(
            b.try_note(),
            "ada-rw: a read-write oauth token of Ada Admin, Admin of main"
        );
    }

    #[test]
    fn without_an_admin_token_any_token_that_reads_is_offered() {
        let w = world(serde_json::json!({
            "accounts": [{"accountId": 1, "name": "A", "email": "a@x"},
                         {"accountId": 2, "name": "B", "email": "b@x", "isDeactivated": true}],
            "sites": [{"slug": "acme", "kind": "business", "name": "Acme",
                       "users": [{"id": 7, "accountId": 1, "role": "Registered"},
                                 {"id": 8, "accountId": 2, "role": "Admin"}]}],
            "tokens": [
                {"token": "a-old", "accountId": 1, "kind": "pat", "scope": "acme", "expiresAt": "2020-01-01T00:00:00Z"},
                {"token": "b-gone", "accountId": 2, "kind": "pat", "scope": "acme", "write": true},
                {"token": "z-ro", "accountId": 1, "kind": "pat", "scope": "acme"}
            ]
        }));
        assert_eq!(
            TryIt::choose(&w, Utc::now()),
            TryIt::Read {
                token: "z-ro".into(),
                path: "/v3/teams/acme/users/me".into(),
                who: "a read-only pat token of A, Registered of acme".into(),
            }
        );
    }

    #[test]
    fn without_a_token_the_banner_says_how_to_mint_one() {
        let w = world(serde_json::json!({
            "accounts": [{"accountId": 1, "name": "A", "email": "a@x"}],
            "sites": [{"slug": "team-a", "kind": "privateTeam", "name": "T",
                       "users": [{"id": 1, "accountId": 1, "role": "Admin"}]}]
        }));
        let b = Banner::new("http://h:1", &FixtureSource::Default, &w, Utc::now(), true);
        assert_eq!(
            b.try_line(),
            "curl -s http://h:1/__admin/tokens -H 'X-Admin-Token: <your admin token>' \
             --json '{\"accountId\":1,\"scope\":\"team-a\",\"write\":true}'"
        );
        assert_eq!(TryIt::choose(&World::default(), Utc::now()), TryIt::Nothing);
    }

    #[test]
    fn a_quote_in_a_token_stays_one_shell_word() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
