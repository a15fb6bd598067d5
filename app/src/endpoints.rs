//! The catalogue of `/api/v1` endpoints: each declared once with the role
//! it needs and whether it reads or changes (and which live list a change
//! refreshes). The server functions take their role and audit action from
//! here (`crate::ops`), and the tests check the catalogue against the
//! server functions that exist and against the API tests' role matrix.

use scanport_wire::hss::TaskListType;
use scanport_wire::portal::Role;

/// A live feed a change may have moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// An HSS account's task list.
    HssTasks(TaskListType),
    /// A TCSS account's current registry scan.
    TcssScan,
}

/// What an endpoint does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Answers without changing anything; never audited.
    Read,
    /// Changes something: audited under its path, idempotent with a key
    /// (cloud launches), and refreshes a live feed afterwards.
    Change { refresh: Option<Feed> },
}

/// One endpoint, `POST /api/v1/{path}` unless noted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub path: &'static str,
    /// `None`: anyone may call it (it answers who they are).
    pub role: Option<Role>,
    pub kind: Kind,
}

const fn read(path: &'static str, role: Role) -> Endpoint {
    Endpoint {
        path,
        role: Some(role),
        kind: Kind::Read,
    }
}

const fn change(path: &'static str, role: Role, refresh: Option<Feed>) -> Endpoint {
    Endpoint {
        path,
        role: Some(role),
        kind: Kind::Change { refresh },
    }
}

use Role::{Admin, Operator, Viewer};
const SCANS: Option<Feed> = Some(Feed::HssTasks(TaskListType::ImageScan));
const SYNCS: Option<Feed> = Some(Feed::HssTasks(TaskListType::ImageSync));
const TCSS_SCANS: Option<Feed> = Some(Feed::TcssScan);

pub const ACCOUNTS: Endpoint = read("accounts", Viewer);
pub const ACCOUNTS_RETRY: Endpoint = change("accounts/retry", Operator, None);
pub const AUTH_ME: Endpoint = Endpoint {
    path: "auth/me",
    role: None,
    kind: Kind::Read,
};
pub const LIVE_TASKS: Endpoint = read("live/tasks", Viewer);
pub const LIVE_TCSS_SCAN: Endpoint = read("live/tcss-scan", Viewer);
pub const UI_REGISTRIES: Endpoint = read("ui/registries", Viewer);
pub const UI_IMAGE_VULNERABILITIES: Endpoint = read("ui/image-vulnerabilities", Viewer);
pub const UI_IMAGE_FINDINGS: Endpoint = read("ui/image-findings", Viewer);
pub const UI_VULNERABILITIES: Endpoint = read("ui/vulnerabilities", Viewer);
pub const UI_VULNERABILITY_IMAGES: Endpoint = read("ui/vulnerability-images", Viewer);
pub const UI_OVERVIEW: Endpoint = read("ui/overview", Viewer);

pub const HSS_TASKS: Endpoint = read("hss/tasks", Viewer);
pub const HSS_IMAGES: Endpoint = read("hss/images", Viewer);
pub const HSS_REGISTRIES: Endpoint = read("hss/registries", Viewer);
pub const HSS_BATCH_SCAN: Endpoint = change("hss/batch-scan", Operator, SCANS);
pub const HSS_SCAN_TASKS: Endpoint = change("hss/scan-tasks", Operator, SCANS);
pub const HSS_TASKS_STOP: Endpoint = change("hss/tasks/stop", Operator, SCANS);
pub const HSS_SYNCHRONIZE: Endpoint = change("hss/synchronize", Operator, None);
pub const HSS_IMAGE_SYNC_TASKS: Endpoint = change("hss/image-sync-tasks", Operator, SYNCS);
pub const HSS_SCAN_POLICY: Endpoint = read("hss/scan-policy", Viewer);
pub const HSS_IMAGE_VULNERABILITIES: Endpoint = read("hss/image-vulnerabilities", Viewer);
pub const HSS_IMAGE_MALWARE: Endpoint = read("hss/image-malware", Viewer);
pub const HSS_IMAGE_SENSITIVE: Endpoint = read("hss/image-sensitive", Viewer);
pub const HSS_IMAGE_RISK_CONFIGS: Endpoint = read("hss/image-risk-configs", Viewer);
pub const HSS_VULNERABILITIES: Endpoint = read("hss/vulnerabilities", Viewer);
pub const HSS_VULNERABILITY_IMAGES: Endpoint = read("hss/vulnerability-images", Viewer);
pub const HSS_SCAN_POLICY_UPDATE: Endpoint = change("hss/scan-policy/update", Operator, None);
pub const HSS_REGISTRY_IMAGES: Endpoint = read("hss/registry-images", Viewer);
pub const HSS_SYNC_TASK_REGISTRIES: Endpoint = read("hss/image-sync-tasks/registries", Viewer);

