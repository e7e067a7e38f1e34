//! ERD output for a fixture schema that each engine builds from SQL: Mermaid and DOT snapshots,
//! the Mermaid accepted by the real Mermaid parser, filters, neighbourhoods, SVG, and the layout
//! time of a 300-table schema.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use strata_docs::erd::{self, ErdOptions, TableFilter};
use strata_schema::{Column, Engine, ForeignKey, Key, Name, Schema, Table};

/// One-to-one (profiles), one-to-many (posts), optional (posts.editor_id), identifying
/// (post_tags), self-reference (categories), a unique column and a composite key.
fn fixture_sql(engine: Engine) -> String {
    let ts = if engine == Engine::Mysql {
        "datetime"
    } else {
        "timestamp"
    };
    let mut sql = format!(
        "CREATE TABLE users (
    id integer NOT NULL PRIMARY KEY,
    email varchar(255) NOT NULL,
    name varchar(100),
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE TABLE profiles (
    user_id integer NOT NULL PRIMARY KEY,
    bio text,
    CONSTRAINT profiles_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE TABLE categories (
    id integer NOT NULL PRIMARY KEY,
    parent_id integer,
    label varchar(50) NOT NULL,
    CONSTRAINT categories_parent_fk FOREIGN KEY (parent_id) REFERENCES categories (id)
);
CREATE TABLE posts (
    id integer NOT NULL PRIMARY KEY,
    author_id integer NOT NULL,
    editor_id integer,
    category_id integer,
    price numeric(10,2),
    published_at {ts},
    CONSTRAINT posts_author_fk FOREIGN KEY (author_id) REFERENCES users (id),
    CONSTRAINT posts_editor_fk FOREIGN KEY (editor_id) REFERENCES users (id),
    CONSTRAINT posts_category_fk FOREIGN KEY (category_id) REFERENCES categories (id)
);
CREATE TABLE tags (
    id integer NOT NULL PRIMARY KEY,
    label varchar(50) NOT NULL
);
CREATE UNIQUE INDEX tags_label ON tags (label);
CREATE TABLE post_tags (
    post_id integer NOT NULL,
    tag_id integer NOT NULL,
    PRIMARY KEY (post_id, tag_id),
    CONSTRAINT post_tags_post_fk FOREIGN KEY (post_id) REFERENCES posts (id),
    CONSTRAINT post_tags_tag_fk FOREIGN KEY (tag_id) REFERENCES tags (id)
);
CREATE TABLE audit_log (
    id integer NOT NULL PRIMARY KEY,
    message text
);
"
    );
    if engine == Engine::Postgres {
        sql.push_str(
            "CREATE SCHEMA sales;
CREATE TABLE sales.orders (
    id integer NOT NULL PRIMARY KEY,
    customer_id integer NOT NULL,
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.users (id)
);
",
        );
    }
    sql
}

fn mermaid_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mermaid")
}

