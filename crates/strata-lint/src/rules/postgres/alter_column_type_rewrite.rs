use super::alter_table::{self, ident};
use super::locked_table::{schema_table, severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ALTER COLUMN col TYPE new_type` on a table that already exists, unless
/// the change is binary-coercible: `varchar(n)` → `text`, `varchar(n)` → `varchar(m)` with
/// `m >= n` or unlimited `varchar`, `text` → `varchar`, `numeric(p, s)` → `numeric` or
/// `numeric(q, s)` with `q >= p`. Without a database the old type is unknown and the finding is a
/// warning.
///
/// ## Why is this bad?
/// Any other type change rewrites the whole table and rebuilds its indexes while holding an
/// ACCESS EXCLUSIVE lock: reads and writes wait for the rewrite, and the table briefly needs twice
/// its disk space.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ALTER COLUMN id TYPE bigint;
/// ```
///
/// ## Use instead
/// Add a column of the new type, keep it in sync with a trigger, backfill it in batches, then
/// switch the application and swap the columns in a short migration:
/// ```sql
/// ALTER TABLE orders ADD COLUMN id_new bigint;
/// -- trigger: NEW.id_new := NEW.id; backfill in batches; then rename id_new to id
/// ```
pub struct AlterColumnTypeRewrite;

impl Rule for AlterColumnTypeRewrite {
    fn code(&self) -> &'static str {
        "PG009"
    }
    fn name(&self) -> &'static str {
        "alter-column-type-rewrite"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let Some(alter) = alter_table::parse(stmt) else {
            return;
        };
        let table = &alter.table;
        if file.created_here(table, stmt.index) {
            return;
        }
        for (n, action) in alter.actions.iter().enumerate() {
            let Some((col, next)) = action.altered_column(stmt) else {
                continue;
            };
            let type_at = if stmt.words[next].upper == "TYPE" {
                next + 1
            } else if action.find_seq(stmt, &["SET", "DATA", "TYPE"]) == Some(next) {
                next + 3
            } else {
                continue;
            };
            if type_at > action.to {
                continue;
            }
            let column = ident(stmt, col);
            // The type runs to USING, COLLATE or the end of the action; numbers are not words,
            // so it is cut from the text.
            let stop = (type_at + 1..=action.to)
                .find(|&i| matches!(stmt.words[i].upper.as_str(), "USING" | "COLLATE"));
            let end = match (stop, alter.actions.get(n + 1)) {
                (Some(s), _) => stmt.words[s].offset,
                (None, Some(a)) => stmt.sql[..stmt.words[a.from].offset]
                    .rfind(',')
                    .unwrap_or(stmt.words[a.from].offset),
                (None, None) => stmt.sql.len(),
            };
            let new_type = stmt.sql[stmt.words[type_at].offset..end]
                .trim()
                .trim_end_matches(';')
                .trim()
                .to_string();
            let using = stop.filter(|&s| stmt.words[s].upper == "USING").map(|s| {
                let to = stmt.words[action.to].offset + stmt.words[action.to].len;
                stmt.sql[stmt.words[s].offset + 5..to].trim().to_string()
            });
            let plain_using = using.as_deref().is_none_or(|u| identity_using(u, &column));
            let last = stop.map_or(action.to, |s| s - 1);
            let old_type = schema_table(ctx, table)
                .and_then(|t| t.columns.iter().find(|c| c.name == column))
                .map(|c| c.data_type.clone());
            let help = Some(
                "add a column of the new type kept in sync by a trigger, backfill it in batches, then swap the columns; only varchar widening, varchar → text and loosening numeric skip the rewrite".to_string(),
            );
            match old_type {
                Some(old) => {
                    if plain_using && binary_coercible(&old, &new_type) {
                        continue;
                    }
                    out.report_words(
                        stmt,
                        action.from,
                        last,
                        severity(ctx, table),
                        format!(
                            "changing {table}.{column} from {old} to {new_type} rewrites {table}{} under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite",
                            size(ctx, table)
                        ),
                        help,
                    );
                }
                None => out.report_words(
                    stmt,
                    action.from,
                    last,
                    Severity::Warning,
                    format!(
                        "changing {table}.{column} to {new_type} rewrites {table}{} under an ACCESS EXCLUSIVE lock unless the change is binary-coercible; the old type is unknown (lint with a database to tell)",
                        size(ctx, table)
                    ),
                    help,
                ),
            }
        }
    }
}

