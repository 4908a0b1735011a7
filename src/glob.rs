//! Path patterns of fault rules and journal filters: `*` stands for any run of characters (`/`
//! included) and everything else must match exactly (`/api/v3/user-groups*`, `*/users/me`).

/// Whether `text` matches `pattern`. Every request is matched against every fault rule's
/// pattern, so this allocates nothing: the literal head and tail are compared first, then
/// each middle part is found in what lies between, leftmost first.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((head, tail)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let (middle, last) = tail.rsplit_once('*').unwrap_or(("", tail));
    let Some(rest) = text.strip_prefix(head) else {
        return false;
    };
    let Some(mut rest) = rest.strip_suffix(last) else {
        return false;
    };
    for part in middle.split('*').filter(|p| !p.is_empty()) {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::glob_match;
    use proptest::prelude::*;

    /// The textbook dynamic programme, for comparison.
    fn reference(pattern: &str, text: &str) -> bool {
        let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
        let mut row = vec![false; t.len() + 1];
        row[0] = true;
        for &pc in &p {
            let mut next = vec![false; t.len() + 1];
            if pc == '*' {
                next[0] = row[0];
                for j in 1..=t.len() {
                    next[j] = row[j] || next[j - 1];
                }
            } else {
                for j in 1..=t.len() {
                    next[j] = row[j - 1] && t[j - 1] == pc;
                }
            }
            row = next;
        }
        row[t.len()]
    }

    proptest! {
        #[test]
        fn matches_like_the_textbook_definition(pattern in "[ab*/]{0,8}", text in "[ab/]{0,10}") {
            prop_assert_eq!(glob_match(&pattern, &text), reference(&pattern, &text));
        }
    }

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
        assert!(glob_match("a*a", "aa"));
        assert!(glob_match("*b*c*", "abxc"));
        assert!(!glob_match("*c*b*", "abxc"));
        assert!(glob_match("/x/*/y/*/z", "/x/1/y/2/z"));
        assert!(!glob_match("/x/*/y/*/z", "/x/1/y/2/z/"));
    }
}
