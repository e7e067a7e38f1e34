//! PostgreSQL-only behaviour through the CLI on a real server with rows in the tables: NOT VALID
//! constraints, enum values added in place, and identity/serial sequence positions. What the
//! server did is read from its catalog (`pg_constraint`, `pg_class.relfilenode`, sequences) and
//! from `pg_dump -s`, never from strata's own bookkeeping.

mod common;

use common::{run, Project, TestDb};
use strata_schema::Engine;

fn write_schema(p: &Project, sql: &str) {
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::write(p.path().join("schema").join("schema.sql"), sql).unwrap();
}

/// The text of the newest migration file ending in `suffix` (`.up.sql`, `.down.sql`).
fn newest(p: &Project, suffix: &str) -> String {
    let mut files: Vec<_> = std::fs::read_dir(p.migrations())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    std::fs::read_to_string(files.last().expect("a migration")).unwrap()
}

/// `pg_dump -s` of a database, without the lines that differ between two dumps of the same
/// schema (the random `\restrict` key of recent pg_dump releases).
fn pg_dump_schema(url: &str) -> String {
    let out = std::process::Command::new("pg_dump")
        .args(["-s", "--no-owner", "--no-privileges", "-d", url])
        .output()
        .expect("pg_dump is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `convalidated` of a constraint, as 1 (valid) or 0.
fn validated(db: &TestDb, constraint: &str) -> i64 {
    db.scalar(&format!(
        "SELECT convalidated::int::int8 FROM pg_constraint WHERE conname = '{constraint}'"
    ))
}

/// A checksum of the rows of the constraint tests' tables.
fn ledger_rows(db: &TestDb) -> i64 {
    db.scalar(
        "SELECT (SELECT sum(id * 1000 + customer_id * 10 + total) FROM orders) + (SELECT sum(id * 7 + order_id) FROM order_lines) + (SELECT sum(id) FROM customers)",
    )
}

const NOT_VALID_DB: &str = "CREATE TABLE customers (id integer PRIMARY KEY);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, total integer NOT NULL,
    CONSTRAINT orders_total_small CHECK (total < 1000000));
CREATE TABLE order_lines (id integer PRIMARY KEY, order_id integer NOT NULL REFERENCES orders (id));
INSERT INTO customers VALUES (1), (2);
-- Order 2 belongs to no customer and has a negative total: the NOT VALID constraints below were
-- added over it, which is exactly why they are NOT VALID.
INSERT INTO orders VALUES (1, 1, 10), (2, 99, -5), (3, 2, 7);
INSERT INTO order_lines VALUES (1, 1), (2, 2), (3, 3);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
";

#[test]
fn not_valid_constraints_baseline_plan_nothing_and_rebuild_as_not_valid() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    db.exec(NOT_VALID_DB);
    let rows = ledger_rows(&db);
    let dir = tempfile::tempdir().unwrap();
    let strata = |args: &[&str]| {
        let mut c = common::strata();
        c.current_dir(dir.path()).args(args);
        run(&mut c)
    };
    let (code, out, err) = strata(&["init", "--from-db", &db.url]);
    assert_eq!(code, 0, "{out}{err}");
    let schema = std::fs::read_to_string(dir.path().join("schema/schema.sql")).unwrap();
    for expected in [
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
        "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;",
    ] {
        assert!(schema.contains(expected), "{expected}\n--- schema\n{schema}");
    }
    // The valid check stays inside CREATE TABLE.
    assert!(
        schema.contains("CONSTRAINT orders_total_small CHECK (total < 1000000)\n"),
        "{schema}"
    );
    let (code, out, err) = strata(&["plan", "nothing"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}{err}");
    let (code, out, err) = strata(&["drift"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(ledger_rows(&db), rows);

    // From nothing, the schema file makes the same database: pg_dump -s says so, NOT VALID included.
    let fresh = TestDb::new(Engine::Postgres).unwrap();
    let p = Project::new(&fresh);
    write_schema(&p, &schema);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(validated(&fresh, "orders_customer_fk"), 0);
    assert_eq!(validated(&fresh, "orders_total_positive"), 0);
    assert_eq!(validated(&fresh, "orders_total_small"), 1);
    let (a, b) = (pg_dump_schema(&db.url), pg_dump_schema(&fresh.url));
    assert_eq!(a, b, "pg_dump -s of the baselined and the rebuilt database");
    assert!(a.contains("NOT VALID"), "{a}");
}

#[test]
fn validating_a_not_valid_constraint_plans_validate_and_rolls_back_to_not_valid() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let p = Project::new(&db);
    let with_not_valid = NOT_VALID_DB
        .lines()
        .filter(|l| !l.starts_with("INSERT") && !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    write_schema(&p, &with_not_valid);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    // Adding a NOT VALID constraint is the safe form: lint has nothing to say about it.
    let up = newest(&p, ".up.sql");
    assert!(up.contains("CHECK (total >= 0) NOT VALID;"), "{up}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    db.exec("INSERT INTO customers VALUES (1), (2); INSERT INTO orders VALUES (1, 1, 10), (3, 2, 7); INSERT INTO order_lines VALUES (1, 1), (3, 3);");
    let rows = db.scalar("SELECT sum(id * 1000 + customer_id * 10 + total) FROM orders");

    // The rows were cleaned up; the schema now wants both constraints valid.
    write_schema(&p, &with_not_valid.replace(" NOT VALID", ""));
    let (code, out, err) = run(&mut p.strata(&["plan", "validate"]));
    assert_eq!(code, 0, "{out}{err}");
    let (up, down) = (newest(&p, ".up.sql"), newest(&p, ".down.sql"));
    assert!(
        up.contains("ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;")
            && up.contains("ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;"),
        "{up}"
    );
    assert!(
        !up.contains("DROP"),
        "never drop and re-add to validate:\n{up}"
    );
    assert!(
        out.contains("validate foreign key orders_customer_fk on orders"),
        "{out}"
    );
    // Lint (printed by plan) does not flag a VALIDATE in its own migration.
    assert!(!out.contains("PG005") && !out.contains("PG006"), "{out}");
    // The way back is a cheap drop + add NOT VALID.
    assert!(
        down.contains("ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;"),
        "{down}"
    );
    let filenode = "SELECT relfilenode::int8 FROM pg_class WHERE relname = 'orders'";
    let before = db.scalar(filenode);
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(validated(&db, "orders_customer_fk"), 1);
    assert_eq!(validated(&db, "orders_total_positive"), 1);
    assert_eq!(
        db.scalar(filenode),
        before,
        "VALIDATE does not rewrite orders"
    );
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(validated(&db, "orders_customer_fk"), 0);
    assert_eq!(validated(&db, "orders_total_positive"), 0);
    assert_eq!(
        db.scalar("SELECT sum(id * 1000 + customer_id * 10 + total) FROM orders"),
        rows
    );
    assert_eq!(db.scalar("SELECT count(*) FROM order_lines"), 2);
    assert_eq!(
        db.scalar(filenode),
        before,
        "rollback does not rewrite orders"
    );
}

/// Whether a query's single text value is `expected` (the helpers read integers only).
fn text_is(db: &TestDb, sql: &str, expected: &str) -> bool {
    db.scalar(&format!(
        "SELECT (({sql}) = '{}')::int::int8",
        expected.replace('\'', "''")
    )) == 1
}

const MOOD_LABELS: &str =
    "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'mood'::regtype";

fn mood_schema(values: &str) -> String {
    format!(
        "CREATE TYPE mood AS ENUM ({values});
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'sad');
CREATE TABLE notes (id integer PRIMARY KEY, person_id integer NOT NULL REFERENCES people (id), mood mood);
"
    )
}

#[test]
fn enum_values_added_anywhere_are_added_in_place_without_rewriting_tables() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let p = Project::new(&db);
    write_schema(&p, &mood_schema("'sad', 'happy'"));
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    db.exec("INSERT INTO people VALUES (1, 'sad'), (2, 'happy'), (3, DEFAULT); INSERT INTO notes VALUES (1, 1, 'happy'), (2, 2, NULL), (3, 3, 'sad');");
    let rows = "SELECT ((SELECT sum(id * 10 + array_position(enum_range(NULL::mood), mood)) FROM people) * 1000 + (SELECT sum(id * 100 + person_id * 10 + coalesce(array_position(enum_range(NULL::mood), mood), 0)) FROM notes))::int8";
    let filenodes = "SELECT sum(relfilenode::int8)::int8 FROM pg_class WHERE relname IN ('people', 'notes', 'people_pkey', 'notes_pkey')";
    let (rows_before, nodes_before) = (db.scalar(rows), db.scalar(filenodes));
    // Positions of the old values shift (happy: 2 → 4): compare values, not positions, below.
    let labels = "SELECT string_agg(id || ':' || mood, ',' ORDER BY id) FROM people";
    assert!(text_is(&db, labels, "1:sad,2:happy,3:sad"));

    // New values first, in the middle (two in a row) and last.
    write_schema(
        &p,
        &mood_schema("'meh', 'sad', 'ok', 'fine', 'happy', 'ecstatic'"),
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "more_moods"]));
    assert_eq!(code, 0, "{out}{err}");
    let up = newest(&p, ".up.sql");
    let statements: Vec<&str> = up
        .lines()
        .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect();
    assert_eq!(
        statements,
        [
            "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';",
            "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';",
            "ALTER TYPE mood ADD VALUE 'fine' BEFORE 'happy';",
            "ALTER TYPE mood ADD VALUE 'ecstatic';",
        ],
        "{up}"
    );
    assert!(up.contains("no table rewritten"), "{up}");
    let down = newest(&p, ".down.sql");
    assert!(
        down.contains("value(s) 'meh', 'ok', 'fine', 'ecstatic' removed")
            && down.contains("fails while rows use them"),
        "the down file says it fails while rows use the new values:\n{down}"
    );
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(text_is(&db, MOOD_LABELS, "meh,sad,ok,fine,happy,ecstatic"));
    // Every row untouched: the same values, and the same files on disk (no rewrite).
    assert!(text_is(&db, labels, "1:sad,2:happy,3:sad"));
    assert_eq!(db.scalar(filenodes), nodes_before, "no table was rewritten");
    assert_eq!(
        db.scalar("SELECT count(*) FROM people WHERE mood > 'ok' AND mood < 'ecstatic'"),
        1,
        "the new values sort where the schema put them"
    );
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["plan", "again"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no changes"), "{out}");

    // The down replaces the type: it fails while a row uses a new value, and changes nothing.
    db.exec("INSERT INTO people VALUES (4, 'ok')");
    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_ne!(code, 0, "{out}{err}");
    assert!(text_is(&db, MOOD_LABELS, "meh,sad,ok,fine,happy,ecstatic"));
    assert!(text_is(&db, labels, "1:sad,2:happy,3:sad,4:ok"));
    db.exec("DELETE FROM people WHERE id = 4");
    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(text_is(&db, MOOD_LABELS, "sad,happy"));
    assert!(text_is(&db, labels, "1:sad,2:happy,3:sad"));
    assert_eq!(db.scalar(rows), rows_before);
}

const NUMBERED: &str = "CREATE TABLE labelled (label text);
CREATE TABLE accounts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);
CREATE TABLE items (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code serial NOT NULL UNIQUE, label text);
CREATE TABLE notes (id int PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id), ticket_id int REFERENCES tickets (id), item_id int REFERENCES items (id));
";

