use super::support::{ident_span, name_text, schema_column};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, DataType, Statement as Ast};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER COLUMN ... TYPE` (PostgreSQL) and `MODIFY`/`CHANGE` (MySQL) that give a column a
/// narrower type than it has: a shorter `varchar`, `text` to `varchar(n)`, a smaller integer, a
/// `numeric` with fewer digits. It needs the column's current type from the schema before the
/// migration; without it the rule stays silent. (SQLite changes types only by rebuilding.)
///
/// ## Why is this bad?
/// Values that do not fit are lost or stop the migration: PostgreSQL fails on the first value
/// that is too long or too large (after holding an ACCESS EXCLUSIVE lock while it rewrote part of
/// the table); MySQL outside strict mode silently truncates or clamps them. Either way, code that
/// still writes long values fails afterwards.
///
/// ## Example
/// ```sql
/// ALTER TABLE products ALTER COLUMN title TYPE varchar(50);
/// ```
///
/// ## Use instead
/// Check the data first (`SELECT count(*) FROM products WHERE length(title) > 50`), fix or move
/// the values that do not fit and make the application enforce the new limit; or enforce it
/// without a rewrite:
/// ```sql
/// ALTER TABLE products ADD CONSTRAINT title_length CHECK (length(title) <= 50) NOT VALID;
/// ALTER TABLE products VALIDATE CONSTRAINT title_length;
/// ```
pub struct NarrowingType;

impl Rule for NarrowingType {
    fn code(&self) -> &'static str {
        "DL008"
    }
    fn name(&self) -> &'static str {
        "narrowing-type"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let Some(Ast::AlterTable(alter)) = &stmt.ast else {
            return;
        };
        let table = name_text(&alter.name);
        if file.created_here(&table, stmt.index) {
            return;
        }
        for op in &alter.operations {
            let (column, new) = match op {
                AlterTableOperation::AlterColumn {
                    column_name,
                    op: AlterColumnOperation::SetDataType { data_type, .. },
                } => (column_name, data_type),
                AlterTableOperation::ModifyColumn {
                    col_name,
                    data_type,
                    ..
                } => (col_name, data_type),
                AlterTableOperation::ChangeColumn {
                    old_name,
                    data_type,
                    ..
                } => (old_name, data_type),
                _ => continue,
            };
            let Some(old) = schema_column(ctx, &table, &column.value) else {
                continue;
            };
            let new_text = type_text(new);
            let (Some(from), Some(to)) = (
                Width::of(&old.data_type, file.engine),
                Width::of(&new_text, file.engine),
            ) else {
                continue;
            };
            if !to.narrower_than(from) {
                continue;
            }
            let consequence = if file.engine == Engine::Mysql {
                "values that do not fit are truncated (or the statement fails in strict mode)"
            } else {
                "the migration fails on the first value that does not fit"
            };
            out.report(
                stmt,
                ident_span(stmt, column),
                Severity::Error,
                format!(
                    "{table}.{} narrows from {} to {new_text}: {consequence}",
                    column.value, old.data_type
                ),
                Some(format!(
                    "check for values that do not fit {new_text} and fix them first, or enforce the limit with a CHECK constraint (NOT VALID, then VALIDATE)"
                )),
            );
        }
    }
}

/// The type as written, lowercase (`varchar(50)`, `int unsigned`).
fn type_text(t: &DataType) -> String {
    t.to_string().to_lowercase()
}

/// What values a type holds, for the types where "narrower" has an obvious meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Width {
    /// Integers from `min` to `max`.
    Integer { min: i128, max: i128 },
    /// Strings up to a length; `None` is unbounded.
    Text(Option<u64>),
    /// Decimals with this many digits before and after the point; `None` is unconstrained.
    Decimal(Option<(i64, i64)>),
}

impl Width {
    /// The width of a type as a catalog or a statement spells it (`character varying(100)`,
    /// `int(11) unsigned`, `numeric(10,2)`).
    fn of(ty: &str, engine: Engine) -> Option<Width> {
        let ty = ty.trim().to_lowercase();
        if ty.contains('[') {
            return None;
        }
        let unsigned = ty.split_whitespace().any(|w| w == "unsigned");
        let (base, params) = match ty.split_once('(') {
            Some((b, rest)) => (b.trim().to_string(), rest.split(')').next().unwrap_or("")),
            None => (ty.clone(), ""),
        };
        let base: Vec<&str> = base
            .split_whitespace()
            .filter(|w| !matches!(*w, "unsigned" | "signed" | "zerofill"))
            .collect();
        let base = base.join(" ");
        let nums: Vec<i64> = params
            .split(',')
            .filter_map(|p| p.trim().parse().ok())
            .collect();
        let bytes = match base.as_str() {
            "tinyint" => Some(1),
            "smallint" | "int2" | "smallserial" | "serial2" => Some(2),
            "mediumint" => Some(3),
            "int" | "integer" | "int4" | "serial" | "serial4" => Some(4),
            "bigint" | "int8" | "bigserial" | "serial8" => Some(8),
            _ => None,
        };
        if let Some(bytes) = bytes {
            let bits = 8 * bytes;
            return Some(if unsigned {
                Width::Integer {
                    min: 0,
                    max: (1i128 << bits) - 1,
                }
            } else {
                Width::Integer {
                    min: -(1i128 << (bits - 1)),
                    max: (1i128 << (bits - 1)) - 1,
                }
            });
        }
        let length = nums.first().and_then(|n| u64::try_from(*n).ok());
        match base.as_str() {
            "varchar" | "character varying" | "char varying" | "nvarchar" => {
                Some(Width::Text(length))
            }
            "char" | "character" | "bpchar" => Some(Width::Text(Some(length.unwrap_or(1)))),
            "text" if engine == Engine::Mysql => Some(Width::Text(Some(65_535))),
            "text" => Some(Width::Text(None)),
            "tinytext" => Some(Width::Text(Some(255))),
            "mediumtext" => Some(Width::Text(Some(16_777_215))),
            "longtext" => Some(Width::Text(Some(4_294_967_295))),
            "numeric" | "decimal" | "dec" => Some(Width::Decimal(match nums.as_slice() {
                [p, s] => Some((p - s, *s)),
                [p] => Some((*p, 0)),
                // MySQL's bare DECIMAL is DECIMAL(10,0); PostgreSQL's is unconstrained.
                _ if engine == Engine::Mysql => Some((10, 0)),
                _ => None,
            })),
            _ => None,
        }
    }

