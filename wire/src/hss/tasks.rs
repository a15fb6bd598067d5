//! `GET /v5/{project_id}/image/tasks`: scan and sync tasks.

use super::validate_enterprise_project_id;
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, no_control_chars, opt_range, opt_str_len};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Which task list to read: `type` on `GET /image/tasks`.
    TaskListType { ImageScan = "image_scan", ImageSync = "image_sync" }
}

// The macro owns the derive list, so Default is written out.
#[allow(clippy::derivable_impls)]
impl Default for TaskListType {
    fn default() -> Self {
        Self::ImageScan
    }
}

wire_enum! {
    /// `task_type` filter and field.
    TaskType { Cycle = "cycle", Manual = "manual", AutoSync = "autoSync", ManualSync = "manualSync" }
}

wire_enum! {
    /// `global_image_type` filter.
    GlobalImageType { Local = "local", Registry = "registry" }
}

wire_enum! {
    /// `task_status` filter (the field itself is a progress integer).
    TaskStatusFilter { Scanning = "scanning", Finished = "finished" }
}

/// Upper bound of the `create_time` / `end_time` filters, in ms.
pub const MAX_TIME_MS: i64 = 4_070_880_000_000;

/// `GET /v5/{project_id}/image/tasks` query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListTasksRequest {
    #[serde(rename = "type")]
    pub r#type: TaskListType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_image_type: Option<GlobalImageType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_type: Option<TaskType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_status: Option<TaskStatusFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_scope: Option<i64>,
}

impl ListTasksRequest {
    pub fn new(r#type: TaskListType) -> Self {
        Self {
            r#type,
            ..Self::default()
        }
    }

    /// The documented limits of every field.
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        opt_range("offset", self.offset, 0, 2_000_000)?;
        opt_range("limit", self.limit, 10, 200)?;
        opt_str_len("task_name", self.task_name.as_deref(), 1, 256)?;
        opt_str_len("task_id", self.task_id.as_deref(), 1, 256)?;
        if let Some(id) = &self.task_id {
            no_control_chars("task_id", id)?;
        }
        opt_range("create_time", self.create_time, 0, MAX_TIME_MS)?;
        opt_range("end_time", self.end_time, 0, MAX_TIME_MS)?;
        opt_range("scan_scope", self.scan_scope, 0, i64::from(i32::MAX))?;
        Ok(())
    }

    /// Query parameters as (name, value) pairs, in no particular order; the
    /// signer sorts them.
    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .put("type", self.r#type)
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("global_image_type", self.global_image_type)
            .opt("offset", self.offset)
            .opt("limit", self.limit)
            .opt("task_type", self.task_type)
            .opt("task_name", self.task_name.as_ref())
            .opt("task_id", self.task_id.as_ref())
            .opt("create_time", self.create_time)
            .opt("end_time", self.end_time)
            .opt("task_status", self.task_status)
            .opt("scan_scope", self.scan_scope)
            .into_pairs()
    }
}

impl ListTasksRequest {
    /// Whether any filter beyond the list type is set (paging aside).
    pub fn has_filters(&self) -> bool {
        let Self {
            r#type: _,
            enterprise_project_id,
            global_image_type,
            offset: _,
            limit: _,
            task_type,
            task_name,
            task_id,
            create_time,
            end_time,
            task_status,
            scan_scope,
        } = self;
        enterprise_project_id.is_some()
            || global_image_type.is_some()
            || task_type.is_some()
            || task_name.is_some()
            || task_id.is_some()
            || create_time.is_some()
            || end_time.is_some()
            || task_status.is_some()
            || scan_scope.is_some()
    }

    /// Whether a task passes the filters, read the way the service reads
    /// them: `task_name` is a fuzzy (substring) match, `create_time` the
    /// earliest start, `end_time` the latest end, `scan_scope` any shared
    /// risk type. `enterprise_project_id` cannot be judged from a task.
    pub fn matches(&self, task: &ImageScanTaskInfo) -> bool {
        self.task_type
            .is_none_or(|ty| task.task_type.as_deref() == Some(ty.as_str()))
            && self
                .global_image_type
                .is_none_or(|ty| task.image_type.as_deref() == Some(ty.as_str()))
            && self.task_id.as_ref().is_none_or(|id| &task.task_id == id)
            && self
                .task_name
                .as_ref()
                .is_none_or(|n| task.task_name.contains(n.as_str()))
            && match self.task_status {
                None => true,
                Some(TaskStatusFilter::Scanning) => (0..100).contains(&task.task_status),
                Some(TaskStatusFilter::Finished) => !(0..100).contains(&task.task_status),
            }
            && self
                .create_time
                .is_none_or(|c| task.begin_time.unwrap_or(0) >= c)
            && self
                .end_time
                .is_none_or(|e| task.end_time.is_some_and(|end| end > 0 && end <= e))
            && self
                .scan_scope
                .is_none_or(|s| task.scan_scope.unwrap_or(0) & s != 0)
    }

