//! What the live-update stream carries: a task list as the server last saw
//! it, and when it will look again.

use crate::hss::{ListTasksResponse, TaskListType};
use crate::tcss::{ImageProgress, RegistryScanStatus, scan_status};
use serde::{Deserialize, Serialize};

/// One list's snapshot, shared by every viewer of an account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TaskSnapshot {
    pub list: TaskListType,
    /// The first page of the list (up to 200 tasks), newest first.
    pub answer: ListTasksResponse,
    /// When the upstream answered, ms since the epoch.
    pub fetched_at_ms: i64,
    /// When the server plans to ask again, ms since the epoch.
    pub next_refresh_ms: i64,
    /// Set when the last refresh failed; `answer` is then the last good one.
    pub error: Option<String>,
}

impl TaskSnapshot {
    /// Whether any task in it is still running.
    pub fn has_running(&self) -> bool {
        self.answer
            .data_list
            .iter()
            .any(|t| (0..100).contains(&t.task_status))
    }
}

/// A TCSS account's latest one-key registry scan, shared by every viewer
/// of the account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TcssScanSnapshot {
    /// `DescribeAssetImageRegistryScanStatusOneKey`'s answer.
    pub status: RegistryScanStatus,
    /// When the upstream answered, ms since the epoch.
    pub fetched_at_ms: i64,
    /// When the server plans to ask again, ms since the epoch.
    pub next_refresh_ms: i64,
    /// Set when the last refresh failed; `status` is then the last good one.
    pub error: Option<String>,
}

impl TcssScanSnapshot {
    /// Whether the scan still runs.
    pub fn is_running(&self) -> bool {
        self.status.status.as_deref() == Some(scan_status::SCANNING)
    }

    /// Images whose scan failed.
    pub fn failed(&self) -> impl Iterator<Item = &ImageProgress> {
        self.status
            .image_status
            .iter()
            .filter(|i| i.scan_status.as_deref() == Some(scan_status::SCAN_ERR))
    }
}
