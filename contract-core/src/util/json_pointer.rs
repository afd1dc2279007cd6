//! RFC 6901 JSON pointers (`/paths/~1pets~1{id}/get`): the one place that escapes a reference
//! token (`~` → `~0`, `/` → `~1`), unescapes it, builds child pointers and splits a pointer
//! into tokens, and decodes the percent-escapes of a URI fragment (`#/paths/~1a~1%7Bid%7D`).
//!
//! A fragment that is not a valid percent-encoded UTF-8 string (`%zz`, a `%` without two hex
//! digits after it, bytes that are not UTF-8) is refused: [`percent_decode`] returns `None`,
//! and a reference written with it names nothing (each caller reports it as unresolved). None
//! of the 58 percent-encoded references of the corpus is malformed.

use std::borrow::Cow;

/// One reference token, escaped (`a/b~c` → `a~1b~0c`).
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// One reference token, unescaped (`a~1b~0c` → `a/b~c`; `~01` is `~1`).
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// Appends one reference token to a pointer.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape(token));
}

/// `pointer` with one more reference token.
pub fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    push_token(&mut out, token);
    out
}

/// The unescaped reference tokens of a pointer (`/a/b~1c` → `a`, `b/c`; `""` → none).
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    pointer.split('/').skip(1).map(unescape)
}

/// Decodes the `%XX` escapes of a URI fragment; `None` when an escape is malformed or the
/// bytes are not UTF-8 (see the module documentation).
pub fn percent_decode(fragment: &str) -> Option<Cow<'_, str>> {
    if !fragment.contains('%') {
        return Some(fragment.into());
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex_digit(*bytes.get(i + 1)?)?;
            let low = hex_digit(*bytes.get(i + 2)?)?;
            out.push((high << 4) | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_escape_and_unescape_in_the_rfc_order() {
        assert_eq!(escape("/pets/{id}~x"), "~1pets~1{id}~0x");
        assert_eq!(escape("plain"), "plain");
        // `~01` is an escaped `~` followed by `1`, not an escaped `/`.
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(unescape("~1pets~1{id}~0x"), "/pets/{id}~x");
        for token in ["", "~", "/", "~1", "~0/", "a~b/c", "%7B"] {
            assert_eq!(unescape(&escape(token)), token, "{token}");
        }
    }

    #[test]
    fn pointers_are_built_and_split_by_token() {
        let pointer = child(&child("", "paths"), "/pets/{id}~x");
        assert_eq!(pointer, "/paths/~1pets~1{id}~0x");
        let mut pushed = String::from("/paths");
        push_token(&mut pushed, "/pets/{id}~x");
        assert_eq!(pushed, pointer);
        assert_eq!(
            tokens(&pointer).collect::<Vec<_>>(),
            ["paths", "/pets/{id}~x"]
        );
        assert_eq!(tokens("").count(), 0);
        assert_eq!(tokens("/").collect::<Vec<_>>(), [""]);
    }

    #[test]
    fn fragments_are_percent_decoded_or_refused() {
        assert_eq!(
            percent_decode("/paths/~1a~1%7Bid%7d").as_deref(),
            Some("/paths/~1a~1{id}")
        );
        assert_eq!(percent_decode("/caf%C3%A9").as_deref(), Some("/café"));
        assert_eq!(percent_decode("/plain").as_deref(), Some("/plain"));
        for bad in ["/a%", "/a%2", "/a%zz", "/a%+1", "/%ff%fe", "/%C3", "/%é1"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }
}
