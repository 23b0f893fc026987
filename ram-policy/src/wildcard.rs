//! Glob matching with `*` (any run of characters, including none) and `?` (exactly one character).

/// True when `text` matches `pattern`; `*` matches any run (also across `:` and `/`), `?` one character.
/// With `ignore_case`, ASCII letters compare case-insensitively.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| if ignore_case { a.eq_ignore_ascii_case(&b) } else { a == b };
    // Iterative matcher with single backtrack point: linear in practice, never exponential.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn star_and_question_mark() {
        assert!(wildcard_match("ecs:Describe*", "ecs:DescribeInstances", false));
        assert!(wildcard_match("ecs:*Command", "ecs:RunCommand", false));
        assert!(!wildcard_match("ecs:*Command", "ecs:RunCommands", false));
        assert!(wildcard_match("user0?", "user01", false));
        assert!(!wildcard_match("user0?", "user0", false));
        assert!(!wildcard_match("user0?", "user012", false));
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("a*b*c", "aXXbYYbc", false));
        assert!(!wildcard_match("a*b*c", "aXXbYYb", false));
    }

    #[test]
    fn case_handling() {
        assert!(wildcard_match("ECS:runcommand", "ecs:RunCommand", true));
        assert!(!wildcard_match("ECS:runcommand", "ecs:RunCommand", false));
    }

    #[test]
    fn star_crosses_separators() {
        assert!(wildcard_match("acs:ecs:*:*:instance/*", "acs:ecs:cn-hangzhou:123:instance/i-1", false));
        assert!(!wildcard_match("acs:ecs:*:*:instance/*", "acs:ecs:cn-hangzhou:123:command/c-1", false));
    }
}
