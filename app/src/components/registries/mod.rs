pub mod registry_table;
pub mod sync_actions;
