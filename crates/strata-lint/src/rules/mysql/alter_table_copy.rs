use super::alter::{Alter, Clause};
use crate::rule::{small_table, Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::{Column, Engine, Table};

/// ## What it does
/// Finds `ALTER TABLE` clauses that MySQL cannot do in place: changing a column's data type,
/// changing ENUM/SET values other than by appending them, `CONVERT TO CHARACTER SET`, dropping the
/// primary key, `PARTITION BY`, `REMOVE PARTITIONING` (these copy the table), and clauses that rebuild it in place: moving a column
/// (`FIRST`/`AFTER`; instant on MariaDB 10.4+, a rebuild on MySQL 8), switching `NULL`/`NOT NULL`, `ADD PRIMARY KEY`, `ENGINE=`/`FORCE`. Without
/// the schema before the migration, a `MODIFY`/`CHANGE COLUMN` may change the type and is
/// reported as a warning. Statements that assert `ALGORITHM=INSTANT|INPLACE` or `LOCK=NONE` are
/// skipped: the server refuses them rather than copying.
///
/// ## Why is this bad?
/// `ALGORITHM=COPY` builds a new copy of the table row by row and blocks every `INSERT`, `UPDATE`
/// and `DELETE` until it is done: minutes to hours on a large table. MySQL picks it silently when
/// nothing better is possible. An in-place rebuild lets writes through but still rewrites every
/// row, and replicas lag behind it.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders MODIFY COLUMN total BIGINT NOT NULL;
/// ```
///
/// ## Use instead
/// Assert the algorithm, so the server refuses instead of copying, and for a big table run the
/// change with an online schema-change tool (pt-online-schema-change, gh-ost):
/// ```sql
/// ALTER TABLE orders MODIFY COLUMN total BIGINT NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;
/// ```
pub struct AlterTableCopy;

/// What a clause costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cost {
    /// Only moves a column: instant on MariaDB 10.4+, an in-place rebuild on MySQL 8.
    Move,
    /// Rewrites every row in place; writes go on.
    Rebuild,
    /// Copies the table unless the old type happens to equal the new one.
    MayCopy,
    /// Copies the table, blocking writes.
    Copy,
}

/// Words that end a column's type in a column definition.
const COLUMN_OPTIONS: &[&str] = &[
    "NOT",
    "NULL",
    "DEFAULT",
    "AUTO_INCREMENT",
    "COMMENT",
    "COLLATE",
    "CHARACTER",
    "CHARSET",
    "PRIMARY",
    "UNIQUE",
    "KEY",
    "FIRST",
    "AFTER",
    "GENERATED",
    "AS",
    "ON",
    "INVISIBLE",
    "VISIBLE",
    "CHECK",
    "REFERENCES",
    "STORAGE",
    "COLUMN_FORMAT",
    "SRID",
    "CONSTRAINT",
];

impl Rule for AlterTableCopy {
    fn code(&self) -> &'static str {
        "MY001"
    }
    fn name(&self) -> &'static str {
        "alter-table-copy"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let Some(alter) = Alter::parse(stmt) else {
            return;
        };
        if file.created_here(&alter.table, stmt.index) || alter.asserts_no_copy() {
            return;
        }
        let table = ctx.schema.as_ref().and_then(|s| {
            let bare = alter.table.rsplit('.').next().unwrap_or(&alter.table);
            s.tables
                .iter()
                .find(|t| t.name.name.eq_ignore_ascii_case(bare))
        });
        let adds_pk = alter.clauses.iter().any(|c| adds_primary_key(stmt, c));
        let size = ctx
            .describe(&alter.table)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let name = &alter.table;
        for clause in &alter.clauses {
            let Some((cost, reason)) = classify(stmt, clause, name, table, adds_pk) else {
                continue;
            };
            let small = small_table(ctx, name);
            let mut help = "add `ALGORITHM=INPLACE, LOCK=NONE` (or `ALGORITHM=INSTANT`) so the server refuses rather than copies; for a big table use pt-online-schema-change or gh-ost".to_string();
            let (severity, effect) = match cost {
                Cost::Move => {
                    help = "on MariaDB add `ALGORITHM=INSTANT` so the server refuses rather than rebuilds; on MySQL 8 use pt-online-schema-change or gh-ost for a big table, or set `column_order = \"ignore\"` in strata.toml to leave the order alone".into();
                    (
                        if small { Severity::Info } else { Severity::Warning },
                        format!("MySQL 8 rebuilds {name} in place to reorder its columns, rewriting every row while replicas lag; MariaDB 10.4+ reorders them instantly (ALGORITHM=INSTANT)"),
                    )
                }
                Cost::Copy => (
                    if small { Severity::Warning } else { Severity::Error },
                    format!("MySQL copies {name} (ALGORITHM=COPY), blocking writes until it is done"),
                ),
                Cost::MayCopy => (
                    Severity::Warning,
                    format!("if the type changes, MySQL copies {name} (ALGORITHM=COPY), blocking writes until it is done"),
                ),
                Cost::Rebuild => (
                    if small { Severity::Info } else { Severity::Warning },
                    format!("InnoDB rebuilds {name} in place, rewriting every row while replicas lag"),
                ),
            };
            out.report(
                stmt,
                (clause.start, clause.end),
                severity,
                format!("{reason}: {effect}{size}"),
                Some(help),
            );
        }
    }
}

