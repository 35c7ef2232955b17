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

/// A length for SVG and CSS, to the hundredth and without trailing zeros: `21.6`, `0.28`, `160`, `-3.5`
/// (anything not finite is `0`). Integer arithmetic, not `f64`'s `Display`: Rust's float formatting is about
/// 12 KB of WebAssembly the History screen fetched for its chart and spacers alone (issue 30).
pub fn decimal(value: f64) -> String {
    let hundredths = if value.is_finite() {
        // `as` saturates; a length beyond ±9e16 is not one a page draws.
        (value * 100.0).round() as i64
    } else {
        0
    };
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// A count with its noun, grouped and in agreement: `count(1, "deployment", "deployments")` → "1 deployment",
/// `count(1200, …)` → "1,200 deployments". Prose never says "deployment(s)".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// Characters that make a spreadsheet read a cell as a formula when they start it (OWASP, "CSV Injection":
/// <https://owasp.org/www-community/attacks/CSV_Injection>).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// Characters a spreadsheet may take as the list separator, depending on its locale (`;` in German, French,
/// Dutch…) or on what the person picks when importing…
#[cfg(test)]
const SEPARATORS: [char; 4] = [',', ';', '\t', '|'];
/// …and every character after which a spreadsheet may start a new cell: those, and line breaks (a row ends
/// there for an import that ignores quotes).
const CELL_BREAKS: [char; 6] = [',', ';', '\t', '|', '\n', '\r'];

/// One field of a CSV file that stays data in any spreadsheet: always quoted (RFC 4180, quotes doubled), and a
/// `'` put before a formula character that starts the field — or starts a part of it after any separator a
/// spreadsheet might split on (one in a `;` locale reads `pr-1;=HYPERLINK(…)` as two cells), or after a line
/// break.
pub fn csv_field(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    out.push('"');
    let mut at_start = true;
    for c in text.chars() {
        if at_start && FORMULA_STARTS.contains(&c) {
            out.push('\'');
        }
        if c == '"' {
            out.push('"');
        }
        out.push(c);
        at_start = CELL_BREAKS.contains(&c);
    }
    out.push('"');
    out
}

/// A CSV line (fields by [`csv_field`], commas between, CRLF after): the one way the app writes CSV.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// A text on one line: control characters (a line break would end a shell comment, or break a label) as spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `s` as one POSIX shell word: single-quoted, a `'` written as `'\\''`; nothing inside is expanded.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A duration for people: `45 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`.
pub fn format_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        3600..=86_399 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        _ => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// A wait of any length a server may name, for people: as [`format_duration`], and "more than a year" past one.
pub fn long_duration(seconds: u64) -> String {
    const YEAR: u64 = 365 * 86_400;
    if seconds >= YEAR {
        return "more than a year".into();
    }
    format_duration(seconds as i64)
}

/// A CSV text's rows, split on `separator` as a spreadsheet honouring RFC 4180 quotes would (quotes doubled,
/// line breaks inside quotes kept); rows end at CRLF or LF outside quotes. For the tests of the exports.
#[cfg(any(test, feature = "test-support"))]
pub fn read_csv(text: &str, separator: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => quoted = !quoted,
            c if c == separator && !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether a cell would be read as a formula by a spreadsheet.
    fn formula(cell: &str) -> bool {
        cell.starts_with(FORMULA_STARTS)
    }

    #[test]
    fn a_formula_after_a_locale_separator_is_defused_too() {
        let line = csv_line(&[
            "pr-1;=HYPERLINK(\"https://evil.example\",\"x\")",
            "a|@SUM(1)",
            "b\t+1",
            "ok",
            "-2",
        ]);
        assert_eq!(
            line,
            "\"pr-1;'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",\"a|'@SUM(1)\",\"b\t'+1\",\"ok\",\"'-2\"\r\n"
        );
        for separator in SEPARATORS {
            for cell in read_csv(&line, separator).concat() {
                assert!(!formula(&cell), "{separator:?}: {cell}");
            }
        }
    }

    proptest! {
        /// Any text, read back by a spreadsheet splitting on any locale's separator — honouring quotes, or
        /// (a naive import) not — holds no cell that starts a formula; read with commas it is the text
        /// itself, a `'` before each defused formula character aside.
        #[test]
        fn no_spreadsheet_reads_a_formula_from_an_exported_field(
            fields in proptest::collection::vec("[=+@;,|\t\r\n\"a-z -]{0,12}", 1..5),
        ) {
            let text = csv_line(&fields);
            for separator in SEPARATORS {
                for cell in read_csv(&text, separator).concat() {
                    prop_assert!(!formula(&cell), "{:?}: {:?}", separator, cell);
                }
                for cell in text.split([separator, '\n', '\r']) {
                    // Such an import takes off the quote that opens a field, and nothing else.
                    let cell = cell.strip_prefix('"').unwrap_or(cell);
                    prop_assert!(!formula(cell), "naive {:?}: {:?}", separator, cell);
                }
            }
            let back = read_csv(&text, ',');
            prop_assert_eq!(back.len(), 1);
            for (read, written) in back[0].iter().zip(&fields) {
                let mut undone = String::new();
                let mut start = true;
                let mut chars = read.chars().peekable();
                while let Some(c) = chars.next() {
                    if start && c == '\'' && chars.peek().is_some_and(|n| FORMULA_STARTS.contains(n)) {
                        start = false;
                        continue;
                    }
                    start = CELL_BREAKS.contains(&c);
                    undone.push(c);
                }
                prop_assert_eq!(&undone, written);
            }
        }
    }

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

    #[test]
    fn a_decimal_is_written_to_the_hundredth_without_trailing_zeros() {
        for (value, text) in [
            (0.0, "0"),
            (160.0, "160"),
            (21.6, "21.6"),
            (0.28, "0.28"),
            (0.005, "0.01"),
            (-3.5, "-3.5"),
            (-0.001, "0"),
            (12.999, "13"),
            (f64::NAN, "0"),
            (f64::INFINITY, "0"),
        ] {
            assert_eq!(decimal(value), text, "{value}");
        }
    }

    proptest! {
        /// The same number as Rust's own formatting to two places, zeros trimmed.
        #[test]
        fn a_decimal_reads_back_as_the_value_rounded(value in -1.0e9f64..1.0e9) {
            let text = decimal(value);
            let back: f64 = text.parse().unwrap();
            prop_assert!((back - value).abs() <= 0.005 + 1e-6, "{} → {}", value, text);
            prop_assert!(!text.contains('.') || !text.ends_with('0'), "{}", text);
            prop_assert!(text != "-0", "{}", text);
        }
    }
}
