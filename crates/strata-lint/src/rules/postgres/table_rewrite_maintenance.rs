use super::locked_table::{index_table, severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `REINDEX` without `CONCURRENTLY`, `VACUUM FULL` and `CLUSTER` on tables that already
/// exist.
///
/// ## Why is this bad?
/// `VACUUM FULL` and `CLUSTER` rewrite the whole table under an ACCESS EXCLUSIVE lock: reads and
/// writes wait for the rewrite. `REINDEX` takes a SHARE lock on the table (writes wait) and an
/// ACCESS EXCLUSIVE lock on each index it rebuilds (queries that would use the index wait).
/// `REINDEX SCHEMA | DATABASE | SYSTEM`, `VACUUM FULL` and `CLUSTER` without a table do this to
/// every table in turn.
///
/// ## Example
/// ```sql
/// REINDEX TABLE orders;
/// VACUUM FULL orders;
/// ```
///
/// ## Use instead
/// Rebuild indexes concurrently (PostgreSQL 12+, SHARE UPDATE EXCLUSIVE: reads and writes go on)
/// in a migration that runs outside a transaction; shrink or reorder tables online with a tool
/// such as pg_repack rather than in a migration:
/// ```sql
/// -- strata:no-transaction
/// REINDEX TABLE CONCURRENTLY orders;
/// ```
pub struct TableRewriteMaintenance;

impl Rule for TableRewriteMaintenance {
    fn code(&self) -> &'static str {
        "PG010"
    }
    fn name(&self) -> &'static str {
        "table-rewrite-maintenance"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let Some(found) = maintenance(file, stmt, ctx) else {
            return;
        };
        let existing: Vec<&String> = found
            .tables
            .iter()
            .filter(|t| !file.created_here(t, stmt.index))
            .collect();
        if !found.tables.is_empty() && existing.is_empty() {
            return;
        }
        let (target, sev) = match existing.as_slice() {
            [] => (found.everything.to_string(), Severity::Error),
            [t] => (format!("{t}{}", size(ctx, t)), severity(ctx, t)),
            many => (
                many.iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                many.iter()
                    .map(|t| severity(ctx, t))
                    .max()
                    .unwrap_or(Severity::Error),
            ),
        };
        let (message, help) = match found.kind {
            Kind::Reindex => (
                format!("REINDEX blocks writes to {target} with a SHARE lock, and queries that use each index it rebuilds with an ACCESS EXCLUSIVE lock on the index"),
                "use REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a migration marked `-- strata:no-transaction`",
            ),
            Kind::VacuumFull => (
                format!("VACUUM FULL rewrites {target} under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite"),
                "run a plain VACUUM, or shrink the table online with pg_repack, outside migrations",
            ),
            Kind::Cluster => (
                format!("CLUSTER rewrites {target} under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite"),
                "reorder the table online with pg_repack, outside migrations",
            ),
        };
        out.report_words(stmt, 0, found.keyword_end, sev, message, Some(help.into()));
    }
}

pub(super) enum Kind {
    Reindex,
    VacuumFull,
    Cluster,
}

/// A maintenance statement that locks (`REINDEX` without `CONCURRENTLY`, `VACUUM FULL`,
/// `CLUSTER`): what it is, the tables it names (empty: `everything`)
/// and the last word of its keywords.
pub(super) struct Maintenance {
    pub kind: Kind,
    pub tables: Vec<String>,
    pub everything: &'static str,
    pub keyword_end: usize,
}