/// Inserts one row into each numbered table and returns the new ids.
fn next_ids(db: &TestDb) -> [i64; 3] {
    [
        db.scalar("INSERT INTO accounts (name) VALUES ('next') RETURNING id::int8"),
        db.scalar("INSERT INTO tickets (title) VALUES ('next') RETURNING id::int8"),
        db.scalar("INSERT INTO items (label) VALUES ('next') RETURNING id::int8"),
    ]
}

#[test]
fn identity_and_serial_positions_survive_widening_rebuilds_and_rollbacks() {
    let Some(db) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let p = Project::new(&db);
    write_schema(&p, NUMBERED);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    // Five numbers issued per table, the last two deleted: max(id) + 1 would reuse 4.
    db.exec(
        "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 5) g;
         INSERT INTO tickets (title) SELECT 't' || g FROM generate_series(1, 5) g;
         INSERT INTO items (label) SELECT 'i' || g FROM generate_series(1, 5) g;
         DELETE FROM accounts WHERE id > 3; DELETE FROM tickets WHERE id > 3; DELETE FROM items WHERE id > 3;
         INSERT INTO notes VALUES (1, 1, 1, 1), (2, 3, NULL, 3), (3, 2, 3, NULL);",
    );
    let notes = "SELECT sum(id * 1000 + account_id * 100 + coalesce(ticket_id, 0) * 10 + coalesce(item_id, 0))::int8 FROM notes";
    let notes_before = db.scalar(notes);

    // int → bigint on an identity and a serial column (and the columns referencing them), and
    // items gains a parent table, which rebuilds it.
    write_schema(
        &p,
        &NUMBERED
            .replace(
                "id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name",
                "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name",
            )
            .replace("id serial PRIMARY KEY", "id bigserial PRIMARY KEY")
            .replace("account_id int NOT NULL", "account_id bigint NOT NULL")
            .replace("ticket_id int", "ticket_id bigint")
            .replace(
                "UNIQUE, label text);",
                "UNIQUE, label text) INHERITS (labelled);",
            ),
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "widen"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("rebuild table items"), "{out}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        next_ids(&db),
        [6, 6, 6],
        "numbers continue after the last one issued"
    );
    assert_eq!(db.scalar("SELECT max(code)::int8 FROM items"), 6);
    assert_eq!(db.scalar(notes), notes_before);
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");

    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(next_ids(&db), [7, 7, 7], "and after the rollback too");
    assert_eq!(db.scalar(notes), notes_before);
    assert_eq!(db.scalar("SELECT count(*) FROM items"), 5);

    // Widened for real: the serial's sequence is bigint too, so numbers go past 2^31 - 1.
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    db.exec("SELECT setval('accounts_id_seq', 2147483647); SELECT setval('tickets_id_seq', 2147483647);");
    assert_eq!(
        db.scalar("INSERT INTO accounts (name) VALUES ('big') RETURNING id"),
        2147483648
    );
    assert_eq!(
        db.scalar("INSERT INTO tickets (title) VALUES ('big') RETURNING id"),
        2147483648
    );
}
