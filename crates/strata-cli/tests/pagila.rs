//! Real world, PostgreSQL only: the Pagila sample schema (`../shared/data/pagila/pagila-schema.sql`,
//! a pg_dump with domains, an enum, sequences, a partitioned table, functions, an aggregate,
//! views, a materialized view and triggers) as a project's schema file.
//!
//! - `plan` from an empty database then `apply` give a database whose `pg_dump --schema-only`
//!   equals the one of a database loaded with `psql -f` (ownership, privileges and strata's own
//!   history table aside);
//! - `init --from-db` on the psql-loaded database, then `plan`, writes nothing and `drift` is clean;
//! - an edit of the schema (a column and an index on `actor`) plans a migration that applies and
//!   rolls back to the same dump.
//!
//! Needs `psql` and `pg_dump` on the PATH (as CI has).

mod common;

use common::{run, Project, TestDb};
use std::path::{Path, PathBuf};
use std::process::Command;
use strata_schema::Engine;

fn pagila_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pagila/pagila-schema.sql")
}

fn pagila_sql() -> String {
    let path = pagila_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A project on `db` whose schema/ holds a copy of pagila-schema.sql.
fn pagila_project(db: &TestDb) -> Project {
    let p = Project::with_config(db, "schema = \"schema\"");
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::write(p.path().join("schema/pagila-schema.sql"), pagila_sql()).unwrap();
    p
}

fn migration_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".up.sql")
        })
        .count()
}

