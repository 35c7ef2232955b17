//! Look-alike hosts, named as such. A link can choose the API host a token would go to (`crate::connect::trust`); a host
//! made to pass for GitHub or for a server used before — `api.github.com.evil.example`, `gіthub.com` with a
//! Cyrillic `і`, `githib.com` — is said to be what it is: "looks like GitHub, but is evil.example". What decides
//! where a token goes is the registrable domain (the name its owner registered: `evil.example`), which the
//! views emphasise (docs/architecture.md, "Where a token may go").
//!
//! The judgement is a warning, never a permission: every host a link opens that was never used here needs a yes
//! anyway. It errs towards saying too much.

use crate::host::to_unicode;

/// GitHub's own domains for its API: github.com (`api.github.com`) and GHE.com (`api.TENANT.ghe.com`).
const GITHUB_DOMAINS: [&str; 2] = ["github.com", "ghe.com"];

/// Second-level labels under which country domains are registered (`acme.co.uk`): a small stand-in for the
/// Public Suffix List (<https://publicsuffix.org/>), enough to say whose a name is.
const SECOND_LEVELS: [&str; 10] = [
    "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go",
];

/// A host split where its registrable domain starts: `api.github.com.` and `evil.example`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostParts {
    pub prefix: String,
    pub registrable: String,
}

impl HostParts {
    /// `host` in its ASCII form (a port, if any, stays with the registrable part).
    pub fn of(host: &str) -> HostParts {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port))
                if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (name, Some(port))
            }
            _ => (host, None),
        };
        let labels: Vec<&str> = name.trim_end_matches('.').split('.').collect();
        let is_ip = labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
            || name.starts_with('[');
        let keep = match labels.as_slice() {
            _ if is_ip || labels.len() <= 2 => labels.len(),
            [.., second, tld] if tld.len() == 2 && SECOND_LEVELS.contains(second) => 3,
            _ => 2,
        };
        let split = labels.len() - keep.min(labels.len());
        let mut registrable = labels[split..].join(".");
        if let Some(port) = port {
            registrable.push(':');
            registrable.push_str(port);
        }
        let prefix = if split == 0 {
            String::new()
        } else {
            format!("{}.", labels[..split].join("."))
        };
        HostParts {
            prefix,
            registrable,
        }
    }

    /// The registrable domain without a port.
    fn domain(&self) -> &str {
        self.registrable
            .split_once(':')
            .map_or(self.registrable.as_str(), |(d, _)| d)
    }
}

/// Why a host may be passing for another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookAlike {
    /// A GitHub name is only part of the host: a subdomain or prefix of another domain
    /// (`api.github.com.evil.example`, `github-com.evil.example`).
    GitHubInside,
    /// It reads as `reads_as` once look-alike letters from other alphabets (or `0` for `o`) are read as the
    /// letters they imitate.
    Confusable { reads_as: String },
    /// One label mixes letters of several alphabets (`Latin and Cyrillic`).
    MixedScripts { scripts: Vec<&'static str> },
    /// One character away from `from`: github.com, or a host connected to before.
    OneEdit { from: String },
}

impl LookAlike {
    /// "It looks like GitHub, but is evil.example: …".
    pub fn words(&self, parts: &HostParts) -> String {
        let is = &parts.registrable;
        match self {
            LookAlike::GitHubInside => format!(
                "It looks like GitHub, but is {is}: “github” is only part of its name, and {is} decides where the token goes."
            ),
            LookAlike::Confusable { reads_as } => format!(
                "It looks like {reads_as}, but is {is}: some of its letters only look like the ones they imitate."
            ),
            LookAlike::MixedScripts { scripts } => format!(
                "Its name mixes {} letters, a way to pass for a familiar name: it is {is}.",
                scripts.join(" and ")
            ),
            LookAlike::OneEdit { from } => {
                format!("It looks like {from}, but is {is}, one character away.")
            }
        }
    }
}

/// Whether `host` (its ASCII form, as requests reach it) may be passing for GitHub or for one of `known` (hosts
/// connected to before, ASCII forms).
pub fn judge(host: &str, known: &[String]) -> Option<LookAlike> {
    let host = host.to_ascii_lowercase();
    let parts = HostParts::of(&host);
    if GITHUB_DOMAINS.contains(&parts.domain()) || known.contains(&host) {
        return None;
    }
    let shown = to_unicode(&host).unwrap_or_else(|| host.clone());
    let skeleton = skeleton(&shown);
    let skeleton_parts = HostParts::of(&skeleton);
    for familiar in GITHUB_DOMAINS
        .iter()
        .map(|d| d.to_string())
        .chain(known.iter().cloned())
    {
        let familiar_domain = HostParts::of(&familiar).domain().to_owned();
        if skeleton != host && (skeleton == familiar || skeleton_parts.domain() == familiar_domain)
        {
            return Some(LookAlike::Confusable { reads_as: familiar });
        }
    }
    let scripts = scripts_mixed(&shown);
    if scripts.len() > 1 {
        return Some(LookAlike::MixedScripts { scripts });
    }
    if skeleton
        .split(['.', '-'])
        .any(|label| label.contains("github"))
    {
        return Some(LookAlike::GitHubInside);
    }
    for domain in GITHUB_DOMAINS {
        if one_edit(parts.domain(), domain) {
            return Some(LookAlike::OneEdit {
                from: domain.to_owned(),
            });
        }
    }
    known
        .iter()
        .find(|k| one_edit(&host, k))
        .map(|k| LookAlike::OneEdit { from: k.clone() })
}

