//! The DFA behind [`super::relation`]: each ECMA-262 pattern translated to the Rust syntax,
//! compiled to a DFA of the strings that contain a match, and two DFAs walked together.

use std::iter::Peekable;
use std::str::Chars;

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::util::syntax;
use regex_automata::{Anchored, MatchKind};

use super::Relation;

/// Bytes of memory a pattern's DFA may take while it is built, and once built: two and a half
/// times the largest of the 169 distinct patterns of the corpus (400 KB, an AWS ARN pattern).
/// A pattern over it fails in about 30 ms (the determinizer's work up to the bound).
const DFA_BYTES: usize = 1 << 20;
/// State pairs the walk of two DFAs may visit before it gives up.
const MAX_PAIRS: usize = 50_000;

/// How `new` relates to `old`; `None` when either cannot be judged (syntax a DFA cannot
/// express, or too large).
pub(super) fn relation(old: &str, new: &str) -> Option<Relation> {
    let (old, new) = (Dfa::compile(old)?, Dfa::compile(new)?);
    let old_in_new = includes(&new, &old)?;
    let new_in_old = includes(&old, &new)?;
    Some(match (old_in_new, new_in_old) {
        (true, true) => Relation::Same,
        (false, true) => Relation::Narrower,
        (true, false) => Relation::Wider,
        (false, false) => Relation::Different,
    })
}

/// The DFA of the strings that contain a match of a pattern, matched from their start to
/// their end.
struct Dfa {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
}

impl Dfa {
    fn compile(pattern: &str) -> Option<Dfa> {
        let rust = translate(pattern)?;
        // Valid on its own: `a)|(b` is not a pattern, though it would parse once wrapped.
        syntax::parse_with(&rust, &syntax::Config::new().nest_limit(64)).ok()?;
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(MatchKind::All)
                    .start_kind(StartKind::Anchored)
                    .determinize_size_limit(Some(DFA_BYTES))
                    .dfa_size_limit(Some(DFA_BYTES)),
            )
            .syntax(syntax::Config::new().nest_limit(64))
            .thompson(regex_automata::nfa::thompson::Config::new().nfa_size_limit(Some(DFA_BYTES)))
            .build(&format!(r"(?s:.)*(?:{rust})(?s:.)*"))
            .ok()?;
        let start = dfa
            .start_state(&start::Config::new().anchored(Anchored::Yes))
            .ok()?;
        Some(Dfa { dfa, start })
    }

    fn accepts_here(&self, state: StateID) -> bool {
        self.dfa.is_match_state(self.dfa.next_eoi_state(state))
    }
}

/// Whether every string `inner` accepts, `outer` accepts too: a walk of the pairs of states
/// both reach on the same input, looking for one where the input so far is accepted by
/// `inner` and not by `outer`. `None` when the walk grows past its bound.
fn includes(outer: &Dfa, inner: &Dfa) -> Option<bool> {
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![(inner.start, outer.start)];
    seen.insert((inner.start, outer.start));
    while let Some((i, o)) = todo.pop() {
        if inner.accepts_here(i) && !outer.accepts_here(o) {
            return Some(false);
        }
        for byte in 0..=u8::MAX {
            let next_i = inner.dfa.next_state(i, byte);
            if inner.dfa.is_dead_state(next_i) || inner.dfa.is_quit_state(next_i) {
                continue;
            }
            let pair = (next_i, outer.dfa.next_state(o, byte));
            if seen.insert(pair) {
                if seen.len() > MAX_PAIRS {
                    return None;
                }
                todo.push(pair);
            }
        }
    }
    Some(true)
}

