//! The image page's parts: its URL, the tabs' shared pieces, the
//! vulnerability table and the other findings' table.

pub mod across_query;
pub mod finding_list;
pub mod list;
pub mod query;
pub mod rescan;
pub mod vulnerabilities;
