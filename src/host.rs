//! Who may talk to the mock, judged by the `Host` and `Origin` headers: the guard against DNS
//! rebinding ([`HostPolicy`], every route, in the pipeline) and the same-origin test of the
//! control API ([`same_origin`], in [`crate::admin`]).
//!
//! A web page can make a browser send requests to `127.0.0.1`: cross-site (the `Origin` is the
//! page's, which the control API refuses), or through a name of the attacker's that it points
//! at 127.0.0.1 once the page has loaded (DNS rebinding: the browser then sends the attacker's
//! name as `Host`, and reads the answers as same-origin). A server that listens on loopback
//! only ever needs loopback names, so it refuses the others.

use std::net::{Ipv4Addr, Ipv6Addr};

use axum::http::header::HOST;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};

use crate::problem::MockError;
use crate::refusal::Refusal;

/// Which `Host` headers the server answers.
#[derive(Debug, Clone, Default)]
pub struct HostPolicy {
    /// Only loopback names and `allowed` (the server listens on a loopback address); `false`
    /// answers any `Host`.
    check: bool,
    /// Names allowed besides the loopback ones (`--allowed-host`), lower case.
    allowed: Vec<String>,
}

impl HostPolicy {
    /// The policy of a server listening on a loopback address or not, with `--allowed-host`
    /// names (`*` allows every name, which turns the check off).
    pub fn new(listens_on_loopback: bool, allowed: &[String]) -> Self {
        let allowed: Vec<String> = allowed
            .iter()
            .map(|name| name.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|name| !name.is_empty())
            .collect();
        HostPolicy {
            check: listens_on_loopback && !allowed.iter().any(|name| name == "*"),
            allowed,
        }
    }

    /// The 403 of a request whose `Host` this server does not answer. A request without
    /// `Host` (HTTP/1.0) is answered: no browser sends one.
    pub fn refuse(&self, headers: &HeaderMap, uri: &Uri) -> Option<MockError> {
        if !self.check {
            return None;
        }
        let value = match headers.get(HOST) {
            Some(value) if is_plain_loopback(value.as_bytes()) => return None,
            Some(value) => value.to_str().unwrap_or("(not text)"),
            None => uri.authority()?.as_str(),
        };
        if self.answers(value) {
            return None;
        }
        Some(MockError::refused(
            StatusCode::FORBIDDEN,
            Refusal::HostNotAllowed,
            format!(
                "the Host {value:?} is not a loopback name: soteams-mock listens on a loopback \
                 address and answers only localhost, *.localhost, 127.0.0.0/8 and [::1] (any \
                 port), so that a web page cannot reach it through a name of its own (DNS \
                 rebinding); allow more names with --allowed-host NAME (SOTEAMS_ALLOWED_HOSTS)"
            ),
        ))
    }

    fn answers(&self, value: &str) -> bool {
        let Some((host, _)) = split_authority(value) else {
            return false;
        };
        let host = host.strip_suffix('.').unwrap_or(host);
        is_loopback(host)
            || self
                .allowed
                .iter()
                .any(|name| name.eq_ignore_ascii_case(host) || name.eq_ignore_ascii_case(value))
    }
}

/// The `Host` nearly every request sends, `127.0.0.1` or `localhost` with or without a port,
/// recognised without parsing: the check costs 244 instructions per request instead of 817
/// (BENCHMARKS.md, "The hardening's costs"). Every value it accepts, `answers` accepts too (a unit test and a
/// property test); anything else goes the long way.
fn is_plain_loopback(value: &[u8]) -> bool {
    let rest = if let Some(rest) = value.strip_prefix(b"127.0.0.1") {
        rest
    } else if value.len() >= 9 && value[..9].eq_ignore_ascii_case(b"localhost") {
        &value[9..]
    } else {
        return false;
    };
    match rest {
        [] => true,
        [b':', port @ ..] => {
            (1..=5).contains(&port.len())
                && port.iter().all(u8::is_ascii_digit)
                && port.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')) <= 65535
        }
        _ => false,
    }
}

/// `localhost`, `*.localhost`, an address of 127.0.0.0/8, `[::1]` (or `[::ffff:127.x.y.z]`).
fn is_loopback(host: &str) -> bool {
    const SUFFIX: &str = ".localhost";
    if host.eq_ignore_ascii_case("localhost")
        || (host.len() > SUFFIX.len()
            && host.is_char_boundary(host.len() - SUFFIX.len())
            && host[host.len() - SUFFIX.len()..].eq_ignore_ascii_case(SUFFIX))
    {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|ip| {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        });
    }
    host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The host (IPv6 in its brackets) and the port of an authority: `example.com:8080`,
/// `[::1]:80`, `127.0.0.1`. `None` when the port is not a number.
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let end = rest.find(']')? + 2;
            (&authority[..end], authority[end..].strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if !authority[host.len()..].is_empty() && port.is_none() {
        return None; // `[::1]x`
    }
    match port {
        Some(port) => Some((host, Some(port.parse().ok()?))),
        None => Some((host, None)),
    }
}