/// Runs the real Mermaid parser on `text` (skipped with a notice when `npm install` has not
/// been run for tests/mermaid, except with CI=true).
fn check_mermaid(label: &str, text: &str) {
    let dir = mermaid_dir();
    if !dir.join("node_modules/mermaid").exists() {
        if common::ci() {
            panic!("{}/node_modules is missing but CI=true: run `npm install --prefix {}` (scripts/test does)", dir.display(), dir.display());
        }
        eprintln!(
            "notice: {}/node_modules is missing; skipping the Mermaid parser check (npm install --prefix {})",
            dir.display(),
            dir.display()
        );
        return;
    }
    let tmp = std::env::temp_dir().join(format!("strata_erd_{}_{label}.mmd", std::process::id()));
    std::fs::write(&tmp, text).unwrap();
    let out = Command::new("node")
        .arg(dir.join("check.mjs"))
        .arg(&tmp)
        .output()
        .expect("node runs");
    let _ = std::fs::remove_file(&tmp);
    assert!(
        out.status.success(),
        "Mermaid rejected the {label} diagram:\n{}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn fixture(engine: Engine) {
    let Some(schema) = common::schema(engine, &fixture_sql(engine)) else {
        return;
    };
    let all = TableFilter::default();
    let mermaid = erd::mermaid(&schema, &all);
    let dot = erd::dot(&schema, &all);
    insta::assert_snapshot!(format!("{engine}_mermaid"), mermaid);
    insta::assert_snapshot!(format!("{engine}_dot"), dot);
    check_mermaid(&format!("{engine}_fixture"), &mermaid);

    // Cardinalities: one-to-one, one-to-many, optional, identifying, self-reference.
    assert!(
        mermaid.contains("users ||--o| profiles : \"user_id\""),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("users ||..o{ posts : \"author_id\""),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("users |o..o{ posts : \"editor_id\""),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("posts ||--o{ post_tags : \"post_id\""),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("categories |o..o{ categories : \"parent_id\""),
        "{mermaid}"
    );
    assert!(
        dot.contains("arrowhead=teetee, arrowtail=crowodot"),
        "{dot}"
    );

    // Filters.
    let only = ErdOptions {
        tables: vec!["post*".into()],
        exclude: vec!["post_tags".into()],
        schema: None,
    }
    .filter()
    .unwrap();
    let m = erd::mermaid(&schema, &only);
    assert!(m.contains("    posts {"), "{m}");
    assert!(
        !m.contains("post_tags") && !m.contains("    users {"),
        "{m}"
    );
    assert!(!m.contains("||"), "no relationship to tables left out: {m}");
    let m = erd::mermaid(
        &schema,
        &ErdOptions {
            exclude: vec!["audit_*".into(), "*tags".into()],
            ..Default::default()
        }
        .filter()
        .unwrap(),
    );
    assert!(!m.contains("audit_log") && !m.contains("tags"), "{m}");
    if engine == Engine::Postgres {
        let m = erd::mermaid(
            &schema,
            &ErdOptions {
                schema: Some("sales".into()),
                ..Default::default()
            }
            .filter()
            .unwrap(),
        );
        assert!(m.contains("sales_orders[\"sales.orders\"]"), "{m}");
        assert!(!m.contains("    users {"), "{m}");
        let m = erd::mermaid(
            &schema,
            &ErdOptions {
                schema: Some("public".into()),
                ..Default::default()
            }
            .filter()
            .unwrap(),
        );
        assert!(m.contains("    users {") && !m.contains("sales"), "{m}");
    }

    // The neighbourhood of posts: what it references and what references it.
    let n = erd::neighbourhood(&schema, &Name::new("posts"));
    let mut names: Vec<String> = n.tables.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["categories", "post_tags", "posts", "users"]);

    // SVG: every table and column, an edge per foreign key, well-formed enough to count.
    let svg = erd::svg(&schema, &all);
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    for t in &schema.tables {
        assert!(svg.contains(&format!(">{}</text>", t.name)), "{}", t.name);
        for c in &t.columns {
            assert!(svg.contains(&format!(">{}</tspan>", c.name)), "{}", c.name);
        }
    }
    let fks: usize = schema.tables.iter().map(|t| t.foreign_keys.len()).sum();
    assert_eq!(svg.matches("<path class=\"e").count(), fks, "{svg}");
    assert!(svg.contains("PK,FK") && svg.contains(">UK<"), "{svg}");
}

#[test]
fn fixture_sqlite() {
    fixture(Engine::Sqlite);
}

#[test]
fn fixture_postgres() {
    fixture(Engine::Postgres);
}

#[test]
fn fixture_mysql() {
    fixture(Engine::Mysql);
}

