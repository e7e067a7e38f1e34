use super::rebuild::{
    dropped, foreign_keys_off_at, foreign_keys_pragma, pragma_takes_effect, rebuilds,
};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::{Engine, FkAction};

/// ## What it does
/// Finds `DROP TABLE` run with foreign keys on, where the drop is part of a table rebuild or the
/// table is referenced by other tables (known from the schema before the migration), in a file
/// without the `-- strata:foreign-keys-off` directive or an effective `PRAGMA foreign_keys = OFF`
/// before it. Also finds `PRAGMA foreign_keys = OFF` inside a transaction, where it does nothing:
/// strata runs a migration file in one transaction unless it is marked `-- strata:no-transaction`.
///
/// ## Why is this bad?
/// With foreign keys on, SQLite's `DROP TABLE` first runs an implicit `DELETE` of every row. That
/// fires the `ON DELETE` actions of the tables referencing it: `CASCADE` deletes their rows,
/// `SET NULL` clears their keys, and `NO ACTION`/`RESTRICT` make the drop fail. In a rebuild the
/// rows were only meant to move to the new table, and the children lose theirs for good.
///
/// ## Example
/// ```sql
/// CREATE TABLE _strata_new_orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);
/// INSERT INTO _strata_new_orders (id, total) SELECT id, total FROM orders;
/// DROP TABLE orders;
/// ALTER TABLE _strata_new_orders RENAME TO orders;
/// ```
///
/// ## Use instead
/// Put the directive in the file's header: strata switches foreign keys off around the
/// migration's transaction and runs `PRAGMA foreign_key_check` before it commits.
/// ```sql
/// -- strata:foreign-keys-off
/// CREATE TABLE _strata_new_orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);
/// ...
/// ```
pub struct RebuildWithForeignKeysOn;

impl Rule for RebuildWithForeignKeysOn {
    fn code(&self) -> &'static str {
        "SL002"
    }
    fn name(&self) -> &'static str {
        "rebuild-with-foreign-keys-on"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if foreign_keys_pragma(stmt) == Some(true) && !pragma_takes_effect(file, stmt.index) {
            out.report_words(
                stmt,
                0,
                1,
                Severity::Warning,
                "PRAGMA foreign_keys = OFF does nothing inside a transaction, and this statement runs in one",
                Some(if file.transactional() {
                    "strata runs this file in a transaction: use the `-- strata:foreign-keys-off` header directive instead".into()
                } else {
                    "move the PRAGMA before BEGIN, or use the `-- strata:foreign-keys-off` header directive".into()
                }),
            );
        }
        let Some((table, word)) = dropped(stmt).into_iter().next() else {
            return;
        };
        if file.created_here(&table, stmt.index) || foreign_keys_off_at(file, stmt.index) {
            return;
        }
        let rebuild = rebuilds(file).into_iter().find(|r| r.drop == stmt.index);
        // The rebuilt table when its old rows were renamed away (children then point at them).
        let subject = rebuild.as_ref().map_or(table.clone(), |r| r.table.clone());
        let bare = |n: &str| n.rsplit('.').next().unwrap_or(n).to_lowercase();
        let children: Option<Vec<String>> = ctx.schema.as_ref().map(|s| {
            s.tables
                .iter()
                .filter(|t| bare(&t.name.name) != bare(&subject))
                .flat_map(|t| {
                    t.foreign_keys
                        .iter()
                        .filter(|fk| bare(&fk.ref_table.name) == bare(&subject))
                        .map(move |fk| {
                            let action = match fk.on_delete {
                                FkAction::NoAction => "NO ACTION: the drop fails while it has rows",
                                FkAction::Restrict => "RESTRICT: the drop fails while it has rows",
                                FkAction::Cascade => "CASCADE: its rows are deleted",
                                FkAction::SetNull => "SET NULL: its keys are cleared",
                                FkAction::SetDefault => "SET DEFAULT: its keys are reset",
                            };
                            format!("{} ({action})", t.name.name)
                        })
                })
                .collect()
        });
        let effect = match (&children, &rebuild) {
            (Some(c), _) if c.is_empty() => return,
            (Some(c), _) => format!("the ON DELETE actions of the tables referencing it fire: {}", c.join(", ")),
            (None, Some(_)) => "ON DELETE CASCADE in the tables referencing it deletes their rows (NO ACTION makes the drop fail)".into(),
            (None, None) => return,
        };
        let what = match &rebuild {
            Some(r) if r.table == table => {
                format!("the rebuild of {table} drops it with foreign keys on")
            }
            Some(r) => format!(
                "the rebuild of {} drops {table} with foreign keys on",
                r.table
            ),
            None => format!("DROP TABLE {table} runs with foreign keys on"),
        };
        let end = stmt.name_at(word).map_or(word, |(_, next)| next - 1);
        out.report_words(
            stmt,
            0,
            end,
            Severity::Error,
            format!("{what}: SQLite first deletes every row of {table}, and {effect}"),
            Some("add `-- strata:foreign-keys-off` to the file's header: strata switches foreign keys off around the transaction and runs PRAGMA foreign_key_check before commit".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with};
    use strata_schema::{ForeignKey, Name, Schema, Table};

    const REBUILD: &str = "CREATE TABLE \"_strata_new_orders\" (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);\nINSERT INTO \"_strata_new_orders\" (id, total) SELECT id, total FROM orders;\nDROP TABLE orders;\nALTER TABLE \"_strata_new_orders\" RENAME TO orders;";

    fn referenced() -> Context {
        let mut items = Table::new(Name::new("order_items"));
        items.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec!["order_id".into()],
            ref_table: Name::new("orders"),
            ref_columns: vec!["id".into()],
            on_update: FkAction::NoAction,
            on_delete: FkAction::Cascade,
            deferrable: Default::default(),
            not_valid: false,
        });
        Context {
            schema: Some(Schema {
                tables: vec![
                    Table::new(Name::new("orders")),
                    items,
                    Table::new(Name::new("logs")),
                ],
                ..Schema::default()
            }),
            ..Context::default()
        }
    }

    #[test]
    fn finds_drops_with_foreign_keys_on() {
        insta::assert_snapshot!(check(&RebuildWithForeignKeysOn, Engine::Sqlite, REBUILD));
        insta::assert_snapshot!(
            "referenced_table_and_useless_pragma",
            check_with(
                &RebuildWithForeignKeysOn,
                Engine::Sqlite,
                "PRAGMA foreign_keys = OFF;\nDROP TABLE orders;",
                &referenced()
            )
        );
    }

    #[test]
    fn does_not_find_drops_with_foreign_keys_off() {
        insta::assert_snapshot!(check(
            &RebuildWithForeignKeysOn,
            Engine::Sqlite,
            &format!("-- strata:foreign-keys-off\n{REBUILD}")
        ), @"no findings");
        insta::assert_snapshot!(check(
            &RebuildWithForeignKeysOn,
            Engine::Sqlite,
            &format!("-- strata:no-transaction\nPRAGMA foreign_keys=0;\nBEGIN;\n{REBUILD}\nCOMMIT;\nPRAGMA foreign_keys=ON;")
        ), @"no findings");
        insta::assert_snapshot!(check_with(
            &RebuildWithForeignKeysOn,
            Engine::Sqlite,
            "DROP TABLE logs;",
            &referenced()
        ), @"no findings");
    }
}
