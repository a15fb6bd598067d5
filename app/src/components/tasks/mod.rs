pub mod progress_bar;
pub mod task_table;
