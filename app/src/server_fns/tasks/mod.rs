mod list_tasks;
pub use list_tasks::*;
