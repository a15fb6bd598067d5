//! The Registries page's parts: HSS's registry table and sync actions, and
//! a TCSS account's table, sync actions and sync progress.

pub mod registry_table;
pub mod sync_actions;
pub mod tcss_registries;
pub mod tcss_sync;
pub mod tcss_table;
