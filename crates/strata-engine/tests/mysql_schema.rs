//! Declarative schemas on a real MySQL 8 / MariaDB server: inspection and the dialect, proved by
//! round trips over the cases in `tests/data/roundtrip/mysql/<case>/`.
//!
//! Each case has `from.sql`, `to.sql`, optionally `rows.sql` (data loaded after `from.sql`) and
//! `renames.txt` (`table OLD NEW` or `column TABLE OLD NEW` per line, standing in for the
//! `-- strata:renamed-from` hints). A case with `known_gap.txt` records a known limitation and is
//! expected to fail until it is fixed. The runner checks that the planned up SQL turns `from` into
//! exactly what `to.sql` makes, keeps every row, leaves nothing more to plan, that the down SQL
//! brings `from` back, and that planning `to` from nothing recreates it.
//!
//! Needs `STRATA_TEST_MYSQL_URL` (e.g. `mysql://root@127.0.0.1:3306/test`); every test works in
//! its own scratch databases (`strata_testkit::ScratchDb`), dropped at the end even when the test
//! fails.

#[path = "support/migrations.rs"]
mod support;

use sqlx::MySqlConnection;
use std::collections::BTreeMap;
use std::path::Path;
use strata_engine::{ConnectOptions, MySql, SchemaDriver};
use strata_migrate::split::split;
use strata_migrate::Driver;
use strata_schema::{Engine, Name, Schema};
use strata_testkit::compare::{same_schema, without_hints};
use strata_testkit::fixtures::{
    apply_renames, case_name, check_diff_fixtures, roundtrip_case, roundtrip_cases,
};
use strata_testkit::{server_url, ScratchDb};
use support::{database, Migrations};

/// A scratch database on the test server (see `strata_testkit::ScratchDb`).
async fn scratch(base: &str) -> ScratchDb {
    ScratchDb::create(Engine::Mysql, base).await
}

async fn driver(db: &ScratchDb) -> MySql {
    MySql::connect(&ConnectOptions::new(&db.url))
        .await
        .expect("connect to the scratch database")
}

/// Runs `sql` statement by statement, the way strata runs a MySQL migration.
async fn run_sql(db: &mut MySql, sql: &str, what: &str) -> Result<(), String> {
    for stmt in split(sql, Engine::Mysql) {
        db.execute(&stmt.sql).await.map_err(|e| {
            format!(
                "{what}, line {}: {}\n  statement: {}",
                stmt.line, e.message, stmt.sql
            )
        })?;
    }
    Ok(())
}

async fn inspect(db: &mut MySql, what: &str) -> Result<Schema, String> {
    db.inspect()
        .await
        .map_err(|e| format!("inspect {what}: {}", e.message))
}

async fn row_counts(conn: &mut MySqlConnection, schema: &Schema) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for t in &schema.tables {
        let sql = format!(
            "SELECT COUNT(*) FROM {}",
            strata_schema::quote::ident(Engine::Mysql, &t.name.name)
        );
        let n: i64 = sqlx::query_scalar(&sql)
            .fetch_one(&mut *conn)
            .await
            .expect("count rows");
        out.insert(t.name.name.clone(), n);
    }
    out
}

