//! The schema side of strata that needs no I/O: which engine a project targets and how to quote
//! identifiers and literals safely for it.
//!
//! The full schema model (tables, columns, indexes, ...) lands here with the declarative-schema work;
//! everything that prints SQL goes through [`quote`] so that names holding quotes, backticks, spaces or
//! unicode can never break out of an identifier.

mod engine;
pub mod quote;

pub use engine::Engine;