/// Reads a maintenance statement that locks; `None` for any other statement.
pub(super) fn maintenance(file: &LintFile, stmt: &Statement, ctx: &Context) -> Option<Maintenance> {
    let first = stmt.word(0)?.upper.as_str();
    match first {
        "REINDEX" => {
            if stmt.has("CONCURRENTLY") {
                return None;
            }
            let k = (1..stmt.words.len()).find(|&i| {
                matches!(
                    stmt.words[i].upper.as_str(),
                    "INDEX" | "TABLE" | "SCHEMA" | "DATABASE" | "SYSTEM"
                )
            })?;
            let name = stmt.name_at(k + 1).map(|(n, _)| n);
            let (tables, everything) = match stmt.words[k].upper.as_str() {
                "TABLE" => (name.into_iter().collect(), ""),
                "INDEX" => {
                    let index = name?;
                    match index_table(file, stmt.index, ctx, &index) {
                        Some(t) => (vec![t], ""),
                        None => (Vec::new(), "the index's table"),
                    }
                }
                "SCHEMA" => (Vec::new(), "every table of the schema"),
                _ => (Vec::new(), "every table of the database"),
            };
            Some(Maintenance {
                kind: Kind::Reindex,
                tables,
                everything,
                keyword_end: k,
            })
        }
        "VACUUM" => {
            // `VACUUM FULL [FREEZE] [VERBOSE] [ANALYZE] t` or `VACUUM (FULL [true], ...) t`.
            let options_end = options_end(stmt);
            let full = stmt.words.iter().enumerate().find(|(i, w)| {
                w.upper == "FULL"
                    && (*i == 1 || options_end.is_some_and(|e| w.offset < e))
                    && !stmt
                        .word(i + 1)
                        .is_some_and(|n| matches!(n.upper.as_str(), "FALSE" | "OFF"))
            })?;
            let first_table = match options_end {
                Some(e) => stmt.words.iter().position(|w| w.offset > e),
                None => (2..stmt.words.len()).find(|&i| {
                    !matches!(
                        stmt.words[i].upper.as_str(),
                        "FREEZE" | "VERBOSE" | "ANALYZE" | "ANALYSE"
                    )
                }),
            };
            Some(Maintenance {
                kind: Kind::VacuumFull,
                tables: first_table.map_or_else(Vec::new, |i| names(stmt, i)),
                everything: "every table of the database",
                keyword_end: full.0,
            })
        }
        "CLUSTER" => {
            let mut i = match options_end(stmt) {
                Some(e) => stmt.words.iter().position(|w| w.offset > e)?,
                None => 1,
            };
            if stmt.word(i).is_some_and(|w| w.upper == "VERBOSE") {
                i += 1;
            }
            // Old form: `CLUSTER index ON table`.
            let table = match stmt.find("ON") {
                Some(on) => stmt.name_at(on + 1),
                None => stmt.name_at(i),
            };
            Some(Maintenance {
                kind: Kind::Cluster,
                tables: table.map(|(t, _)| t).into_iter().collect(),
                everything: "every previously clustered table",
                keyword_end: 0,
            })
        }
        _ => None,
    }
}

/// For `VACUUM (...)` / `CLUSTER (...)`: the byte offset of the `)` closing the option list.
fn options_end(stmt: &Statement) -> Option<usize> {
    let w = stmt.word(0)?;
    let rest = &stmt.sql[w.offset + w.len..];
    if !rest.trim_start().starts_with('(') {
        return None;
    }
    rest.find(')').map(|i| w.offset + w.len + i)
}

/// The comma-separated table names from word `i`, skipping column lists (`t (a, b)`).
fn names(stmt: &Statement, mut i: usize) -> Vec<String> {
    let mut out = Vec::new();
    while let Some((name, next)) = stmt.name_at(i) {
        out.push(name);
        i = next;
        let end = stmt.words[next - 1].offset + stmt.words[next - 1].len;
        if stmt.sql[end..].trim_start().starts_with('(') {
            let close = stmt.sql[end..]
                .find(')')
                .map_or(stmt.sql.len(), |c| end + c);
            i = stmt
                .words
                .iter()
                .position(|w| w.offset > close)
                .unwrap_or(stmt.words.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    #[test]
    fn finds_locking_maintenance() {
        insta::assert_snapshot!(check_with(
            &TableRewriteMaintenance,
            Engine::Postgres,
            "REINDEX TABLE orders;\nREINDEX (VERBOSE) DATABASE app;\nVACUUM FULL ANALYZE orders, lines (order_id);\nVACUUM (FULL, VERBOSE) orders;\nCLUSTER VERBOSE orders USING orders_created_at;\nCLUSTER;",
            &with_rows("orders", 12_000_000)
        ));
    }

    #[test]
    fn does_not_find_concurrent_or_plain_vacuum_or_new_tables() {
        insta::assert_snapshot!(check(
            &TableRewriteMaintenance,
            Engine::Postgres,
            "-- strata:no-transaction\nREINDEX TABLE CONCURRENTLY orders;\nREINDEX (CONCURRENTLY) INDEX orders_created_at;\nVACUUM ANALYZE orders;\nVACUUM (FULL false) orders;\nCREATE TABLE n (a int);\nVACUUM FULL n;\nCLUSTER n USING n_a;"
        ), @"no findings");
    }
}
