//! The differ and planner on real schemas: for every round-trip case of every engine, the
//! `Schema` the engine inspected for `from.sql` and `to.sql` (with the case's rename hints) is
//! kept as JSON in `tests/data/<engine>/<case>/{from,to}.json`, and the up and down files the
//! plan writes with that engine's `Dialect` are snapshotted here.
//!
//! The JSON is captured, never written by hand: the round-trip runners
//! (`crates/strata-engine/tests/<engine>_schema.rs`) fail when it is not what the live engine
//! inspects, and rewrite it with `STRATA_CAPTURE_DIFF_FIXTURES=1`. This test needs no server, so
//! a change to the differ shows its effect on every case of every engine in a plain `cargo test`.

use std::path::Path;
use strata_schema::{Engine, Schema};

fn load(path: &Path) -> Schema {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{}: not a Schema ({e}); recapture it with STRATA_CAPTURE_DIFF_FIXTURES=1 and the \
             engine's round-trip runner",
            path.display()
        )
    })
}

/// Snapshots `up` and `down` of every case of `engine`; at least `min_cases` must be present, so
/// a lost fixture folder fails instead of shrinking the test.
fn snapshot_engine(engine: Engine, min_cases: usize) {
    let dirs = strata_testkit::fixtures::diff_fixture_cases(engine);
    assert!(
        dirs.len() >= min_cases,
        "{engine}: {} fixture cases, expected at least {min_cases}",
        dirs.len()
    );
    let dialect = strata_engine::dialect(engine);
    for dir in dirs {
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (from, to) = (load(&dir.join("from.json")), load(&dir.join("to.json")));
        let text = match strata_diff::plan(&from, &to, dialect) {
            Ok(p) => format!("-- up\n{}\n-- down\n{}", p.up_file(), p.down_file()),
            Err(e) => format!("-- plan refused\n{e}\n"),
        };
        insta::assert_snapshot!(format!("{engine}__{case}"), text);
    }
}

#[test]
fn sqlite_plans() {
    snapshot_engine(Engine::Sqlite, 20);
}

#[test]
fn postgres_plans() {
    snapshot_engine(Engine::Postgres, 20);
}

#[test]
fn mysql_plans() {
    snapshot_engine(Engine::Mysql, 20);
}
