//! Environment names chosen by pattern, as a repository with a hundred preview environments needs: a list
//! typed as `preview/*, staging` where `*` stands for any run of characters (slashes too) and `?` for one.
//! Names are compared without regard to ASCII case (GitHub treats `Production` and `production` as the same
//! environment: <https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments#creating-an-environment>).
//! A hand-written matcher: no regex engine in the browser bundle.

use std::collections::BTreeMap;

/// One typed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    text: String,
}

impl NamePattern {
    pub fn new(text: &str) -> Self {
        NamePattern {
            text: text.trim().to_owned(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern names one environment exactly (no `*` or `?`).
    pub fn is_exact(&self) -> bool {
        !self.text.contains(['*', '?'])
    }

    pub fn matches(&self, name: &str) -> bool {
        glob_matches(&self.text, name)
    }
}

/// Splits what was typed into patterns: on commas and line breaks (environment names may hold spaces),
/// each trimmed; empty items and repeats (ignoring case) are left out.
pub fn parse_patterns(text: &str) -> Vec<NamePattern> {
    let mut out: Vec<NamePattern> = Vec::new();
    for item in text.split([',', '\n', '\r']) {
        let pattern = NamePattern::new(item);
        if !pattern.text.is_empty()
            && !out
                .iter()
                .any(|p| p.text.eq_ignore_ascii_case(&pattern.text))
        {
            out.push(pattern);
        }
    }
    out
}

/// Whether any of `patterns` matches `name` (an empty list matches nothing).
pub fn any_matches(patterns: &[String], name: &str) -> bool {
    patterns.iter().any(|p| glob_matches(p, name))
}

/// `*` any run of characters (possibly none), `?` exactly one, everything else itself ignoring ASCII case.
/// Linear backtracking over the last `*` (the classic wildcard walk): no recursion, no blow-up.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.trim().chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c.eq_ignore_ascii_case(&n[ni]) => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The typed list with `name` added as an exact item (`on`), or with every exact item naming it removed.
/// Patterns with wildcards are left as they are.
pub fn toggle_exact(text: &str, name: &str, on: bool) -> String {
    let mut items: Vec<String> = parse_patterns(text)
        .into_iter()
        .filter(|p| !(p.is_exact() && p.text.eq_ignore_ascii_case(name.trim())))
        .map(|p| p.text)
        .collect();
    if on {
        items.push(name.trim().to_owned());
    }
    items.join(", ")
}

/// How a typed list selects one environment name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchedBy {
    /// Named exactly (it can be unticked by name).
    Name,
    /// Only through this pattern with wildcards.
    Pattern(String),
    No,
}

pub fn matched_by(text: &str, name: &str) -> MatchedBy {
    let patterns = parse_patterns(text);
    if patterns.iter().any(|p| p.is_exact() && p.matches(name)) {
        return MatchedBy::Name;
    }
    patterns
        .into_iter()
        .find(|p| p.matches(name))
        .map_or(MatchedBy::No, |p| MatchedBy::Pattern(p.text))
}

/// What a typed list selects among `environments` (name → deployments).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatternMatch {
    /// The environments matched, in the order given.
    pub environments: Vec<String>,
    pub deployments: usize,
    /// Patterns that match no environment (likely a typo).
    pub unmatched: Vec<String>,
}

/// Which of `environments` the typed `text` selects. An empty list selects every environment.
pub fn select(text: &str, environments: &[(String, usize)]) -> PatternMatch {
    let patterns = parse_patterns(text);
    if patterns.is_empty() {
        return PatternMatch {
            environments: environments.iter().map(|(n, _)| n.clone()).collect(),
            deployments: environments.iter().map(|(_, c)| c).sum(),
            unmatched: Vec::new(),
        };
    }
    let mut out = PatternMatch::default();
    for (name, count) in environments {
        if patterns.iter().any(|p| p.matches(name)) {
            out.environments.push(name.clone());
            out.deployments += count;
        }
    }
    out.unmatched = patterns
        .into_iter()
        .filter(|p| !environments.iter().any(|(n, _)| p.matches(n)))
        .map(|p| p.text)
        .collect();
    out
}

/// Patterns worth offering for `environments` (name → deployments): every prefix ending in `/` or `-` that
/// at least `min` environments share, as `prefix*`, with how many environments and deployments it covers;
/// the widest first.
pub fn suggestions(environments: &[(String, usize)], min: usize) -> Vec<(String, usize, usize)> {
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (name, count) in environments {
        let mut seen_here: Vec<&str> = Vec::new();
        for (i, c) in name.char_indices() {
            if c == '/' || c == '-' {
                let prefix = &name[..=i];
                if i > 0 && !seen_here.contains(&prefix) {
                    seen_here.push(prefix);
                    let entry = groups.entry(prefix.to_ascii_lowercase()).or_default();
                    entry.0 += 1;
                    entry.1 += count;
                }
            }
        }
    }
    let mut out: Vec<(String, usize, usize)> = groups
        .into_iter()
        .filter(|(_, (envs, _))| *envs >= min)
        .map(|(prefix, (envs, deployments))| (format!("{prefix}*"), envs, deployments))
        .collect();
    crate::order::sort_by(&mut out, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks_match_as_in_a_shell_ignoring_case() {
        assert!(glob_matches("preview/*", "preview/pr-12"));
        assert!(glob_matches("preview/*", "Preview/"));
        assert!(!glob_matches("preview/*", "previews/pr-1"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("pr-?", "pr-7"));
        assert!(!glob_matches("pr-?", "pr-77"));
        assert!(glob_matches("*-eu", "production-EU"));
        assert!(glob_matches("a*b*c", "axxbyyc"));
        assert!(!glob_matches("a*b*c", "axxbyy"));
        assert!(glob_matches("staging", "Staging"));
        assert!(!glob_matches("staging", "staging-2"));
        assert!(glob_matches("  staging ", "staging"));
    }

    #[test]
    fn a_typed_list_splits_on_commas_and_lines_not_spaces() {
        let patterns: Vec<String> = parse_patterns("preview/*, staging\nmy env,,STAGING, ")
            .into_iter()
            .map(|p| p.as_str().to_owned())
            .collect();
        assert_eq!(patterns, ["preview/*", "staging", "my env"]);
        assert!(NamePattern::new("staging").is_exact());
        assert!(!NamePattern::new("pr-?").is_exact());
    }

    #[test]
    fn names_are_added_and_removed_exactly_and_patterns_stay() {
        assert_eq!(
            toggle_exact("preview/*", "staging", true),
            "preview/*, staging"
        );
        assert_eq!(
            toggle_exact("preview/*, Staging", "staging", false),
            "preview/*"
        );
        assert_eq!(toggle_exact("", "a b", true), "a b");
        assert_eq!(toggle_exact("staging", "staging", true), "staging");
        assert_eq!(matched_by("preview/*, staging", "STAGING"), MatchedBy::Name);
        assert_eq!(
            matched_by("preview/*, staging", "preview/1"),
            MatchedBy::Pattern("preview/*".into())
        );
        assert_eq!(matched_by("", "x"), MatchedBy::No);
    }

    #[test]
    fn a_typed_list_says_what_it_selects_and_what_matches_nothing() {
        let envs: Vec<(String, usize)> = [("preview/1", 2), ("preview/2", 3), ("staging", 4)]
            .into_iter()
            .map(|(n, c)| (n.to_owned(), c))
            .collect();
        let all = select("", &envs);
        assert_eq!((all.environments.len(), all.deployments), (3, 9));
        let some = select("preview/*, prevew/*", &envs);
        assert_eq!(some.environments, ["preview/1", "preview/2"]);
        assert_eq!(some.deployments, 5);
        assert_eq!(some.unmatched, ["prevew/*"]);
    }

    #[test]
    fn suggestions_group_environments_by_shared_prefix() {
        let envs: Vec<(String, usize)> = [
            ("preview/pr-1", 3),
            ("preview/pr-2", 2),
            ("preview/pr-3", 1),
            ("review-a", 1),
            ("review-b", 1),
            ("production", 9),
        ]
        .into_iter()
        .map(|(n, c)| (n.to_owned(), c))
        .collect();
        assert_eq!(
            suggestions(&envs, 3),
            vec![
                ("preview/*".to_owned(), 3, 6),
                ("preview/pr-*".to_owned(), 3, 6)
            ]
        );
        assert_eq!(suggestions(&envs, 2).len(), 3);
    }
}