/// Whether `USING expr` only relabels the column (`col` or `col::type`), which PostgreSQL
/// recognises as no conversion.
fn identity_using(using: &str, column: &str) -> bool {
    let u = using.trim().trim_end_matches(';').trim().to_lowercase();
    let base = u.split("::").next().unwrap_or(&u).trim().trim_matches('"');
    base == column.to_lowercase()
}

/// A type as base name and modifiers: `character varying(20)` → (`varchar`, [20]).
fn parse_type(text: &str) -> (String, Vec<i64>) {
    let t = text.trim().to_lowercase();
    let (base, args) = match t.split_once('(') {
        Some((b, rest)) => {
            let inner = rest.split(')').next().unwrap_or("");
            let tail = rest.split_once(')').map_or("", |(_, t)| t).trim();
            let args = inner
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            (format!("{} {tail}", b.trim()), args)
        }
        None => (t.clone(), Vec::new()),
    };
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let base = match base.as_str() {
        "character varying" | "varchar" => "varchar",
        "character" | "char" | "bpchar" => "bpchar",
        "int" | "integer" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "smallint" | "int2" => "int2",
        "decimal" | "numeric" => "numeric",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "double precision" | "float8" => "float8",
        "real" | "float4" => "float4",
        "bool" | "boolean" => "bool",
        other => other,
    }
    .to_string();
    (base, args)
}

/// Whether changing a column from `old` to `new` needs no rewrite.
fn binary_coercible(old: &str, new: &str) -> bool {
    let (ob, oa) = parse_type(old);
    let (nb, na) = parse_type(new);
    match (ob.as_str(), nb.as_str()) {
        _ if ob == nb && oa == na => true,
        ("varchar", "text") => true,
        ("varchar", "varchar") => na.is_empty() || (!oa.is_empty() && na[0] >= oa[0]),
        ("text", "varchar") => na.is_empty(),
        ("numeric", "numeric") => {
            // numeric(p) is numeric(p, 0); only a larger precision with the same scale, or no
            // limit at all, keeps every stored value as it is.
            let scale = |a: &[i64]| a.get(1).copied().unwrap_or(0);
            na.is_empty() || (!oa.is_empty() && na[0] >= oa[0] && scale(&na) == scale(&oa))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_schema::{context, table};
    use super::*;
    use crate::rules::test_support::{check, check_with};

    fn orders() -> Context {
        context(
            vec![table(
                "orders",
                &[
                    ("id", "integer"),
                    ("note", "character varying(100)"),
                    ("total", "numeric(10,2)"),
                    ("code", "text"),
                    ("label", "varchar(40)"),
                    ("price", "numeric(8,2)"),
                ],
            )],
            12_000_000,
        )
    }

    #[test]
    fn finds_rewriting_type_changes() {
        insta::assert_snapshot!(check_with(
            &AlterColumnTypeRewrite,
            Engine::Postgres,
            "ALTER TABLE orders ALTER COLUMN id TYPE bigint,\n  ALTER note SET DATA TYPE varchar(50),\n  ALTER total TYPE numeric(12, 3),\n  ALTER code TYPE varchar(10) USING substr(code, 1, 10);",
            &orders()
        ));
        insta::assert_snapshot!(
            "old_type_unknown",
            check(
                &AlterColumnTypeRewrite,
                Engine::Postgres,
                "ALTER TABLE orders ALTER COLUMN note TYPE text;"
            )
        );
    }

    #[test]
    fn does_not_find_binary_coercible_changes_or_new_tables() {
        insta::assert_snapshot!(check_with(
            &AlterColumnTypeRewrite,
            Engine::Postgres,
            "ALTER TABLE orders ALTER label TYPE text USING label::text, ALTER price TYPE numeric,\n  ALTER code TYPE varchar, ALTER id TYPE int4;\nALTER TABLE orders ALTER note TYPE character varying(200);\nALTER TABLE orders ALTER total TYPE decimal(14,2);\nCREATE TABLE n (a int);\nALTER TABLE n ALTER a TYPE bigint;",
            &orders()
        ), @"no findings");
    }
}