    /// Whether some value of `old` does not fit `self`.
    fn narrower_than(self, old: Width) -> bool {
        match (self, old) {
            (Width::Integer { min, max }, Width::Integer { min: a, max: b }) => min > a || max < b,
            (Width::Text(new), Width::Text(old)) => match (new, old) {
                (Some(n), Some(o)) => n < o,
                (Some(_), None) => true,
                _ => false,
            },
            (Width::Decimal(new), Width::Decimal(old)) => match (new, old) {
                (Some((ni, ns)), Some((oi, os))) => ni < oi || ns < os,
                (Some(_), None) => true,
                _ => false,
            },
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with};
    use strata_schema::{Column, Name, Schema, Table};

    fn products(engine: Engine) -> Context {
        let mut t = Table::new(Name::new("products"));
        let (title, stock) = match engine {
            Engine::Postgres => ("character varying(200)", "bigint"),
            _ => ("varchar(200)", "int unsigned"),
        };
        t.columns.push(Column::new("title", title));
        t.columns.push(Column::new("stock", stock));
        t.columns.push(Column::new("body", "text"));
        let price = match engine {
            Engine::Postgres => "numeric(10,2)",
            _ => "decimal(10,2)",
        };
        t.columns.push(Column::new("price", price));
        Context {
            schema: Some(Schema {
                tables: vec![t],
                ..Schema::default()
            }),
            ..Context::default()
        }
    }

    #[test]
    fn finds_narrowing_changes() {
        insta::assert_snapshot!(
            "narrowing_type_postgres",
            check_with(
                &NarrowingType,
                Engine::Postgres,
                "ALTER TABLE products\n  ALTER COLUMN title TYPE varchar(50),\n  ALTER COLUMN stock TYPE int,\n  ALTER COLUMN body SET DATA TYPE varchar(1000),\n  ALTER COLUMN price TYPE numeric(8,2);",
                &products(Engine::Postgres)
            )
        );
        insta::assert_snapshot!(
            "narrowing_type_mysql",
            check_with(
                &NarrowingType,
                Engine::Mysql,
                "ALTER TABLE products MODIFY title varchar(50) NOT NULL, CHANGE stock stock int, MODIFY price decimal(10,1);",
                &products(Engine::Mysql)
            )
        );
    }

    #[test]
    fn does_not_find_widening_or_unknown_types() {
        insta::assert_snapshot!(check_with(
            &NarrowingType,
            Engine::Postgres,
            "ALTER TABLE products ALTER COLUMN title TYPE text, ALTER COLUMN price TYPE numeric(12,2), ALTER COLUMN stock TYPE numeric;\nALTER TABLE other ALTER COLUMN x TYPE smallint;",
            &products(Engine::Postgres)
        ), @"no findings");
        insta::assert_snapshot!(check_with(
            &NarrowingType,
            Engine::Mysql,
            "ALTER TABLE products MODIFY title varchar(255), MODIFY stock bigint unsigned, MODIFY body mediumtext;",
            &products(Engine::Mysql)
        ), @"no findings");
        // Without the schema the old type is unknown.
        for (engine, sql) in [
            (
                Engine::Postgres,
                "ALTER TABLE products ALTER COLUMN title TYPE varchar(5);",
            ),
            (
                Engine::Mysql,
                "ALTER TABLE products MODIFY title varchar(5);",
            ),
        ] {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(&NarrowingType, engine, sql), @"no findings");
            }
        }
    }

    #[test]
    fn widths() {
        let w = |t| Width::of(t, Engine::Postgres).unwrap();
        assert!(w("int").narrower_than(w("bigint")));
        assert!(!w("bigint").narrower_than(w("integer")));
        assert!(w("varchar(10)").narrower_than(w("text")));
        assert!(w("numeric(5,2)").narrower_than(w("numeric")));
        assert!(w("numeric(10,1)").narrower_than(w("numeric(10,2)")));
        assert!(!w("numeric(12,2)").narrower_than(w("numeric(10,2)")));
        let m = |t| Width::of(t, Engine::Mysql).unwrap();
        assert!(m("int").narrower_than(m("int(10) unsigned")));
        assert!(m("int unsigned").narrower_than(m("int")));
        assert!(m("varchar(1000)").narrower_than(m("mediumtext")));
    }
}
