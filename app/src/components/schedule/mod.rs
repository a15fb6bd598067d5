//! The Schedule page's parts: each cloud's schedule in words (the TCSS
//! timing scan with its last and next run, the HSS scan policy) and the
//! forms that edit them.

pub mod form;
pub mod namespaces;
pub mod policy_form;
pub mod policy_rules;
pub mod policy_summary;
pub mod rules;
mod save_state;
pub mod summary;
