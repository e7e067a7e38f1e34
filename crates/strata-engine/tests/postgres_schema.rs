//! PostgreSQL declarative schemas against a real server: inspect, diff, plan, apply up and down.
//!
//! Every case folder under `tests/data/roundtrip/postgres/` holds `from.sql`, `to.sql`, optional
//! `rows.sql` (data loaded before migrating, whose row counts must survive) and optional
//! `renames.txt` (`table OLD NEW` / `column TABLE OLD NEW` lines, what `-- strata:renamed-from`
//! hints would say). The server comes from `STRATA_TEST_POSTGRES_URL`; outside CI an unset
//! variable skips the tests with a notice, with `CI=true` it fails them.

#[path = "support/migrations.rs"]
mod support;

use sqlx::{PgConnection, Row};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use strata_engine::{ConnectOptions, Postgres, SchemaDriver};
use strata_schema::{Engine, Exclusion, Extension, Name, Schema, TableAttr};
use strata_testkit::compare::{columns_by_name, json, same_schema, without_hints};
use strata_testkit::fixtures::{
    apply_renames, case_name, check_diff_fixtures, roundtrip_case, roundtrip_cases,
};
use strata_testkit::{server_url, ScratchDb};
use support::{database, Migrations};

/// A scratch database on the test server (see `strata_testkit::ScratchDb`).
async fn scratch(admin: &str) -> ScratchDb {
    ScratchDb::create(Engine::Postgres, admin).await
}

async fn driver(db: &ScratchDb) -> Postgres {
    Postgres::connect(&ConnectOptions::new(&db.url))
        .await
        .unwrap()
}

async fn inspect(db: &ScratchDb) -> Schema {
    driver(db).await.inspect().await.unwrap()
}

async fn run_sql(conn: &mut PgConnection, sql: &str, what: &str) -> Result<(), String> {
    sqlx::raw_sql(sql)
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|e| format!("{what} failed: {e}\n--- SQL ---\n{sql}"))
}

/// The queries of a case's `checks.sql`: each must return no rows.
async fn run_checks(conn: &mut PgConnection, checks: &str, what: &str) -> Result<(), String> {
    for s in strata_schema::split::split(checks, strata_schema::Engine::Postgres) {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM ({}) AS q", s.sql))
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| format!("{what}: check failed: {e}\n--- check ---\n{}", s.sql))?;
        if n != 0 {
            return Err(format!("{what}: check returned {n} row(s): {}", s.sql));
        }
    }
    Ok(())
}

