//! The rebuild of a table whose new definition `ALTER TABLE` cannot reach (partitioning or
//! inheritance changed).

use strata_schema::{Column, Identity, Name, Table};

use super::columns::nextval;
use super::constraints::{create_index, foreign_key_clause};
use super::names::{literal, sibling, NAMES};
use super::tables::create_table;

/// A table whose new definition ALTER cannot reach (partitioning or inheritance changed): a new
/// table, the shared columns copied, serial sequences handed over and identity sequences
/// continued after every number the old ones issued, the old table dropped and the new renamed.
pub(super) fn rebuild_table(from: &Table, to: &Table) -> Vec<String> {
    // The differ gives `from` the table's current name (`to`'s).
    let live = NAMES.qualified(&from.name);
    let temp = sibling(&to.name, &format!("{}__strata_new", to.name.name));
    let temp_q = NAMES.qualified(&temp);
    let mut out = step_aside(from, &live);
    let (new, handed_over) = with_kept_serials(from, to);
    out.extend(create_table(&new, &temp));
    let shared: Vec<(&str, &Column)> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old = c.renamed_from.as_deref().unwrap_or(&c.name);
            from.column(old)
                .or_else(|| from.column(&c.name))
                .map(|f| (f.name.as_str(), c))
        })
        .collect();
    if !shared.is_empty() {
        let overriding = if shared
            .iter()
            .any(|(_, c)| c.identity == Some(Identity::Always))
        {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        out.push(format!(
            "INSERT INTO {temp_q} ({}){overriding} SELECT {} FROM {live}",
            shared
                .iter()
                .map(|(_, c)| NAMES.ident(&c.name))
                .collect::<Vec<_>>()
                .join(", "),
            shared
                .iter()
                .map(|(f, c)| format!("{}::{}", NAMES.ident(f), c.data_type))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    for (seq, column) in &handed_over {
        out.push(format!(
            "ALTER SEQUENCE {} OWNED BY {temp_q}.{}",
            NAMES.qualified(seq),
            NAMES.ident(column)
        ));
    }
    // A new identity column starts at 1: it continues after the old sequence's last number (and
    // after any copied number above it, inserted with an explicit value).
    let mut identity_sequences = Vec::new();
    for (f, c) in &shared {
        let was_identity = from
            .column(f)
            .is_some_and(|o| matches!(o.identity, Some(Identity::Always | Identity::ByDefault)));
        if !was_identity || !matches!(c.identity, Some(Identity::Always | Identity::ByDefault)) {
            continue;
        }
        out.push(format!(
            "SELECT setval(pg_get_serial_sequence({}, {}), n) FROM (SELECT greatest(pg_sequence_last_value(pg_get_serial_sequence({}, {})::regclass), max({})) AS n FROM {temp_q}) AS issued WHERE n IS NOT NULL",
            literal(&temp_q),
            literal(&c.name),
            literal(&live),
            literal(f),
            NAMES.ident(&c.name),
        ));
        identity_sequences.push(c.name.clone());
    }
    out.push(format!("DROP TABLE {live}"));
    out.push(format!(
        "ALTER TABLE {temp_q} RENAME TO {}",
        NAMES.ident(&to.name.name)
    ));
    // The new identity sequences were named after the temporary table; give them the names a
    // table created under its own name has (when PostgreSQL did not have to shorten them).
    for column in identity_sequences {
        let (was, is) = (
            format!("{}_{column}_seq", temp.name),
            format!("{}_{column}_seq", to.name.name),
        );
        if was.len() <= 63 {
            out.push(format!(
                "ALTER SEQUENCE {} RENAME TO {}",
                NAMES.qualified(&sibling(&to.name, &was)),
                NAMES.ident(&is)
            ));
        }
    }
    for index in &to.indexes {
        out.extend(create_index(&to.name, index));
    }
    for fk in &to.foreign_keys {
        out.push(format!("ALTER TABLE {live} ADD {}", foreign_key_clause(fk)));
    }
    for t in &to.triggers {
        out.push(t.definition.clone());
    }
    out
}

/// Primary key, unique and exclusion constraints own an index named like them, and index names
/// are unique in the schema: the old table's step aside (renamed) for the new table's.
fn step_aside(from: &Table, live: &str) -> Vec<String> {
    from.primary_key
        .iter()
        .chain(&from.uniques)
        .filter_map(|k| k.name.clone())
        .chain(from.exclusions.iter().map(|x| x.name.clone()))
        .map(|name| {
            format!(
                "ALTER TABLE {live} RENAME CONSTRAINT {} TO {}",
                NAMES.ident(&name),
                NAMES.ident(&format!("{name}__strata_old"))
            )
        })
        .collect()
}

/// `to` with each serial column that keeps its sequence (and so its position) drawing from it
/// by default instead, and those sequences with their columns: the new column takes the
/// sequence over before the old table, which would take it along, is dropped.
fn with_kept_serials(from: &Table, to: &Table) -> (Table, Vec<(Name, String)>) {
    let kept_sequence = |c: &Column| match &c.identity {
        Some(Identity::Serial { sequence }) => from
            .columns
            .iter()
            .any(|f| f.identity == c.identity)
            .then(|| sequence.clone()),
        _ => None,
    };
    let mut new = to.clone();
    let mut handed_over = Vec::new();
    for c in &mut new.columns {
        if let Some(seq) = kept_sequence(c) {
            c.identity = None;
            c.default = Some(nextval(&seq));
            handed_over.push((seq, c.name.clone()));
        }
    }
    (new, handed_over)
}