/// The queries of a case's `checks.sql`: each must return no rows.
async fn run_checks(conn: &mut MySqlConnection, checks: &str, what: &str) -> Result<(), String> {
    for s in split(checks, Engine::Mysql) {
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

/// Every statement of the plan's SQL must come back whole from the splitter (trigger and
/// routine bodies hold semicolons).
fn check_split(plan_sql: &str, steps: &[strata_diff::Step], what: &str) -> Result<(), String> {
    let expected: usize = steps.iter().map(|s| s.sql.len()).sum();
    let got = split(plan_sql, Engine::Mysql).len();
    if got != expected {
        return Err(format!(
            "{what}: the splitter found {got} statements, the plan has {expected}:\n{plan_sql}"
        ));
    }
    Ok(())
}

async fn round_trip(base: &str, dir: &Path) -> Result<(), String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f));
    let from_sql = read("from.sql").map_err(|e| format!("from.sql: {e}"))?;
    let to_sql = read("to.sql").map_err(|e| format!("to.sql: {e}"))?;

    // A: the starting point, with data.
    let a = scratch(base).await;
    let mut da = driver(&a).await;
    run_sql(&mut da, &from_sql, "from.sql").await?;
    if let Ok(rows) = read("rows.sql") {
        run_sql(&mut da, &rows, "rows.sql").await?;
    }
    let s_from = inspect(&mut da, "from").await?;
    let mut ca = a.mysql().await;
    let counts = row_counts(&mut ca, &s_from).await;

    // B: the desired state.
    let b = scratch(base).await;
    let mut db = driver(&b).await;
    run_sql(&mut db, &to_sql, "to.sql").await?;
    let mut s_to = inspect(&mut db, "to").await?;
    // Row counts are keyed by the bare table name: a MySQL table has no schema in the model.
    let table_renames: BTreeMap<String, String> = apply_renames(dir, &mut s_to)?
        .into_iter()
        .map(|(old, new)| (old.name, new.name))
        .collect();
    check_diff_fixtures(Engine::Mysql, &case_name(dir), &s_from, &s_to)?;
    let s_to_clean = without_hints(&s_to);

    let dialect = da.dialect();
    let plan = strata_diff::plan(&s_from, &s_to, dialect).unwrap();
    let up = plan.up_sql();
    let down = plan.down_sql();
    if std::env::var_os("STRATA_TEST_SHOW").is_some() {
        eprintln!("=== {}\n--- up\n{up}--- down\n{down}", dir.display());
    }
    check_split(&up, &plan.up, "up")?;
    check_split(&down, &plan.down, "down")?;

    // The planned files run the way the CLI runs them: Migrator over Database.
    let checks = read("checks.sql").unwrap_or_default();
    let mut migrations = Migrations::new();
    migrations.add("planned", &plan.up_file(), Some(&plan.down_file()));
    let mut target = database(&a.url).await;
    migrations
        .apply(&mut target)
        .await
        .map_err(|e| format!("{e}\nup SQL:\n{up}"))?;
    run_checks(&mut ca, &checks, "after up").await?;
    let after_up = inspect(&mut da, "after up").await?;
    same_schema(&s_to_clean, &after_up, "after up").map_err(|e| format!("{e}\nup SQL:\n{up}"))?;
    let counts_up = row_counts(&mut ca, &after_up).await;
    for (table, n) in &counts {
        let now = table_renames.get(table).unwrap_or(table);
        if let Some(m) = counts_up.get(now) {
            if m != n {
                return Err(format!(
                    "after up: {now} has {m} rows, had {n}\nup SQL:\n{up}"
                ));
            }
        }
    }
    let again = strata_diff::plan(&after_up, &s_to_clean, dialect).unwrap();
    if !again.is_empty() {
        return Err(format!(
            "after up there is still something to plan:\n{}",
            again.up_sql()
        ));
    }

    migrations
        .rollback(&mut target)
        .await
        .map_err(|e| format!("{e}\ndown SQL:\n{down}"))?;
    run_checks(&mut ca, &checks, "after down").await?;
    let after_down = inspect(&mut da, "after down").await?;
    same_schema(&s_from, &after_down, "after down")
        .map_err(|e| format!("{e}\ndown SQL:\n{down}"))?;
    let counts_down = row_counts(&mut ca, &after_down).await;
    for (table, n) in &counts {
        let kept = counts_up.contains_key(table_renames.get(table).unwrap_or(table));
        if kept && counts_down.get(table) != Some(n) {
            return Err(format!(
                "after down: {table} has {:?} rows, had {n}\ndown SQL:\n{down}",
                counts_down.get(table)
            ));
        }
    }

    // C: the desired state planned from nothing is a fixed point.
    let c = scratch(base).await;
    let mut dc = driver(&c).await;
    let fresh = strata_diff::plan(&Schema::default(), &s_to_clean, dialect).unwrap();
    let fresh_up = fresh.up_sql();
    check_split(&fresh_up, &fresh.up, "from nothing")?;
    run_sql(&mut dc, &fresh_up, "from nothing")
        .await
        .map_err(|e| format!("{e}\nSQL:\n{fresh_up}"))?;
    let rebuilt = inspect(&mut dc, "from nothing").await?;
    same_schema(&s_to_clean, &rebuilt, "from nothing")
        .map_err(|e| format!("{e}\nSQL:\n{fresh_up}"))?;
    Ok(())
}

