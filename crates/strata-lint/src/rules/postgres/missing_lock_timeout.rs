use super::alter_table;
use super::locked_table::index_table;
use super::table_rewrite_maintenance::maintenance;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds the first statement of a migration that locks a table that already exists (`ALTER
/// TABLE`, `CREATE INDEX` and `DROP INDEX` without `CONCURRENTLY`, `DROP TABLE`, `TRUNCATE`,
/// `REINDEX`, `CLUSTER`, `VACUUM FULL`, `ALTER TYPE`, `CREATE TRIGGER`, renames) when no
/// `lock_timeout` is set before it: neither a `-- strata:lock-timeout` directive nor a
/// `SET lock_timeout` statement. Reported once per file.
///
/// ## Why is this bad?
/// A statement that needs an ACCESS EXCLUSIVE (or SHARE, SHARE ROW EXCLUSIVE) lock waits for every
/// transaction using the table — a slow report, an idle-in-transaction session — and while it
/// waits, every later query on the table, even a plain `SELECT`, queues behind it. Without a
/// lock timeout a quick catalog change can take the application down. With one, the migration
/// fails fast (SQLSTATE 55P03) and can be retried.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD COLUMN note text;
/// ```
///
/// ## Use instead
/// ```sql
/// -- strata:lock-timeout 5s
/// ALTER TABLE orders ADD COLUMN note text;
/// ```
pub struct MissingLockTimeout;

impl Rule for MissingLockTimeout {
    fn code(&self) -> &'static str {
        "PG012"
    }
    fn name(&self) -> &'static str {
        "missing-lock-timeout"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if file.directives.lock_timeout.is_some() {
            return;
        }
        let Some((end, what)) = locking(file, stmt, ctx) else {
            return;
        };
        // Only the first locking statement without a timeout before it.
        let mut timeout = false;
        for s in &file.statements[..stmt.index] {
            if let Some(set) = sets_lock_timeout(file, s) {
                timeout = set;
            } else if !timeout && locking(file, s, ctx).is_some() {
                return;
            }
        }
        if timeout {
            return;
        }
        out.report_words(
            stmt,
            0,
            end,
            Severity::Warning,
            format!(
                "{what} waits for a lock with no lock_timeout: while it waits, every later query on the table queues behind it"
            ),
            Some(
                "add `-- strata:lock-timeout 5s` to the file's header (or `SET lock_timeout = '5s';` before this statement) so a blocked migration fails fast and can be retried"
                    .into(),
            ),
        );
    }
}

/// `Some(true)` when the statement sets a non-zero `lock_timeout`, `Some(false)` when it turns it
/// off (`0`, `DEFAULT`, `RESET`), `None` when it is about something else.
fn sets_lock_timeout(file: &LintFile, s: &Statement) -> Option<bool> {
    if s.starts_with(&["RESET", "LOCK_TIMEOUT"]) || s.starts_with(&["RESET", "ALL"]) {
        return Some(false);
    }
    let lower = s.sql.to_lowercase();
    if s.starts_with(&["SELECT"])
        && lower.contains("set_config")
        && lower.contains("'lock_timeout'")
    {
        return Some(true);
    }
    let at = if s.starts_with(&["SET", "LOCK_TIMEOUT"])
        || s.starts_with(&["SET", "SESSION", "LOCK_TIMEOUT"])
    {
        s.find("LOCK_TIMEOUT")?
    } else if s.starts_with(&["SET", "LOCAL", "LOCK_TIMEOUT"]) {
        // SET LOCAL outside a transaction block only warns and does nothing.
        if !file.transactional() {
            return None;
        }
        2
    } else {
        return None;
    };
    let w = &s.words[at];
    let value = s.sql[w.offset + w.len..].trim_start();
    let value = value
        .strip_prefix('=')
        .or_else(|| {
            value
                .get(..2)
                .filter(|p| p.eq_ignore_ascii_case("to"))
                .map(|_| &value[2..])
        })
        .unwrap_or(value)
        .trim()
        .trim_end_matches(';')
        .trim()
        .trim_matches('\'')
        .trim();
    let off = value.is_empty()
        || value.eq_ignore_ascii_case("default")
        || value
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .trim()
            == "0";
    Some(!off)
}