    /// This query answered from `snapshot` (the newest tasks of the same
    /// list), when the snapshot holds everything the answer needs: the
    /// whole list, or (without filters) at least the requested page.
    /// `None` means only the service can answer.
    pub fn answer_from(&self, snapshot: &ListTasksResponse) -> Option<ListTasksResponse> {
        let held = snapshot.data_list.len();
        let complete = usize::try_from(snapshot.total_num).is_ok_and(|total| total <= held);
        let offset = usize::try_from(self.offset.unwrap_or(0)).unwrap_or(usize::MAX);
        let limit = usize::try_from(self.limit.unwrap_or(DEFAULT_LIMIT)).unwrap_or(0);
        if self.enterprise_project_id.is_some() {
            return None;
        }
        if !complete && (self.has_filters() || offset.saturating_add(limit) > held) {
            return None;
        }
        let mut total = 0usize;
        let mut page = Vec::new();
        for task in snapshot.data_list.iter().filter(|t| self.matches(t)) {
            if total >= offset && page.len() < limit {
                page.push(task.clone());
            }
            total += 1;
        }
        let total_num = if complete || self.has_filters() {
            i64::try_from(total).unwrap_or(i64::MAX)
        } else {
            snapshot.total_num
        };
        Some(ListTasksResponse {
            total_num,
            data_list: page,
        })
    }
}

/// The service's page size when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 10;

/// Answer of `GET /image/tasks`. Every field defaults, so a service that
/// adds or omits a field does not break the console.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTasksResponse {
    pub total_num: i64,
    pub data_list: Vec<ImageScanTaskInfo>,
}

/// One scan or sync task.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageScanTaskInfo {
    pub task_id: String,
    pub policy_id: Option<String>,
    pub task_name: String,
    /// Milliseconds since the epoch.
    pub begin_time: Option<i64>,
    pub end_time: Option<i64>,
    pub remain_min: Option<i64>,
    /// `cycle`, `manual`, `autoSync`, `manualSync`; kept as text so a new
    /// kind from the service still shows.
    pub task_type: Option<String>,
    pub image_type: Option<String>,
    /// 0..100 progress; -1 stopped, -2 timed out, -3 failed.
    pub task_status: i64,
    pub scan_scope: Option<i64>,
    pub rate_limit: Option<i64>,
    pub is_all: Option<bool>,
    pub failed_num: i64,
    pub success_num: i64,
    pub total_num: i64,
    pub risky_num: i64,
    pub sync_task_type: Option<String>,
    pub failed_reason: Option<String>,
    pub failed_images: Vec<FailedImage>,
}

/// An image a task could not scan or sync, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FailedImage {
    /// An integer in the service's model.
    pub id: Option<i64>,
    pub registry_id: Option<String>,
    pub registry_name: Option<String>,
    pub image_name: String,
    pub image_version: String,
    pub namespace: String,
    pub registry_type: Option<String>,
    pub failed_reason: Option<String>,
}

/// What a `task_status` integer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    Running(u8),
    Finished,
    Stopped,
    TimedOut,
    Failed,
    Unknown(i64),
}

impl TaskState {
    pub fn from_status(status: i64) -> Self {
        match status {
            100 => Self::Finished,
            0..=99 => Self::Running(u8::try_from(status).unwrap_or(0)),
            -1 => Self::Stopped,
            -2 => Self::TimedOut,
            -3 => Self::Failed,
            other => Self::Unknown(other),
        }
    }
}

/// `scan_scope` bits, named as the console shows them.
pub const SCAN_SCOPE_ALL: i64 = 0x7fff_ffff;
pub const SCAN_SCOPE_PARTS: [(i64, &str); 5] = [
    (0x000f_0000, "vulnerabilities"),
    (0x0000_f000, "baseline"),
    (0x0000_0f00, "malicious files"),
    (0x0000_00f0, "sensitive information"),
    (0x0000_000f, "software compliance"),
];

