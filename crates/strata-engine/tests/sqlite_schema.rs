//! The SQLite round-trip corpus (`tests/data/roundtrip/sqlite/<case>/`), run the way the CLI
//! runs migrations (files, strata.sum, `Migrator` over `Database`): migrate to `from.sql`, insert
//! `rows.sql`, plan to `to.sql` and apply the planned files → the database inspects like `to.sql`
//! executed fresh, kept every table's rows and passes `foreign_key_check` and `checks.sql`
//! (queries that must return no rows); planning again is empty; rolling back gives `from` and
//! its rows again; and rendering the inspected `to` schema into a fresh database inspects the
//! same (a fixed point). Every table a case rebuilds gets referencing rows (`CASCADE`,
//! `SET NULL`, `RESTRICT`), a trigger and a view around it, checked after apply and rollback.

#[path = "support/migrations.rs"]
mod support;

use std::path::Path;
use strata_diff::{plan, Change};
use strata_engine::hints::{apply_hints, read_hints};
use strata_engine::{ConnectOptions, Database, SchemaDriver, Sqlite};
use strata_migrate::Driver;
use strata_schema::{Engine, Name, Schema};
use strata_testkit::compare::{columns_by_name, same_schema, without_hints};
use strata_testkit::fixtures::{check_diff_fixtures, roundtrip_case, roundtrip_cases};
use support::{database, Migrations};

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

/// Column order is not migrated (an added column goes last, as `ADD COLUMN` puts it): compare
/// with columns sorted by name.
fn assert_same(label: &str, got: &Schema, want: &Schema, sql: &str) {
    if let Err(e) = same_schema(&columns_by_name(want), &columns_by_name(got), label) {
        panic!("{e}\n--- SQL run\n{sql}");
    }
}

fn sqlite(db: &mut Database) -> &mut Sqlite {
    match db {
        Database::Sqlite(s) => s,
        _ => unreachable!("a SQLite URL"),
    }
}

async fn count(db: &mut Database, sql: &str) -> i64 {
    match sqlite(db).scalar_i64(sql).await {
        Ok(n) => n,
        Err(e) => panic!("{e}\n--- SQL\n{sql}"),
    }
}

/// Row counts of every table, by name.
async fn counts(db: &mut Database, schema: &Schema) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in &schema.tables {
        let sql = format!("SELECT COUNT(*) FROM {}", q(&t.name.name));
        out.push((t.name.name.clone(), count(db, &sql).await));
    }
    out
}

fn q(name: &str) -> String {
    strata_schema::quote::ident(Engine::Sqlite, name)
}

/// The schema `sql` gives on a fresh database.
async fn schema_of(dir: &Path, file: &str, sql: &str) -> Schema {
    let mut db = fresh(dir, file).await;
    run(&mut db, sql, false).await;
    db.inspect().await.unwrap()
}

/// Objects the runner adds around every table a case rebuilds, so that each rebuild is tested
/// with what users have around their tables: rows in other tables that reference it with
/// `ON DELETE CASCADE`, `SET NULL` and `RESTRICT`, a trigger on it and a view over it.
struct Surroundings {
    /// (table, primary-key column, its type)
    tables: Vec<(String, String, String)>,
}

impl Surroundings {
    /// The tables rebuilt by `steps` that keep their name and single-column primary key.
    fn around(steps: &[strata_diff::Step], from: &Schema, to: &Schema) -> Surroundings {
        let mut tables = Vec::new();
        for s in steps {
            let Change::RebuildTable { to: t, .. } = &s.change else {
                continue;
            };
            let (Some(f), Some(t)) = (from.table(&t.name), to.table(&t.name)) else {
                continue;
            };
            let pk = |t: &strata_schema::Table| t.primary_key.as_ref().map(|k| k.columns.clone());
            let (Some(fk), Some(tk)) = (pk(f), pk(t)) else {
                continue;
            };
            if fk != tk || fk.len() != 1 {
                continue;
            }
            let (Some(fc), Some(tc)) = (f.column(&fk[0]), t.column(&fk[0])) else {
                continue;
            };
            if fc.data_type != tc.data_type {
                continue;
            }
            tables.push((t.name.name.clone(), fk[0].clone(), fc.data_type.clone()));
        }
        Surroundings { tables }
    }

