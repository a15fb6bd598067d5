//! The image page's parts: its URL and the vulnerability table.

pub mod query;
pub mod rescan;
pub mod vulnerabilities;
