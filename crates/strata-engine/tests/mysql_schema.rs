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
//! its own `strata_my_<random>` databases, dropped at the end even when the test fails.

#[path = "support/migrations.rs"]
mod support;

use sqlx::{Connection, MySqlConnection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use strata_engine::{ConnectOptions, MySql, SchemaDriver};
use strata_migrate::split::split;
use strata_migrate::Driver;
use strata_schema::{Engine, Name, Schema};
use support::{database, Migrations};

/// The server URL, or `None` (with a notice) when it is not configured outside CI.
fn base_url() -> Option<String> {
    match std::env::var("STRATA_TEST_MYSQL_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("STRATA_TEST_MYSQL_URL must be set in CI")
        }
        _ => {
            eprintln!("notice: STRATA_TEST_MYSQL_URL is not set; MySQL schema tests skipped");
            None
        }
    }
}

/// A scratch database, dropped when the value goes out of scope (also during a panic).
struct ScratchDb {
    base: String,
    name: String,
    url: String,
}

impl ScratchDb {
    async fn create(base: &str) -> ScratchDb {
        let name = format!("strata_my_{:016x}", rand::random::<u64>());
        let mut admin = MySqlConnection::connect(base)
            .await
            .expect("connect to the server");
        sqlx::raw_sql(&format!("CREATE DATABASE `{name}`"))
            .execute(&mut admin)
            .await
            .expect("create the scratch database");
        let mut url = url::Url::parse(base).expect("a valid STRATA_TEST_MYSQL_URL");
        url.set_path(&format!("/{name}"));
        ScratchDb {
            base: base.to_string(),
            name,
            url: url.to_string(),
        }
    }

    async fn driver(&self) -> MySql {
        MySql::connect(&ConnectOptions::new(&self.url))
            .await
            .expect("connect to the scratch database")
    }

    async fn conn(&self) -> MySqlConnection {
        MySqlConnection::connect(&self.url)
            .await
            .expect("connect to the scratch database")
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        // Drop cannot await; a thread with its own runtime works inside and outside tokio.
        let base = self.base.clone();
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async {
                if let Ok(mut admin) = MySqlConnection::connect(&base).await {
                    let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS `{name}`"))
                        .execute(&mut admin)
                        .await;
                }
            });
        })
        .join();
    }
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

fn json(s: &Schema) -> String {
    serde_json::to_string_pretty(s).expect("schema serializes")
}

/// The lines where two texts differ, with a little context, for assertion messages.
fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let from = prefix.saturating_sub(4);
    let mut out = String::new();
    for l in &a[from..prefix] {
        out.push_str(&format!("   {l}\n"));
    }
    for l in &a[prefix..a.len() - suffix] {
        out.push_str(&format!(" - {l}\n"));
    }
    for l in &b[prefix..b.len() - suffix] {
        out.push_str(&format!(" + {l}\n"));
    }
    out
}

fn same_schema(expected: &Schema, actual: &Schema, what: &str) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "{what}: schemas differ (- expected, + actual):\n{}",
        line_diff(&json(expected), &json(actual))
    ))
}

/// Sets the `renamed_from` hints of `to` from `renames.txt`; returns the table renames (old → new).
fn apply_renames(dir: &Path, to: &mut Schema) -> Result<BTreeMap<String, String>, String> {
    let mut tables = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(dir.join("renames.txt")) else {
        return Ok(tables);
    };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["table", old, new] => {
                let t = to
                    .tables
                    .iter_mut()
                    .find(|t| t.name.name == *new)
                    .ok_or_else(|| format!("renames.txt: no table {new} in to.sql"))?;
                t.renamed_from = Some(old.to_string());
                tables.insert(old.to_string(), new.to_string());
            }
            ["column", table, old, new] => {
                let c = to
                    .tables
                    .iter_mut()
                    .find(|t| t.name.name == *table)
                    .and_then(|t| t.columns.iter_mut().find(|c| c.name == *new))
                    .ok_or_else(|| format!("renames.txt: no column {table}.{new} in to.sql"))?;
                c.renamed_from = Some(old.to_string());
            }
            _ => return Err(format!("renames.txt: cannot read `{line}`")),
        }
    }
    Ok(tables)
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

fn without_hints(s: &Schema) -> Schema {
    let mut s = s.clone();
    for t in &mut s.tables {
        t.renamed_from = None;
        for c in &mut t.columns {
            c.renamed_from = None;
        }
    }
    s
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
    let a = ScratchDb::create(base).await;
    let mut da = a.driver().await;
    run_sql(&mut da, &from_sql, "from.sql").await?;
    if let Ok(rows) = read("rows.sql") {
        run_sql(&mut da, &rows, "rows.sql").await?;
    }
    let s_from = inspect(&mut da, "from").await?;
    let mut ca = a.conn().await;
    let counts = row_counts(&mut ca, &s_from).await;

    // B: the desired state.
    let b = ScratchDb::create(base).await;
    let mut db = b.driver().await;
    run_sql(&mut db, &to_sql, "to.sql").await?;
    let mut s_to = inspect(&mut db, "to").await?;
    let table_renames = apply_renames(dir, &mut s_to)?;
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
    let c = ScratchDb::create(base).await;
    let mut dc = c.driver().await;
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
    let scratch = ScratchDb::create(base).await;
    let mut db = scratch.driver().await;
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/roundtrip/mysql")
        .join(case)
        .join("to.sql");
    let sql = std::fs::read_to_string(&path).unwrap();
    run_sql(&mut db, &sql, "to.sql").await.unwrap();
    db.inspect().await.unwrap()
}

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/roundtrip/mysql");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("to.sql").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[tokio::test]
async fn round_trips() {
    let Some(base) = base_url() else { return };
    let only = std::env::var("STRATA_TEST_CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in case_dirs() {
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
    let Some(base) = base_url() else { return };
    let scratch = ScratchDb::create(&base).await;
    let mut db = scratch.driver().await;
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
    let Some(base) = base_url() else { return };
    let src = ScratchDb::create(&base).await;
    let mut db = src.driver().await;
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
    let dst = ScratchDb::create(&base).await;
    let mut d2 = dst.driver().await;
    run_sql(&mut d2, &up, "plan").await.unwrap();
    run_sql(&mut d2, "CALL add_two(5);", "call").await.unwrap();
    let mut conn = dst.conn().await;
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
    let Some(base) = base_url() else { return };
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
    let Some(base) = base_url() else { return };
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
    let Some(base) = base_url() else { return };
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
    let Some(base) = base_url() else { return };
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/roundtrip/mysql/column_order");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let a = ScratchDb::create(&base).await;
    let mut da = a.driver().await;
    run_sql(&mut da, &read("from.sql"), "from.sql")
        .await
        .unwrap();
    run_sql(&mut da, &read("rows.sql"), "rows.sql")
        .await
        .unwrap();
    let b = ScratchDb::create(&base).await;
    let mut db = b.driver().await;
    run_sql(&mut db, &read("to.sql"), "to.sql").await.unwrap();
    let from = da.inspect().await.unwrap();
    let to = db.inspect().await.unwrap();
    let plan = strata_diff::plan(&from, &to, da.dialect()).unwrap();
    let mut conn = a.conn().await;
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
