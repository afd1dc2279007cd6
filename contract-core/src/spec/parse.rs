//! Text → JSON value, for both JSON and YAML, with the strictness a fingerprint needs:
//! YAML 1.2 scalars (no `yes`/`on` booleans, no `0755` octals, no `1_000` integers),
//! duplicate keys and non-finite numbers refused, and depth, size and alias expansion capped
//! so a hostile file cannot exhaust memory or the stack.
//!
//! YAML is read with `serde-saphyr` (no unsafe code, alias-bomb and depth budgets, rejects
//! duplicate keys). `serde_yaml` is deprecated and `serde_yml` carries RUSTSEC-2025-0068.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Position, Result};

/// The deepest nesting of arrays and objects accepted (serde_json's own limit; real specs stay
/// far below it).
pub const MAX_DEPTH: usize = 128;

/// The largest spec file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = crate::util::fsio::MAX_TEXT_BYTES;

/// How a spec file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFormat {
    /// JSON.
    Json,
    /// YAML (read by YAML 1.2 core-schema rules).
    Yaml,
}

impl SpecFormat {
    /// "JSON" or "YAML".
    pub fn name(self) -> &'static str {
        match self {
            SpecFormat::Json => "JSON",
            SpecFormat::Yaml => "YAML",
        }
    }

    /// Decides by content: a document whose first significant character opens a JSON object or
    /// array is JSON; anything else is YAML. The file extension is not trusted.
    pub fn sniff(text: &str) -> SpecFormat {
        match text.trim_start().as_bytes().first() {
            Some(b'{') | Some(b'[') => SpecFormat::Json,
            _ => SpecFormat::Yaml,
        }
    }
}

/// Decodes file bytes as UTF-8 text, dropping a leading byte-order mark.
pub fn decode_utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count() as u64
                + 1;
            Err(Error::NotUtf8 {
                path: path.to_path_buf(),
                position: Position { line, column },
            })
        }
    }
}

/// Stack for the parser thread: deserialisation recurses once per nesting level, and debug
/// builds use large frames, so parsing never runs on the caller's (possibly small) stack.
const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Parses a document in the given format into a JSON value.
pub fn parse(path: &Path, text: &str, format: SpecFormat) -> Result<Value> {
    let run = || match format {
        SpecFormat::Json => parse_json(path, text),
        SpecFormat::Yaml => parse_yaml(path, text),
    };
    // Under the fuzzer (its threads have 8 MiB stacks, and a spawn per input would dominate
    // the run), parse in place.
    if cfg!(fuzzing) {
        return run();
    }
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("contract-guard-parser".into())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, run)
        {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(Error::Syntax {
                    path: path.to_path_buf(),
                    format: format.name(),
                    position: None,
                    message: "the parser failed unexpectedly".into(),
                })
            }),
            // No thread available: parse here; the depth limits still apply.
            Err(_) => run(),
        }
    })
}

fn parse_json(path: &Path, text: &str) -> Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = StrictValue::deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value.0))
        .map_err(|err| {
            let position = (err.line() > 0).then(|| Position {
                line: err.line() as u64,
                column: err.column() as u64,
            });
            let full = err.to_string();
            let message = match full.rsplit_once(" at line ") {
                Some((message, _)) => message.to_string(),
                None => full,
            };
            Error::Syntax {
                path: path.to_path_buf(),
                format: "JSON",
                position,
                message,
            }
        })?;
    Ok(value)
}

fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = 50_000_000;
    budget.max_events = 100_000_000;
    budget.max_total_scalar_bytes = 512 * 1024 * 1024;
    budget.max_documents = 1;
    // Anchors and aliases are rare in specs; an alias bomb is refused after this much replay
    // (well under a second and 100 MB).
    budget.max_recorded_anchor_events = 250_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    options.strict_booleans = true;
    options.legacy_octal_numbers = false;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.alias_limits.max_total_replayed_events = 250_000;
    options
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value> {
    serde_saphyr::from_str_with_options::<StrictValue>(text, yaml_options())
        .map(|value| value.0)
        .map_err(|err| {
            let position = err.location().and_then(|loc| {
                (loc.line() > 0).then(|| Position {
                    line: loc.line(),
                    column: loc.column(),
                })
            });
            Error::Syntax {
                path: path.to_path_buf(),
                format: "YAML",
                position,
                message: first_line(&err.to_string()),
            }
        })
}

/// serde-saphyr renders `error: line L column C: message` and a source snippet; keep only the
/// message (the position is reported separately) and say budget breaches in plain words.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let line = match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((position, rest)) if position.contains(" column ") => rest,
        _ => line,
    };
    if let Some(key) = line.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        return format!("duplicate key `{key}`");
    }
    if let Some(rest) = line.strip_prefix("non-finite float ") {
        let value = rest.split(' ').next().unwrap_or(rest);
        return format!("the number {value} is not finite; JSON cannot represent it");
    }
    if line.contains("Depth {") || line.contains("recursion limit") {
        format!("nesting is deeper than the {MAX_DEPTH}-level limit")
    } else if line.contains("budget breached") || line.contains("alias replay") {
        // The loader's own wording names its internal counters: say what it means instead.
        "the document expands beyond the loader's limits (too many anchors, aliases or \
         events); YAML alias bombs are refused"
            .to_string()
    } else {
        line.to_string()
    }
}

