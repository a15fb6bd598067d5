//! Decoding a service's answer into our wire types.
//!
//! Tencent documents many answer fields as "may return null" (注意：此字段可能返回
//! null), and Huawei's gateways send `null` for empty fields too. Our wire
//! types give every answer field a default (`#[serde(default)]`), so the
//! simplest faithful reading is: a `null` member means the member is absent.
//! Removing `null` members before decoding lets one `null` never fail a whole
//! answer, for every field of every call, without a per-field annotation
//! that a new field could forget.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `bytes` as `T`, reading every `null` object member as absent.
pub fn decode_answer<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let mut value: Value = serde_json::from_slice(bytes)?;
    drop_null_members(&mut value);
    serde_json::from_value(value)
}

/// Removes `null` members of every object, at every depth. A `null` inside
/// an array stays (an element cannot be absent) and fails loudly if the
/// element type does not allow it.
pub fn drop_null_members(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_null_members);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_members),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Inner {
        count: i64,
        name: Option<String>,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default, rename_all = "PascalCase")]
    struct Answer {
        enable: bool,
        list: Vec<Inner>,
        inner: Inner,
    }

    #[test]
    fn null_members_read_as_absent_at_every_depth() {
        let body = br#"{"Enable": null, "List": [{"Count": null, "Name": "a"}, {"Count": 2}],
            "Inner": null}"#;
        let answer: Answer = decode_answer(body).expect("nulls are absent");
        assert_eq!(
            answer,
            Answer {
                enable: false,
                list: vec![
                    Inner {
                        count: 0,
                        name: Some("a".into())
                    },
                    Inner {
                        count: 2,
                        name: None
                    }
                ],
                inner: Inner::default(),
            }
        );
    }

    #[test]
    fn a_wrong_type_still_fails() {
        assert!(decode_answer::<Answer>(br#"{"Enable": "yes"}"#).is_err());
    }
}
