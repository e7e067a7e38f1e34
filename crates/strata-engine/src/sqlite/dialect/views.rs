//! Views and triggers: created from the definition SQLite stored, dropped by name.

use strata_schema::{Trigger, View};

use super::names::NAMES;

/// The view's stored `CREATE VIEW` statement when inspection kept it whole, else one built
/// around its query.
pub(super) fn create_view(view: &View) -> String {
    if view
        .definition
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("CREATE")
    {
        return view.definition.clone();
    }
    format!(
        "CREATE VIEW {} AS {}",
        NAMES.qualified(&view.name),
        view.definition
    )
}

/// `DROP VIEW`.
pub(super) fn drop_view(view: &View) -> String {
    format!("DROP VIEW {}", NAMES.qualified(&view.name))
}

/// `DROP TRIGGER`: trigger names are unique in the database, not per table.
pub(super) fn drop_trigger(trigger: &Trigger) -> String {
    format!("DROP TRIGGER {}", NAMES.ident(&trigger.name))
}