/// The risk types a `scan_scope` bitmask covers.
pub fn scan_scope_names(scope: i64) -> Vec<&'static str> {
    SCAN_SCOPE_PARTS
        .iter()
        .filter(|(bits, _)| scope & bits != 0)
        .map(|(_, name)| *name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_list_answer_tolerates_unknown_and_missing_fields() {
        let body = r#"{"total_num": 1, "new_field": {"x": 1},
            "data_list": [{"task_id": "t1", "task_name": "n", "task_status": 40,
                           "something_new": true}]}"#;
        let parsed: ListTasksResponse = serde_json::from_str(body).expect("parses");
        assert_eq!(parsed.total_num, 1);
        assert_eq!(parsed.data_list[0].task_status, 40);
        assert!(parsed.data_list[0].failed_images.is_empty());
    }

    #[test]
    fn status_integers_map_to_states() {
        assert_eq!(TaskState::from_status(100), TaskState::Finished);
        assert_eq!(TaskState::from_status(37), TaskState::Running(37));
        assert_eq!(TaskState::from_status(-1), TaskState::Stopped);
        assert_eq!(TaskState::from_status(-2), TaskState::TimedOut);
        assert_eq!(TaskState::from_status(-3), TaskState::Failed);
        assert_eq!(TaskState::from_status(-9), TaskState::Unknown(-9));
    }

    #[test]
    fn limit_outside_10_to_200_names_the_field() {
        let mut req = ListTasksRequest::new(TaskListType::ImageScan);
        req.limit = Some(5);
        assert_eq!(req.validate().unwrap_err().field, "limit");
        req.limit = Some(200);
        assert!(req.validate().is_ok());
    }

    #[test]
    fn unknown_enumeration_values_fail_at_the_edge() {
        let bad = r#"{"type": "image_scan", "task_type": "weekly"}"#;
        assert!(serde_json::from_str::<ListTasksRequest>(bad).is_err());
        let good = r#"{"type": "image_sync", "task_type": "manualSync"}"#;
        let req: ListTasksRequest = serde_json::from_str(good).expect("parses");
        assert_eq!(req.task_type, Some(TaskType::ManualSync));
    }

    fn task(id: &str, status: i64, begin: i64) -> ImageScanTaskInfo {
        ImageScanTaskInfo {
            task_id: id.to_owned(),
            task_name: format!("scan {id}"),
            task_status: status,
            begin_time: Some(begin),
            task_type: Some("manual".to_owned()),
            scan_scope: Some(0x000f_0000),
            ..ImageScanTaskInfo::default()
        }
    }

    fn snapshot(tasks: Vec<ImageScanTaskInfo>, total: i64) -> ListTasksResponse {
        ListTasksResponse {
            total_num: total,
            data_list: tasks,
        }
    }

    #[test]
    fn a_complete_snapshot_answers_filters_and_pages() {
        let all: Vec<_> = (0..25)
            .map(|i| {
                task(
                    &format!("t{i}"),
                    if i % 2 == 0 { 100 } else { 40 },
                    1000 - i,
                )
            })
            .collect();
        let snap = snapshot(all, 25);
        let mut req = ListTasksRequest::new(TaskListType::ImageScan);
        req.task_status = Some(TaskStatusFilter::Scanning);
        req.limit = Some(10);
        req.offset = Some(10);
        let answer = req.answer_from(&snap).expect("complete snapshot answers");
        assert_eq!(answer.total_num, 12, "12 odd tasks are running");
        assert_eq!(answer.data_list.len(), 2);
        assert_eq!(answer.data_list[0].task_id, "t21");
        req.task_name = Some("t2".to_owned());
        req.offset = None;
        let ids: Vec<_> = req
            .answer_from(&snap)
            .expect("answers")
            .data_list
            .into_iter()
            .map(|t| t.task_id)
            .collect();
        assert_eq!(ids, ["t21", "t23"], "fuzzy name match, running only");
    }

    #[test]
    fn an_incomplete_snapshot_answers_only_unfiltered_pages_it_holds() {
        let held: Vec<_> = (0..200)
            .map(|i| task(&format!("t{i}"), 100, 1000 - i))
            .collect();
        let snap = snapshot(held, 450);
        let mut req = ListTasksRequest::new(TaskListType::ImageScan);
        req.limit = Some(50);
        req.offset = Some(150);
        let page = req.answer_from(&snap).expect("page inside the snapshot");
        assert_eq!(
            page.total_num, 450,
            "the service's total, not the snapshot's"
        );
        assert_eq!(page.data_list.len(), 50);
        req.offset = Some(160);
        assert!(
            req.answer_from(&snap).is_none(),
            "runs past what the snapshot holds"
        );
        req.offset = None;
        req.task_status = Some(TaskStatusFilter::Finished);
        assert!(
            req.answer_from(&snap).is_none(),
            "filters need the whole list"
        );
    }

    #[test]
    fn time_and_scope_filters_read_like_the_service() {
        let mut done = task("a", 100, 5_000);
        done.end_time = Some(9_000);
        let running = task("b", 50, 7_000);
        let mut req = ListTasksRequest::new(TaskListType::ImageScan);
        req.create_time = Some(6_000);
        assert!(!req.matches(&done) && req.matches(&running));
        req.create_time = None;
        req.end_time = Some(10_000);
        assert!(
            req.matches(&done) && !req.matches(&running),
            "no end yet: not ended before"
        );
        req.end_time = None;
        req.scan_scope = Some(0x0000_0f00);
        assert!(
            !req.matches(&done),
            "malicious files only; task scanned vulnerabilities"
        );
        req.scan_scope = Some(0x000f_0f00);
        assert!(req.matches(&done));
    }

    #[test]
    fn scan_scope_bits_have_names() {
        assert_eq!(
            scan_scope_names(0x000f_0f00),
            vec!["vulnerabilities", "malicious files"]
        );
        assert_eq!(scan_scope_names(SCAN_SCOPE_ALL).len(), 5);
        assert!(scan_scope_names(0).is_empty());
    }
}