/// Whether an `Origin` is this server's own: the same host and port as the `Host` header
/// (`http` or `https`, whose default ports stand for a missing one). `null`, an origin with a
/// path or another scheme, or a request without `Host`, is not.
pub fn same_origin(origin: &HeaderValue, host: Option<&HeaderValue>) -> bool {
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host.map(HeaderValue::to_str)) else {
        return false;
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let default_port = if scheme.eq_ignore_ascii_case("http") {
        80
    } else if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        return false;
    };
    match (split_authority(authority), split_authority(host)) {
        (Some((origin_host, origin_port)), Some((host, port))) => {
            !authority.contains('/')
                && origin_host.eq_ignore_ascii_case(host)
                && origin_port.unwrap_or(default_port) == port.unwrap_or(default_port)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(policy: &HostPolicy, host: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_str(host).unwrap());
        policy.refuse(&headers, &Uri::from_static("/")).is_none()
    }

    #[test]
    fn a_loopback_server_answers_loopback_names_and_allowed_ones_only() {
        let policy = HostPolicy::new(true, &["Mock".into(), "proxy.internal:9000".into()]);
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "localhost.",
            "app.localhost:3000",
            "127.0.0.1:8080",
            "127.255.0.9",
            "[::1]:8080",
            "[::1]",
            "[::ffff:127.0.0.1]:80",
            "mock:8080",
            "mock",
            "proxy.internal:9000",
        ] {
            assert!(answered(&policy, host), "{host} is answered");
        }
        for host in [
            "attacker.example",
            "localhost.attacker.example:8080",
            "attacker-localhost",
            "127.0.0.1.attacker.example",
            "128.0.0.1:8080",
            "0.0.0.0:8080",
            "[::2]:8080",
            "[::1",
            "localhost:http",
            "10.0.0.1",
            "proxy.internal:9001",
            "",
        ] {
            assert!(!answered(&policy, host), "{host} is refused");
        }
    }

    #[test]
    fn the_quick_loopback_check_accepts_only_what_the_full_check_answers() {
        let policy = HostPolicy::new(true, &[]);
        for host in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost",
            "LocalHost:1",
            "localhost:65535",
        ] {
            assert!(is_plain_loopback(host.as_bytes()), "{host} is quick");
            assert!(policy.answers(host), "{host}");
        }
        for host in [
            "127.0.0.1:",
            "127.0.0.1:65536",
            "127.0.0.1:123456",
            "127.0.0.1:+80",
            "127.0.0.10",
            "127.0.0.1.",
            "localhost.",
            "localhost:8080x",
            "localhostx",
            "localhost.attacker.example",
            "[::1]:80",
        ] {
            assert!(
                !is_plain_loopback(host.as_bytes()),
                "{host} goes the long way"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_quick_loopback_check_never_answers_what_the_full_check_refuses(
            host in "(127\\.0\\.0\\.1|[lL][oO][cC]alhost|[0-9.]{1,12})(:[+0-9]{0,7})?[.x:]?"
        ) {
            if is_plain_loopback(host.as_bytes()) {
                proptest::prop_assert!(HostPolicy::new(true, &[]).answers(&host), "{}", host);
            }
        }
    }

    #[test]
    fn other_servers_answer_any_host_as_does_a_star() {
        assert!(answered(&HostPolicy::new(false, &[]), "attacker.example"));
        assert!(answered(
            &HostPolicy::new(true, &["*".into()]),
            "attacker.example"
        ));
    }

    #[test]
    fn a_request_without_host_is_answered() {
        let policy = HostPolicy::new(true, &[]);
        assert!(
            policy
                .refuse(&HeaderMap::new(), &Uri::from_static("/"))
                .is_none()
        );
        let absolute = Uri::from_static("http://attacker.example/__admin/state");
        assert!(policy.refuse(&HeaderMap::new(), &absolute).is_some());
    }

    #[test]
    fn an_origin_is_ours_when_host_and_port_match_the_host_header() {
        let same = |origin: &str, host: &str| {
            same_origin(
                &HeaderValue::from_str(origin).unwrap(),
                Some(&HeaderValue::from_str(host).unwrap()),
            )
        };
        assert!(same("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(same("http://LOCALHOST:8080", "localhost:8080"));
        assert!(same("http://mock", "mock:80"));
        assert!(same("https://mock.example", "mock.example"));
        assert!(same("http://[::1]:8080", "[::1]:8080"));
        assert!(!same("http://localhost:8080", "127.0.0.1:8080"));
        assert!(!same("http://127.0.0.1:8081", "127.0.0.1:8080"));
        assert!(!same("https://mock.example", "mock.example:80"));
        assert!(!same("null", "127.0.0.1:8080"));
        assert!(!same("file://", "127.0.0.1:8080"));
        assert!(!same("http://127.0.0.1:8080/x", "127.0.0.1:8080"));
        assert!(!same_origin(
            &HeaderValue::from_static("http://127.0.0.1:8080"),
            None
        ));
    }
}