/// Row counts of every user table.
async fn row_counts(conn: &mut PgConnection, schema: &Schema) -> BTreeMap<Name, i64> {
    let mut out = BTreeMap::new();
    for t in &schema.tables {
        let q = match &t.name.schema {
            Some(s) => format!("{}.{}", quote(s), quote(&t.name.name)),
            None => quote(&t.name.name),
        };
        let n: i64 = sqlx::query(&format!("SELECT count(*) FROM ONLY {q}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        out.insert(t.name.clone(), n);
    }
    out
}

fn quote(s: &str) -> String {
    strata_schema::quote::ident(strata_schema::Engine::Postgres, s)
}

/// One round trip: from → up → to → down → from, with data kept and the plan idempotent.
async fn roundtrip(admin: &str, dir: &Path) -> Result<(), String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
    let from_sql = read("from.sql").ok_or("missing from.sql")?;
    let to_sql = read("to.sql").ok_or("missing to.sql")?;

    let a = scratch(admin).await;
    let mut conn_a = a.pg().await;
    run_sql(&mut conn_a, &from_sql, "from.sql").await?;
    let s_from = inspect(&a).await;
    if let Some(rows) = read("rows.sql") {
        run_sql(&mut conn_a, &rows, "rows.sql").await?;
    }
    let counts_before = row_counts(&mut conn_a, &s_from).await;

    let b = scratch(admin).await;
    let mut conn_b = b.pg().await;
    run_sql(&mut conn_b, &to_sql, "to.sql").await?;
    let s_to_inspected = inspect(&b).await;
    let mut s_to = s_to_inspected.clone();
    apply_renames(dir, &mut s_to)?;
    check_diff_fixtures(Engine::Postgres, &case_name(dir), &s_from, &s_to)?;
    drop(conn_b);
    drop(b);

    let driver = driver(&a).await;
    let plan = strata_diff::plan(&s_from, &s_to, driver.dialect()).unwrap();
    let (up, down) = (plan.up_file(), plan.down_file());
    if plan.is_empty() {
        return Err("the plan is empty: from.sql and to.sql describe the same schema".into());
    }
    let checks = read("checks.sql").unwrap_or_default();
    // The planned files run the way the CLI runs them: Migrator over Database.
    let mut migrations = Migrations::new();
    migrations.add("planned", &up, Some(&down));
    let mut db = database(&a.url).await;
    migrations
        .apply(&mut db)
        .await
        .map_err(|e| format!("up failed: {e}\n--- up ---\n{up}"))?;
    run_checks(&mut conn_a, &checks, "after up").await?;
    let after_up = inspect(&a).await;
    same_schema(
        &s_to_inspected,
        &after_up,
        &format!("after up\n--- up ---\n{up}"),
    )?;
    let counts_after = row_counts(&mut conn_a, &after_up).await;
    for (table, n) in &counts_before {
        let now = counts_after.get(table).or_else(|| {
            // A renamed table keeps its rows under the new name.
            s_to.tables
                .iter()
                .find(|t| {
                    t.renamed_from.as_deref() == Some(&table.name) && t.name.schema == table.schema
                })
                .and_then(|t| counts_after.get(&t.name))
        });
        if let Some(now) = now {
            if now != n {
                return Err(format!(
                    "{table}: {n} rows before up, {now} after\n--- up ---\n{up}"
                ));
            }
        }
    }
    let again = strata_diff::plan(&after_up, &s_to, driver.dialect()).unwrap();
    if !again.is_empty() {
        return Err(format!(
            "not idempotent: planning again after up gives\n{}",
            again.up_sql()
        ));
    }

    {
        migrations
            .rollback(&mut db)
            .await
            .map_err(|e| format!("down failed: {e}\n--- down ---\n{down}"))?;
        run_checks(&mut conn_a, &checks, "after down").await?;
        let after_down = inspect(&a).await;
        // Columns added back by the down plan come last: PostgreSQL cannot add a column in the
        // middle. The order is not part of what a migration can restore, the rest is.
        same_schema(
            &columns_by_name(&s_from),
            &columns_by_name(&after_down),
            &format!("after down\n--- down ---\n{down}"),
        )?;
        let back = strata_diff::plan(&after_down, &s_from, driver.dialect()).unwrap();
        if !back.is_empty() {
            return Err(format!(
                "after down, planning to from.sql again gives\n{}",
                back.up_sql()
            ));
        }
        // Tables that lived through the up plan keep their rows through the down plan.
        let counts_down = row_counts(&mut conn_a, &after_down).await;
        for (table, n) in &counts_before {
            let survived = counts_after.contains_key(table)
                || s_to.tables.iter().any(|t| {
                    t.renamed_from.as_deref() == Some(&table.name) && t.name.schema == table.schema
                });
            if let (true, Some(now)) = (survived, counts_down.get(table)) {
                if now != n {
                    return Err(format!(
                        "{table}: {n} rows before up, {now} after down\n--- down ---\n{down}"
                    ));
                }
            }
        }
    }
    drop(conn_a);
    drop(db);

    // Fixed point: the plan from nothing builds exactly the desired schema.
    let target = without_hints(&s_to);
    let create = create_sql(&target, &driver);
    drop(driver);
    fixed_point(admin, &target, &create).await
}

/// The up SQL that builds `target` in an empty database.
fn create_sql(target: &Schema, pg: &Postgres) -> String {
    strata_diff::plan(&Schema::default(), target, pg.dialect())
        .unwrap()
        .up_sql()
}

async fn fixed_point(admin: &str, target: &Schema, create: &str) -> Result<(), String> {
    let c = scratch(admin).await;
    let mut conn_c = c.pg().await;
    run_sql(
        &mut conn_c,
        &format!("BEGIN;\n{create}\nCOMMIT;"),
        "plan from an empty database",
    )
    .await?;
    let built = inspect(&c).await;
    drop(conn_c);
    same_schema(
        target,
        &built,
        &format!("fixed point\n--- create ---\n{create}"),
    )
}

/// A case's outcome against its `xfail.txt`, which marks a known limitation outside the
/// PostgreSQL engine: line 1 is text the failure must contain, the rest says why; a case that
/// starts passing must lose the file.
fn judge(dir: &Path, result: Result<(), String>) -> Option<String> {
    let case = dir.file_name().unwrap().to_string_lossy();
    match (std::fs::read_to_string(dir.join("xfail.txt")), result) {
        (Err(_), Ok(())) => None,
        (Err(_), Err(e)) => Some(format!("=== case {case} ===\n{e}")),
        (Ok(_), Ok(())) => Some(format!(
            "=== case {case} ===\npasses now: delete {}",
            dir.join("xfail.txt").display()
        )),
        (Ok(why), Err(e)) => {
            let expected = why.lines().next().unwrap_or_default().trim();
            if e.contains(expected) {
                eprintln!("case {case}: known failure ({expected})");
                None
            } else {
                Some(format!(
                    "=== case {case} ===\nexpected a failure containing {expected:?}, got:\n{e}"
                ))
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_roundtrip_cases() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let dirs = roundtrip_cases(Engine::Postgres);
    let only = std::env::var("STRATA_CASE").ok();
    let selected: Vec<PathBuf> = dirs
        .into_iter()
        .filter(|d| {
            let case = d.file_name().unwrap().to_string_lossy();
            only.as_deref().is_none_or(|o| case.contains(o))
        })
        .collect();
    let ran = selected.len();
    let mut failures = Vec::new();
    // A few cases at a time: each creates three databases, and creating one is the slow part.
    for group in selected.chunks(4) {
        // Concurrently on this task (`join!`): the futures hold connections across awaits and
        // need not be `Send`.
        let run = |i: usize| {
            let admin = admin.as_str();
            async move {
                match group.get(i) {
                    Some(dir) => Some((dir, roundtrip(admin, dir).await)),
                    None => None,
                }
            }
        };
        let (r0, r1, r2, r3) = tokio::join!(run(0), run(1), run(2), run(3));
        for (dir, result) in [r0, r1, r2, r3].into_iter().flatten() {
            if let Some(f) = judge(dir, result) {
                failures.push(f);
            }
        }
    }
    assert!(ran > 0, "no case ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_table_and_extension_objects_are_not_inspected() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let db = scratch(&admin).await;
    let mut conn = db.pg().await;
    run_sql(
        &mut conn,
        "CREATE TABLE strata_history (version bigint PRIMARY KEY);
         CREATE TABLE kept (id int PRIMARY KEY);",
        "setup",
    )
    .await
    .unwrap();
    // citext ships with PostgreSQL's contrib package; where it is missing this part is skipped.
    let citext: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'citext')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    if citext {
        run_sql(
            &mut conn,
            "CREATE EXTENSION citext; ALTER TABLE kept ADD COLUMN email citext;",
            "citext",
        )
        .await
        .unwrap();
    }
    let s = inspect(&db).await;
    let names: Vec<String> = s.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["kept"]);
    assert!(s.routines.is_empty(), "extension functions: {}", json(&s));
    assert!(s.types.is_empty(), "extension types: {}", json(&s));
    if citext {
        assert_eq!(s.tables[0].columns[1].data_type, "citext");
        let names: Vec<&str> = s.extensions.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["citext"],
            "the extension itself is part of the schema"
        );
    }
}

/// The round-trip case `case`'s `to.sql` loaded into a scratch database, inspected: for the tests
/// that check the inspector sees a feature at all (a round trip cannot tell: both of its sides
/// come from the same inspector).
async fn inspect_case(admin: &str, case: &str) -> Schema {
    let db = scratch(admin).await;
    let mut conn = db.pg().await;
    let path = roundtrip_case(Engine::Postgres, case).join("to.sql");
    let sql = std::fs::read_to_string(&path).unwrap();
    run_sql(&mut conn, &sql, "to.sql").await.unwrap();
    inspect(&db).await
}

/// What the round trip cannot see (both of its sides come from the same inspector): the
/// extension, exclusion constraints and table and index storage parameters of
/// `extensions_and_exclusions`
/// are in the model at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extensions_exclusions_and_storage_parameters_are_inspected() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let s = inspect_case(&admin, "extensions_and_exclusions").await;
    assert_eq!(
        s.extensions,
        [Extension {
            name: "btree_gist".into(),
            schema: None
        }]
    );
    let booking = &s.tables[0];
    assert_eq!(
        booking.exclusions,
        [Exclusion {
            name: "booking_no_overlap".into(),
            definition: "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0)".into()
        }]
    );
    assert_eq!(booking.indexes[0].with, ["fillfactor=71"]);
    assert_eq!(
        booking.attrs,
        [TableAttr::PgStorage(vec![
            "fillfactor=90".into(),
            "toast.autovacuum_enabled=false".into()
        ])]
    );
    let slots = &s.tables[1];
    assert_eq!(
        slots.exclusions,
        [Exclusion {
            name: "slots_during_excl".into(),
            definition: "EXCLUDE USING gist (during WITH &&) DEFERRABLE INITIALLY DEFERRED".into()
        }]
    );
    assert!(
        slots.indexes.is_empty(),
        "the constraint's own index is not listed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspects_a_thousand_tables() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let db = scratch(&admin).await;
    let mut conn = db.pg().await;
    // In batches: one transaction creating thousands of tables runs out of lock slots.
    // 1,000 keeps the suite quick; bench/inspect.sh measures 5,000.
    const TABLES: usize = 1000;
    for batch in (1..=TABLES).collect::<Vec<_>>().chunks(250) {
        let sql: String = batch
            .iter()
            .map(|i| {
                format!(
                    "CREATE TABLE t{i} (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', ref int REFERENCES t1 (id));
                     CREATE INDEX t{i}_name ON t{i} (name);\n"
                )
            })
            .collect();
        run_sql(&mut conn, &sql, "setup").await.unwrap();
    }
    let started = std::time::Instant::now();
    let s = inspect(&db).await;
    // Printed, not asserted: timings belong in benchmarks.
    eprintln!("inspected {TABLES} tables in {:?}", started.elapsed());
    assert_eq!(s.tables.len(), TABLES);
    assert!(s
        .tables
        .iter()
        .all(|t| t.indexes.len() == 1 && t.foreign_keys.len() == 1));
}

fn pagila_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pagila/pagila-schema.sql")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagila_loads_inspects_and_rebuilds_from_nothing() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let sql = std::fs::read_to_string(pagila_path()).expect("pagila-schema.sql");
    let db = scratch(&admin).await;
    let mut conn = db.pg().await;
    run_sql(&mut conn, &sql, "pagila-schema.sql").await.unwrap();
    let s = inspect(&db).await;
    assert!(s.tables.len() >= 20, "{}", json(&s));
    assert!(!s.views.is_empty() && !s.routines.is_empty() && !s.types.is_empty());
    let driver = driver(&db).await;
    if let Err(e) = fixed_point(&admin, &s, &create_sql(&s, &driver)).await {
        panic!("{e}");
    }
}

/// Prints the inspected schema of `STRATA_INSPECT_URL` as JSON (a debugging aid, run by hand).
#[tokio::test]
#[ignore = "debugging aid: STRATA_INSPECT_URL=postgres://... cargo test -- --ignored dump_inspect"]
async fn dump_inspect() {
    let url = std::env::var("STRATA_INSPECT_URL").expect("STRATA_INSPECT_URL");
    let mut pg = Postgres::connect(&ConnectOptions::new(url)).await.unwrap();
    println!("{}", json(&pg.inspect().await.unwrap()));
}

/// The INSTEAD OF trigger of `view_triggers` is inspected at all (the round trip cannot tell).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_triggers_are_inspected() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let s = inspect_case(&admin, "view_triggers").await;
    let names: Vec<&str> = s.views[0]
        .triggers
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["item_labels_insert"]);
    assert!(s.views[0].triggers[0]
        .definition
        .contains("INSTEAD OF INSERT"));
}

