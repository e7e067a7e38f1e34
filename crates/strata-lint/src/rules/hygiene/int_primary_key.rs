use crate::rule::{Findings, Rule};
use crate::rules::data_loss::support::{ident_span, name_text};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{ColumnOption, DataType, Expr, Statement as Ast, TableConstraint};
use strata_schema::Engine;

/// ## What it does
/// Finds `CREATE TABLE` whose primary key is a single 32-bit (or smaller) integer column: `int`,
/// `integer`, `int4`, `serial`, `smallint`, ... — declared inline (`id int PRIMARY KEY`) or as
/// `PRIMARY KEY (id)`. Not on SQLite, where an `INTEGER PRIMARY KEY` is the 64-bit rowid.
///
/// ## Why is this bad?
/// A busy table runs out of ids at 2,147,483,647 (4,294,967,295 unsigned) and inserts start to
/// fail. Widening the key later rewrites the table and every table whose foreign keys point at
/// it, under locks — the kind of migration that needs a maintenance window. A `bigint` costs
/// four more bytes per row.
///
/// ## Example
/// ```sql
/// CREATE TABLE orders (id serial PRIMARY KEY, total numeric(12,2));
/// ```
///
/// ## Use instead
/// ```sql
/// CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric(12,2));
/// -- MySQL: id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY
/// ```
pub struct IntPrimaryKey;

impl Rule for IntPrimaryKey {
    fn code(&self) -> &'static str {
        "HY003"
    }
    fn name(&self) -> &'static str {
        "int-primary-key"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        let Some(Ast::CreateTable(ct)) = &stmt.ast else {
            return;
        };
        // The one column of a table-level `PRIMARY KEY (col)`; composite keys usually combine
        // keys of other tables and are left alone.
        let table_key = ct.constraints.iter().find_map(|c| match c {
            TableConstraint::PrimaryKey(pk) if pk.columns.len() == 1 => {
                match &pk.columns[0].column.expr {
                    Expr::Identifier(i) => Some(i.value.clone()),
                    _ => None,
                }
            }
            _ => None,
        });
        let table = name_text(&ct.name);
        for c in &ct.columns {
            let inline = c
                .options
                .iter()
                .any(|o| matches!(o.option, ColumnOption::PrimaryKey(_)));
            let named = table_key
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case(&c.name.value));
            if !(inline || named) {
                continue;
            }
            let Some(limit) = small_int_limit(&c.data_type) else {
                continue;
            };
            let help = match file.engine {
                Engine::Mysql => "use BIGINT UNSIGNED AUTO_INCREMENT",
                _ => "use bigint GENERATED ALWAYS AS IDENTITY (or bigserial)",
            };
            out.report(
                stmt,
                ident_span(stmt, &c.name),
                Severity::Warning,
                format!(
                    "primary key {table}.{} is {}: ids run out at {limit}, and widening it later rewrites {table} and the tables referencing it",
                    c.name.value,
                    c.data_type.to_string().to_lowercase()
                ),
                Some(help.into()),
            );
        }
    }
}

/// The largest id a 32-bit-or-smaller integer type holds, as text; `None` for other types.
fn small_int_limit(t: &DataType) -> Option<&'static str> {
    Some(match t {
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => "2,147,483,647",
        DataType::IntUnsigned(_) | DataType::IntegerUnsigned(_) | DataType::Int4Unsigned(_) => {
            "4,294,967,295"
        }
        DataType::MediumInt(_) => "8,388,607",
        DataType::MediumIntUnsigned(_) => "16,777,215",
        DataType::SmallInt(_) | DataType::Int2(_) => "32,767",
        DataType::SmallIntUnsigned(_) | DataType::Int2Unsigned(_) => "65,535",
        DataType::TinyInt(_) => "127",
        DataType::TinyIntUnsigned(_) => "255",
        DataType::Custom(name, _) => match name.to_string().to_lowercase().as_str() {
            "serial" | "serial4" => "2,147,483,647",
            "smallserial" | "serial2" => "32,767",
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    const ENGINES: [Engine; 2] = [Engine::Postgres, Engine::Mysql];

    #[test]
    fn finds_int_primary_keys() {
        for (engine, sql) in [
            (
                Engine::Postgres,
                "CREATE TABLE orders (id serial PRIMARY KEY, total numeric(12,2));\nCREATE TABLE tags (tag_id integer NOT NULL, name text, PRIMARY KEY (tag_id));",
            ),
            (
                Engine::Mysql,
                "CREATE TABLE orders (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, total decimal(12,2));\nCREATE TABLE tags (tag_id int NOT NULL, name text, PRIMARY KEY (tag_id));",
            ),
        ] {
            insta::assert_snapshot!(format!("int_primary_key_{engine}"), check(&IntPrimaryKey, engine, sql));
        }
    }

    #[test]
    fn does_not_find_bigint_or_composite_keys() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &IntPrimaryKey,
                    engine,
                    "CREATE TABLE orders (id bigint PRIMARY KEY, n int);\nCREATE TABLE order_tags (order_id int, tag_id int, PRIMARY KEY (order_id, tag_id));\nCREATE TABLE codes (code varchar(10) PRIMARY KEY);"
                ), @"no findings");
            }
        }
    }

    #[test]
    fn does_not_apply_to_sqlite() {
        assert!(!IntPrimaryKey.engines().contains(&Engine::Sqlite));
    }
}
