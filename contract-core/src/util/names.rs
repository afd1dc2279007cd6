//! Near misses for "did you mean" hints: edit distance and the closest known name.

/// Levenshtein distance over chars (names and keys are short).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Letters and digits only, lowercase: `simple-user`, `simple_user` and `SimpleUser` are one
/// name.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The name in `known` a misspelt `written` most likely meant: the same name up to case and
/// punctuation, else the nearest within a few edits (one for short names, at most three).
pub fn closest<'k>(written: &str, known: &[&'k str]) -> Option<&'k str> {
    let key = name_key(written);
    if let Some(same) = known.iter().find(|k| name_key(k) == key) {
        return Some(same);
    }
    let limit = (written.chars().count() / 4).clamp(1, 3);
    known
        .iter()
        .map(|k| (edit_distance(written, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_misses_only() {
        let known = ["status", "quantity", "simple-user"];
        assert_eq!(closest("staus", &known), Some("status"));
        assert_eq!(closest("SimpleUser", &known), Some("simple-user"));
        assert_eq!(closest("owner", &known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
