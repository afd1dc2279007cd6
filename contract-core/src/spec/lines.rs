//! Where a JSON pointer is in a spec file: the line of each pointer (or of its nearest ancestor
//! that exists), for annotations that land on the spec in editors and code review. JSON and
//! YAML alike, read with the YAML event parser `serde-saphyr` is built on, in one pass and
//! without building a tree. For a document with parts inlined from other files, each pointer
//! lands in the file its part came from.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use granit_parser::{Event, Parser};

use super::{Origin, ParsedSpec};
use crate::util::json_pointer::push_token;
use crate::util::paths;

/// Where a pointer of a parsed spec is in the files it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file, relative to the base directory given to [`ParsedSpec::locate`],
    /// `/`-separated.
    pub file: String,
    /// Its 1-based line there (of the pointer or its nearest ancestor in that file); `None`
    /// when the file cannot be read or parsed.
    pub line: Option<usize>,
}

impl ParsedSpec {
    /// Where each of `pointers` (into [`document`](Self::document)) is: in the spec file, or
    /// for a part inlined from another file, in that file. File names are relative to `base`.
    pub fn locate(&self, pointers: &[&str], base: &Path) -> Vec<Located> {
        locate(&self.path, &self.origins, pointers, base)
    }
}

/// Where each of `pointers` into a document read from `path` is, when the parts listed in
/// `origins` were inlined from other files: in `path` or in the file a part came from. File
/// names are relative to `base`.
pub fn locate(path: &Path, origins: &[Origin], pointers: &[&str], base: &Path) -> Vec<Located> {
    let own = std::path::absolute(path)
        .map(|p| paths::normalize(&p))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut by_file: BTreeMap<&Path, Vec<(usize, String)>> = BTreeMap::new();
    for (index, pointer) in pointers.iter().enumerate() {
        let (file, in_file) = match origin_of(origins, pointer) {
            Some(origin) => (
                origin.file.as_path(),
                format!("{}{}", origin.pointer, &pointer[origin.at.len()..]),
            ),
            None => (own.as_path(), pointer.to_string()),
        };
        by_file.entry(file).or_default().push((index, in_file));
    }
    let mut located = vec![
        Located {
            file: String::new(),
            line: None,
        };
        pointers.len()
    ];
    for (file, wanted) in by_file {
        let text = super::read_capped(file)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default();
        let in_file: Vec<&str> = wanted.iter().map(|(_, p)| p.as_str()).collect();
        let name = paths::relative_slash(base, file);
        for ((index, _), line) in wanted.iter().zip(pointer_lines(&text, &in_file)) {
            located[*index] = Located {
                file: name.clone(),
                line,
            };
        }
    }
    located
}

/// The innermost inlined part that `pointer` is in.
fn origin_of<'o>(origins: &'o [Origin], pointer: &str) -> Option<&'o Origin> {
    origins
        .iter()
        .filter(|o| {
            pointer
                .strip_prefix(o.at.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|o| o.at.len())
}

/// Where the walk is inside one collection.
enum Frame {
    /// In a mapping: the pointer length before the current entry's key, and whether the next
    /// node is a key.
    Mapping { base: usize, expect_key: bool },
    /// In a sequence: the pointer length before the current item, and its index.
    Sequence { base: usize, index: usize },
    /// Inside a key that is itself a collection (never the case in OpenAPI): ignored.
    ComplexKey,
}

/// The 1-based line of each of `pointers` (RFC 6901, escaped) in `text`: of the mapping key
/// or sequence item it names, else of its nearest ancestor in the file (the document itself
/// is line 1). `None` for every pointer when `text` does not parse.
pub fn pointer_lines(text: &str, pointers: &[&str]) -> Vec<Option<usize>> {
    let mut wanted: HashMap<&str, Option<usize>> = HashMap::new();
    for pointer in pointers {
        for (i, c) in pointer.char_indices() {
            if c == '/' {
                wanted.entry(&pointer[..i]).or_default();
            }
        }
        wanted.entry(pointer).or_default();
    }
    if !record_lines(text, &mut wanted) {
        return vec![None; pointers.len()];
    }
    pointers
        .iter()
        .map(|pointer| {
            let mut prefix: &str = pointer;
            loop {
                if let Some(Some(line)) = wanted.get(prefix) {
                    return Some(*line);
                }
                prefix = &prefix[..prefix.rfind('/')?];
            }
        })
        .collect()
}

/// Fills in the line of every pointer in `wanted` found in `text`; `false` when the text does
/// not parse.
fn record_lines(text: &str, wanted: &mut HashMap<&str, Option<usize>>) -> bool {
    let mut pointer = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut started = false;
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else {
            return false;
        };
        let line = span.start.line();
        let opens = match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => true,
            Event::Scalar(..) | Event::Alias(..) => false,
            Event::MappingEnd | Event::SequenceEnd => {
                // After a complex key comes its value: the entry is not finished.
                if !matches!(stack.pop(), Some(Frame::ComplexKey)) {
                    finish_node(&mut stack, &mut pointer);
                }
                continue;
            }
            Event::DocumentEnd if started => break,
            _ => continue,
        };
        if !started {
            started = true;
            record(wanted, "", line);
        } else {
            match stack.last_mut() {
                Some(Frame::Mapping { base, expect_key }) if *expect_key => {
                    *expect_key = false;
                    pointer.truncate(*base);
                    match &event {
                        Event::Scalar(key, ..) => {
                            push_token(&mut pointer, key);
                            record(wanted, &pointer, line);
                        }
                        _ if opens => stack.push(Frame::ComplexKey),
                        // An alias as a key: its value is placed at the mapping.
                        _ => {}
                    }
                    continue;
                }
                Some(Frame::Sequence { base, index }) => {
                    pointer.truncate(*base);
                    push_token(&mut pointer, &index.to_string());
                    record(wanted, &pointer, line);
                }
                _ => {}
            }
        }
        if opens {
            let base = pointer.len();
            stack.push(match event {
                Event::MappingStart(..) => Frame::Mapping {
                    base,
                    expect_key: true,
                },
                _ => Frame::Sequence { base, index: 0 },
            });
        } else {
            finish_node(&mut stack, &mut pointer);
        }
    }
    true
}