/// `text` with letters that imitate others read as the ones they imitate (a small part of Unicode's
/// confusables, UTS #39: the Cyrillic and Greek look-alikes of Latin letters, and `0`/`1` for `o`/`l`).
fn skeleton(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let read = match c {
            'а' => 'a',
            'в' | 'ь' | 'Ь' => 'b',
            'е' | 'ё' => 'e',
            'һ' => 'h',
            'і' | 'ї' | 'ι' => 'i',
            'ј' => 'j',
            'к' | 'κ' => 'k',
            'ӏ' | '1' | 'ǀ' => 'l',
            'м' => 'm',
            'о' | 'ο' | 'σ' | '0' => 'o',
            'р' | 'ρ' => 'p',
            'ԛ' => 'q',
            'г' => 'r',
            'ѕ' => 's',
            'т' | 'τ' => 't',
            'υ' | 'ս' => 'u',
            'ν' | 'ѵ' => 'v',
            'ԝ' | 'ω' => 'w',
            'х' | 'χ' => 'x',
            'у' | 'γ' => 'y',
            'с' | 'ϲ' => 'c',
            'ԁ' => 'd',
            'ɡ' => 'g',
            'α' => 'a',
            'ո' => 'n',
            'ı' => 'i',
            c => c,
        };
        out.push(read);
    }
    out.replace("rn", "m").replace("vv", "w")
}

/// The alphabets of the letters in each label, when one label mixes several (digits and `-` belong to none).
fn scripts_mixed(host: &str) -> Vec<&'static str> {
    let mut widest = Vec::new();
    for label in host.split('.') {
        let mut scripts: Vec<&'static str> = Vec::new();
        for c in label.chars().filter(|c| c.is_alphabetic()) {
            let script = match u32::from(c) {
                0x41..=0x24F | 0x1E00..=0x1EFF => "Latin",
                0x370..=0x3FF | 0x1F00..=0x1FFF => "Greek",
                0x400..=0x52F => "Cyrillic",
                0x530..=0x58F => "Armenian",
                0x590..=0x5FF => "Hebrew",
                0x600..=0x6FF => "Arabic",
                0x3040..=0x30FF => "Japanese",
                0x4E00..=0x9FFF => "Chinese",
                0xAC00..=0xD7AF => "Korean",
                _ => "other",
            };
            if !scripts.contains(&script) {
                scripts.push(script);
            }
        }
        // Japanese is written with Chinese characters too: one script for this judgement.
        if scripts.len() > widest.len()
            && !(scripts.len() == 2
                && scripts.contains(&"Japanese")
                && scripts.contains(&"Chinese"))
        {
            widest = scripts;
        }
    }
    widest
}

/// Whether `a` becomes `b` by one insertion, deletion, substitution, or swap of two neighbours.
fn one_edit(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diffs.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let first = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[first..] == long[first + 1..]
        }
        _ => false,
    }
}

