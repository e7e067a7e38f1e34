//! `ALTER TABLE` read from a statement's words: the table and its comma-separated actions, so
//! rules can check each action and point at it. Words, not the syntax tree, because every rule
//! needs spans and must still work when sqlparser rejects the statement.

use crate::{LintFile, Statement};

/// An `ALTER TABLE` statement: the table it changes and its actions.
#[derive(Debug)]
pub(super) struct AlterTable {
    /// The table as written (`schema.name` when qualified), without quotes.
    pub table: String,
    pub actions: Vec<Action>,
}

/// One action of an `ALTER TABLE`: the words `from..=to` between top-level commas.
#[derive(Debug, Clone, Copy)]
pub(super) struct Action {
    pub from: usize,
    pub to: usize,
}

impl Action {
    /// Whether the action's words start with `seq`.
    pub fn starts_with(&self, stmt: &Statement, seq: &[&str]) -> bool {
        seq.len() <= self.to + 1 - self.from
            && seq
                .iter()
                .enumerate()
                .all(|(k, s)| stmt.words[self.from + k].upper == *s)
    }

    /// Index (in the statement) of the first word of the action equal to `kw`.
    pub fn find(&self, stmt: &Statement, kw: &str) -> Option<usize> {
        (self.from..=self.to).find(|&i| stmt.words[i].upper == kw)
    }

    /// Index (in the statement) of the first occurrence of `seq` in the action.
    pub fn find_seq(&self, stmt: &Statement, seq: &[&str]) -> Option<usize> {
        (self.from..=self.to).find(|&i| {
            i + seq.len() <= self.to + 1
                && seq
                    .iter()
                    .enumerate()
                    .all(|(k, s)| stmt.words[i + k].upper == *s)
        })
    }

    /// Whether the action ends with `NOT VALID`.
    pub fn not_valid(&self, stmt: &Statement) -> bool {
        self.to > self.from
            && stmt.words[self.to - 1].upper == "NOT"
            && stmt.words[self.to].upper == "VALID"
    }

    /// After `ADD`: the index of the first word past `ADD [COLUMN] [IF NOT EXISTS]` or
    /// `ADD CONSTRAINT name`, and whether it is a column (`true`) or a table constraint.
    pub fn after_add(&self, stmt: &Statement) -> Option<(usize, bool)> {
        if !self.starts_with(stmt, &["ADD"]) {
            return None;
        }
        let mut i = self.from + 1;
        let w = stmt.word(i)?;
        if w.upper == "CONSTRAINT" {
            return Some((i + 2, false));
        }
        if matches!(
            w.upper.as_str(),
            "UNIQUE" | "PRIMARY" | "FOREIGN" | "CHECK" | "EXCLUDE"
        ) {
            return Some((i, false));
        }
        if w.upper == "COLUMN" {
            i += 1;
        }
        if stmt.word(i).is_some_and(|w| w.upper == "IF")
            && stmt.word(i + 2).is_some_and(|w| w.upper == "EXISTS")
        {
            i += 3;
        }
        Some((i, true))
    }

    /// For `ALTER [COLUMN] col ...`: the column's word index and the index of the word after it.
    pub fn altered_column(&self, stmt: &Statement) -> Option<(usize, usize)> {
        if !self.starts_with(stmt, &["ALTER"]) {
            return None;
        }
        let mut i = self.from + 1;
        if stmt
            .word(i)
            .is_some_and(|w| w.upper == "COLUMN" && !w.quoted)
        {
            i += 1;
        }
        (i < self.to).then_some((i, i + 1))
    }
}

/// Reads `ALTER TABLE [IF EXISTS] [ONLY] name [*] action [, ...]`; `None` for other statements
/// (and `ALTER TABLE ALL IN TABLESPACE`).
pub(super) fn parse(stmt: &Statement) -> Option<AlterTable> {
    if !stmt.starts_with(&["ALTER", "TABLE"]) {
        return None;
    }
    let mut i = 2;
    if stmt.find_seq(&["IF", "EXISTS"]) == Some(i) {
        i += 2;
    }
    if stmt.word(i).is_some_and(|w| w.upper == "ONLY") {
        i += 1;
    }
    if stmt.word(i).is_some_and(|w| w.upper == "ALL") {
        return None;
    }
    let (table, first) = stmt.name_at(i)?;
    if first >= stmt.words.len() {
        return None;
    }
    let commas = top_level_commas(&stmt.sql);
    let mut actions = Vec::new();
    let mut from = first;
    for k in first + 1..stmt.words.len() {
        let (prev, w) = (&stmt.words[k - 1], &stmt.words[k]);
        if commas.iter().any(|&c| c > prev.offset && c < w.offset) {
            actions.push(Action { from, to: k - 1 });
            from = k;
        }
    }
    actions.push(Action {
        from,
        to: stmt.words.len() - 1,
    });
    Some(AlterTable { table, actions })
}

