//! Which field a JSON decoding error is about. serde reports a type error
//! as "invalid type: …, expected … at line L column C"; the public API
//! promises `error.field` names the field, so this walks the request body
//! up to that position and says where it was: `account`, or inside
//! `request` relative to it (`image_info_list[0].namespace`), as the
//! validators name fields.

/// The most segments a named field has (deeper nesting is reported at
/// this depth).
const MAX_SEGMENTS: usize = 12;

/// serde's messages that are about one field's value or presence (syntax
/// errors are about the body as a whole).
const FIELD_ERRORS: [&str; 7] = [
    "invalid type",
    "invalid value",
    "invalid length",
    "unknown variant",
    "missing field",
    "unknown field",
    "duplicate field",
];

enum Frame {
    /// The current key, and whether its `:` was read (a value of it).
    Object {
        key: Option<String>,
        expect_key: bool,
        colon: bool,
    },
    /// `index` once its element started.
    Array { index: usize, started: bool },
}

/// The field `message` (a serde_json error about `body`) is about, in the
/// API's naming; None when it is not about one field.
pub fn field_of(body: &[u8], message: &str) -> Option<String> {
    if !FIELD_ERRORS.iter().any(|p| message.contains(p)) {
        return None;
    }
    let (line, column) = position(message)?;
    let offset = offset_of(body, line, column)?;
    let mut segments = path_at(&body[..offset.min(body.len())]);
    // These name the field themselves, inside the object at the path.
    if ["missing field", "unknown field", "duplicate field"]
        .iter()
        .any(|p| message.contains(p))
    {
        segments.push(Segment::Key(backticked(message)?));
    }
    segments.truncate(MAX_SEGMENTS);
    let name = api_name(&segments);
    (!name.is_empty()).then_some(name)
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `L` and `C` of "… at line L column C".
fn position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.rfind(" at line ")? + " at line ".len()..];
    let (line, column) = rest.split_once(" column ")?;
    Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
}

/// The byte offset of a 1-based line and a byte column.
fn offset_of(body: &[u8], line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += body[start..].iter().position(|&b| b == b'\n')? + 1;
    }
    Some(start + column)
}

fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// The path of the value being read at the end of `text`.
fn path_at(text: &[u8]) -> Vec<Segment> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut string: Option<Vec<u8>> = None;
    let mut escaped = false;
    for &byte in text {
        if let Some(buf) = string.as_mut() {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    let raw = string.take().unwrap_or_default();
                    if let Some(Frame::Object {
                        key, expect_key, ..
                    }) = stack.last_mut()
                        && *expect_key
                    {
                        *key = Some(decode_key(&raw));
                        *expect_key = false;
                    }
                    continue;
                }
                _ => {}
            }
            buf.push(byte);
            continue;
        }
        if byte.is_ascii_whitespace() {
            continue;
        }
        if let Some(Frame::Array { started, .. }) = stack.last_mut()
            && byte != b']'
            && byte != b','
        {
            *started = true;
        }
        match byte {
            b'"' => string = Some(Vec::new()),
            b'{' => stack.push(Frame::Object {
                key: None,
                expect_key: true,
                colon: false,
            }),
            b'[' => stack.push(Frame::Array {
                index: 0,
                started: false,
            }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { colon, .. }) = stack.last_mut() {
                    *colon = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object {
                    key,
                    expect_key,
                    colon,
                }) => {
                    *key = None;
                    *expect_key = true;
                    *colon = false;
                }
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            _ => {}
        }
    }
    let mut path = Vec::new();
    for frame in &stack {
        match frame {
            Frame::Object {
                key: Some(key),
                colon: true,
                ..
            } => path.push(Segment::Key(key.clone())),
            Frame::Array {
                index,
                started: true,
            } => path.push(Segment::Index(*index)),
            _ => break,
        }
    }
    path
}

fn decode_key(raw: &[u8]) -> String {
    let quoted = [b"\"".as_slice(), raw, b"\""].concat();
    serde_json::from_slice(&quoted).unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
}

/// `request.a[0].b` → `a[0].b`; a top-level name as it is.
fn api_name(segments: &[Segment]) -> String {
    let inner = match segments {
        [Segment::Key(first), rest @ ..] if first == "request" && !rest.is_empty() => rest,
        all => all,
    };
    let mut name = String::new();
    for segment in inner {
        match segment {
            Segment::Key(key) => {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(key);
            }
            Segment::Index(i) => name.push_str(&format!("[{i}]")),
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Image {
        namespace: String,
        version: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Request {
        limit: Option<i64>,
        images: Vec<Image>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Private,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Args {
        account: String,
        request: Request,
    }

    /// The field serde's own error names for `body`.
    fn field(body: &str) -> Option<String> {
        let err = serde_json::from_str::<Args>(body).expect_err(body);
        field_of(body.as_bytes(), &err.to_string())
    }

    #[test]
    fn type_errors_name_their_field() {
        let ok = r#""images": [{"namespace": "a"}]"#;
        assert_eq!(
            field(r#"{"account": 7, "request": {"images": []}}"#).as_deref(),
            Some("account")
        );
        assert_eq!(
            field(&format!(
                r#"{{"account": "a", "request": {{"limit": "x", {ok}}}}}"#
            ))
            .as_deref(),
            Some("limit")
        );
        assert_eq!(
            field(
                r#"{"account": "a", "request": {"images": [{"namespace": "a"}, {"namespace": 5}]}}"#
            )
            .as_deref(),
            Some("images[1].namespace")
        );
        assert_eq!(
            field(&format!(
                r#"{{"account": "a", "request": {{"limit": [1, 2], {ok}}}}}"#
            ))
            .as_deref(),
            Some("limit")
        );
        assert_eq!(
            field(&format!(
                r#"{{"account": "a", "request": {{"limit": {{"a": 1}}, {ok}}}}}"#
            ))
            .as_deref(),
            Some("limit")
        );
        assert_eq!(
            field(r#"{"account": "a", "request": "all"}"#).as_deref(),
            Some("request")
        );
        assert_eq!(
            field(&format!(
                "{{\n  \"account\": \"a\",\n  \"request\": {{\"kind\": \"docker\", {ok}}}\n}}"
            ))
            .as_deref(),
            Some("kind")
        );
    }

    #[test]
    fn missing_and_unknown_fields_are_named_where_they_belong() {
        assert_eq!(
            field(r#"{"account": "a", "request": {"limit": 1}}"#).as_deref(),
            Some("images")
        );
        assert_eq!(
            field(r#"{"request": {"images": []}}"#).as_deref(),
            Some("account")
        );
        assert_eq!(
            field(r#"{"account": "a", "request": {"images": [{"namespace": "a", "x\"y": 1}]}}"#)
                .as_deref(),
            Some("images[0].x\"y")
        );
    }

    #[test]
    fn syntax_errors_are_not_about_a_field() {
        let err = serde_json::from_str::<Args>(r#"{"account": "a", "request": {"#).unwrap_err();
        assert_eq!(
            field_of(b"{\"account\": \"a\", \"request\": {", &err.to_string()),
            None
        );
        assert_eq!(field_of(b"{}", "invalid type: null"), None);
        assert_eq!(field_of(b"", "invalid type: x at line 9 column 9"), None);
    }
}
