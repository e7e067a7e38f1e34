//! Views, routines, triggers and policies: created from the definition the catalog printed,
//! with their comments, and dropped by name.

use strata_schema::{Name, Policy, Routine, RoutineKind, Trigger, View};

use super::constraints::create_index;
use super::names::{comment_on, NAMES};

/// `CREATE [MATERIALIZED] VIEW` with options, then a materialized view's indexes and the comment.
pub(super) fn create_view(view: &View) -> Vec<String> {
    let name = NAMES.qualified(&view.name);
    let kind = if view.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let with = if view.options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", view.options.join(", "))
    };
    let mut out = vec![format!(
        "CREATE {kind} {name}{with} AS\n{}",
        view.definition
    )];
    for index in &view.indexes {
        out.extend(create_index(&view.name, index));
    }
    if let Some(c) = &view.comment {
        out.push(comment_on(kind, &name, Some(c)));
    }
    out
}

/// `DROP [MATERIALIZED] VIEW`.
pub(super) fn drop_view(view: &View) -> String {
    let kind = if view.materialized {
        "MATERIALIZED "
    } else {
        ""
    };
    format!("DROP {kind}VIEW {}", NAMES.qualified(&view.name))
}

/// Whether `CREATE OR REPLACE` can change `from` into `to`: same kind and result type, and not
/// an aggregate.
pub(super) fn replaces_routine(from: &Routine, to: &Routine) -> bool {
    let returns = |d: &str| {
        d.lines()
            .map(str::trim)
            .find(|l| l.starts_with("RETURNS "))
            .map(str::to_owned)
    };
    from.kind == to.kind
        && !from.definition.starts_with("CREATE AGGREGATE")
        && returns(&from.definition) == returns(&to.definition)
}

/// The routine's definition, then its comment.
pub(super) fn create_routine(routine: &Routine) -> Vec<String> {
    let mut out = Vec::new();
    // A SQL-language body is checked against the catalog when created; routines are created in
    // name order, so one may call another that comes later (as pg_dump does, the check waits
    // for the first call).
    if routine.definition.contains("\n LANGUAGE sql") {
        out.push("SET check_function_bodies = off".to_string());
    }
    out.push(routine.definition.trim_end().to_string());
    // `CREATE OR REPLACE` keeps the comment of the routine it replaces: always say what the
    // comment is, also when there is none.
    out.push(comment_on(
        routine_keyword(routine),
        &routine_target(routine),
        routine.comment.as_deref(),
    ));
    out
}

/// `DROP FUNCTION|PROCEDURE|AGGREGATE name(signature)`.
pub(super) fn drop_routine(routine: &Routine) -> String {
    format!(
        "DROP {} {}",
        routine_keyword(routine),
        routine_target(routine)
    )
}

fn routine_keyword(r: &Routine) -> &'static str {
    if r.definition.trim_start().starts_with("CREATE AGGREGATE") {
        return "AGGREGATE";
    }
    match r.kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    }
}

fn routine_target(r: &Routine) -> String {
    format!("{}({})", NAMES.qualified(&r.name), r.signature)
}

/// `DROP TRIGGER ... ON table`.
pub(super) fn drop_trigger(table: &Name, trigger: &Trigger) -> String {
    format!(
        "DROP TRIGGER {} ON {}",
        NAMES.ident(&trigger.name),
        NAMES.qualified(table)
    )
}

/// `DROP POLICY ... ON table`.
pub(super) fn drop_policy(table: &Name, policy: &Policy) -> String {
    format!(
        "DROP POLICY {} ON {}",
        NAMES.ident(&policy.name),
        NAMES.qualified(table)
    )
}
