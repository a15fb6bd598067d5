pub mod registry_table;
