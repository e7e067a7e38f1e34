//! The SQLite round-trip corpus (`tests/data/roundtrip/sqlite/<case>/`): apply `from.sql`, insert
//! `rows.sql`, plan to `to.sql` and apply → the database inspects like `to.sql` executed fresh and
//! kept its rows; planning again is empty; rolling back gives `from` again; and rendering the
//! inspected `to` schema into a fresh database inspects the same (a fixed point).

use std::path::{Path, PathBuf};
use strata_diff::{plan, Change};
use strata_engine::hints::{apply_hints, read_hints};
use strata_engine::{ConnectOptions, SchemaDriver, Sqlite};
use strata_migrate::Driver;
use strata_schema::{Engine, Name, Schema};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/roundtrip/sqlite")
}

async fn fresh(dir: &Path, name: &str) -> Sqlite {
    let url = format!("sqlite://{}", dir.join(name).display());
    Sqlite::connect(&ConnectOptions::new(url)).await.unwrap()
}

/// Runs SQL the way a migration would: one transaction, foreign keys off around a rebuild.
async fn run(db: &mut Sqlite, sql: &str, foreign_keys_off: bool) {
    if sql.trim().is_empty() {
        return;
    }
    if foreign_keys_off {
        db.set_foreign_keys(false).await.unwrap();
    }
    db.begin().await.unwrap();
    if let Err(e) = db.execute(sql).await {
        panic!("{e}\n--- SQL\n{sql}");
    }
    let violations = db.foreign_key_violations().await.unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    db.commit().await.unwrap();
    if foreign_keys_off {
        db.set_foreign_keys(true).await.unwrap();
    }
}

fn without_hints(mut s: Schema) -> Schema {
    for t in &mut s.tables {
        t.renamed_from = None;
        for c in &mut t.columns {
            c.renamed_from = None;
        }
    }
    s
}

/// Column order is not migrated (an added column goes last, as `ADD COLUMN` puts it): compare
/// with columns sorted by name.
fn order_free(s: &Schema) -> Schema {
    let mut s = s.clone();
    for t in &mut s.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s
}

fn assert_same(label: &str, got: &Schema, want: &Schema, sql: &str) {
    if order_free(got) != order_free(want) {
        panic!(
            "{label}: schemas differ\n--- got\n{}\n--- want\n{}\n--- SQL run\n{sql}",
            serde_json::to_string_pretty(got).unwrap(),
            serde_json::to_string_pretty(want).unwrap()
        );
    }
}

async fn counts(db: &mut Sqlite, schema: &Schema) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in &schema.tables {
        let sql = format!(
            "SELECT COUNT(*) FROM {}",
            strata_schema::quote::ident(Engine::Sqlite, &t.name.name)
        );
        let n = count(db, &sql).await;
        out.push((t.name.name.clone(), n));
    }
    out
}

async fn count(db: &mut Sqlite, sql: &str) -> i64 {
    db.scalar_i64(sql).await.unwrap()
}

