//! `strata lint` through the CLI, and the lint gate of `strata apply`.

mod common;

use common::{run, strata, Project, TestDb};

#[test]
fn lint_files_exit_codes_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.sql");
    std::fs::write(
        &file,
        "DROP TABLE invoices;\nCREATE INDEX i ON orders (x);\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let (code, out, err) = run(strata()
        .current_dir(dir.path())
        .args(["lint", f, "--engine", "postgres"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("error[DL001]") && out.contains("error[PG001]"),
        "{out}"
    );
    let (code, out, _) = run(strata()
        .current_dir(dir.path())
        .args(["lint", f, "--engine", "postgres", "--format", "sarif"]));
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let (_, out, _) = run(strata()
        .current_dir(dir.path())
        .args(["lint", f, "--engine", "postgres", "--format", "github"]));
    assert!(
        out.contains("::error file=") && out.contains("title=DL001"),
        "{out}"
    );
    let (_, out, _) = run(strata()
        .current_dir(dir.path())
        .args(["lint", f, "--engine", "postgres", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json["findings"].as_array().unwrap().len() >= 2);
    // Clean file: exit 0.
    std::fs::write(
        &file,
        "-- strata:lock-timeout 2s\nCREATE TABLE t (id bigint PRIMARY KEY);\n",
    )
    .unwrap();
    let (code, out, err) = run(strata()
        .current_dir(dir.path())
        .args(["lint", f, "--engine", "postgres"]));
    assert_eq!(code, 0, "{out}{err}");
    // Outside a project the engine must be named.
    let (code, _, err) = run(strata().current_dir(dir.path()).args(["lint", f]));
    assert_eq!(code, 2);
    assert!(err.contains("--engine"), "{err}");
    // A file that cannot be read is a tool failure.
    let (code, _, err) =
        run(strata()
            .current_dir(dir.path())
            .args(["lint", "missing.sql", "--engine", "sqlite"]));
    assert_eq!(code, 2, "{err}");
}

fn apply_refuses_data_loss(db: TestDb) {
    let p = Project::new(&db);
    p.add(20260101000000, "t", "CREATE TABLE keep_me (id integer PRIMARY KEY);\nCREATE TABLE old_logs (id integer PRIMARY KEY);\n", None);
    p.strata(&["apply"]).assert().success();
    p.add(20260102000000, "drop", "DROP TABLE old_logs;\n", None);
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("DL001") && err.contains("--allow-destructive"),
        "{err}"
    );
    assert!(db.table_exists("old_logs"), "nothing ran");
    // A reasoned suppression accepts it on purpose.
    p.add(
        20260102000000,
        "drop",
        "-- strata:allow DL001 archived on 2026-11-01\nDROP TABLE old_logs;\n",
        None,
    );
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!db.table_exists("old_logs"));
    // Or the flag.
    p.add(20260103000000, "drop2", "DROP TABLE keep_me;\n", None);
    let (code, out, err) = run(&mut p.strata(&["apply", "--allow-destructive"]));
    assert_eq!(code, 0, "{out}{err}");
}

fn write_schema(p: &Project, sql: &str) {
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::write(p.path().join("schema").join("schema.sql"), sql).unwrap();
}

fn up_file(p: &Project, name: &str) -> String {
    let entry = std::fs::read_dir(p.migrations())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .ends_with(&format!("_{name}.up.sql"))
        })
        .unwrap();
    std::fs::read_to_string(entry).unwrap()
}

