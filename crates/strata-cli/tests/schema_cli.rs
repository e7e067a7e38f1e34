//! Declarative schemas through the CLI on every engine: plan, apply, plan again (nothing),
//! drift, init --from-db, identifiers that need quoting, and schema files the engine refuses.

mod common;

use common::{run, Project, TestDb};
use std::process::Command;
use strata_schema::Engine;

fn q(engine: Engine, name: &str) -> String {
    strata_schema::quote::ident(engine, name)
}

fn write_schema(p: &Project, sql: &str) {
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::write(p.path().join("schema").join("schema.sql"), sql).unwrap();
}

fn migration_count(p: &Project) -> usize {
    std::fs::read_dir(p.migrations())
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

fn plan_apply_drift(db: TestDb) {
    let p = Project::new(&db);
    write_schema(
        &p,
        "CREATE TABLE users (\n    id integer PRIMARY KEY,\n    name varchar(100) NOT NULL\n);\nCREATE TABLE posts (\n    id integer PRIMARY KEY,\n    user_id integer NOT NULL REFERENCES users (id),\n    title varchar(200)\n);\nCREATE INDEX posts_user_id ON posts (user_id);\n",
    );
    if db.engine == Engine::Mysql {
        // MySQL ignores inline REFERENCES: declare the key at table level.
        write_schema(
            &p,
            "CREATE TABLE users (\n    id integer PRIMARY KEY,\n    name varchar(100) NOT NULL\n);\nCREATE TABLE posts (\n    id integer PRIMARY KEY,\n    user_id integer NOT NULL,\n    title varchar(200),\n    CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id)\n);\nCREATE INDEX posts_user_id ON posts (user_id);\n",
        );
    }
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("create table users"), "{out}");
    assert_eq!(migration_count(&p), 1);
    p.strata(&["apply"]).assert().success();
    db.exec("INSERT INTO users (id, name) VALUES (1, 'ann')");
    // Nothing changed: nothing written.
    let (code, out, err) = run(&mut p.strata(&["plan", "again"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}");
    assert_eq!(migration_count(&p), 1);
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");
    // A change of the schema: a new column and a wider type.
    let schema = std::fs::read_to_string(p.path().join("schema/schema.sql")).unwrap();
    write_schema(
        &p,
        &schema.replace(
            "    name varchar(100) NOT NULL\n",
            "    name varchar(200) NOT NULL,\n    email varchar(255)\n",
        ),
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "widen_name"]));
    assert_eq!(code, 0, "{out}{err}");
    let expected = match db.engine {
        // SQLite cannot alter a column type in place: the table is rebuilt with its rows.
        Engine::Sqlite => "rebuild table users",
        _ => "add column users.email",
    };
    assert!(out.contains(expected), "{out}");
    p.strata(&["apply"]).assert().success();
    assert_eq!(db.scalar("SELECT COUNT(*) FROM users"), 1, "rows kept");
    p.strata(&["rollback"]).assert().success();
    assert_eq!(db.scalar("SELECT COUNT(*) FROM users"), 1, "rows kept");
    p.strata(&["apply"]).assert().success();
    // A column added by hand is drift.
    db.exec("ALTER TABLE users ADD COLUMN added_by_hand integer");
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("added_by_hand"), "{out}");
    // diff between the migrations and the live database shows the same column.
    let (code, out, err) = run(&mut p.strata(&["diff", "--from", "migrations", "--to", &db.url]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("added_by_hand"), "{out}");
    let (code, out, _) = run(&mut p.strata(&["inspect"]));
    assert_eq!(code, 0);
    assert!(out.contains("added_by_hand"), "{out}");
}