/// View options of `view_options` are inspected at all (the round trip cannot tell).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_options_are_inspected() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let s = inspect_case(&admin, "view_options").await;
    let options = |name: &str| {
        s.views
            .iter()
            .find(|v| v.name.name == name)
            .unwrap()
            .options
            .clone()
    };
    assert_eq!(
        options("v"),
        ["security_invoker=true", "security_barrier=true"]
    );
    assert_eq!(options("w"), ["check_option=local"]);
    assert_eq!(options("m"), ["fillfactor=60"]);
}

/// Row-level security of `row_level_security` is inspected at all (the round trip cannot tell).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_level_security_is_inspected() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let s = inspect_case(&admin, "row_level_security").await;
    let docs = s.table(&Name::new("docs")).unwrap();
    assert_eq!(
        docs.attrs,
        [TableAttr::PgRowSecurity, TableAttr::PgForceRowSecurity]
    );
    let policies: Vec<&str> = docs
        .policies
        .iter()
        .map(|p| p.definition.as_str())
        .collect();
    assert_eq!(
        policies,
        [
            "CREATE POLICY docs_insert ON docs AS RESTRICTIVE FOR INSERT WITH CHECK ((owner = CURRENT_USER))",
            "CREATE POLICY docs_owner ON docs FOR ALL USING (((owner = CURRENT_USER) OR public))",
            "CREATE POLICY docs_team ON docs FOR UPDATE USING ((team IS NOT NULL)) WITH CHECK ((team IS NOT NULL))",
        ]
    );
    let shared = s.table(&Name::new("shared")).unwrap();
    assert_eq!(
        shared.policies[0].definition,
        "CREATE POLICY shared_all ON shared FOR SELECT TO postgres USING (true)"
    );
}