/// A widening type change (`varchar(100)` → `varchar(200)`, `numeric(10,2)` → `numeric(12,2)`)
/// keeps every value: the planned SQL, the plan summary, the changelog and lint agree on that,
/// and lint knows the old type (from the migrations before, or the database). A narrowing
/// one is destructive everywhere, and lint names the old type.
fn widening_is_safe_everywhere(db: TestDb) {
    let p = Project::new(&db);
    let schema = "CREATE TABLE items (\n    id integer NOT NULL PRIMARY KEY,\n    name varchar(100) NOT NULL,\n    price numeric(10,2)\n);\nCREATE TABLE orders (\n    id integer NOT NULL PRIMARY KEY,\n    item_id integer NOT NULL,\n    CONSTRAINT orders_item_fk FOREIGN KEY (item_id) REFERENCES items (id)\n);\n";
    write_schema(&p, schema);
    let (code, out, err) = run(&mut p.strata(&["plan", "initial"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    db.exec("INSERT INTO items (id, name, price) VALUES (1, 'a long enough name', 12345678.91)");
    db.exec("INSERT INTO orders (id, item_id) VALUES (1, 1)");

    write_schema(
        &p,
        &schema
            .replace("varchar(100)", "varchar(200)")
            .replace("numeric(10,2)", "numeric(12,2)"),
    );
    let (code, out, err) = run(&mut p.strata(&["plan", "widen"]));
    assert_eq!(code, 0, "{out}{err}");
    let up = up_file(&p, "widen");
    assert!(!up.contains("DESTRUCTIVE"), "{up}");
    assert!(!out.contains("destructive"), "plan summary:\n{out}");
    assert!(!out.contains("**Destructive**"), "changelog:\n{out}");
    assert!(
        !out.contains("unknown"),
        "plan's lint knows the old type:\n{out}"
    );
    let (code, out, err) = run(&mut p.strata(&["lint"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("unknown"), "lint with the database:\n{out}");
    let (code, out, err) = run(&mut p.strata(&["lint", "--offline"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("unknown"), "lint from the migrations:\n{out}");
    let (code, md, err) = run(&mut p.strata(&["changelog"]));
    assert_eq!(code, 0, "{md}{err}");
    assert!(!md.contains("Destructive"), "{md}");

    // A second pending migration that narrows: lint knows the type the first one gave.
    write_schema(&p, &schema.replace("varchar(100)", "varchar(20)"));
    let (code, out, err) = run(&mut p.strata(&["plan", "narrow"]));
    assert_eq!(code, 0, "{out}{err}");
    let up = up_file(&p, "narrow");
    if db.engine == strata_schema::Engine::Sqlite {
        // SQLite does not enforce lengths: the rebuild keeps every value.
        assert!(!up.contains("DESTRUCTIVE"), "{up}");
    } else {
        assert!(up.contains("DESTRUCTIVE"), "{up}");
        assert!(out.contains("narrows from"), "plan's lint:\n{out}");
        let (code, out, err) = run(&mut p.strata(&["lint"]));
        assert_eq!(code, 1, "{out}{err}");
        assert!(
            out.contains("(200) to varchar(20)")
                || out.contains("varying(200) to character varying(20)"),
            "the type the first pending migration gives, not the database's:\n{out}"
        );
        assert!(out.contains("narrows from"), "{out}");
    }
    std::fs::remove_file(
        p.migrations().join(
            std::fs::read_dir(p.migrations())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .find(|f| f.ends_with("_narrow.up.sql"))
                .unwrap(),
        ),
    )
    .unwrap();
    std::fs::remove_file(
        p.migrations().join(
            std::fs::read_dir(p.migrations())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .find(|f| f.ends_with("_narrow.down.sql"))
                .unwrap(),
        ),
    )
    .unwrap();
    p.rehash();

    // The widening applies and rolls back with the rows.
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    db.exec("INSERT INTO items (id, name, price) VALUES (2, 'x', 1234567890.12)");
    assert_eq!(db.scalar("SELECT COUNT(*) FROM items"), 2);
    db.exec("DELETE FROM items WHERE id = 2");
    let (code, out, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM items WHERE name = 'a long enough name'"),
        1
    );
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM orders WHERE item_id = 1"),
        1
    );
}

on_all_engines!(apply_refuses_data_loss, widening_is_safe_everywhere);
