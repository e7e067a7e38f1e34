//! Differences between two schemas as ordered [`Change`]s, and [`Plan`]s with up and down SQL.
//!
//! The differ is written once; engines answer small questions and render SQL through [`Dialect`].

mod change;
mod dialect;
mod diff;
mod plan;
mod rename_candidates;

pub use change::{Change, ColumnPosition, ConstraintKind};
pub use dialect::{decimal_args, decimal_widens, same_column_definition, Dialect, Unsupported};
pub use diff::{
    column_order_differences, diff, diff_with, diff_with_options, ColumnOrder, ColumnRename,
    DiffOptions, Renames, TableRename,
};
pub use plan::{plan, plan_with, Plan, Step};
pub use rename_candidates::{rename_candidates, RenameCandidate};
