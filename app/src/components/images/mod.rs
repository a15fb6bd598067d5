//! The Images page's parts: filters, the selectable table, and the launch
//! confirmation.

pub mod filters;
pub mod image_table;
pub mod launch;
pub mod query;
pub mod selection;
