//! Schema documentation from the same model the migrations use: entity-relationship diagrams
//! (Mermaid, Graphviz DOT, SVG laid out by strata itself), a static HTML site, and a changelog of
//! what each migration added, modified and dropped.

pub mod changelog;
pub mod descriptions;
pub mod erd;
mod escape;
pub mod html;