fn adds_primary_key(stmt: &Statement, c: &Clause) -> bool {
    c.starts_with(stmt, &["ADD", "PRIMARY", "KEY"])
        || (c.starts_with(stmt, &["ADD", "CONSTRAINT"])
            && c.find(stmt, "PRIMARY").is_some_and(|p| p <= c.from + 3))
}

/// The cost of one clause and why, or `None` when it is instant or cheap.
fn classify(
    stmt: &Statement,
    c: &Clause,
    table: &str,
    model: Option<&Table>,
    adds_pk: bool,
) -> Option<(Cost, String)> {
    let w = |k: usize| stmt.word(k).map_or("", |w| w.upper.as_str());
    if adds_primary_key(stmt, c) {
        return Some((Cost::Rebuild, "ADD PRIMARY KEY".into()));
    }
    if c.starts_with(stmt, &["DROP", "PRIMARY", "KEY"]) && !adds_pk {
        return Some((Cost::Copy, "DROP PRIMARY KEY without adding another".into()));
    }
    if c.starts_with(stmt, &["CONVERT", "TO"]) {
        return Some((
            Cost::Copy,
            "CONVERT TO CHARACTER SET re-encodes every text column".into(),
        ));
    }
    if c.starts_with(stmt, &["PARTITION", "BY"]) || c.starts_with(stmt, &["REMOVE", "PARTITIONING"])
    {
        return Some((
            Cost::Copy,
            format!("{} {} moves every row", w(c.from), w(c.from + 1)),
        ));
    }
    if c.starts_with(stmt, &["FORCE"]) || c.starts_with(stmt, &["ENGINE"]) {
        return Some((Cost::Rebuild, w(c.from).to_string()));
    }
    if c.starts_with(stmt, &["ADD"])
        && c.find(stmt, "STORED").is_some()
        && (c.find(stmt, "GENERATED").is_some() || c.find(stmt, "AS").is_some())
    {
        return Some((Cost::Copy, "adding a STORED generated column".into()));
    }
    let (verb, old_at, new_at) = if c.starts_with(stmt, &["MODIFY"]) {
        ("MODIFY COLUMN", 1, 1)
    } else if c.starts_with(stmt, &["CHANGE"]) {
        ("CHANGE COLUMN", 1, 2)
    } else {
        return None;
    };
    let mut at = c.from + old_at;
    if w(at) == "COLUMN" {
        at += 1;
    }
    if w(at) == "IF" && w(at + 1) == "EXISTS" {
        at += 2;
    }
    let old_name = &stmt.word(at)?.text;
    let type_at = at + new_at;
    let type_word = stmt.word(type_at).filter(|_| type_at < c.to)?;
    let type_end = (type_at + 1..c.to)
        .find(|&k| COLUMN_OPTIONS.contains(&w(k)))
        .map_or(c.end, |k| stmt.words[k].offset);
    let new_type = stmt.sql[type_word.offset..type_end].trim();
    let moves = (type_at..c.to).find(|&k| matches!(w(k), "FIRST" | "AFTER"));
    let col = format!("{table}.{old_name}");
    let mut reasons: Vec<(Cost, String)> = Vec::new();
    match model.and_then(|t| {
        t.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(old_name))
    }) {
        None => reasons.push((
            Cost::MayCopy,
            format!("{verb} restates the type of {col} (the old type is unknown)"),
        )),
        Some(old) => {
            if let Some(why) = type_change(old, new_type, &col) {
                reasons.push((Cost::Copy, format!("{verb} {why}")));
            }
            let not_null = (type_at..c.to).any(|k| {
                (w(k) == "NOT" && w(k + 1) == "NULL") || (w(k) == "PRIMARY" && w(k + 1) == "KEY")
            });
            if old.nullable == not_null {
                reasons.push((
                    Cost::Rebuild,
                    if not_null {
                        format!("{verb} makes {col} NOT NULL")
                    } else {
                        format!("{verb} makes {col} nullable (it restates the whole column: NOT NULL must be repeated)")
                    },
                ));
            }
        }
    }
    if let Some(k) = moves {
        reasons.push((Cost::Move, format!("moves {col} ({})", w(k))));
    }
    let cost = reasons.iter().map(|(c, _)| *c).max()?;
    let text: Vec<String> = reasons.into_iter().map(|(_, r)| r).collect();
    Some((cost, text.join(" and ")))
}

