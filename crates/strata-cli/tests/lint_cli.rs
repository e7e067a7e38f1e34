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

on_all_engines!(apply_refuses_data_loss);