/// A JSON value built by a visitor that refuses what JSON values cannot say faithfully:
/// duplicate object keys (which value wins is parser-specific) and NaN or infinite numbers
/// (serde_json would silently turn them into `null`).
struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| {
            E::custom(format!(
                "the number {v} is not finite; JSON cannot represent it"
            ))
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        StrictValue::deserialize(deserializer).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        // A map grown key by key keeps room for more (a one-key map holds three; a large one
        // up to twice its size), which for a large spec is tens of megabytes. Most objects in a
        // spec have a few keys: they are collected first and built at their exact size; the
        // few large ones are rebuilt at their exact size once complete.
        const SMALL: usize = 16;
        let mut small: Vec<(String, Value)> = Vec::with_capacity(SMALL);
        let mut large: Option<Map<String, Value>> = None;
        while let Some(key) = access.next_key::<String>()? {
            let duplicate = match &large {
                Some(map) => map.contains_key(&key),
                None => small.iter().any(|(k, _)| *k == key),
            };
            if duplicate {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let StrictValue(value) = access.next_value()?;
            match &mut large {
                Some(map) => {
                    map.insert(key, value);
                }
                None if small.len() < SMALL => small.push((key, value)),
                None => {
                    let mut map = Map::with_capacity(SMALL * 2);
                    map.extend(small.drain(..));
                    map.insert(key, value);
                    large = Some(map);
                }
            }
        }
        Ok(Value::Object(match large {
            Some(map) => exact_size(map.len(), map),
            None => exact_size(small.len(), small),
        }))
    }
}

/// A map of `len` entries with room for exactly those.
fn exact_size(
    len: usize,
    entries: impl IntoIterator<Item = (String, Value)>,
) -> Map<String, Value> {
    let mut map = Map::with_capacity(len);
    map.extend(entries);
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(text: &str) -> Result<Value> {
        parse(Path::new("t.yaml"), text, SpecFormat::Yaml)
    }

    fn json_text(text: &str) -> Result<Value> {
        parse(Path::new("t.json"), text, SpecFormat::Json)
    }

    #[test]
    fn yaml_12_scalars_stay_strings() {
        let value = yaml("a: yes\nb: on\nc: no\nd: y\ne: off\nf: 0755\ng: 1_000\nh: true\ni: 12\nj: 1.5\nk: null\n")
            .unwrap();
        assert_eq!(
            value,
            json!({"a": "yes", "b": "on", "c": "no", "d": "y", "e": "off", "f": "0755",
                   "g": "1_000", "h": true, "i": 12, "j": 1.5, "k": null})
        );
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let value = yaml("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(value, json!({"responses": {"200": {"description": "ok"}}}));
    }

    #[test]
    fn duplicate_keys_are_errors_in_both_formats() {
        let err = yaml("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(matches!(err, Error::Syntax { format: "YAML", .. }), "{err}");
        let err = json_text("{\"a\": 1, \"a\": 2}").unwrap_err();
        match err {
            Error::Syntax {
                position, message, ..
            } => {
                assert!(message.contains("duplicate key `a`"), "{message}");
                assert_eq!(position.map(|p| p.line), Some(1));
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn objects_of_any_size_keep_their_order_and_refuse_duplicates() {
        for size in [0, 1, 15, 16, 17, 40] {
            let keys: Vec<String> = (0..size).rev().map(|i| format!("k{i}")).collect();
            let body: Vec<String> = keys.iter().map(|k| format!("\"{k}\": 1")).collect();
            let value = json_text(&format!("{{{}}}", body.join(", "))).unwrap();
            let parsed: Vec<&String> = value.as_object().unwrap().keys().collect();
            assert_eq!(parsed, keys.iter().collect::<Vec<_>>(), "{size} keys");
            if size > 0 {
                let repeated = format!("{{{}, \"{}\": 2}}", body.join(", "), keys[0]);
                let err = json_text(&repeated).unwrap_err().to_string();
                assert!(
                    err.contains(&format!("duplicate key `{}`", keys[0])),
                    "{err}"
                );
            }
        }
    }

    #[test]
    fn non_finite_numbers_are_errors() {
        assert!(yaml("a: .nan\n").is_err());
        assert!(yaml("a: -.inf\n").is_err());
        assert!(json_text("{\"a\": NaN}").is_err());
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let err = json_text("{\n  \"a\": 1,\n  \"b\": }\n").unwrap_err();
        match err {
            Error::Syntax {
                position: Some(p), ..
            } => assert_eq!(p.line, 3),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(json_text(&deep_json).is_err());
        let deep_yaml = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(yaml(&deep_yaml).is_err());
        let mut block = String::new();
        for depth in 0..1000 {
            block.push_str(&" ".repeat(depth));
            block.push_str("k:\n");
        }
        assert!(yaml(&block).is_err());
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(yaml(&text).is_err());
    }

    #[test]
    fn sniffing_ignores_extension() {
        assert_eq!(SpecFormat::sniff("  \n{\"a\":1}"), SpecFormat::Json);
        assert_eq!(SpecFormat::sniff("openapi: 3.0.0"), SpecFormat::Yaml);
    }

    #[test]
    fn utf8_errors_have_positions_and_bom_is_dropped() {
        let err = decode_utf8(Path::new("x"), b"ab\ncd\xffe").unwrap_err();
        match err {
            Error::NotUtf8 { position, .. } => {
                assert_eq!(position, Position { line: 2, column: 3 })
            }
            other => panic!("unexpected {other}"),
        }
        assert_eq!(
            decode_utf8(Path::new("x"), "\u{feff}a: 1".as_bytes()).unwrap(),
            "a: 1"
        );
    }
}
