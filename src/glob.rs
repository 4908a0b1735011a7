//! Path patterns of fault rules and journal filters: `*` stands for any run of characters (`/`
//! included) and everything else must match exactly (`/api/v3/user-groups*`, `*/users/me`).

/// Whether `text` matches `pattern`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn stars_match_any_run_and_the_rest_is_literal() {
        assert!(glob_match("/api/v3/users", "/api/v3/users"));
        assert!(!glob_match("/api/v3/users", "/api/v3/users/1"));
        assert!(glob_match("/api/v3/users*", "/api/v3/users/1"));
        assert!(glob_match("*/users/me", "/api/v3/teams/x/users/me"));
        assert!(glob_match("/api/*/user-groups/*", "/api/v3/user-groups/4"));
        assert!(!glob_match("/api/*/user-groups/*", "/api/v3/tags/4"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*a", "a"));
    }
}
