//! Host names as they really are. A host written with non-ASCII letters (`gіthub.com` with a Cyrillic `і`)
//! is a different host from the one it looks like: the browser sends the request to its ASCII form
//! (`xn--gthub-n2e.com`, RFC 3492 Punycode behind an `xn--` prefix, RFC 5890). Deploydeck turns such a name
//! into that form itself, requests go to exactly that form, and a person sees that form with a mark — so
//! what is shown is where the token goes and no look-alike reads as a familiar name (docs/architecture.md, "Where a token may go").
//!
//! Only the part of IDNA a host name shown here needs: lower-casing and Punycode. No Unicode tables (std's
//! lower-casing alone is 10 KB of the first load, gzip): [`lower`] folds the capitals of the scripts host
//! names are written in (Latin, Greek, Cyrillic, Armenian), and a name the browser would have mapped or
//! normalised differently gives an `xn--` label the browser refuses, so the request fails instead of going
//! somewhere else.

use std::fmt;

/// The ASCII form of a host: ASCII labels lower-cased, every label with a non-ASCII character as `xn--`
/// followed by the Punycode of its lower-cased letters. An IPv6 literal (`[…]`) is lower-cased. `None` when a
/// label cannot be encoded (too long for Punycode's arithmetic) — such a host is refused.
pub fn to_ascii(host: &str) -> Option<String> {
    if host.is_ascii() {
        return Some(host.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(host.len() * 2);
    for (i, label) in host.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if label.is_ascii() {
            out.push_str(&label.to_ascii_lowercase());
        } else {
            out.push_str(ACE_PREFIX);
            out.push_str(&punycode(&lower(label))?);
        }
    }
    Some(out)
}

/// Lower case for the capitals of Latin (ASCII, Latin-1, Latin Extended-A), Greek, Cyrillic and Armenian;
/// other characters as they are. What the browser would also map (IDNA's UTS 46) for those letters.
pub fn lower(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        let u = u32::from(c);
        let pair = |first: u32, last: u32, even_is_capital: bool| {
            (first..=last).contains(&u) && (u % 2 == 0) == even_is_capital
        };
        let folded = match u {
            0x41..=0x5A
            | 0xC0..=0xD6
            | 0xD8..=0xDE
            | 0x391..=0x3A1
            | 0x3A3..=0x3AB
            | 0x410..=0x42F => u + 0x20,
            // İ: i with a dot above, as Unicode lower-cases it.
            0x130 => {
                out.push_str("i\u{307}");
                continue;
            }
            0x178 => 0xFF,
            0x386 => 0x3AC,
            0x388..=0x38A => u + 37,
            0x38C => 0x3CC,
            0x38E | 0x38F => u + 63,
            0x400..=0x40F => u + 0x50,
            0x531..=0x556 => u + 0x30,
            _ if pair(0x100, 0x12F, true)
                || pair(0x132, 0x137, true)
                || pair(0x14A, 0x177, true)
                || pair(0x460, 0x481, true)
                || pair(0x48A, 0x4BF, true)
                || pair(0x4D0, 0x52F, true) =>
            {
                u + 1
            }
            _ if pair(0x139, 0x148, false)
                || pair(0x179, 0x17E, false)
                || pair(0x4C1, 0x4CE, false) =>
            {
                u + 1
            }
            _ => u,
        };
        out.push(char::from_u32(folded).unwrap_or(c));
    }
    out
}

/// Whether a label is written in its ASCII-compatible form, i.e. stands for non-ASCII letters.
fn is_ace_label(label: &str) -> bool {
    label
        .get(..ACE_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(ACE_PREFIX))
}

const ACE_PREFIX: &str = "xn--";

/// A host as a person is shown it: its ASCII form, and whether it stands for unusual characters (letters
/// outside ASCII, possibly from several scripts) — which the views mark wherever the host appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownHost {
    pub name: String,
    pub unusual: bool,
}

/// The words that mark a host with unusual characters, beside its name.
pub const UNUSUAL_MARK: &str = "unusual characters";