pub const TCSS_TIMING_SCAN: Endpoint = read("tcss/timing-scan", Viewer);
pub const TCSS_TIMING_SCAN_UPDATE: Endpoint = change("tcss/timing-scan/update", Operator, None);
pub const TCSS_IMAGES: Endpoint = read("tcss/images", Viewer);
pub const TCSS_SCAN_STATUS: Endpoint = read("tcss/scan-status", Viewer);
pub const TCSS_SCAN: Endpoint = change("tcss/scan", Operator, TCSS_SCANS);
pub const TCSS_SCAN_STOP: Endpoint = change("tcss/scan/stop", Operator, TCSS_SCANS);
pub const TCSS_SYNC: Endpoint = change("tcss/sync", Operator, None);
pub const TCSS_REGISTRIES: Endpoint = read("tcss/registries", Viewer);
pub const TCSS_SYNC_STATUS: Endpoint = read("tcss/sync-status", Viewer);
pub const TCSS_NAMESPACES: Endpoint = read("tcss/namespaces", Viewer);
pub const TCSS_IMAGE_VULNERABILITIES: Endpoint = read("tcss/image-vulnerabilities", Viewer);
pub const TCSS_IMAGE_VIRUSES: Endpoint = read("tcss/image-viruses", Viewer);
pub const TCSS_IMAGE_RISKS: Endpoint = read("tcss/image-risks", Viewer);
pub const TCSS_VULNERABILITIES: Endpoint = read("tcss/vulnerabilities", Viewer);
pub const TCSS_WEB_VULNERABILITIES: Endpoint = read("tcss/web-vulnerabilities", Viewer);
pub const TCSS_VULNERABILITY_IMAGES: Endpoint = read("tcss/vulnerability-images", Viewer);

pub const ADMIN_USERS: Endpoint = read("admin/users", Admin);
pub const ADMIN_USERS_ADD: Endpoint = change("admin/users/add", Admin, None);
pub const ADMIN_USERS_ROLE: Endpoint = change("admin/users/role", Admin, None);
pub const ADMIN_USERS_DISABLE: Endpoint = change("admin/users/disable", Admin, None);
pub const ADMIN_TOKENS: Endpoint = read("admin/tokens", Admin);
pub const ADMIN_TOKENS_CREATE: Endpoint = change("admin/tokens/create", Admin, None);
pub const ADMIN_TOKENS_REVOKE: Endpoint = change("admin/tokens/revoke", Admin, None);
pub const ADMIN_AUDIT: Endpoint = read("admin/audit", Admin);

/// Every server-function endpoint. (The live stream,
/// `GET /api/v1/events/tasks`, and the CSV exports are plain routes.)
pub const ALL: &[Endpoint] = &[
    ACCOUNTS,
    ACCOUNTS_RETRY,
    AUTH_ME,
    LIVE_TASKS,
    LIVE_TCSS_SCAN,
    UI_REGISTRIES,
    UI_IMAGE_VULNERABILITIES,
    UI_IMAGE_FINDINGS,
    UI_VULNERABILITIES,
    UI_VULNERABILITY_IMAGES,
    UI_OVERVIEW,
    HSS_TASKS,
    HSS_IMAGES,
    HSS_REGISTRIES,
    HSS_BATCH_SCAN,
    HSS_SCAN_TASKS,
    HSS_TASKS_STOP,
    HSS_SYNCHRONIZE,
    HSS_IMAGE_SYNC_TASKS,
    HSS_SCAN_POLICY,
    HSS_SCAN_POLICY_UPDATE,
    HSS_IMAGE_VULNERABILITIES,
    HSS_IMAGE_MALWARE,
    HSS_IMAGE_SENSITIVE,
    HSS_IMAGE_RISK_CONFIGS,
    HSS_VULNERABILITIES,
    HSS_VULNERABILITY_IMAGES,
    HSS_REGISTRY_IMAGES,
    HSS_SYNC_TASK_REGISTRIES,
    TCSS_TIMING_SCAN,
    TCSS_TIMING_SCAN_UPDATE,
    TCSS_IMAGES,
    TCSS_SCAN_STATUS,
    TCSS_SCAN,
    TCSS_SCAN_STOP,
    TCSS_SYNC,
    TCSS_REGISTRIES,
    TCSS_SYNC_STATUS,
    TCSS_NAMESPACES,
    TCSS_IMAGE_VULNERABILITIES,
    TCSS_IMAGE_VIRUSES,
    TCSS_IMAGE_RISKS,
    TCSS_VULNERABILITIES,
    TCSS_WEB_VULNERABILITIES,
    TCSS_VULNERABILITY_IMAGES,
    ADMIN_USERS,
    ADMIN_USERS_ADD,
    ADMIN_USERS_ROLE,
    ADMIN_USERS_DISABLE,
    ADMIN_TOKENS,
    ADMIN_TOKENS_CREATE,
    ADMIN_TOKENS_REVOKE,
    ADMIN_AUDIT,
];

/// The endpoint declared for `path`, if any.
pub fn find(path: &str) -> Option<&'static Endpoint> {
    ALL.iter().find(|e| e.path == path)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_catalogue_lists_every_server_function_and_nothing_else() {
        let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| {
                path.strip_prefix("/api/v1/")
                    .unwrap_or_else(|| panic!("server function outside /api/v1: {path}"))
                    .to_owned()
            })
            .collect();
        let declared: BTreeSet<String> = ALL.iter().map(|e| e.path.to_owned()).collect();
        assert_eq!(declared.len(), ALL.len(), "a path is declared twice");
        assert_eq!(
            registered, declared,
            "server functions (left) and the catalogue (right) differ"
        );
    }
}
