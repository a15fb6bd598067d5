mod list_tasks;
pub use list_tasks::*;
mod tcss_scan;
pub use tcss_scan::*;