fn identifiers_survive(db: TestDb) {
    let e = db.engine;
    let p = Project::new(&db);
    let (order, mixed, odd, uni) = (
        q(e, "order"),
        q(e, "MixedCase"),
        q(e, "we\"ird `x`"),
        q(e, "naïve_ü"),
    );
    write_schema(
        &p,
        &format!(
            "CREATE TABLE {order} (\n    id integer PRIMARY KEY,\n    {mixed} varchar(10),\n    {odd} varchar(10),\n    {uni} integer\n);\nCREATE INDEX {} ON {order} ({mixed});\n",
            q(e, "Idx Order")
        ),
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "odd_names"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    db.exec(&format!(
        "INSERT INTO {order} (id, {mixed}, {odd}, {uni}) VALUES (1, 'a', 'b', 2)"
    ));
    let (code, out, err) = run(&mut p.strata(&["plan", "nothing"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}");
    let (code, out, _) = run(&mut p.strata(&["inspect"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("naïve_ü") && out.contains("MixedCase"),
        "{out}"
    );
    p.strata(&["rollback"]).assert().success();
}

fn init_from_db_then_plan_is_empty(db: TestDb) {
    let e = db.engine;
    db.exec(&format!(
        "CREATE TABLE accounts (id integer PRIMARY KEY, {} varchar(50) NOT NULL DEFAULT 'x')",
        q(e, "Label")
    ));
    db.exec("CREATE TABLE entries (id integer PRIMARY KEY, account_id integer NOT NULL, amount integer CHECK (amount <> 0), CONSTRAINT entries_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE)");
    db.exec("CREATE INDEX entries_account ON entries (account_id, amount)");
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::strata();
    cmd.current_dir(dir.path())
        .args(["init", "--from-db", &db.url]);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("baselined 2 table(s)"), "{out}");
    let mut cmd = common::strata();
    cmd.current_dir(dir.path()).arg("status");
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 applied"), "{out}");
    let mut cmd = common::strata();
    cmd.current_dir(dir.path()).args(["plan", "nothing"]);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}{err}");
    let mut cmd = common::strata();
    cmd.current_dir(dir.path()).arg("drift");
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
}

/// Schema files the engine refuses: one clear message with file and line, exit 2, and the
/// scratch database is gone afterwards.
fn broken_schema_files(db: TestDb) {
    let p = Project::new(&db);
    let cases = [
        ("CREATE TABLE a (id integer PRIMARY KEY);\n\nCREATE TABLEE b (id integer);\n", 3),
        ("CREATE TABLE a (id integer PRIMARY KEY);\nCREATE VIEW v AS SELECT * FROM missing_table;\n", 2),
        ("CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE a (id integer PRIMARY KEY);\n", 2),
    ];
    let mut pids = Vec::new();
    for (sql, line) in cases {
        write_schema(&p, sql);
        let child = Command::new(assert_cmd::cargo::cargo_bin("strata"))
            .current_dir(p.path())
            .args(["plan", "broken"])
            .env_remove("DATABASE_URL")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        pids.push(child.id());
        let child = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&child.stderr);
        assert_eq!(child.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("schema.sql:{line}:")),
            "expected line {line}: {err}"
        );
        assert_eq!(migration_count(&p), 0);
    }
    // No scratch database of these runs is left (names carry the process id; other tests run
    // in parallel with their own).
    for pid in pids {
        let pattern = format!("strata\\_dev\\_{pid}\\_%");
        let leftovers = match db.engine {
            Engine::Postgres => db.scalar(&format!(
                "SELECT COUNT(*) FROM pg_database WHERE datname LIKE '{pattern}'"
            )),
            Engine::Mysql => db.scalar(&format!(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '{pattern}'"
            )),
            Engine::Sqlite => 0,
        };
        assert_eq!(
            leftovers, 0,
            "scratch databases of process {pid} left behind"
        );
    }
}

/// A dropped column and an added one of a compatible type (`users.name` → `full_name`) is a
/// likely rename: without a terminal `strata plan` refuses (exit 1, nothing written) and prints
/// the exact hint and where it goes; with the hint the values survive apply and rollback;
/// `--allow-destructive` plans the drop + add on purpose.
fn likely_rename_is_never_planned_as_drop_and_add(db: TestDb) {
    let p = Project::new(&db);
    let schema = "CREATE TABLE users (\n    id integer NOT NULL PRIMARY KEY,\n    name varchar(100) NOT NULL\n);\nCREATE TABLE posts (\n    id integer NOT NULL PRIMARY KEY,\n    user_id integer NOT NULL,\n    CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id)\n);\n";
    write_schema(&p, schema);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    p.strata(&["apply"]).assert().success();
    db.exec("INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob')");
    db.exec("INSERT INTO posts (id, user_id) VALUES (1, 1), (2, 2)");

    let renamed = schema.replace(
        "    name varchar(100) NOT NULL\n",
        "    full_name varchar(200) NOT NULL\n",
    );
    write_schema(&p, &renamed);
    for args in [&["plan", "rename"][..], &["plan", "rename", "--dry-run"]] {
        let (code, out, err) = run(&mut p.strata(args));
        assert_eq!(code, 1, "{args:?}\n{out}{err}");
        assert!(
            err.contains("users.name would be dropped and users.full_name added"),
            "{err}"
        );
        assert!(err.contains("did you mean a rename?"), "{err}");
        assert!(
            err.contains("schema.sql:3) with `-- strata:renamed-from name`"),
            "the exact hint and its line:\n{err}"
        );
        assert!(err.contains("--allow-destructive"), "{err}");
        assert_eq!(migration_count(&p), 1, "nothing written");
    }
    let (code, out, err) = run(&mut p.strata(&["plan", "rename", "--json"]));
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["candidates"][0]["from"], "name", "{v}");
    assert_eq!(
        v["candidates"][0]["hint"], "-- strata:renamed-from name",
        "{v}"
    );

    // On purpose: drop + add, flagged destructive (printed, not written).
    let (code, out, err) =
        run(&mut p.strata(&["plan", "rename", "--dry-run", "--allow-destructive"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("DESTRUCTIVE"), "{out}");

    // The hint, as the message said: a rename that keeps the values.
    write_schema(
        &p,
        &renamed.replace(
            "full_name varchar(200) NOT NULL\n",
            "full_name varchar(200) NOT NULL -- strata:renamed-from name\n",
        ),
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "rename"]));
    assert_eq!(code, 0, "{out}{err}");
    let expected = match db.engine {
        // A rename with a type change: SQLite rebuilds, copying name into full_name.
        Engine::Sqlite => "rebuild table users",
        _ => "rename column users.name to full_name",
    };
    assert!(out.contains(expected), "{out}");
    assert!(!out.contains("destructive"), "{out}");
    // Renaming is an error-level lint finding (running queries still use `name`).
    p.strata(&["apply", "--allow-destructive"])
        .assert()
        .success();
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM users WHERE full_name IN ('ann', 'bob')"),
        2
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM posts"), 2);
    p.strata(&["rollback"]).assert().success();
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM users WHERE name IN ('ann', 'bob')"),
        2
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM posts"), 2);
}