    fn name(table: &str, what: &str) -> String {
        q(&format!("strata_rt_{table}_{what}"))
    }

    /// The DDL of the surroundings (the same on both sides of the plan).
    fn ddl(&self) -> String {
        let mut out = String::new();
        for (t, pk, ty) in &self.tables {
            for (what, action) in [
                ("cascade", "CASCADE"),
                ("set_null", "SET NULL"),
                ("restrict", "RESTRICT"),
            ] {
                out.push_str(&format!(
                    "CREATE TABLE {} (id INTEGER PRIMARY KEY, ref {ty} REFERENCES {}({}) ON DELETE {action});\n",
                    Self::name(t, what),
                    q(t),
                    q(pk)
                ));
            }
            out.push_str(&format!(
                "CREATE TABLE {} (n INTEGER);\n",
                Self::name(t, "log")
            ));
            out.push_str(&format!(
                "CREATE TRIGGER {} AFTER UPDATE ON {} BEGIN INSERT INTO {} VALUES (1); END;\n",
                Self::name(t, "touch"),
                q(t),
                Self::name(t, "log")
            ));
            out.push_str(&format!(
                "CREATE VIEW {} AS SELECT count(*) AS n FROM {};\n",
                Self::name(t, "view"),
                q(t)
            ));
        }
        out
    }

    /// One referencing row per row of each table, in each of the three referencing tables.
    fn rows(&self) -> String {
        let mut out = String::new();
        for (t, pk, _) in &self.tables {
            for what in ["cascade", "set_null", "restrict"] {
                out.push_str(&format!(
                    "INSERT INTO {} (ref) SELECT {} FROM {};\n",
                    Self::name(t, what),
                    q(pk),
                    q(t)
                ));
            }
        }
        out
    }

    /// After a migration: every reference is still set, the view answers, the trigger fires.
    async fn check(&self, db: &mut Database, label: &str) {
        for (t, pk, _) in &self.tables {
            let rows = count(db, &format!("SELECT count(*) FROM {}", q(t))).await;
            for what in ["cascade", "set_null", "restrict"] {
                let set = count(
                    db,
                    &format!(
                        "SELECT count(*) FROM {} WHERE ref IS NOT NULL",
                        Self::name(t, what)
                    ),
                )
                .await;
                assert_eq!(set, rows, "{label}: references of {what} to {t}");
            }
            let seen = count(db, &format!("SELECT n FROM {}", Self::name(t, "view"))).await;
            assert_eq!(seen, rows, "{label}: the view over {t}");
            if rows > 0 {
                let log = Self::name(t, "log");
                let last = format!("SELECT coalesce(max(rowid), 0) FROM {log}");
                let seen = count(db, &last).await;
                db.execute(&format!("UPDATE {} SET {} = {}", q(t), q(pk), q(pk)))
                    .await
                    .unwrap();
                assert!(
                    count(db, &last).await > seen,
                    "{label}: the trigger on {t} did not fire"
                );
                // The probe's own log rows go again, so that row counts compare.
                db.execute(&format!("DELETE FROM {log} WHERE rowid > {seen}"))
                    .await
                    .unwrap();
            }
        }
    }
}

/// The queries of the case's `checks.sql`: each must return no rows (after apply and after
/// rollback).
async fn run_checks(db: &mut Database, checks: &str, label: &str) {
    for s in strata_schema::split::split(checks, Engine::Sqlite) {
        let n = count(db, &format!("SELECT count(*) FROM ({})", s.sql)).await;
        assert_eq!(n, 0, "{label}: check returned {n} row(s): {}", s.sql);
    }
}

