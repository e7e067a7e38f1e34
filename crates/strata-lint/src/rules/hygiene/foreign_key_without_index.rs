use crate::rule::{Findings, Rule};
use crate::rules::data_loss::support::{byte_span, ident_span, name_text, schema_table};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{
    AlterTableOperation, ColumnDef, ColumnOption, Expr, Ident, IndexColumn, ObjectName,
    Statement as Ast, TableConstraint,
};
use strata_schema::Engine;

/// ## What it does
/// Finds foreign keys — in `CREATE TABLE` or `ALTER TABLE ... ADD` — whose columns are not the
/// leading columns of any index, primary key or unique constraint on the table, neither created
/// anywhere in the same file nor present in the schema before the migration. Not on MySQL,
/// which creates the index itself.
///
/// ## Why is this bad?
/// Neither PostgreSQL nor SQLite indexes the referencing side of a foreign key. Every `DELETE`
/// of a referenced row, and every update of its key, scans the whole referencing table to check
/// for (or cascade to) children — under locks, once per row — and joins along the key are slow.
///
/// ## Example
/// ```sql
/// CREATE TABLE orders (
///     id bigint PRIMARY KEY,
///     customer_id bigint NOT NULL REFERENCES customers (id)
/// );
/// ```
///
/// ## Use instead
/// Index the referencing columns (on an existing PostgreSQL table, concurrently):
/// ```sql
/// CREATE INDEX orders_customer_id_idx ON orders (customer_id);
/// ```
pub struct ForeignKeyWithoutIndex;

impl Rule for ForeignKeyWithoutIndex {
    fn code(&self) -> &'static str {
        "HY005"
    }
    fn name(&self) -> &'static str {
        "foreign-key-without-index"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let (table, fks) = match &stmt.ast {
            Some(Ast::CreateTable(ct)) => {
                let mut fks = Vec::new();
                for c in &ct.columns {
                    inline_fks(c, &mut fks);
                }
                for c in &ct.constraints {
                    table_fk(c, &mut fks);
                }
                (name_text(&ct.name), fks)
            }
            Some(Ast::AlterTable(alter)) => {
                let mut fks = Vec::new();
                for op in &alter.operations {
                    match op {
                        AlterTableOperation::AddColumn { column_def, .. } => {
                            inline_fks(column_def, &mut fks)
                        }
                        AlterTableOperation::AddConstraint { constraint, .. } => {
                            table_fk(constraint, &mut fks)
                        }
                        _ => {}
                    }
                }
                (name_text(&alter.name), fks)
            }
            _ => return,
        };
        // A rebuild's new table gets its indexes after it is renamed to the old name.
        if fks.is_empty() || file.renamed_later(&table, stmt.index) {
            return;
        }
        let mut keys = file_keys(file, &table);
        if let Some(t) = schema_table(ctx, &table) {
            keys.extend(t.primary_key.iter().map(|k| k.columns.clone()));
            keys.extend(t.uniques.iter().map(|k| k.columns.clone()));
            keys.extend(t.indexes.iter().map(|i| {
                // An expression part ends the usable prefix.
                i.parts.iter().map_while(|p| p.column.clone()).collect()
            }));
        }
        for fk in fks {
            let columns: Vec<String> = fk.columns.iter().map(|c| c.value.clone()).collect();
            if keys.iter().any(|k| leads_with(k, &columns)) {
                continue;
            }
            let span = match (fk.columns.first(), fk.columns.last()) {
                (Some(a), Some(b)) => match (byte_span(stmt, a.span), byte_span(stmt, b.span)) {
                    (Some((s, _)), Some((_, e))) => (s, e),
                    _ => ident_span(stmt, a),
                },
                _ => stmt.span_of(0, 1),
            };
            let list = columns.join(", ");
            let referenced = name_text(fk.references);
            let bare = table.rsplit('.').next().unwrap_or(&table);
            let concurrently =
                if file.engine == Engine::Postgres && !file.created_here(&table, stmt.index) {
                    "CONCURRENTLY "
                } else {
                    ""
                };
            out.report(
                stmt,
                span,
                Severity::Warning,
                format!(
                    "foreign key {table} ({list}) → {referenced} has no index on {table} ({list}): every delete or key update in {referenced} scans {table}"
                ),
                Some(format!(
                    "CREATE INDEX {concurrently}{bare}_{}_idx ON {table} ({list});",
                    columns.join("_")
                )),
            );
        }
    }
}

/// A foreign key of the statement: its columns and the table it references.
struct Fk<'a> {
    columns: Vec<&'a Ident>,
    references: &'a ObjectName,
}

fn inline_fks<'a>(c: &'a ColumnDef, out: &mut Vec<Fk<'a>>) {
    for o in &c.options {
        if let ColumnOption::ForeignKey(fk) = &o.option {
            out.push(Fk {
                columns: vec![&c.name],
                references: &fk.foreign_table,
            });
        }
    }
}