/// Byte offsets of the commas outside parentheses, strings, quoted names and comments.
fn top_level_commas(sql: &str) -> Vec<usize> {
    let b = sql.as_bytes();
    let (mut i, mut depth, mut out) = (0, 0i32, Vec::new());
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 1);
            }
            b'(' => depth += 1,
            b')' => depth -= 1,
            b',' if depth == 0 => out.push(i),
            _ => {}
        }
        i += 1;
    }
    out
}

/// The kind (`FOREIGN` or `CHECK`) of constraint `name` when a statement of `file` up to
/// statement `upto` (included: an `ALTER TABLE` may add and validate) added it to `table` with
/// `NOT VALID`.
pub(super) fn added_not_valid(
    file: &LintFile,
    upto: usize,
    table: &str,
    name: &str,
) -> Option<&'static str> {
    file.statements[..(upto + 1).min(file.statements.len())]
        .iter()
        .find_map(|s| {
            let alter = parse(s).filter(|a| a.table.eq_ignore_ascii_case(table))?;
            alter.actions.iter().find_map(|a| {
                if !a.starts_with(s, &["ADD", "CONSTRAINT"]) || !a.not_valid(s) {
                    return None;
                }
                if !s.word(a.from + 2)?.text.eq_ignore_ascii_case(name) {
                    return None;
                }
                match s.word(a.from + 3)?.upper.as_str() {
                    "FOREIGN" => Some("FOREIGN"),
                    "CHECK" => Some("CHECK"),
                    _ => None,
                }
            })
        })
}

/// Whether word `i` is directly followed by `(` (a function call or a type modifier).
pub(super) fn followed_by_paren(stmt: &Statement, i: usize) -> bool {
    stmt.word(i)
        .is_some_and(|w| stmt.sql[w.offset + w.len..].trim_start().starts_with('('))
}

/// Lowercase identifier as PostgreSQL folds it (quoted names keep their case).
pub(super) fn ident(stmt: &Statement, i: usize) -> String {
    stmt.word(i).map_or_else(String::new, |w| {
        if w.quoted {
            w.text.clone()
        } else {
            w.text.to_lowercase()
        }
    })
}

/// Handles `VALIDATE CONSTRAINT` actions for the NOT VALID rules: reports one that validates a
/// constraint of `kind` (`CHECK`, `FOREIGN`) added NOT VALID earlier in the same transaction,
/// whose add's `lock` is then held through the scan. Returns whether `action` was a VALIDATE.
pub(super) fn report_validate_in_same_transaction(
    file: &LintFile,
    stmt: &Statement,
    ctx: &crate::Context,
    out: &mut crate::Findings,
    table: &str,
    action: &Action,
    (kind, lock): (&str, &str),
) -> bool {
    if !action.starts_with(stmt, &["VALIDATE", "CONSTRAINT"]) {
        return false;
    }
    let Some(name) = stmt.word(action.from + 2) else {
        return true;
    };
    if file.transactional() && added_not_valid(file, stmt.index, table, &name.text) == Some(kind) {
        out.report_words(
            stmt,
            action.from,
            action.from + 2,
            super::locked_table::severity(ctx, table),
            format!(
                "VALIDATE CONSTRAINT {} runs in the same transaction as its NOT VALID add: the {lock} of the add {} held through the scan of {table}{}",
                name.text,
                if lock.ends_with("locks") { "are" } else { "is" },
                super::locked_table::size(ctx, table)
            ),
            Some("validate it in a later migration, so the scan only takes SHARE UPDATE EXCLUSIVE".into()),
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::Engine;

    #[test]
    fn splits_actions_at_top_level_commas() {
        let f = LintFile::new(
            "m.sql",
            "ALTER TABLE IF EXISTS ONLY s.t ADD COLUMN a numeric(10, 2) DEFAULT round(1.5, 1), ADD CONSTRAINT c CHECK (a IN (1, 2)) NOT VALID, ALTER COLUMN \"B\" SET NOT NULL;",
            Engine::Postgres,
        );
        let s = &f.statements[0];
        let a = parse(s).unwrap();
        assert_eq!(a.table, "s.t");
        assert_eq!(a.actions.len(), 3);
        assert!(a.actions[1].starts_with(s, &["ADD", "CONSTRAINT"]));
        assert!(a.actions[1].not_valid(s));
        assert_eq!(
            a.actions[0].after_add(s).map(|(i, c)| (ident(s, i), c)),
            Some(("a".into(), true))
        );
        let (col, _) = a.actions[2].altered_column(s).unwrap();
        assert_eq!(ident(s, col), "B");
    }
}