/// Composite types of `composite_types` are inspected at all (the round trip cannot tell), and
/// not the row types of tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn composite_types_are_inspected() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let s = inspect_case(&admin, "composite_types").await;
    let names: Vec<String> = s.types.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(
        names,
        [
            "a_level",
            "address",
            "b_reading",
            "money_amount",
            "point3",
            "z_level"
        ]
    );
    let money = s
        .types
        .iter()
        .find(|t| t.name.name == "money_amount")
        .unwrap();
    assert_eq!(
        money.kind,
        strata_schema::UserTypeKind::Composite {
            attributes: vec![
                strata_schema::Attribute {
                    name: "amount".into(),
                    data_type: "numeric(14,2)".into()
                },
                strata_schema::Attribute {
                    name: "currency".into(),
                    data_type: "character(3)".into()
                },
            ]
        }
    );
}

/// `NULLS NOT DISTINCT` of `nulls_not_distinct` is inspected at all (the round trip cannot tell).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nulls_not_distinct_is_inspected() {
    let Some(admin) = server_url(Engine::Postgres) else {
        return;
    };
    let s = inspect_case(&admin, "nulls_not_distinct").await;
    let t = &s.tables[0];
    assert!(t.uniques[0].nulls_not_distinct, "{:?}", t.uniques);
    assert!(t.indexes[0].nulls_not_distinct, "{:?}", t.indexes);
}
