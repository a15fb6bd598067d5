//! What the live-update stream carries: a task list as the server last saw
//! it, and when it will look again.

use crate::hss::{ListTasksResponse, TaskListType};
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