/// Loads the Pagila file into `url` the way its README says: `psql -f`.
fn psql_load(url: &str) {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"])
        .arg(pagila_path())
        .output()
        .expect("psql must be installed to run the Pagila test");
    assert!(
        out.status.success(),
        "psql -f pagila-schema.sql failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `pg_dump --schema-only --no-owner --no-privileges` of `url`, as lines of statements, without
/// comments, blank lines, session settings, `\restrict` markers and strata's own history objects.
fn dump(url: &str) -> Vec<String> {
    let out = Command::new("pg_dump")
        .args(["--schema-only", "--no-owner", "--no-privileges", "-d", url])
        .output()
        .expect("pg_dump must be installed to run the Pagila test");
    assert!(
        out.status.success(),
        "pg_dump {url} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines = text.lines().filter(|l| {
        !(l.trim().is_empty()
            || l.starts_with("--")
            || l.starts_with("SET ")
            || l.starts_with("SELECT pg_catalog.set_config")
            || l.starts_with("\\restrict")
            || l.starts_with("\\unrestrict"))
    });
    // Group lines into statements (a statement ends with a line ending in ';'; dollar-quoted
    // bodies end on `$...$;` too) and leave out those on strata's history table.
    let mut statements: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in lines {
        current.push(line.to_string());
        if line.trim_end().ends_with(';') {
            statements.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        statements.push(current);
    }
    statements
        .into_iter()
        .filter(|s| !s.iter().any(|l| l.contains("strata_history")))
        .flatten()
        .collect()
}

/// A unified diff (3 lines of context) of two line lists; empty when they are equal.
fn unified_diff(a_name: &str, a: &[String], b_name: &str, b: &[String]) -> String {
    if a == b {
        return String::new();
    }
    // Longest common subsequence table, then a walk that yields (tag, line) edits.
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut edits: Vec<(char, usize, usize)> = Vec::new(); // (tag, index in a, index in b)
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            edits.push((' ', i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            edits.push(('+', i, j));
            j += 1;
        } else {
            edits.push(('-', i, j));
            i += 1;
        }
    }
    let changed: Vec<usize> = (0..edits.len()).filter(|&k| edits[k].0 != ' ').collect();
    let mut out = format!("--- {a_name}\n+++ {b_name}\n");
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = changed[k];
        while k < changed.len() && changed[k] <= end + 7 {
            end = changed[k];
            k += 1;
        }
        let end = (end + 4).min(edits.len());
        let (_, ai, bj) = edits[start];
        out.push_str(&format!("@@ -{} +{} @@\n", ai + 1, bj + 1));
        for &(tag, ai, bj) in &edits[start..end] {
            let line = if tag == '+' { &b[bj] } else { &a[ai] };
            out.push_str(&format!("{tag}{line}\n"));
        }
    }
    out
}

fn assert_same_dump(a_name: &str, a: &[String], b_name: &str, b: &[String]) {
    let diff = unified_diff(a_name, a, b_name, b);
    assert!(
        diff.is_empty(),
        "pg_dump --schema-only differs ({} vs {} lines):\n{diff}",
        a.len(),
        b.len()
    );
}

/// Issue acceptance, part 1: `plan` from an empty database and `apply` give the same pg_dump as
/// `psql -f`.
#[test]
fn plan_and_apply_match_psql() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let p = pagila_project(&db);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(migration_count(&p.migrations()), 1, "{out}");
    for expected in [
        "create table payment",
        "create materialized view rental_by_category",
        "create trigger last_updated on actor",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");

    let loaded = TestDb::new(Engine::Postgres).unwrap();
    psql_load(&loaded.url);
    assert_same_dump(
        "psql -f pagila-schema.sql",
        &dump(&loaded.url),
        "strata plan + apply",
        &dump(&db.url),
    );
}

/// Issue acceptance, part 2: `init --from-db` on the psql-loaded database, then `plan`, writes
/// nothing; `drift` finds nothing.
#[test]
fn init_from_db_then_plan_writes_nothing() {
    let Some(loaded) = TestDb::new(Engine::Postgres) else {
        return;
    };
    psql_load(&loaded.url);
    let dir = tempfile::tempdir().unwrap();
    let strata = |args: &[&str]| {
        let mut c = common::strata();
        c.current_dir(dir.path()).args(args);
        run(&mut c)
    };
    let (code, out, err) = strata(&["init", "--from-db", &loaded.url]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("baselined 22 table(s)"), "{out}");
    let migrations = dir.path().join("migrations");
    assert_eq!(migration_count(&migrations), 1);

    let (code, out, err) = strata(&["plan", "nothing"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}{err}");
    assert_eq!(migration_count(&migrations), 1, "plan wrote a migration");
    let (code, out, err) = strata(&["drift"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = strata(&["status"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 applied"), "{out}");
}

/// After the initial migration, `plan` writes nothing; an edit of the schema copy (a column and
/// an index on `actor`) plans a migration that applies, rolls back to the same dump, and
/// applies again.
#[test]
fn edit_plans_a_reversible_migration() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let p = pagila_project(&db);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["plan", "again"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}{err}");
    assert_eq!(
        migration_count(&p.migrations()),
        1,
        "plan wrote a migration"
    );
    let before = dump(&db.url);

    let schema = p.path().join("schema/pagila-schema.sql");
    let sql = std::fs::read_to_string(&schema).unwrap();
    let edited = sql
        .replacen(
            "    last_name text NOT NULL,\n    last_update timestamp with time zone DEFAULT now() NOT NULL\n);\n",
            "    last_name text NOT NULL,\n    last_update timestamp with time zone DEFAULT now() NOT NULL,\n    nickname text\n);\n",
            1,
        )
        .replacen(
            "CREATE INDEX idx_actor_last_name ON public.actor USING btree (last_name);\n",
            "CREATE INDEX idx_actor_last_name ON public.actor USING btree (last_name);\n\nCREATE INDEX idx_actor_nickname ON public.actor USING btree (nickname);\n",
            1,
        );
    assert!(
        edited.contains("    nickname text\n") && edited.contains("idx_actor_nickname"),
        "the edit of pagila-schema.sql did not apply"
    );
    std::fs::write(&schema, edited).unwrap();

    let (code, out, err) = run(&mut p.strata(&["plan", "actor_nickname"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(migration_count(&p.migrations()), 2, "{out}");
    assert!(out.contains("add column actor.nickname"), "{out}");
    assert!(out.contains("create index idx_actor_nickname"), "{out}");
    let nickname = "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'actor' AND column_name = 'nickname'";
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(db.scalar(nickname), 1);
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'idx_actor_nickname'"),
        1
    );
    let applied = dump(&db.url);
    let (code, out, err) = run(&mut p.strata(&["plan", "nothing"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}{err}");

    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(db.scalar(nickname), 0);
    assert_same_dump("before the edit", &before, "after rollback", &dump(&db.url));

    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_same_dump(
        "first apply",
        &applied,
        "apply after rollback",
        &dump(&db.url),
    );
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");
}