on_all_engines!(
    string_literal_is_not_a_dependency,
    plan_apply_drift,
    identifiers_survive,
    init_from_db_then_plan_is_empty,
    broken_schema_files,
    likely_rename_is_never_planned_as_drop_and_add
);

/// A `mysqldump --no-data --routines --triggers` file (DELIMITER blocks, `/*!...*/` conditional
/// comments) works as a schema file.
#[test]
fn mysqldump_file_as_schema() {
    let Some(db) = TestDb::new(Engine::Mysql) else {
        return;
    };
    let p = Project::new(&db);
    let dump =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mysqldump/schema.sql");
    write_schema(&p, &std::fs::read_to_string(dump).unwrap());
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    for what in [
        "create table a",
        "create routine p",
        "create trigger a_bi",
        "create view v",
    ] {
        assert!(out.contains(what), "{what}: {out}");
    }
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["plan", "nothing"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}");
    db.exec("INSERT INTO a (name) VALUES ('')");
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM a WHERE name = 'y'"),
        1,
        "the trigger runs"
    );
}

/// pg_dump's `SET`, `set_config` and `OWNER TO` lines work in schema files.
#[test]
fn pg_dump_noise_in_schema_files() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let p = Project::new(&db);
    write_schema(
        &p,
        "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSELECT pg_catalog.set_config('search_path', '', false);\nSET default_tablespace = '';\n\nCREATE TABLE public.films (\n    id integer NOT NULL,\n    title text NOT NULL\n);\n\nALTER TABLE public.films OWNER TO postgres;\n\nALTER TABLE ONLY public.films\n    ADD CONSTRAINT films_pkey PRIMARY KEY (id);\n",
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    p.strata(&["apply"]).assert().success();
    let (code, out, err) = run(&mut p.strata(&["plan", "nothing"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}");
}

/// Ctrl-C while the dev database replays the schema drops the scratch database.
#[test]
fn interrupted_plan_drops_its_scratch_database() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let p = Project::new(&db);
    write_schema(
        &p,
        "CREATE TABLE a (id integer PRIMARY KEY);\nSELECT pg_sleep(20);\n",
    );
    let child = Command::new(assert_cmd::cargo::cargo_bin("strata"))
        .current_dir(p.path())
        .args(["plan", "interrupted"])
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let scratch =
        format!("SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'strata\\_dev\\_{pid}\\_%'");
    // Wait until its scratch databases exist, then interrupt.
    let started = std::time::Instant::now();
    while db.scalar(&scratch) == 0 {
        assert!(
            started.elapsed().as_secs() < 15,
            "no scratch database appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // 128 + SIGINT, the shell's convention.
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert_eq!(
        db.scalar(&scratch),
        0,
        "the scratch database was left behind"
    );
    assert_eq!(migration_count(&p), 0);
}

/// The `mariadb` client's connection arguments for a `mysql://user:pass@host:port/db` URL.
fn mariadb_client_args(url: &str) -> Vec<String> {
    let rest = url.split_once("://").unwrap().1;
    let rest = rest.split('?').next().unwrap();
    let (auth, rest) = rest.rsplit_once('@').unwrap_or(("root", rest));
    let (host_port, database) = rest.split_once('/').unwrap();
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "3306"));
    let mut args = vec![
        "--no-defaults".to_string(),
        format!("--host={host}"),
        format!("--port={port}"),
        format!("--user={user}"),
    ];
    if !password.is_empty() {
        args.push(format!("--password={password}"));
    }
    args.push(database.to_string());
    args
}

/// What MariaDB records about the session that created each view, routine and trigger.
fn creation_sessions(db: &TestDb) -> Vec<String> {
    let schema = db.name();
    db.mysql_rows(&format!(
        "SELECT CONCAT('view ', TABLE_NAME), CAST(CHARACTER_SET_CLIENT AS CHAR), CAST(COLLATION_CONNECTION AS CHAR), '', ''
           FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '{schema}'
         UNION ALL
         SELECT CONCAT('routine ', ROUTINE_NAME), CAST(CHARACTER_SET_CLIENT AS CHAR), CAST(COLLATION_CONNECTION AS CHAR),
                CAST(DATABASE_COLLATION AS CHAR), CAST(SQL_MODE AS CHAR)
           FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '{schema}'
         UNION ALL
         SELECT CONCAT('trigger ', TRIGGER_NAME), CAST(CHARACTER_SET_CLIENT AS CHAR), CAST(COLLATION_CONNECTION AS CHAR),
                CAST(DATABASE_COLLATION AS CHAR), CAST(SQL_MODE AS CHAR)
           FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '{schema}'
         ORDER BY 1"
    ))
}

/// A view, function and trigger created by `strata apply` record the same session character set,
/// collation and sql_mode as when the same file is loaded by the `mariadb` client (configured,
/// like Debian's stock client config, for the database's character set; left to itself the
/// client derives the character set from the terminal's locale).
#[test]
fn mysql_objects_record_the_same_session_as_the_mariadb_client() {
    let Some(db) = TestDb::new(Engine::Mysql) else {
        return;
    };
    let Some(by_client) = TestDb::new(Engine::Mysql) else {
        return;
    };
    let schema = "CREATE TABLE items (\n    id int PRIMARY KEY,\n    name varchar(50) NOT NULL,\n    label varchar(60) NULL\n);\n\
CREATE VIEW item_labels AS SELECT id, CONCAT(name, ' é') AS label FROM items WHERE name <> 'hidden';\n\
DELIMITER ;;\n\
CREATE FUNCTION shout(s varchar(50)) RETURNS varchar(60) DETERMINISTIC\nBEGIN\n    RETURN CONCAT(UPPER(s), '!');\nEND;;\n\
DELIMITER ;\n\
CREATE TRIGGER items_label BEFORE INSERT ON items FOR EACH ROW SET NEW.label = shout(NEW.name);\n";
    let p = Project::new(&db);
    write_schema(&p, schema);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");

    let charset = by_client
        .mysql_rows("SELECT CAST(@@character_set_database AS CHAR)")
        .remove(0);
    let mut client = Command::new("mariadb");
    client
        .args(mariadb_client_args(&by_client.url))
        .arg(format!("--default-character-set={charset}"))
        .stdin(std::fs::File::open(p.path().join("schema/schema.sql")).unwrap());
    let out = client.output().expect("the mariadb client runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let by_strata = creation_sessions(&db);
    assert_eq!(by_strata.len(), 3, "{by_strata:?}");
    assert_eq!(by_strata, creation_sessions(&by_client));

    // The objects work, and plan sees nothing to do.
    for d in [&db, &by_client] {
        d.exec("INSERT INTO items (id, name) VALUES (1, 'ann'), (2, 'hidden')");
        assert_eq!(
            d.mysql_rows("SELECT CONCAT(label, ' ', (SELECT COUNT(*) FROM item_labels)) FROM items WHERE id = 1"),
            vec!["ANN! 1".to_string()]
        );
    }
    let (code, out, err) = run(&mut p.strata(&["plan", "nothing"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}");
}

/// The columns of `table` in the order the server keeps them.
fn column_order(db: &TestDb, table: &str) -> String {
    db.mysql_rows(&format!(
        "SELECT CAST(GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) AS CHAR) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'"
    ))
    .remove(0)
}

/// Every row of both tables of the column-order tests, in one order.
fn order_rows(db: &TestDb) -> Vec<String> {
    let mut rows = db
        .mysql_rows("SELECT CONCAT_WS(',', id, kind, IFNULL(note, 'NULL')) FROM items ORDER BY id");
    rows.extend(
        db.mysql_rows("SELECT CONCAT_WS(',', id, item_id, label) FROM item_notes ORDER BY id"),
    );
    rows
}

const ORDER_SCHEMA: &str = "CREATE TABLE items (\n    id int PRIMARY KEY,\n    kind varchar(20) NOT NULL,\n    note varchar(100) NULL\n);\nCREATE TABLE item_notes (\n    id int PRIMARY KEY,\n    item_id int NOT NULL,\n    label varchar(20) NOT NULL,\n    CONSTRAINT item_notes_item FOREIGN KEY (item_id) REFERENCES items (id)\n);\n";

/// Applies ORDER_SCHEMA with rows, then moves `note` before `kind` in the schema file.
fn order_project(db: &TestDb, config: &str) -> Project {
    let p = Project::with_config(db, config);
    write_schema(&p, ORDER_SCHEMA);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    p.strata(&["apply"]).assert().success();
    db.exec("INSERT INTO items (id, kind, note) VALUES (1, 'book', 'signed'), (2, 'pen', NULL)");
    db.exec("INSERT INTO item_notes (id, item_id, label) VALUES (10, 1, 'gift'), (11, 2, 'blue'), (12, 2, 'spare')");
    write_schema(
        &p,
        &ORDER_SCHEMA.replace(
            "    kind varchar(20) NOT NULL,\n    note varchar(100) NULL\n",
            "    note varchar(100) NULL,\n    kind varchar(20) NOT NULL\n",
        ),
    );
    p
}

/// Moving a column in the schema file is planned as `MODIFY ... AFTER` with the lint's cost
/// (by default), applied and rolled back with every row of every table kept.
#[test]
fn mysql_column_move_is_planned() {
    let Some(db) = TestDb::new(Engine::Mysql) else {
        return;
    };
    let p = order_project(&db, "");
    let rows = order_rows(&db);
    assert_eq!(rows.len(), 5);
    let (code, out, err) = run(&mut p.strata(&["plan", "move_note"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("alter column items.note (move after id)"),
        "{out}"
    );
    assert!(
        out.contains("MY001") && out.contains("MariaDB 10.4+ reorders them instantly"),
        "{out}"
    );
    let up = std::fs::read_dir(p.migrations())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.to_string_lossy().ends_with("_move_note.up.sql"))
        .unwrap();
    let up = std::fs::read_to_string(up).unwrap();
    assert!(
        up.contains("ALTER TABLE items MODIFY COLUMN note varchar(100) AFTER id;"),
        "{up}"
    );

    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(column_order(&db, "items"), "id,note,kind");
    assert_eq!(order_rows(&db), rows, "rows after apply");
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no drift"), "{out}");
    let (code, out, err) = run(&mut p.strata(&["plan", "again"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}");

    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(column_order(&db, "items"), "id,kind,note");
    assert_eq!(order_rows(&db), rows, "rows after rollback");
}

/// With `column_order = "ignore"` nothing is planned for a moved column, and plan and drift say
/// that the order differs instead of claiming there is no change.
#[test]
fn mysql_column_move_is_reported_when_ignored() {
    let Some(db) = TestDb::new(Engine::Mysql) else {
        return;
    };
    let p = order_project(&db, "column_order = \"ignore\"");
    let (code, out, err) = run(&mut p.strata(&["plan", "move_note"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("no changes"), "{out}");
    assert!(
        out.contains("ignored: the columns of items are in another order (id, kind, note) than desired (id, note, kind); not migrated because column_order = \"ignore\""),
        "{out}"
    );
    assert_eq!(migration_count(&p), 1, "nothing written");
    // The live table moved by hand: drift reports the order, not "no drift".
    db.exec("ALTER TABLE items MODIFY COLUMN note varchar(100) AFTER id");
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("no drift:"), "{out}");
    assert!(out.contains("ignored: the columns of items are in another order (id, kind, note) than desired (id, note, kind)"), "{out}");
    let (code, out, err) = run(&mut p.strata(&["plan", "move_note", "--json"]));
    assert_eq!(code, 0, "{out}{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["ignored"].as_array().map(Vec::len), Some(1), "{out}");
    assert_eq!(order_rows(&db).len(), 5);
}

/// `int` → `bigint` on an AUTO_INCREMENT column that a foreign key references, planned and
/// applied through the CLI after the highest id was deleted: the next insert gets a new id,
/// after apply and after rollback, and every row of both tables is kept.
#[test]
fn mysql_widening_an_auto_increment_key_keeps_its_sequence() {
    let Some(db) = TestDb::new(Engine::Mysql) else {
        return;
    };
    let schema = "CREATE TABLE orders (\n    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n    label varchar(20) NOT NULL\n);\nCREATE TABLE order_lines (\n    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n    order_id int NOT NULL,\n    CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id)\n);\n";
    let p = Project::new(&db);
    write_schema(&p, schema);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    p.strata(&["apply"]).assert().success();
    db.exec("INSERT INTO orders (label) VALUES ('a'), ('b'), ('c')");
    db.exec("DELETE FROM orders WHERE id = 3");
    db.exec("INSERT INTO order_lines (order_id) VALUES (1), (2)");
    let rows = || {
        db.mysql_rows(
            "SELECT CONCAT('order ', id, ' ', label) FROM orders UNION ALL SELECT CONCAT('line ', id, ' ', order_id) FROM order_lines ORDER BY 1",
        )
    };
    let before = rows();

    write_schema(
        &p,
        &schema
            .replace(
                "    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n    label",
                "    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n    label",
            )
            .replace("order_id int NOT NULL", "order_id bigint NOT NULL"),
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "widen_ids"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("drop foreign key order_lines"), "{out}");
    // A widening keeps every value: apply needs no --allow-destructive.
    assert!(!out.contains("DESTRUCTIVE"), "{out}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(rows(), before, "rows after apply");
    assert_eq!(
        db.mysql_rows("SELECT CAST(DATA_TYPE AS CHAR) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'id'"),
        ["bigint"]
    );
    db.exec("INSERT INTO orders (label) VALUES ('d')");
    assert_eq!(
        db.scalar("SELECT CAST(MAX(id) AS SIGNED) FROM orders"),
        4,
        "id 3 was issued before"
    );
    db.exec("DELETE FROM orders WHERE id = 4");

    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(rows(), before, "rows after rollback");
    db.exec("INSERT INTO orders (label) VALUES ('e')");
    assert_eq!(
        db.scalar("SELECT CAST(MAX(id) AS SIGNED) FROM orders"),
        5,
        "ids 3 and 4 were issued before"
    );
}

/// A view that only names a changed table inside a string literal does not depend on it: the
/// plan leaves it alone instead of dropping and recreating it.
fn string_literal_is_not_a_dependency(db: TestDb) {
    let p = Project::new(&db);
    let other = "CREATE TABLE other (id integer);\nCREATE VIEW labels AS SELECT 'orders' AS label, id FROM other;\n";
    std::fs::write(
        p.path().join("from.sql"),
        format!("CREATE TABLE orders (id integer);\n{other}"),
    )
    .unwrap();
    std::fs::write(
        p.path().join("to.sql"),
        format!("CREATE TABLE orders (id integer, note varchar(20));\n{other}"),
    )
    .unwrap();
    let (code, out, err) = run(&mut p.strata(&["diff", "--from", "from.sql", "--to", "to.sql"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.to_lowercase().contains("note"), "{out}");
    assert!(!out.contains("labels"), "the view was recreated: {out}");
}