/// Names and types that need escaping in every format.
fn awkward() -> Schema {
    let mut t = Table::new(Name::qualified("billing", "1st-invoice lines"));
    let mut id = Column::new("line id", "numeric(10,2)");
    id.nullable = false;
    id.comment = Some("the \"line\" <number>\nsecond line".into());
    t.columns.push(id);
    t.columns
        .push(Column::new("tags", "character varying(20)[]"));
    t.columns.push(Column::new("status", "enum('a','b')"));
    t.primary_key = Some(Key {
        name: None,
        columns: vec!["line id".into()],
        deferrable: Default::default(),
        nulls_not_distinct: false,
    });
    let mut u = Table::new(Name::new("1st-invoice lines"));
    u.columns.push(Column::new("ref", "integer"));
    u.foreign_keys.push(ForeignKey {
        name: Some("ref \"fk\"".into()),
        columns: vec!["ref".into()],
        ref_table: t.name.clone(),
        ref_columns: vec!["line id".into()],
        on_update: Default::default(),
        on_delete: Default::default(),
        deferrable: Default::default(),
        not_valid: false,
    });
    Schema {
        tables: vec![t, u],
        ..Default::default()
    }
}

#[test]
fn awkward_names_escape() {
    let s = awkward();
    let m = erd::mermaid(&s, &TableFilter::default());
    insta::assert_snapshot!("awkward_mermaid", m);
    check_mermaid("awkward", &m);
    let d = erd::dot(&s, &TableFilter::default());
    insta::assert_snapshot!("awkward_dot", d);
    let svg = erd::svg(&s, &TableFilter::default());
    assert!(svg.contains("&quot;line&quot;") || !svg.contains("\"line\""));
    assert!(!svg.contains("<number>"));
    assert!(erd::svg(&Schema::default(), &TableFilter::default()).contains("no tables"));
}

/// 300 tables in chains and stars of foreign keys: the SVG layout time is printed, not asserted
/// (machines differ); the budget is 5 s.
#[test]
fn large_schema_layout_time() {
    let mut tables = Vec::new();
    for i in 0..300 {
        let mut t = Table::new(Name::new(format!("table_{i:03}")));
        let mut id = Column::new("id", "bigint");
        id.nullable = false;
        t.columns.push(id);
        for c in 0..6 {
            t.columns
                .push(Column::new(format!("attribute_{c}"), "varchar(100)"));
        }
        t.primary_key = Some(Key {
            name: None,
            columns: vec!["id".into()],
            deferrable: Default::default(),
            nulls_not_distinct: false,
        });
        let mut refs = vec![];
        if i > 0 {
            refs.push(i / 2);
        }
        if i > 10 && i % 3 == 0 {
            refs.push(i - 7);
        }
        if i > 20 && i % 5 == 0 {
            refs.push(0);
        }
        for (n, r) in refs.into_iter().enumerate() {
            let col = format!("ref_{n}_id");
            t.columns.push(Column::new(col.clone(), "bigint"));
            t.foreign_keys.push(ForeignKey {
                name: Some(format!("fk_{i}_{n}")),
                columns: vec![col],
                ref_table: Name::new(format!("table_{r:03}")),
                ref_columns: vec!["id".into()],
                on_update: Default::default(),
                on_delete: Default::default(),
                deferrable: Default::default(),
                not_valid: false,
            });
        }
        tables.push(t);
    }
    let schema = Schema {
        tables,
        ..Default::default()
    };
    let start = std::time::Instant::now();
    let svg = erd::svg(&schema, &TableFilter::default());
    let took = start.elapsed();
    eprintln!(
        "ERD timing: SVG layout of 300 tables took {:.2?} ({} bytes)",
        took,
        svg.len()
    );
    assert_eq!(svg.matches("<g class=\"t\"").count(), 300);
    let start = std::time::Instant::now();
    let m = erd::mermaid(&schema, &TableFilter::default());
    let d = erd::dot(&schema, &TableFilter::default());
    eprintln!(
        "ERD timing: Mermaid + DOT of 300 tables took {:.2?}",
        start.elapsed()
    );
    assert!(m.len() > 1000 && d.len() > 1000);
}
