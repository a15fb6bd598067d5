//! Shapes serde would accept but the API never means, refused (naming the
//! field) before anything decodes the body:
//! - serde's derived structs also decode from a JSON array of their fields
//!   in order, so `"request": []` would pass as an empty request and
//!   `"image_info_list": [["ns", "img", "v1"]]` as a list of images;
//! - the server functions' own arguments ignore unknown names (their
//!   structs are generated), so a misspelt `"idempotencyKey"` would mean
//!   "no key". Top-level names must be ones some endpoint takes.

use serde_json::Value;

/// Top-level members that are always objects when present.
const OBJECT_MEMBERS: [&str; 4] = ["request", "query", "image", "filter"];

/// Every argument name of the `/api/v1` server functions. (What is inside
/// `request` and `query` is checked by their types, which refuse unknown
/// fields.) An argument added to a server function goes here too; the API
/// tests send every endpoint's arguments.
const ARGUMENT_NAMES: [&str; 21] = [
    "account",
    "request",
    "idempotency_key",
    "list",
    "query",
    "limit",
    "user",
    "label",
    "expires_days",
    "no_expiry",
    "name",
    "password",
    "role",
    "disabled",
    "id",
    "scanned_at",
    "image",
    "filter",
    "kind",
    "service",
    "accounts",
];

/// The field and the reason when `body` (a JSON API body) has an array
/// where the API takes an object; None when its shape is fine or it is not
/// JSON at all (the decoder says what is wrong then).
pub fn problem(body: &[u8]) -> Option<(String, String)> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let Value::Object(members) = &value else {
        return (!value.is_null()).then(|| {
            (
                "request".to_owned(),
                format!("the body must be a JSON object, not {}", kind(&value)),
            )
        });
    };
    if let Some(unknown) = members
        .keys()
        .find(|k| !ARGUMENT_NAMES.contains(&k.as_str()))
    {
        let unknown: String = unknown.chars().take(64).collect();
        return Some((unknown, "unknown field: no endpoint takes it".to_owned()));
    }
    for name in OBJECT_MEMBERS {
        if let Some(member) = members.get(name).filter(|m| m.is_array()) {
            return Some((
                name.to_owned(),
                format!("must be a JSON object, not {}", kind(member)),
            ));
        }
    }
    // No request takes a list of lists: an array inside an array stands
    // for an object (an image, a registry) given positionally.
    let mut stack: Vec<(String, &Value)> = members.iter().map(|(k, v)| (k.clone(), v)).collect();
    while let Some((path, value)) = stack.pop() {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{path}[{i}]");
                    if item.is_array() {
                        return Some((api_name(&at), "must be a JSON object, not an array".into()));
                    }
                    stack.push((at, item));
                }
            }
            Value::Object(fields) => {
                stack.extend(fields.iter().map(|(k, v)| (format!("{path}.{k}"), v)));
            }
            _ => {}
        }
    }
    None
}

/// Fields inside `request` are named relative to it, as validators do.
fn api_name(path: &str) -> String {
    path.strip_prefix("request.").unwrap_or(path).to_owned()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    fn field(body: &str) -> Option<String> {
        problem(body.as_bytes()).map(|(field, _)| field)
    }

    #[test]
    fn objects_where_the_api_takes_them_pass() {
        assert_eq!(field(r#"{"account":"hw","request":{"limit":10}}"#), None);
        assert_eq!(
            field(
                r#"{"account":"hw","request":{"image_info_list":[{"namespace":"a"}],"ScanType":["CVE"]}}"#
            ),
            None
        );
        assert_eq!(field("not json"), None);
        assert_eq!(field("null"), None);
    }

    #[test]
    fn arrays_standing_for_objects_are_named() {
        assert_eq!(field(r#"["hw",{}]"#).as_deref(), Some("request"));
        assert_eq!(
            field(r#"{"account":"hw","request":[]}"#).as_deref(),
            Some("request")
        );
        assert_eq!(field(r#"{"query":[5,0]}"#).as_deref(), Some("query"));
        assert_eq!(
            field(r#"{"account":"hw","request":{"image_info_list":[{"namespace":"a"},["n","i","v"]]}}"#)
                .as_deref(),
            Some("image_info_list[1]")
        );
        assert_eq!(field(r#"{"id":[[1]]}"#).as_deref(), Some("id[0]"));
    }

    #[test]
    fn names_no_endpoint_takes_are_named() {
        assert_eq!(
            field(r#"{"account":"hw","request":{},"idempotencyKey":"k"}"#).as_deref(),
            Some("idempotencyKey")
        );
        assert_eq!(
            field(r#"{"name":"a","password":"b","role":"viewer"}"#),
            None
        );
    }
}