/// Why changing `old`'s type to `new` needs a copy, or `None` when it does not.
fn type_change(old: &Column, new: &str, col: &str) -> Option<String> {
    let (a, b) = (normalize(&old.data_type), normalize(new));
    if a == b {
        return None;
    }
    let change = format!("changes {col} from {} to {}", old.data_type, new.trim());
    // Widening a VARCHAR is in place while its length prefix keeps its size (1 byte up to 255).
    if let (Some(n), Some(m)) = (varchar_len(&a), varchar_len(&b)) {
        let per_char = bytes_per_char(old.collation.as_deref());
        if m >= n && (n * per_char <= 255) == (m * per_char <= 255) {
            return None;
        }
        return Some(change);
    }
    for kind in ["enum(", "set("] {
        if a.starts_with(kind) && b.starts_with(kind) {
            let (old_values, new_values) = (values(&a), values(&b));
            let appended = new_values.len() > old_values.len()
                && new_values[..old_values.len()] == old_values[..];
            if !appended {
                return Some(format!(
                    "changes the {} values of {col} other than by appending",
                    kind.trim_end_matches('(').to_uppercase()
                ));
            }
            if storage(kind, old_values.len()) != storage(kind, new_values.len()) {
                return Some(format!(
                    "appends so many {} values to {col} that its storage grows",
                    kind.trim_end_matches('(').to_uppercase()
                ));
            }
            return None;
        }
    }
    Some(change)
}

/// A column type in one spelling: lowercase and without spaces outside quotes, integer display
/// widths dropped, synonyms folded.
fn normalize(t: &str) -> String {
    let mut s = String::new();
    let mut quoted = false;
    for ch in t.trim().chars() {
        if ch == '\'' {
            quoted = !quoted;
        }
        if quoted || ch == '\'' {
            s.push(ch);
        } else if !ch.is_whitespace() {
            s.push(ch.to_ascii_lowercase());
        }
    }
    for (from, to) in [
        ("integer", "int"),
        ("boolean", "tinyint"),
        ("bool", "tinyint"),
        ("numeric", "decimal"),
        ("dec", "decimal"),
        ("fixed", "decimal"),
    ] {
        if let Some(rest) = s.strip_prefix(from) {
            if rest.is_empty() || rest.starts_with('(') || rest.starts_with("unsigned") {
                s = format!("{to}{rest}");
                break;
            }
        }
    }
    for int in ["tinyint", "smallint", "mediumint", "bigint", "int"] {
        if let Some(rest) = s.strip_prefix(int) {
            if let Some(close) = rest.strip_prefix('(').and_then(|r| r.find(')')) {
                s = format!("{int}{}", &rest[close + 2..]);
            }
            break;
        }
    }
    if s == "decimal" {
        s = "decimal(10,0)".into();
    } else if let Some(p) = s
        .strip_prefix("decimal(")
        .and_then(|r| r.strip_suffix(')'))
        .filter(|p| !p.contains(','))
    {
        s = format!("decimal({p},0)");
    }
    s
}

