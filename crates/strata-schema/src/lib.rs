//! The schema side of strata that needs no I/O: which engine a project targets and how to quote
//! identifiers and literals safely for it.
//!
//! Everything that prints SQL goes through [`quote`] so that names holding quotes, backticks, spaces or
//! unicode can never break out of an identifier.

pub mod directive;
mod engine;
pub mod lex;
mod model;
pub mod quote;
pub mod split;

pub use engine::Engine;
pub use model::*;