impl ShownHost {
    /// `host` may be written either way (`gіthub.com` or `xn--gthub-n2e.com`); a port or an IPv6 literal is
    /// kept as it is.
    pub fn of(host: &str) -> ShownHost {
        let name = to_ascii(host).unwrap_or_else(|| host.to_owned());
        let unusual = !host.is_ascii() || name.split(['.', ':']).any(is_ace_label);
        ShownHost { name, unusual }
    }
}

/// In a sentence: the name, and the mark in brackets when it has one.
impl fmt::Display for ShownHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if self.unusual {
            write!(f, " ({UNUSUAL_MARK})")?;
        }
        Ok(())
    }
}

// RFC 3492 §5: the parameters of Punycode.
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// RFC 3492 §6.1.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + ((BASE - T_MIN + 1) * delta) / (delta + SKEW)
}

fn digit(d: u32) -> char {
    match d {
        0..=25 => char::from(b'a' + d as u8),
        _ => char::from(b'0' + (d - 26) as u8),
    }
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

/// RFC 3492 §6.3: the Punycode of `label` (without the `xn--` prefix). `None` on overflow.
fn punycode(label: &str) -> Option<String> {
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

/// RFC 3492 §6.2: a Punycode label read back (`None` when it is not valid Punycode).
fn decode(text: &str) -> Option<String> {
    let (basic, extended) = match text.rfind('-') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => ("", text),
    };
    let mut output: Vec<u32> = basic.chars().map(u32::from).collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = extended.chars().peekable();
    while digits.peek().is_some() {
        let (old_i, mut w, mut k) = (i, 1u32, BASE);
        loop {
            let c = digits.next()?;
            let d = match c {
                'a'..='z' => u32::from(c) - u32::from('a'),
                '0'..='9' => u32::from(c) - u32::from('0') + 26,
                _ => return None,
            };
            i = i.checked_add(d.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if d < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = output.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        output.insert(i as usize, n);
        i += 1;
    }
    output.into_iter().map(char::from_u32).collect()
}

/// A host in its own letters: each `xn--` label read back from Punycode (`None` when one is not valid).
pub fn to_unicode(ascii: &str) -> Option<String> {
    ascii
        .split('.')
        .map(|label| match label.strip_prefix(ACE_PREFIX) {
            Some(code) => decode(code),
            None => Some(label.to_owned()),
        })
        .collect::<Option<Vec<_>>>()
        .map(|labels| labels.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_names_encode_as_browsers_do() {
        for (host, ascii) in [
            ("g\u{456}thub.com", "xn--gthub-n2e.com"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("MÜNCHEN.de", "xn--mnchen-3ya.de"),
            ("пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"),
            ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
            ("GHE.Example.com", "ghe.example.com"),
            ("[::1]", "[::1]"),
        ] {
            assert_eq!(to_ascii(host).as_deref(), Some(ascii), "{host}");
        }
    }

    #[test]
    fn a_look_alike_is_shown_in_ascii_with_the_mark_and_a_plain_name_without() {
        let look_alike = ShownHost::of("g\u{456}thub.com");
        assert_eq!(look_alike.name, "xn--gthub-n2e.com");
        assert!(look_alike.unusual);
        assert_eq!(
            look_alike.to_string(),
            "xn--gthub-n2e.com (unusual characters)"
        );
        // Written in its ASCII form by the link, it is the same host and the same warning.
        assert_eq!(
            ShownHost::of("XN--gthub-n2e.com:8443").name,
            "xn--gthub-n2e.com:8443"
        );
        assert!(ShownHost::of("xn--gthub-n2e.com:8443").unusual);
        let plain = ShownHost::of("GHE.example.com:8443");
        assert_eq!(plain.to_string(), "ghe.example.com:8443");
        assert!(!plain.unusual);
    }

    #[test]
    fn lower_case_is_unicode_lower_case_for_the_scripts_it_covers() {
        let ranges = [
            0x41..0x5B,
            0xC0..0x17F,
            0x386..0x3AC,
            0x400..0x530,
            0x531..0x557,
        ];
        for u in ranges.into_iter().flatten() {
            let Some(c) = char::from_u32(u) else { continue };
            let ours = lower(&c.to_string());
            let unicode = c.to_lowercase().collect::<String>();
            // Unicode's own capitals of these blocks; the rare ones left out (archaic Cyrillic with no pair in
            // the block, Latin ſ) stay as they are and give a name the browser refuses.
            if ours != unicode {
                assert_eq!(
                    ours,
                    c.to_string(),
                    "U+{u:04X} is folded, but not as Unicode folds it"
                );
            }
        }
        for (capital, small) in [
            ('Ж', 'ж'),
            ('Ї', 'ї'),
            ('Ω', 'ω'),
            ('Ά', 'ά'),
            ('Ł', 'ł'),
            ('Ÿ', 'ÿ'),
            ('Ա', 'ա'),
            ('Ҁ', 'ҁ'),
            ('Ӂ', 'ӂ'),
            ('Ԁ', 'ԁ'),
        ] {
            assert_eq!(lower(&capital.to_string()), small.to_string());
        }
    }

    /// Letters that look alike across scripts, and ordinary ones.
    const ALPHABET: &[char] = &[
        'a', 'c', 'e', 'g', 'h', 'i', 'o', 'p', 't', 'u', 'b', 'x', '0', '1', '-', 'а', 'с', 'е',
        'і', 'о', 'р', 'һ', 'ս', 'ɡ', 'α', 'ο', 'ü', 'é', 'ß', 'ı', 'ℓ', '例', 'テ', 'G', 'İ', 'Ω',
    ];

    fn label() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(ALPHABET), 1..12)
            .prop_map(|chars| chars.into_iter().collect())
    }

    fn host() -> impl Strategy<Value = String> {
        proptest::collection::vec(label(), 1..4).prop_map(|labels| labels.join("."))
    }

    proptest! {
        #[test]
        fn no_two_distinct_hosts_are_shown_the_same(a in host(), b in host()) {
            // Distinct means distinct to DNS: names equal but for letter case are one host.
            prop_assume!(lower(&a) != lower(&b));
            let (shown_a, shown_b) = (ShownHost::of(&a), ShownHost::of(&b));
            prop_assert_ne!(shown_a.name, shown_b.name, "{} and {}", a, b);
        }

        #[test]
        fn the_shown_name_is_ascii_reads_back_and_marks_every_unusual_one(host in host()) {
            let shown = ShownHost::of(&host);
            prop_assert!(shown.name.is_ascii());
            prop_assert_eq!(shown.unusual, !host.is_ascii() || host.to_ascii_lowercase().split('.').any(|l| l.starts_with("xn--")));
            prop_assert_eq!(to_unicode(&shown.name), Some(lower(&host)));
            prop_assert_eq!(ShownHost::of(&shown.name).name, shown.name.clone(), "the ASCII form is its own");
        }

        #[test]
        fn swapping_one_letter_for_a_look_alike_never_reads_as_the_original(
            labels in proptest::collection::vec("[a-z0-9]{1,10}", 1..4),
            at in any::<proptest::sample::Index>(),
            with in proptest::sample::select(&['а', 'е', 'о', 'р', 'с', 'і', 'ѕ', 'ԁ', 'ɡ', 'ο', 'ν'][..]),
        ) {
            let original = labels.join(".");
            let mut chars: Vec<char> = original.chars().collect();
            let i = at.index(chars.len());
            prop_assume!(chars[i] != '.');
            chars[i] = with;
            let look_alike: String = chars.into_iter().collect();
            let shown = ShownHost::of(&look_alike);
            prop_assert!(shown.unusual);
            prop_assert!(shown.name.contains("xn--"));
            prop_assert_ne!(shown.name, original);
        }

        #[test]
        fn encoding_never_panics(s in "\\PC{0,70}") {
            let _ = to_ascii(&s);
            let _ = ShownHost::of(&s);
        }
    }
}