/// What a warning about `host` adds when it may be passing for another: `None` when nothing suggests it.
pub fn warning(host: &str, known: &[String]) -> Option<String> {
    let parts = HostParts::of(&host.to_ascii_lowercase());
    judge(host, known).map(|lookalike| lookalike.words(&parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parts(host: &str) -> (String, String) {
        let p = HostParts::of(host);
        (p.prefix, p.registrable)
    }

    #[test]
    fn the_registrable_domain_is_what_decides_where_the_token_goes() {
        assert_eq!(
            parts("api.github.com.evil.example"),
            ("api.github.com.".into(), "evil.example".into())
        );
        assert_eq!(parts("github.com"), ("".into(), "github.com".into()));
        assert_eq!(
            parts("ghe.acme.co.uk"),
            ("ghe.".into(), "acme.co.uk".into())
        );
        assert_eq!(
            parts("ghe.acme.com:8443"),
            ("ghe.".into(), "acme.com:8443".into())
        );
        assert_eq!(
            parts("127.0.0.1:8787"),
            ("".into(), "127.0.0.1:8787".into())
        );
        assert_eq!(parts("localhost"), ("".into(), "localhost".into()));
    }

    #[test]
    fn look_alikes_of_github_are_named_with_what_they_really_are() {
        for (host, expected) in [
            ("api.github.com.evil.example", LookAlike::GitHubInside),
            ("github-com.evil.example", LookAlike::GitHubInside),
            ("api-github.com", LookAlike::GitHubInside),
            (
                "xn--gthub-n2e.com",
                LookAlike::Confusable {
                    reads_as: "github.com".into(),
                },
            ),
            (
                "g1thub.com",
                LookAlike::OneEdit {
                    from: "github.com".into(),
                },
            ),
            (
                "githib.com",
                LookAlike::OneEdit {
                    from: "github.com".into(),
                },
            ),
            (
                "gtihub.com",
                LookAlike::OneEdit {
                    from: "github.com".into(),
                },
            ),
            (
                "glthub.com",
                LookAlike::OneEdit {
                    from: "github.com".into(),
                },
            ),
        ] {
            assert_eq!(judge(host, &[]), Some(expected), "{host}");
        }
        let said = warning("api.github.com.evil.example", &[]).unwrap();
        assert!(
            said.starts_with("It looks like GitHub, but is evil.example"),
            "{said}"
        );
    }

    #[test]
    fn github_itself_an_ordinary_server_and_a_host_used_before_are_not_look_alikes() {
        for host in [
            "api.github.com",
            "github.com",
            "api.acme.ghe.com",
            "ghe.acme.com",
            "deploy.example.org",
            "127.0.0.1:8787",
        ] {
            assert_eq!(judge(host, &[]), None, "{host}");
        }
        assert_eq!(judge("ghe.acme.com", &["ghe.acme.com".into()]), None);
    }

    #[test]
    fn a_host_one_edit_from_one_used_before_or_imitating_it_is_said() {
        let known = vec!["ghe.acme.com".to_owned()];
        assert_eq!(
            judge("ghe.acme.co", &known),
            Some(LookAlike::OneEdit {
                from: "ghe.acme.com".into()
            })
        );
        // `асme` in Cyrillic а and с.
        let cyrillic = crate::host::to_ascii("ghe.асme.com").unwrap();
        assert_eq!(
            judge(&cyrillic, &known),
            Some(LookAlike::Confusable {
                reads_as: "ghe.acme.com".into()
            })
        );
    }

    #[test]
    fn mixed_alphabets_in_one_label_are_said() {
        let mixed = crate::host::to_ascii("раypal-login.example").unwrap();
        let said = judge(&mixed, &[]);
        assert_eq!(
            said,
            Some(LookAlike::MixedScripts {
                scripts: vec!["Cyrillic", "Latin"]
            })
        );
        assert!(said
            .unwrap()
            .words(&HostParts::of(&mixed))
            .contains("mixes Cyrillic and Latin letters"));
        // One alphabet per label is ordinary: a Greek name under a Latin TLD.
        let greek = crate::host::to_ascii("παράδειγμα.example").unwrap();
        assert_eq!(judge(&greek, &[]), None);
    }

    proptest! {
        /// Any GitHub name put in front of another domain is said to be that domain.
        #[test]
        fn github_in_front_of_another_domain_is_always_said(
            front in "(api\\.)?github(\\.com|-com|com)?",
            owner in "[a-z]{3,10}",
            tld in "(example|net|io|dev)",
        ) {
            let host = format!("{front}.{owner}.{tld}");
            let said = judge(&host, &[]);
            prop_assert!(said.is_some(), "{}", host);
            let words = said.unwrap().words(&HostParts::of(&host));
            let is = format!("is {owner}.{tld}");
            prop_assert!(words.contains(&is), "{}", words);
        }

        /// A look-alike letter swapped into github.com is never taken for it.
        #[test]
        fn a_confusable_letter_in_github_com_is_caught(at in 0usize..6, with in prop::sample::select(vec!['і', 'о', 'ɡ', 'һ', 'υ', 'ь', 'е'])) {
            let mut letters: Vec<char> = "github".chars().collect();
            letters[at] = with;
            let host = format!("{}.com", letters.into_iter().collect::<String>());
            let ascii = crate::host::to_ascii(&host).unwrap();
            prop_assert!(judge(&ascii, &[]).is_some(), "{}", host);
        }

        /// A registrable domain plus its prefix is the host, always.
        #[test]
        fn the_parts_make_the_host(labels in proptest::collection::vec("[a-z0-9-]{1,8}", 1..6)) {
            let host = labels.join(".");
            let p = HostParts::of(&host);
            prop_assert_eq!(format!("{}{}", p.prefix, p.registrable), host);
        }
    }
}
