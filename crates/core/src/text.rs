//! Text from the API as a list shows it. Anyone with push access writes deployment data, and a field can be
//! 10,000 characters long: a list cell, a heading or a chart label shows at most a bounded prefix and says
//! how much it left out; the deployment's own page shows the whole text.

/// What a view shows of `text`: a prefix of at most `max` characters (never split inside a character) and
/// how many characters it leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clipped<'a> {
    pub shown: &'a str,
    pub omitted: usize,
}

impl Clipped<'_> {
    /// The words after the prefix when something was left out: "… (+9,880 characters)".
    pub fn note(&self) -> Option<String> {
        (self.omitted > 0).then(|| format!("… (+{} characters)", grouped(self.omitted)))
    }
}

/// At most `max` characters of `text`, and the count of the rest.
pub fn clip(text: &str, max: usize) -> Clipped<'_> {
    match text.char_indices().nth(max) {
        None => Clipped {
            shown: text,
            omitted: 0,
        },
        Some((cut, _)) => Clipped {
            shown: &text[..cut],
            omitted: text[cut..].chars().count(),
        },
    }
}

/// Whether `c` changes how text around it is ordered or shows nothing at all: bidi embeddings, overrides
/// and isolates, directional marks, zero-width spaces and joiners, word joiners, the byte order mark.
pub fn is_hidden_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// `text` with every hidden control character shown as `⟨U+202E⟩`, so that "prod\u{200B}uction" cannot pass
/// for "production" and a right-to-left override cannot make "gpj.exe" read "exe.jpg". Text without any is
/// returned as it is.
pub fn reveal(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden_control(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `12345` → `"12,345"`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun, grouped and in agreement: `count(1, "deployment", "deployments")` → "1 deployment",
/// `count(1200, …)` → "1,200 deployments". Prose never says "deployment(s)".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(0, "deployment", "deployments"), "0 deployments");
        assert_eq!(count(1, "deployment", "deployments"), "1 deployment");
        assert_eq!(count(1200, "request", "requests"), "1,200 requests");
    }

    #[test]
    fn short_text_is_whole_and_long_text_says_what_it_left_out() {
        assert_eq!(
            clip("staging", 10),
            Clipped {
                shown: "staging",
                omitted: 0
            }
        );
        assert_eq!(clip("staging", 10).note(), None);
        let long = "W".repeat(10_000);
        let c = clip(&long, 120);
        assert_eq!(c.shown.len(), 120);
        assert_eq!(c.note().as_deref(), Some("… (+9,880 characters)"));
        assert_eq!(clip("zé\u{202e}x", 2).shown, "zé");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
    }

    #[test]
    fn hidden_controls_are_shown() {
        assert_eq!(reveal("prod\u{200B}uction"), "prod⟨U+200B⟩uction");
        assert_eq!(
            reveal("invoice\u{202E}gpj.exe\u{202C}"),
            "invoice⟨U+202E⟩gpj.exe⟨U+202C⟩"
        );
        assert!(matches!(
            reveal("production"),
            std::borrow::Cow::Borrowed("production")
        ));
        assert_eq!(
            reveal("שלום"),
            "שלום",
            "right-to-left letters are text, not controls"
        );
    }

    proptest! {
        #[test]
        fn the_shown_part_is_a_bounded_prefix_and_nothing_is_miscounted(text in "\\PC{0,300}", max in 0usize..200) {
            let c = clip(&text, max);
            prop_assert!(text.starts_with(c.shown));
            prop_assert!(c.shown.chars().count() <= max);
            prop_assert_eq!(c.shown.chars().count() + c.omitted, text.chars().count());
            if text.chars().count() <= max {
                prop_assert_eq!(c.shown, text.as_str());
            }
        }

        #[test]
        fn revealed_text_has_no_hidden_control_and_loses_nothing_else(text in "(\\PC|[\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{FEFF}]){0,80}") {
            let shown = reveal(&text);
            prop_assert!(!shown.chars().any(is_hidden_control));
            let visible: String = text.chars().filter(|c| !is_hidden_control(*c)).collect();
            let unmarked: String = {
                let mut s = shown.to_string();
                while let Some(start) = s.find("⟨U+") {
                    let end = start + s[start..].find('⟩').unwrap() + '⟩'.len_utf8();
                    s.replace_range(start..end, "");
                }
                s
            };
            prop_assert_eq!(unmarked, visible);
        }

        #[test]
        fn grouping_keeps_the_digits(n in any::<usize>()) {
            let g = grouped(n);
            prop_assert_eq!(g.replace(',', ""), n.to_string());
            prop_assert!(g.split(',').skip(1).all(|part| part.len() == 3));
        }
    }
}
