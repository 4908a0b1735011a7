pub mod domain;
pub mod fixtures;