async fn case(dir: &Path) {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let (from_sql, to_sql, rows_sql) = (read("from.sql"), read("to.sql"), read("rows.sql"));
    let tmp = tempfile::tempdir().unwrap();
    let mut a = fresh(tmp.path(), "a.db").await;
    run(&mut a, &from_sql, false).await;
    run(&mut a, &rows_sql, false).await;
    let s_from = a.inspect().await.unwrap();
    let before = counts(&mut a, &s_from).await;

    let mut b = fresh(tmp.path(), "b.db").await;
    run(&mut b, &to_sql, false).await;
    let mut s_to = b.inspect().await.unwrap();
    apply_hints(&mut s_to, &read_hints(&to_sql, Engine::Sqlite));

    let d = a.dialect();
    let p = plan(&s_from, &s_to, d);
    assert!(
        !p.is_empty() || s_from == without_hints(s_to.clone()),
        "{name}: empty plan for a change"
    );
    let rebuild = |steps: &[strata_diff::Step]| {
        steps
            .iter()
            .any(|s| matches!(s.change, Change::RebuildTable { .. }))
    };
    let up = p.up_sql();
    run(&mut a, &up, rebuild(&p.up)).await;
    let s_to_plain = without_hints(s_to.clone());
    let after = a.inspect().await.unwrap();
    assert_same(&format!("{name}: after up"), &after, &s_to_plain, &up);

    // Rows of tables that still exist (possibly renamed) are kept.
    let renamed = |old: &str| {
        s_to.tables
            .iter()
            .find(|t| t.renamed_from.as_deref() == Some(old))
            .map(|t| t.name.name.clone())
            .unwrap_or_else(|| old.to_string())
    };
    for (table, n) in &before {
        let now = renamed(table);
        if after.tables.iter().any(|t| t.name.name == now) {
            let sql = format!(
                "SELECT COUNT(*) FROM {}",
                strata_schema::quote::ident(Engine::Sqlite, &now)
            );
            assert_eq!(
                count(&mut a, &sql).await,
                *n,
                "{name}: rows of {table} after up"
            );
        }
    }

    let again = plan(&after, &s_to_plain, d);
    assert!(
        again.is_empty(),
        "{name}: not idempotent:\n{}",
        again.up_sql()
    );

    let down = p.down_sql();
    insta::assert_snapshot!(
        format!("sqlite_{name}"),
        format!("-- up\n{up}\n-- down\n{down}")
    );
    run(&mut a, &down, rebuild(&p.down)).await;
    assert_same(
        &format!("{name}: after down"),
        &a.inspect().await.unwrap(),
        &s_from,
        &down,
    );

    // Fixed point: the inspected schema, rendered and replayed, inspects the same.
    let mut c = fresh(tmp.path(), "c.db").await;
    let ddl = plan(&Schema::default(), &s_to_plain, d).up_sql();
    run(&mut c, &ddl, false).await;
    assert_same(
        &format!("{name}: fixed point"),
        &c.inspect().await.unwrap(),
        &s_to_plain,
        &ddl,
    );
}

#[tokio::test]
async fn roundtrip_corpus() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "the corpus has {} cases", dirs.len());
    for dir in dirs {
        case(&dir).await;
    }
}

/// What the round trip cannot see (both sides come from the same inspector): the case
/// `deferrable_and_view_triggers` has deferrable foreign keys and INSTEAD OF triggers at all.
#[tokio::test]
async fn deferrable_foreign_keys_and_view_triggers_are_inspected() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = fresh(dir.path(), "to").await;
    let sql =
        std::fs::read_to_string(corpus().join("deferrable_and_view_triggers/to.sql")).unwrap();
    run(&mut db, &sql, false).await;
    let s = db.inspect().await.unwrap();
    let fk = |table: &str| s.table(&Name::new(table)).unwrap().foreign_keys[0].deferrable;
    assert_eq!(fk("child"), strata_schema::Deferrable::InitiallyDeferred);
    assert_eq!(fk("other"), strata_schema::Deferrable::Not);
    let triggers: Vec<&str> = s.views[0]
        .triggers
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(triggers, ["child_view_delete", "child_view_insert"]);
}

/// The virtual tables of `virtual_tables` are inspected as such, without their shadow tables.
#[tokio::test]
async fn virtual_tables_are_inspected_without_shadow_tables() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = fresh(dir.path(), "to").await;
    let sql = std::fs::read_to_string(corpus().join("virtual_tables/to.sql")).unwrap();
    run(&mut db, &sql, false).await;
    let s = db.inspect().await.unwrap();
    let tables: Vec<&str> = s.tables.iter().map(|t| t.name.name.as_str()).collect();
    assert_eq!(tables, ["docs"]);
    let virtual_tables: Vec<&str> = s
        .virtual_tables
        .iter()
        .map(|t| t.name.name.as_str())
        .collect();
    assert_eq!(virtual_tables, ["docs_fts", "places"]);
    assert!(s.virtual_tables[0]
        .definition
        .contains("USING fts5(title, body"));
}