fn varchar_len(t: &str) -> Option<usize> {
    t.strip_prefix("varchar(")?.strip_suffix(')')?.parse().ok()
}

fn bytes_per_char(collation: Option<&str>) -> usize {
    match collation.map(|c| c.to_ascii_lowercase()) {
        Some(c) if c.starts_with("latin1") || c.starts_with("ascii") || c == "binary" => 1,
        Some(c) if c.starts_with("utf8_") || c.starts_with("utf8mb3") => 3,
        _ => 4,
    }
}

/// The quoted values of `enum('a','b')`.
fn values(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut v = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    v.push('\'');
                    continue;
                }
                break;
            }
            v.push(c);
        }
        out.push(v);
    }
    out
}

/// Bytes an ENUM or SET with `n` values takes per row.
fn storage(kind: &str, n: usize) -> usize {
    if kind == "enum(" {
        if n <= 255 {
            1
        } else {
            2
        }
    } else {
        match n.div_ceil(8) {
            0 | 1 => 1,
            2 => 2,
            3 => 3,
            4 => 4,
            _ => 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with};
    use strata_schema::{Name, Schema};

    fn schema() -> Context {
        let mut t = Table::new(Name::new("orders"));
        let mut total = Column::new("total", "int");
        total.nullable = false;
        t.columns = vec![
            Column::new("id", "bigint unsigned"),
            total,
            Column::new("status", "enum('new','paid')"),
            Column::new("note", "varchar(50)"),
            Column::new("code", "varchar(100)"),
        ];
        let mut ctx = Context {
            schema: Some(Schema {
                tables: vec![t],
                ..Schema::default()
            }),
            ..Context::default()
        };
        ctx.tables.insert(
            "orders".into(),
            crate::TableFacts {
                rows: 2_400_000,
                bytes: None,
            },
        );
        ctx
    }

    #[test]
    fn finds_copying_and_rebuilding_clauses() {
        insta::assert_snapshot!(check_with(
            &AlterTableCopy,
            Engine::Mysql,
            "ALTER TABLE orders MODIFY COLUMN total BIGINT NOT NULL;\nALTER TABLE orders MODIFY status ENUM('paid','new');\nALTER TABLE orders MODIFY note VARCHAR(100) AFTER id;\nALTER TABLE orders MODIFY total INT;\nALTER TABLE orders ADD PRIMARY KEY (id), CONVERT TO CHARACTER SET utf8mb4;",
            &schema()
        ));
        insta::assert_snapshot!(
            "without_schema",
            check(
                &AlterTableCopy,
                Engine::Mysql,
                "ALTER TABLE orders CHANGE `total` `amount` DECIMAL(12, 2) NOT NULL DEFAULT 0;\nALTER TABLE orders DROP PRIMARY KEY;\nALTER TABLE orders PARTITION BY KEY (id) PARTITIONS 4;\nALTER TABLE orders REMOVE PARTITIONING;"
            )
        );
    }

    #[test]
    fn moving_a_column_costs_differ_by_server() {
        insta::assert_snapshot!(check_with(
            &AlterTableCopy,
            Engine::Mysql,
            "ALTER TABLE orders MODIFY COLUMN note varchar(50) AFTER id;",
            &schema()
        ));
    }

    #[test]
    fn does_not_find_instant_or_asserted_changes() {
        insta::assert_snapshot!(check_with(
            &AlterTableCopy,
            Engine::Mysql,
            "ALTER TABLE orders MODIFY COLUMN total INT(11) NOT NULL DEFAULT 0 COMMENT 'cents, not, dollars';\nALTER TABLE orders MODIFY status ENUM('new','paid','refunded');\nALTER TABLE orders MODIFY code VARCHAR(120);\nALTER TABLE orders MODIFY total BIGINT NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;\nALTER TABLE orders RENAME COLUMN note TO remark, ALTER COLUMN total SET DEFAULT 1;\nCREATE TABLE t (id int);\nALTER TABLE t MODIFY id bigint FIRST;",
            &schema()
        ), @"no findings");
    }
}
