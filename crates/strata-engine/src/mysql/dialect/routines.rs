//! Views, stored routines and triggers: created from the definition the server printed, dropped
//! by name.

use strata_schema::{Name, Routine, RoutineKind, Trigger, View};

use super::names::NAMES;

/// `CREATE VIEW`, keeping `SQL SECURITY INVOKER` (definer is the server's default).
pub(super) fn create_view(view: &View) -> String {
    let security = if view.options.iter().any(|o| o == "sql_security=invoker") {
        "SQL SECURITY INVOKER "
    } else {
        ""
    };
    format!(
        "CREATE {security}VIEW {} AS {}",
        NAMES.qualified(&view.name),
        view.definition
    )
}

/// `DROP VIEW`.
pub(super) fn drop_view(view: &View) -> String {
    format!("DROP VIEW {}", NAMES.qualified(&view.name))
}

/// `DROP FUNCTION` / `DROP PROCEDURE`.
pub(super) fn drop_routine(routine: &Routine) -> String {
    let kind = match routine.kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    };
    format!("DROP {kind} {}", NAMES.qualified(&routine.name))
}

/// `DROP TRIGGER`: a trigger lives in its table's database.
pub(super) fn drop_trigger(table: &Name, trigger: &Trigger) -> String {
    format!(
        "DROP TRIGGER {}",
        NAMES.qualified(&Name {
            schema: table.schema.clone(),
            name: trigger.name.clone(),
        })
    )
}

/// The trigger named by `FOLLOWS x` or `PRECEDES x` in a trigger's definition.
pub(super) fn trigger_anchor(trigger: &Trigger) -> Option<String> {
    let words: Vec<&str> = trigger.definition.split_whitespace().collect();
    words
        .windows(2)
        .find(|w| w[0].eq_ignore_ascii_case("FOLLOWS") || w[0].eq_ignore_ascii_case("PRECEDES"))
        .map(|w| w[1].trim_matches(|c| c == '`' || c == '"').to_string())
}

#[cfg(test)]
mod tests {
    use strata_schema::Trigger;

    #[test]
    fn a_trigger_waits_for_the_one_it_follows_or_precedes() {
        let trigger = |definition: &str| Trigger {
            name: "t2".into(),
            definition: definition.into(),
        };
        let follows =
            trigger("CREATE TRIGGER t2 BEFORE INSERT ON a FOR EACH ROW FOLLOWS `t1` SET NEW.x = 1");
        assert_eq!(super::trigger_anchor(&follows).as_deref(), Some("t1"));
        let precedes =
            trigger("CREATE TRIGGER t2 BEFORE INSERT ON a FOR EACH ROW precedes t0 SET NEW.x = 1");
        assert_eq!(super::trigger_anchor(&precedes).as_deref(), Some("t0"));
        let alone = trigger("CREATE TRIGGER t2 BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1");
        assert_eq!(super::trigger_anchor(&alone), None);
    }
}