/// After a whole node (a value or an item): back to the enclosing collection's pointer.
fn finish_node(stack: &mut [Frame], pointer: &mut String) {
    match stack.last_mut() {
        Some(Frame::Mapping { base, expect_key }) => {
            pointer.truncate(*base);
            *expect_key = true;
        }
        Some(Frame::Sequence { base, index }) => {
            pointer.truncate(*base);
            *index += 1;
        }
        Some(Frame::ComplexKey) | None => {}
    }
}

fn record(wanted: &mut HashMap<&str, Option<usize>>, pointer: &str, line: usize) {
    if let Some(slot) = wanted.get_mut(pointer)
        && slot.is_none()
    {
        *slot = Some(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
openapi: 3.0.3
info:
  title: T
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - name: q
      responses:
        '200':
          description: ok
  a~b:
    x: [1, {y: 2}]
";

    #[test]
    fn yaml_keys_items_and_flow_nodes() {
        let lines = pointer_lines(
            YAML,
            &[
                "",
                "/info/title",
                "/paths/~1pets~1{id}/get",
                "/paths/~1pets~1{id}/get/parameters/1",
                "/paths/~1pets~1{id}/get/parameters/1/name",
                "/paths/~1pets~1{id}/get/responses/200/description",
                "/paths/a~0b/x/1/y",
            ],
        );
        assert_eq!(
            lines,
            [
                Some(1),
                Some(3),
                Some(6),
                Some(10),
                Some(10),
                Some(13),
                Some(15)
            ]
        );
    }

    #[test]
    fn missing_pointers_fall_back_to_their_nearest_ancestor() {
        let lines = pointer_lines(
            YAML,
            &[
                "/paths/~1pets~1{id}/get/parameters/7/schema",
                "/paths/~1gone",
                "/components/schemas/X",
            ],
        );
        assert_eq!(lines, [Some(7), Some(4), Some(1)]);
    }

    #[test]
    fn json_files_are_located_too() {
        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  },\n  \"tags\": [\"x\", \"y\"]\n}\n";
        let lines = pointer_lines(json, &["/paths/~1a/get", "/tags/1", "/openapi"]);
        assert_eq!(lines, [Some(5), Some(8), Some(2)]);
    }

    #[test]
    fn aliases_and_complex_keys_do_not_derail_the_walk() {
        let text = "a: &x k\n*x : 1\n? [c, d]\n: 2\nb:\n  e: 3\n";
        assert_eq!(pointer_lines(text, &["/b/e", "/a"]), [Some(6), Some(1)]);
    }

    #[test]
    fn text_that_does_not_parse_locates_nothing() {
        assert_eq!(pointer_lines("a: [1, 2", &["/a"]), [None]);
    }
}