async fn case(dir: &Path) {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let (from_sql, to_sql, rows_sql) = (read("from.sql"), read("to.sql"), read("rows.sql"));
    let checks_sql = read("checks.sql");
    let tmp = tempfile::tempdir().unwrap();
    let d = strata_engine::dialect(Engine::Sqlite);

    // The case as written, for the snapshot of its plan and to find the tables it rebuilds.
    let plain_from = schema_of(tmp.path(), "plain_from.db", &from_sql).await;
    let mut plain_to = schema_of(tmp.path(), "plain_to.db", &to_sql).await;
    apply_hints(&mut plain_to, &read_hints(&to_sql, Engine::Sqlite));
    if let Err(e) = check_diff_fixtures(Engine::Sqlite, &name, &plain_from, &plain_to) {
        panic!("{name}: {e}");
    }
    let plain = plan(&plain_from, &plain_to, d).unwrap();
    insta::assert_snapshot!(
        format!("sqlite_{name}"),
        format!("-- up\n{}\n-- down\n{}", plain.up_sql(), plain.down_sql())
    );
    let around = Surroundings::around(&plain.up, &plain_from, &plain_to);

    // The database, built by migrations as a user's would be: the schema, then the rows.
    let url = format!("sqlite://{}", tmp.path().join("a.db").display());
    let mut migrations = Migrations::new();
    migrations.add("from", &format!("{from_sql}\n{}", around.ddl()), None);
    migrations.add("rows", &format!("{rows_sql}\n{}", around.rows()), None);
    let mut db = database(&url).await;
    migrations.apply(&mut db).await.unwrap();
    let s_from = sqlite(&mut db).inspect().await.unwrap();
    let before = counts(&mut db, &s_from).await;

    let to_full = format!("{to_sql}\n{}", around.ddl());
    let mut s_to = schema_of(tmp.path(), "b.db", &to_full).await;
    apply_hints(&mut s_to, &read_hints(&to_sql, Engine::Sqlite));
    let s_to_plain = without_hints(&s_to);
    let p = plan(&s_from, &s_to, d).unwrap();
    assert!(
        !p.is_empty() || s_from == s_to_plain,
        "{name}: empty plan for a change"
    );
    let (up, down) = (p.up_file(), p.down_file());
    migrations.add("planned", &up, Some(&down));
    if let Err(e) = migrations.apply(&mut db).await {
        panic!("{name}: apply failed: {e}\n--- up\n{up}");
    }
    let after = sqlite(&mut db).inspect().await.unwrap();
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
            let sql = format!("SELECT COUNT(*) FROM {}", q(&now));
            assert_eq!(
                count(&mut db, &sql).await,
                *n,
                "{name}: rows of {table} after up"
            );
        }
    }
    let violations = db.foreign_key_violations().await.unwrap();
    assert!(violations.is_empty(), "{name}: after up: {violations:?}");
    around.check(&mut db, &format!("{name}: after up")).await;
    run_checks(&mut db, &checks_sql, &format!("{name}: after up")).await;

    let again = plan(&after, &s_to_plain, d).unwrap();
    assert!(
        again.is_empty(),
        "{name}: not idempotent:\n{}",
        again.up_sql()
    );

    if let Err(e) = migrations.rollback(&mut db).await {
        panic!("{name}: rollback failed: {e}\n--- down\n{down}");
    }
    assert_same(
        &format!("{name}: after down"),
        &sqlite(&mut db).inspect().await.unwrap(),
        &s_from,
        &down,
    );
    // A table the up migration dropped comes back empty (its down says IRREVERSIBLE).
    let dropped: Vec<&str> =
        p.up.iter()
            .filter_map(|s| match &s.change {
                Change::DropTable { table } => Some(table.name.name.as_str()),
                _ => None,
            })
            .collect();
    let kept = |c: Vec<(String, i64)>| -> Vec<(String, i64)> {
        c.into_iter()
            .filter(|(t, _)| !dropped.contains(&t.as_str()))
            .collect()
    };
    assert_eq!(
        kept(counts(&mut db, &s_from).await),
        kept(before.clone()),
        "{name}: rows after down"
    );
    let violations = db.foreign_key_violations().await.unwrap();
    assert!(violations.is_empty(), "{name}: after down: {violations:?}");
    around.check(&mut db, &format!("{name}: after down")).await;
    run_checks(&mut db, &checks_sql, &format!("{name}: after down")).await;

    // Fixed point: the inspected schema, rendered and replayed, inspects the same.
    let mut c = fresh(tmp.path(), "c.db").await;
    let ddl = plan(&Schema::default(), &s_to_plain, d).unwrap().up_sql();
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
    let dirs = roundtrip_cases(Engine::Sqlite);
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
    let sql = std::fs::read_to_string(
        roundtrip_case(Engine::Sqlite, "deferrable_and_view_triggers").join("to.sql"),
    )
    .unwrap();
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
    let sql =
        std::fs::read_to_string(roundtrip_case(Engine::Sqlite, "virtual_tables").join("to.sql"))
            .unwrap();
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