/// ECMA-262 `\s`: white space and line terminators, as the inside of a Rust class.
const ECMA_SPACE: &str = r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// An ECMA-262 pattern in the Rust syntax with the same meaning, or `None` for what has no
/// equivalent in a DFA (back-references, look-around) or reads differently and is rare.
fn translate(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => escape(&mut chars, in_class, &mut out)?,
            '[' if in_class => out.push_str(r"\["),
            '[' => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                // `[]` and `[^]` read differently in Rust.
                if chars.peek() == Some(&']') {
                    return None;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // Set operators and nested classes of the Rust syntax are literals in ECMA.
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '.' if !in_class => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            '(' if !in_class => {
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("?=")
                    || rest.starts_with("?!")
                    || rest.starts_with("?<=")
                    || rest.starts_with("?<!")
                {
                    return None;
                }
                out.push('(');
            }
            '{' if !in_class && is_quantifier(chars.clone()) => {
                out.push('{');
                for c in chars.by_ref() {
                    out.push(c);
                    if c == '}' {
                        break;
                    }
                }
            }
            '{' | '}' if !in_class => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    (!in_class).then_some(out)
}

/// Whether the text after a `{` is a quantifier's `n}`, `n,}` or `n,m}`.
fn is_quantifier(rest: impl Iterator<Item = char>) -> bool {
    let body: String = rest.take_while(|c| *c != '}').collect();
    let mut parts = body.splitn(2, ',');
    let low = parts.next().unwrap_or("");
    let high = parts.next();
    !low.is_empty()
        && low.chars().all(|c| c.is_ascii_digit())
        && high.is_none_or(|h| h.chars().all(|c| c.is_ascii_digit()))
}

/// Translates the escape after a `\\` (with its `{…}`, as in `\\p{L}` and `\\u{1F600}`).
fn escape(chars: &mut Peekable<Chars>, in_class: bool, out: &mut String) -> Option<()> {
    let c = chars.next()?;
    let next = chars.peek().copied();
    // A class, nested when inside one (Rust reads `[a[^0-9]]` as a union).
    let class = |negated: bool, inside: &str, out: &mut String| {
        out.push_str(if negated { "[^" } else { "[" });
        out.push_str(inside);
        out.push(']');
    };
    match c {
        'd' | 'D' => class(c == 'D', "0-9", out),
        'w' | 'W' => class(c == 'W', "0-9A-Za-z_", out),
        's' | 'S' => class(c == 'S', ECMA_SPACE, out),
        'b' if in_class => out.push_str(r"\x08"),
        'b' => out.push_str(r"(?-u:\b)"),
        'B' if !in_class => out.push_str(r"(?-u:\B)"),
        '0' if !next.is_some_and(|n| n.is_ascii_digit()) => out.push_str(r"\x00"),
        'n' | 'r' | 't' | 'f' | 'v' => {
            out.push('\\');
            out.push(c);
        }
        'x' | 'u' | 'p' | 'P' => {
            out.push('\\');
            out.push(c);
            if next == Some('{') {
                for c in chars.by_ref() {
                    out.push(c);
                    if c == '}' {
                        break;
                    }
                }
            }
        }
        c if c.is_ascii_punctuation() => out.push_str(&format!(r"\x{{{:X}}}", c as u32)),
        // Back-references (`\1`, `\k<name>`), `\cX` and identity escapes of letters.
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_with_the_same_meaning_are_the_same() {
        for (old, new) in [
            ("^[a-z]+$", "^[a-z][a-z]*$"),
            ("^[0-9]{3}$", r"^\d\d\d$"),
            ("abc", r"^[\s\S]*abc"),
            (r"^[\w-]+$", "^[A-Za-z0-9_-]+$"),
            ("^(a|b)$", "^[ab]$"),
            ("x{2,}", "xx"),
        ] {
            assert_eq!(relation(old, new), Some(Relation::Same), "{old} vs {new}");
        }
    }

    #[test]
    fn narrower_wider_and_different() {
        assert_eq!(
            relation("^[a-z]+$", "^[a-z]{1,8}$"),
            Some(Relation::Narrower)
        );
        assert_eq!(relation("^[a-z]{1,8}$", "^[a-z]+$"), Some(Relation::Wider));
        assert_eq!(relation("^[a-z]+$", "^[0-9]+$"), Some(Relation::Different));
        // ECMA `.` stops at line terminators: `^.*abc` needs `abc` on the first line.
        assert_eq!(relation("abc", "^.*abc"), Some(Relation::Narrower));
        // Unanchored: `abc` is found in more strings than `^abc`.
        assert_eq!(relation("^abc", "abc"), Some(Relation::Wider));
        // ECMA `\d` is ASCII only: Arabic-Indic digits are not digits.
        assert_eq!(relation(r"^\d+$", r"^[0-9٠-٩]+$"), Some(Relation::Wider));
        // ECMA `.` stops at `\r` as well as `\n`.
        assert_eq!(relation("^a.b$", r"^a[^\n]b$"), Some(Relation::Wider));
    }

    #[test]
    fn ecma_literals_that_rust_reads_otherwise() {
        assert_eq!(translate("a{b}").as_deref(), Some(r"a\{b\}"));
        assert_eq!(translate("a{2,3}").as_deref(), Some("a{2,3}"));
        assert_eq!(translate("[a&&b]").as_deref(), Some(r"[a\&\&b]"));
        assert_eq!(translate("[[]").as_deref(), Some(r"[\[]"));
        assert_eq!(translate(r"\/\.").as_deref(), Some(r"\x{2F}\x{2E}"));
        assert_eq!(translate(r"[\d_]").as_deref(), Some("[[0-9]_]"));
        assert_eq!(translate(r"\p{L}{2}").as_deref(), Some(r"\p{L}{2}"));
        assert_eq!(
            relation(r"^\p{Lu}+$", r"^[\p{Lu}\p{Ll}]+$"),
            Some(Relation::Wider)
        );
        assert_eq!(relation("a{b}", r"a\{b\}"), Some(Relation::Same));
    }

    #[test]
    fn what_a_dfa_cannot_express_is_not_judged() {
        for pattern in [
            r"(a)\1", "a(?=b)", "a(?!b)", "(?<=a)b", "[]", r"\k<x>", "[a", "a)|(b",
        ] {
            assert_eq!(relation(pattern, "a"), None, "{pattern}");
        }
        // The n-th symbol from the end: 2^n DFA states, past the bound: not judged rather than slow.
        assert_eq!(relation("[ab]*a[ab]{24}$", "a"), None);
        // The same blow-up unanchored (found by the `pattern` fuzz target as a timeout, 0.9 s
        // an execution with a 2 MB bound): `e` is itself a hex digit.
        assert_eq!(
            relation("e([0-9a-fA-F]{41}(?:-[90a-fA-F]{48})?)$", "a"),
            None
        );
    }
}
