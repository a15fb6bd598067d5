//! The Schedule page's parts: the timing scan in words with its last and
//! next run, and the edit form.

pub mod form;
pub mod namespaces;
pub mod rules;
pub mod summary;