/// The round-trip case `case`'s `to.sql` loaded into a scratch database, inspected: for the tests
/// that check the inspector sees a feature at all (a round trip cannot tell: both of its sides
/// come from the same inspector).
async fn inspect_case(base: &str, case: &str) -> Schema {
    let scratch = scratch(base).await;
    let mut db = driver(&scratch).await;
    let path = roundtrip_case(Engine::Mysql, case).join("to.sql");
    let sql = std::fs::read_to_string(&path).unwrap();
    run_sql(&mut db, &sql, "to.sql").await.unwrap();
    db.inspect().await.unwrap()
}

#[tokio::test]
async fn round_trips() {
    let Some(base) = server_url(Engine::Mysql) else {
        return;
    };
    let only = std::env::var("STRATA_TEST_CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in roundtrip_cases(Engine::Mysql) {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        ran += 1;
        // A `known_gap.txt` case documents something strata cannot do yet: it must still fail,
        // so that whoever closes the gap is told to turn it into an ordinary case.
        let gap = std::fs::read_to_string(dir.join("known_gap.txt")).ok();
        match (round_trip(&base, &dir).await, gap) {
            (Ok(()), None) => {}
            (Err(e), None) => failures.push(format!("=== {name}\n{e}")),
            (Err(e), Some(_)) => eprintln!("known gap {name}:\n{e}\n"),
            (Ok(()), Some(gap)) => failures.push(format!(
                "=== {name}\npasses now; delete its known_gap.txt ({})",
                gap.trim()
            )),
        }
    }
    assert!(ran > 0, "no round-trip case ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[tokio::test]
async fn history_table_is_not_inspected() {
    let Some(base) = server_url(Engine::Mysql) else {
        return;
    };
    let scratch = scratch(&base).await;
    let mut db = driver(&scratch).await;
    db.ensure_history().await.unwrap();
    run_sql(&mut db, "CREATE TABLE users (id int PRIMARY KEY);", "setup")
        .await
        .unwrap();
    let schema = db.inspect().await.unwrap();
    let names: Vec<&str> = schema.tables.iter().map(|t| t.name.name.as_str()).collect();
    assert_eq!(names, ["users"]);
    assert_eq!(schema.tables[0].name, Name::new("users"));
}

#[tokio::test]
async fn trigger_and_procedure_bodies_run_as_one_statement_each() {
    let Some(base) = server_url(Engine::Mysql) else {
        return;
    };
    let src = scratch(&base).await;
    let mut db = driver(&src).await;
    let sql = "CREATE TABLE t (x int, y int);
CREATE TRIGGER t_fill BEFORE INSERT ON t FOR EACH ROW BEGIN
  IF NEW.y IS NULL THEN SET NEW.y = NEW.x * 2; END IF;
  SET NEW.x = COALESCE(NEW.x, 0);
END;
CREATE PROCEDURE add_two(IN a int) BEGIN
  INSERT INTO t (x) VALUES (a);
  INSERT INTO t (x) VALUES (a + 1);
END;";
    run_sql(&mut db, sql, "setup").await.unwrap();
    let schema = db.inspect().await.unwrap();
    // Recreate it from the plan in a fresh database and use it: the bodies must work there.
    let plan = strata_diff::plan(&Schema::default(), &schema, db.dialect()).unwrap();
    let up = plan.up_sql();
    assert_eq!(split(&up, Engine::Mysql).len(), 3, "{up}");
    let dst = scratch(&base).await;
    let mut d2 = driver(&dst).await;
    run_sql(&mut d2, &up, "plan").await.unwrap();
    run_sql(&mut d2, "CALL add_two(5);", "call").await.unwrap();
    let mut conn = dst.mysql().await;
    let ys: Vec<i32> = sqlx::query_scalar("SELECT y FROM t ORDER BY x")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(ys, [10, 12]);
    assert_eq!(d2.inspect().await.unwrap(), schema);
}

/// The partitioning of the `partitioning` case is inspected at all (the round trip cannot tell:
/// both of its sides come from the same inspector).
#[tokio::test]
async fn partitioning_is_inspected() {
    let Some(base) = server_url(Engine::Mysql) else {
        return;
    };
    let schema = inspect_case(&base, "partitioning").await;
    let clause = |name: &str| {
        schema
            .table(&Name::new(name))
            .unwrap()
            .attrs
            .iter()
            .find_map(|a| match a {
                strata_schema::TableAttr::MysqlPartitionBy(p) => Some(p.clone()),
                _ => None,
            })
    };
    let events = clause("events").expect("events is partitioned");
    assert!(events.starts_with("PARTITION BY RANGE"), "{events}");
    assert!(events.contains("p2026"), "{events}");
    assert!(clause("logs").is_some_and(|p| p.starts_with("PARTITION BY KEY")));
    assert_eq!(clause("old_parts"), None);
}

/// Triggers that share a table, timing and event keep their firing order (the `trigger_order`
/// case): each after the first names the one it follows.
#[tokio::test]
async fn trigger_order_is_inspected() {
    let Some(base) = server_url(Engine::Mysql) else {
        return;
    };
    let schema = inspect_case(&base, "trigger_order").await;
    let follows = |table: &str, trigger: &str| {
        let t = schema.table(&Name::new(table)).unwrap();
        let d = &t
            .triggers
            .iter()
            .find(|x| x.name == trigger)
            .unwrap()
            .definition;
        d.split_once("FOLLOWS ").map(|(_, rest)| {
            let word = rest.split_whitespace().next().unwrap();
            word.trim_matches('`').to_string()
        })
    };
    assert_eq!(follows("events", "events_check"), None);
    assert_eq!(
        follows("events", "events_log").as_deref(),
        Some("events_check")
    );
    assert_eq!(
        follows("events", "events_after").as_deref(),
        Some("events_log")
    );
    assert_eq!(follows("fresh", "fresh_z"), None);
    assert_eq!(follows("fresh", "fresh_a").as_deref(), Some("fresh_z"));
}

/// `SQL SECURITY INVOKER` of `view_security` is inspected at all (the round trip cannot tell).
#[tokio::test]
async fn view_security_is_inspected() {
    let Some(base) = server_url(Engine::Mysql) else {
        return;
    };
    let schema = inspect_case(&base, "view_security").await;
    let options: Vec<(&str, &[String])> = schema
        .views
        .iter()
        .map(|v| (v.name.name.as_str(), v.options.as_slice()))
        .collect();
    assert_eq!(
        options,
        [
            ("v", &["sql_security=invoker".to_string()][..]),
            ("w", &[][..])
        ]
    );
}

/// The planned column moves of the `column_order` case are instant on MariaDB 10.4+
/// (`ALGORITHM=INSTANT` is accepted) and an in-place rebuild on MySQL 8 (`INSTANT` refused,
/// `INPLACE` accepted): what the alter-table-copy lint tells users.
#[tokio::test]
async fn column_moves_are_instant_on_mariadb_only() {
    let Some(base) = server_url(Engine::Mysql) else {
        return;
    };
    let dir = roundtrip_case(Engine::Mysql, "column_order");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let a = scratch(&base).await;
    let mut da = driver(&a).await;
    run_sql(&mut da, &read("from.sql"), "from.sql")
        .await
        .unwrap();
    run_sql(&mut da, &read("rows.sql"), "rows.sql")
        .await
        .unwrap();
    let b = scratch(&base).await;
    let mut db = driver(&b).await;
    run_sql(&mut db, &read("to.sql"), "to.sql").await.unwrap();
    let from = da.inspect().await.unwrap();
    let to = db.inspect().await.unwrap();
    let plan = strata_diff::plan(&from, &to, da.dialect()).unwrap();
    let mut conn = a.mysql().await;
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let mariadb = version.to_ascii_lowercase().contains("mariadb");
    let mut moves = 0;
    for step in &plan.up {
        let is_move = matches!(&step.change, strata_diff::Change::AlterColumn { from, to, position: Some(_), .. } if from == to);
        for sql in &step.sql {
            if !is_move {
                sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
                continue;
            }
            moves += 1;
            let instant = sqlx::raw_sql(&format!("{sql}, ALGORITHM=INSTANT"))
                .execute(&mut conn)
                .await;
            if mariadb {
                instant.unwrap_or_else(|e| {
                    panic!("MariaDB {version} refused an instant move: {e}\n{sql}")
                });
            } else {
                assert!(
                    instant.is_err(),
                    "MySQL {version} moved a column instantly: {sql}"
                );
                sqlx::raw_sql(&format!("{sql}, ALGORITHM=INPLACE, LOCK=NONE"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
        }
    }
    assert!(
        moves >= 2,
        "the case plans column moves:\n{}",
        plan.up_sql()
    );
    let after = da.inspect().await.unwrap();
    assert_eq!(after, to, "the moves give the desired order");
    let rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM items WHERE note = 'first' AND code = 'BK1'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(rows, 1);
}
