//! The request validators: any JSON body that deserialises into a request
//! type is judged without panicking, the same way twice, and a valid
//! request stays valid after the trip to the wire; a task id that passes
//! never adds, removes or resolves a path segment of the upstream URL.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scanport_cloud::signing::huawei;
use scanport_wire::FieldError;
use scanport_wire::{hss, tcss};
use serde::Serialize;
use serde::de::DeserializeOwned;

trait Validate {
    fn check(&self) -> Result<(), FieldError>;
}

macro_rules! validates {
    ($($ty:ty),* $(,)?) => {$(
        impl Validate for $ty {
            fn check(&self) -> Result<(), FieldError> {
                self.validate()
            }
        }
    )*};
}

validates!(
    hss::ListTasksRequest,
    hss::ListImagesRequest,
    hss::ListRegistriesRequest,
    hss::BatchScanRequest,
    hss::SynchronizeRequest,
    hss::ImageSyncTaskRequest,
    hss::CreateScanTaskRequest,
    tcss::UpdateTimingScanRequest,
    tcss::DescribeRegistryImagesRequest,
    tcss::CreateRegistryScanRequest,
    tcss::RegistryScanStatusRequest,
    tcss::SyncRegistryAssetsRequest,
    tcss::StopRegistryScanRequest,
);

fn judge<T>(body: &[u8])
where
    T: Validate + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Ok(request) = serde_json::from_slice::<T>(body) else {
        return;
    };
    let verdict = request.check();
    assert_eq!(verdict, request.check(), "validation is deterministic");
    if let Err(err) = &verdict {
        assert!(!err.field.is_empty() && !err.message.is_empty(), "{err:?}");
        return;
    }
    let sent = serde_json::to_vec(&request).expect("a request serialises");
    let back: T = serde_json::from_slice(&sent).expect("what we send parses back");
    assert_eq!(back, request, "the wire trip changes nothing");
    assert_eq!(back.check(), Ok(()), "still valid after the trip");
}

fn task_id_keeps_the_path(task_id: &str) {
    if hss::validate_task_id(task_id).is_err() {
        return;
    }
    let segments = ["v5", "p", "image", "image-scan", "tasks", task_id, "stop"];
    let sent = huawei::request_path(&segments);
    // What the upstream sees after decoding the path once.
    let decoded = percent_encoding::percent_decode_str(&sent).decode_utf8_lossy();
    let parts: Vec<&str> = decoded.split('/').skip(1).collect();
    assert_eq!(parts.len(), segments.len(), "{task_id:?} sent as {sent:?}");
    assert_eq!(parts[5], task_id);
    assert!(parts.iter().all(|p| *p != "." && *p != ".."));
    assert!(
        !sent
            .bytes()
            .any(|b| b.is_ascii_control() || b == b' ' || b == b'?' || b == b'#')
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 15 {
        0 => judge::<hss::ListTasksRequest>(body),
        1 => judge::<hss::ListImagesRequest>(body),
        2 => judge::<hss::ListRegistriesRequest>(body),
        3 => judge::<hss::BatchScanRequest>(body),
        4 => judge::<hss::SynchronizeRequest>(body),
        5 => judge::<hss::ImageSyncTaskRequest>(body),
        6 => judge::<hss::CreateScanTaskRequest>(body),
        7 => judge::<tcss::UpdateTimingScanRequest>(body),
        8 => judge::<tcss::DescribeRegistryImagesRequest>(body),
        9 => judge::<tcss::CreateRegistryScanRequest>(body),
        10 => judge::<tcss::RegistryScanStatusRequest>(body),
        11 => judge::<tcss::SyncRegistryAssetsRequest>(body),
        12 => task_id_keeps_the_path(&String::from_utf8_lossy(body)),
        13 => judge::<tcss::StopRegistryScanRequest>(body),
        _ => {
            let text = String::from_utf8_lossy(body);
            if tcss::validate_clock_time("t", &text).is_ok() {
                // HH:MM or HH:MM:SS.
                assert!(matches!(text.len(), 5 | 8), "{text:?}");
            }
        }
    }
});