fn table_fk<'a>(c: &'a TableConstraint, out: &mut Vec<Fk<'a>>) {
    if let TableConstraint::ForeignKey(fk) = c {
        out.push(Fk {
            columns: fk.columns.iter().collect(),
            references: &fk.foreign_table,
        });
    }
}

/// Whether an index on `key` serves lookups by `columns`: they are its leading columns, in
/// any order.
fn leads_with(key: &[String], columns: &[String]) -> bool {
    key.len() >= columns.len()
        && columns.iter().all(|c| {
            key[..columns.len()]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(c))
        })
}

/// Column lists of the primary keys, unique constraints and indexes the file creates on `table`.
fn file_keys(file: &LintFile, table: &str) -> Vec<Vec<String>> {
    let same = |name: &ObjectName| {
        let n = name_text(name);
        let bare = |s: &str| s.rsplit('.').next().unwrap_or(s).to_lowercase();
        bare(&n) == bare(table)
    };
    let mut keys = Vec::new();
    for s in &file.statements {
        match &s.ast {
            Some(Ast::CreateTable(ct)) if same(&ct.name) => {
                for c in &ct.columns {
                    let keyed = c.options.iter().any(|o| {
                        matches!(
                            o.option,
                            ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_)
                        )
                    });
                    if keyed {
                        keys.push(vec![c.name.value.clone()]);
                    }
                }
                keys.extend(ct.constraints.iter().filter_map(constraint_columns));
            }
            Some(Ast::CreateIndex(ci)) if same(&ci.table_name) => {
                keys.push(index_columns(&ci.columns));
            }
            Some(Ast::AlterTable(alter)) if same(&alter.name) => {
                for op in &alter.operations {
                    if let AlterTableOperation::AddConstraint { constraint, .. } = op {
                        keys.extend(constraint_columns(constraint));
                    }
                }
            }
            _ => {}
        }
    }
    keys
}

fn constraint_columns(c: &TableConstraint) -> Option<Vec<String>> {
    match c {
        TableConstraint::PrimaryKey(pk) => Some(index_columns(&pk.columns)),
        TableConstraint::Unique(u) => Some(index_columns(&u.columns)),
        TableConstraint::Index(i) => Some(index_columns(&i.columns)),
        _ => None,
    }
}

/// The leading plain columns of an index (an expression ends the usable prefix).
fn index_columns(columns: &[IndexColumn]) -> Vec<String> {
    columns
        .iter()
        .map_while(|c| match &c.column.expr {
            Expr::Identifier(i) => Some(i.value.clone()),
            Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with};
    use strata_schema::{Index, IndexPart, Name, Schema, Table};

    const ENGINES: [Engine; 2] = [Engine::Postgres, Engine::Sqlite];

    #[test]
    fn finds_unindexed_foreign_keys() {
        for engine in ENGINES {
            insta::assert_snapshot!(
                format!("foreign_key_without_index_{engine}"),
                check(
                    &ForeignKeyWithoutIndex,
                    engine,
                    "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers (id),\n  shop_id bigint,\n  region text,\n  FOREIGN KEY (shop_id, region) REFERENCES shops (id, region)\n);\nCREATE INDEX orders_region ON orders (region, shop_id, id);\nALTER TABLE invoices ADD COLUMN order_id bigint REFERENCES orders (id);"
                )
            );
        }
    }

    #[test]
    fn does_not_find_indexed_foreign_keys() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &ForeignKeyWithoutIndex,
                    engine,
                    "CREATE TABLE orders (\n  id bigint PRIMARY KEY REFERENCES carts (id),\n  customer_id bigint NOT NULL REFERENCES customers (id),\n  shop_id bigint,\n  region text,\n  FOREIGN KEY (shop_id, region) REFERENCES shops (id, region),\n  UNIQUE (region, shop_id)\n);\nCREATE INDEX orders_customer ON orders (customer_id, id);"
                ), @"no findings");
            }
        }
        let mut invoices = Table::new(Name::new("invoices"));
        invoices.indexes.push(Index {
            name: "invoices_order_id".into(),
            unique: false,
            parts: vec![IndexPart::column("order_id")],
            predicate: None,
            method: None,
            include: Vec::new(),
            nulls_not_distinct: false,
            with: Vec::new(),
            comment: None,
        });
        let ctx = Context {
            schema: Some(Schema {
                tables: vec![invoices],
                ..Schema::default()
            }),
            ..Context::default()
        };
        insta::assert_snapshot!(check_with(
            &ForeignKeyWithoutIndex,
            Engine::Postgres,
            "ALTER TABLE invoices ADD CONSTRAINT invoices_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;",
            &ctx
        ), @"no findings");
    }
}