/// When `stmt` takes a table lock worth a timeout: the last word of its keywords and what it is.
fn locking(file: &LintFile, stmt: &Statement, ctx: &Context) -> Option<(usize, String)> {
    let existing = |t: &str| !file.created_here(t, stmt.index);
    let upper = |i: usize| stmt.word(i).map_or("", |w| w.upper.as_str());
    if let Some(alter) = alter_table::parse(stmt) {
        return existing(&alter.table).then(|| (1, format!("ALTER TABLE {}", alter.table)));
    }
    if stmt.starts_with(&["CREATE", "INDEX"]) || stmt.starts_with(&["CREATE", "UNIQUE", "INDEX"]) {
        if stmt.has("CONCURRENTLY") {
            return None;
        }
        let on = stmt.find("ON")?;
        let at = if upper(on + 1) == "ONLY" {
            on + 2
        } else {
            on + 1
        };
        let (table, _) = stmt.name_at(at)?;
        let kw = stmt.find("INDEX")?;
        return existing(&table).then(|| (kw, format!("CREATE INDEX on {table}")));
    }
    if stmt.starts_with(&["DROP", "INDEX"]) {
        if upper(2) == "CONCURRENTLY" {
            return None;
        }
        let at = if upper(2) == "IF" { 4 } else { 2 };
        let (index, _) = stmt.name_at(at)?;
        let table = index_table(file, stmt.index, ctx, &index);
        return table
            .as_deref()
            .is_none_or(existing)
            .then(|| (1, format!("DROP INDEX {index}")));
    }
    if stmt.starts_with(&["DROP", "TABLE"]) || stmt.starts_with(&["TRUNCATE"]) {
        let mut i = 1;
        while matches!(upper(i), "TABLE" | "IF" | "EXISTS" | "ONLY") {
            i += 1;
        }
        let (table, _) = stmt.name_at(i)?;
        let kw = if stmt.starts_with(&["TRUNCATE"]) {
            0
        } else {
            1
        };
        let what = if kw == 0 { "TRUNCATE" } else { "DROP TABLE" };
        return existing(&table).then(|| (kw, format!("{what} {table}")));
    }
    if let Some(m) = maintenance(file, stmt, ctx) {
        let first = stmt.words[0].upper.clone();
        let any_existing = m.tables.is_empty() || m.tables.iter().any(|t| existing(t));
        return any_existing.then_some((m.keyword_end, first));
    }
    if stmt.starts_with(&["ALTER", "TYPE"]) {
        let (ty, _) = stmt.name_at(2)?;
        let created = file.statements[..stmt.index].iter().any(|s| {
            s.starts_with(&["CREATE", "TYPE"])
                && s.name_at(2)
                    .is_some_and(|(n, _)| n.eq_ignore_ascii_case(&ty))
        });
        return (!created).then(|| (1, format!("ALTER TYPE {ty}")));
    }
    if stmt.starts_with(&["CREATE"]) {
        let t = stmt.find("TRIGGER").filter(|&t| t <= 4)?;
        if !stmt.words[1..t]
            .iter()
            .all(|w| matches!(w.upper.as_str(), "OR" | "REPLACE" | "CONSTRAINT"))
        {
            return None;
        }
        let on = stmt.find("ON")?;
        let (table, _) = stmt.name_at(on + 1)?;
        return existing(&table).then(|| (t, format!("CREATE TRIGGER on {table}")));
    }
    if stmt.starts_with(&["ALTER"]) && stmt.has("RENAME") {
        let kind = match upper(1) {
            "MATERIALIZED" => 2,
            "INDEX" | "SEQUENCE" | "VIEW" => 1,
            _ => return None,
        };
        let at = if upper(kind + 1) == "IF" {
            kind + 3
        } else {
            kind + 1
        };
        let (name, _) = stmt.name_at(at)?;
        return Some((kind, format!("renaming {name}")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_the_first_locking_statement_without_a_timeout() {
        insta::assert_snapshot!(check(
            &MissingLockTimeout,
            Engine::Postgres,
            "CREATE TABLE n (id int);\nALTER TABLE n ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note ON orders (note);"
        ));
        // A timeout turned off again does not count.
        insta::assert_snapshot!(
            "timeout_reset",
            check(
                &MissingLockTimeout,
                Engine::Postgres,
                "SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;\nSET lock_timeout TO 0;\nCREATE TRIGGER t AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION f();"
            )
        );
    }

    #[test]
    fn does_not_find_files_with_a_timeout() {
        insta::assert_snapshot!(check(
            &MissingLockTimeout,
            Engine::Postgres,
            "-- strata:lock-timeout 5s\nALTER TABLE orders ADD COLUMN note text;"
        ), @"no findings");
        insta::assert_snapshot!(check(
            &MissingLockTimeout,
            Engine::Postgres,
            "CREATE TABLE n (id int);\nCREATE INDEX n_id ON n (id);\nSET LOCAL lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN note text;\nDROP INDEX orders_note;"
        ), @"no findings");
        // Concurrent index builds do not queue ahead of reads and writes.
        insta::assert_snapshot!(check(
            &MissingLockTimeout,
            Engine::Postgres,
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY a ON orders (x);"
        ), @"no findings");
    }
}
