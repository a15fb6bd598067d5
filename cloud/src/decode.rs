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

    #[test]
    fn hss_answers_with_null_members_decode() {
        use scanport_wire::hss::{ListImagesResponse, ListRegistriesResponse, ListTasksResponse};
        // Shapes HSS sends: nulls for empty strings, numbers, booleans,
        // lists and whole objects, at every depth.
        let tasks: ListTasksResponse = decode_answer(
            br#"{"total_num": 1, "data_list": [{"task_id": "t1", "task_name": null,
                "policy_id": null, "begin_time": 1, "end_time": null, "task_status": 100,
                "is_all": null, "failed_num": null, "success_num": 3, "total_num": 3,
                "failed_reason": null, "failed_images": null}]}"#,
        )
        .expect("task list with nulls");
        let task = &tasks.data_list[0];
        assert_eq!(
            (task.task_name.as_str(), task.failed_num, task.success_num),
            ("", 0, 3)
        );
        assert!(task.failed_images.is_empty() && task.end_time.is_none());

        let images: ListImagesResponse = decode_answer(
            br#"{"total_num": null, "data_list": [{"id": 7, "namespace": "web",
                "image_name": "nginx", "image_version": "v1", "domain_name": null,
                "shared_status": null, "scan_failed_desc": null, "vul_num": null,
                "association_images": [{"image_name": "nginx", "image_version": null,
                    "scan_status": null}],
                "instance_url": null}]}"#,
        )
        .expect("image list with nulls");
        let image = &images.data_list[0];
        assert_eq!(images.total_num, 0);
        assert!(image.domain_name.is_none() && image.vul_num.is_none());
        assert_eq!(image.association_images.len(), 1);
        assert!(image.association_images[0].image_version.is_none());

        let registries: ListRegistriesResponse = decode_answer(
            br#"{"data_list": [{"id": "r1", "registry_name": "h", "registry_type": "Harbor",
                "api_version": null, "protocol": null, "registry_username": null,
                "namespace": null, "connect_cluster_id": null, "fail_reason": null,
                "images_num": null}], "total_num": 1}"#,
        )
        .expect("registry list with nulls");
        assert!(registries.data_list[0].connect_cluster_id.is_none());
        assert!(registries.data_list[0].images_num.is_none());
    }
}
