pub mod failed_images;
pub mod filters;
pub mod freshness;
pub mod progress_bar;
pub mod stop;
pub mod task_table;
pub mod tcss_scan;
