//! `strata erd` and `strata changelog` through the CLI on every engine, and the changelog entry
//! `strata plan` prints.

mod common;

use common::{run, Project, TestDb};

fn write_schema(p: &Project, sql: &str) {
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::write(p.path().join("schema").join("schema.sql"), sql).unwrap();
}

const SCHEMA: &str = "CREATE TABLE users (
    id integer NOT NULL PRIMARY KEY,
    email varchar(255) NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE TABLE posts (
    id integer NOT NULL PRIMARY KEY,
    user_id integer NOT NULL,
    title varchar(200),
    CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE TABLE audit_log (
    id integer NOT NULL PRIMARY KEY
);
";

fn erd(db: TestDb) {
    let p = Project::new(&db);
    write_schema(&p, SCHEMA);
    // Mermaid from the schema files by default.
    let (code, out, err) = run(&mut p.strata(&["erd"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("erDiagram\n"), "{out}");
    assert!(out.contains("users ||..o{ posts : \"user_id\""), "{out}");
    assert!(out.contains(" email UK"), "{out}");
    // DOT and SVG, with filters.
    let (code, out, err) = run(&mut p.strata(&["erd", "--format", "dot", "--exclude", "audit_*"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("digraph erd {") && out.contains("\"posts\":c1 -> \"users\":c0"),
        "{out}"
    );
    assert!(!out.contains("audit_log"), "{out}");
    let (code, out, err) =
        run(&mut p.strata(&["erd", "--format", "svg", "--tables", "users", "posts"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("<svg ") && out.contains(">posts</text>"),
        "{out}"
    );
    assert!(!out.contains("audit_log"), "{out}");
    let (code, _, err) = run(&mut p.strata(&["erd", "--tables", "nothing*"]));
    assert_eq!(code, 0);
    assert!(err.contains("no table matches"), "{err}");
    // The state of the migrations, then the live database.
    p.strata(&["plan", "init"]).assert().success();
    let (code, out, err) = run(&mut p.strata(&["erd", "--from", "migrations"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("    posts {"), "{out}");
    p.strata(&["apply"]).assert().success();
    let (code, out, err) = run(&mut p.strata(&["erd", "--url", &db.url, "--json"]));
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "mermaid");
    let diagram = v["diagram"].as_str().unwrap();
    assert!(diagram.contains("    users {"), "{diagram}");
    assert!(!diagram.contains("strata_history"), "{diagram}");
    // Bad format: a usage error.
    let (code, _, _) = run(&mut p.strata(&["erd", "--format", "png"]));
    assert_eq!(code, 2);
    // A bad glob: exit 2, naming the pattern and its option.
    let (code, _, err) = run(&mut p.strata(&["erd", "--exclude", "audit_[x"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pattern `audit_[x` in --exclude"), "{err}");
}

fn changelog(db: TestDb) {
    let p = Project::new(&db);
    write_schema(&p, SCHEMA);
    let (code, out, err) = run(&mut p.strata(&["plan", "init"]));
    assert_eq!(code, 0, "{out}{err}");
    // plan prints the changelog entry of what it wrote.
    assert!(
        out.contains("**Added**") && out.contains("- table `posts`"),
        "{out}"
    );
    let schema = SCHEMA
        .replace("    title varchar(200),\n", "    body text,\n")
        .replace(
            "CREATE TABLE audit_log (\n    id integer NOT NULL PRIMARY KEY\n);\n",
            "",
        );
    write_schema(&p, &schema);
    // posts.title → body looks like a rename: this drop + add is on purpose.
    let (code, out, err) = run(&mut p.strata(&["plan", "rework", "--allow-destructive"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("**Dropped**") && out.contains("- column `posts.title`"),
        "{out}"
    );
    assert!(out.contains("**Destructive**"), "{out}");

    let (code, md, err) = run(&mut p.strata(&["changelog"]));
    assert_eq!(code, 0, "{md}{err}");
    assert!(md.starts_with("# Schema changelog"), "{md}");
    let rework = md.find("_rework").or_else(|| md.find(" rework")).unwrap();
    let init = md.find(" init").unwrap();
    assert!(rework < init, "newest first: {md}");
    for line in [
        "- table `users`",
        "- table `posts`",
        "- column `posts.body`",
        "- column `posts.title`",
    ] {
        assert_eq!(md.matches(line).count(), 1, "{line} once:\n{md}");
    }
    // Added by one migration, dropped by the next.
    assert_eq!(md.matches("- table `audit_log`").count(), 2, "{md}");
    assert!(md.contains("⚠️ drop table audit_log"), "{md}");

    let (code, out, err) = run(&mut p.strata(&["changelog", "--json"]));
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["name"], "rework");
    assert_eq!(entries[1]["name"], "init");
    assert!(entries[0]["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "table" && i["name"] == "audit_log"));
    // Nothing to replay: an empty changelog, not an error.
    let empty = Project::new(&db);
    let (code, out, err) = run(&mut empty.strata(&["changelog"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No migrations yet"), "{out}");
}

on_all_engines!(erd, changelog);
