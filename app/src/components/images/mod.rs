//! The Images page's parts, for HSS (SWR) and TCSS (registry) images:
//! filters, the selectable table, and the launch
//! confirmation.

pub mod filters;
pub mod image_table;
pub mod launch;
pub mod query;
pub mod registry_filters;
pub mod registry_query;
pub mod registry_table;
pub mod selection;
pub mod tcss_filters;
pub mod tcss_query;
pub mod tcss_table;
