//! Shapes serde would accept but the API never means. serde's derived
//! structs also decode from a JSON array of their fields in order, so
//! `"request": []` would pass as an empty request and
//! `"image_info_list": [["ns", "img", "v1"]]` as a list of images. The API
//! documents objects there; this refuses arrays in their place, naming the
//! field, before anything decodes the body.

use serde_json::Value;

/// Top-level members that are always objects when present.
const OBJECT_MEMBERS: [&str; 2] = ["request", "query"];

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
        assert_eq!(field(r#"{"x":[[1]]}"#).as_deref(), Some("x[0]"));
    }
}
