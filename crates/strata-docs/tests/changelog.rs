//! The changelog of a sequence of migrations on each engine: every object added, modified or
//! dropped appears once, modifications with old → new, destructive steps flagged.

mod common;

use strata_docs::changelog::{self, Entry, Kind};
use strata_schema::Engine;

fn migrations(engine: Engine) -> Vec<String> {
    let m1 = "CREATE TABLE users (
    id integer NOT NULL PRIMARY KEY,
    name varchar(100) NOT NULL
);
CREATE TABLE posts (
    id integer NOT NULL PRIMARY KEY,
    user_id integer NOT NULL,
    title varchar(200),
    body text,
    CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX posts_title ON posts (title);
"
    .to_string();
    // Widen users.name, add users.email with a unique index, redefine posts_title.
    let widen = match engine {
        Engine::Postgres => "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);\nALTER TABLE users ADD COLUMN email varchar(255);\n",
        Engine::Mysql => "ALTER TABLE users MODIFY name varchar(200) NOT NULL;\nALTER TABLE users ADD COLUMN email varchar(255);\n",
        // SQLite alters a type by rebuilding the table.
        Engine::Sqlite => "CREATE TABLE users_new (
    id integer NOT NULL PRIMARY KEY,
    name varchar(200) NOT NULL,
    email varchar(255)
);
INSERT INTO users_new (id, name) SELECT id, name FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
",
    };
    let drop_index = match engine {
        Engine::Mysql => "DROP INDEX posts_title ON posts;",
        _ => "DROP INDEX posts_title;",
    };
    let m2 = format!(
        "{widen}CREATE UNIQUE INDEX users_email ON users (email);\n{drop_index}\nCREATE INDEX posts_title ON posts (title, id);\n"
    );
    let m3 = "ALTER TABLE posts DROP COLUMN body;
CREATE TABLE tags (
    id integer NOT NULL PRIMARY KEY,
    label varchar(50) NOT NULL
);
CREATE INDEX tags_label ON tags (label);
"
    .to_string();
    let m4 = "DROP TABLE tags;\n".to_string();
    let m5 = "INSERT INTO users (id, name) VALUES (1, 'ann');\n".to_string();
    vec![m1, m2, m3, m4, m5]
}

fn names(items: impl Iterator<Item = (Kind, String)>) -> Vec<(Kind, String)> {
    let mut v: Vec<_> = items.collect();
    v.sort();
    v
}

fn added(e: &Entry) -> Vec<(Kind, String)> {
    names(e.added.iter().map(|i| (i.kind, i.name.clone())))
}
fn modified(e: &Entry) -> Vec<(Kind, String)> {
    names(e.modified.iter().map(|i| (i.kind, i.name.clone())))
}
fn dropped(e: &Entry) -> Vec<(Kind, String)> {
    names(e.dropped.iter().map(|i| (i.kind, i.name.clone())))
}

fn k(kind: Kind, name: &str) -> (Kind, String) {
    (kind, name.to_string())
}

fn sequence(engine: Engine) {
    let files = migrations(engine);
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    let Some(states) = common::states(engine, &refs) else {
        return;
    };
    let dialect = strata_engine::dialect(engine);
    let names = ["init", "widen", "tags", "drop_tags", "seed"];
    let entries: Vec<Entry> = states
        .windows(2)
        .zip(names)
        .enumerate()
        .map(|(i, (w, name))| changelog::entry(i as i64 + 1, name, &w[0], &w[1], dialect))
        .collect();

    // 1: two tables and the index created on its own; nothing else.
    let e = &entries[0];
    assert_eq!(
        added(e),
        [
            k(Kind::Table, "posts"),
            k(Kind::Table, "users"),
            k(Kind::Index, "posts.posts_title")
        ],
        "{e:#?}"
    );
    assert!(e.modified.is_empty() && e.dropped.is_empty(), "{e:#?}");
    assert!(e.destructive.is_empty(), "{e:#?}");

    // 2: a new column and index, a wider column and a redefined index (old → new); on SQLite
    // the table rebuild reads the same.
    let e = &entries[1];
    // MySQL records a plain unique index as a unique key (a constraint).
    let unique_kind = if engine == Engine::Mysql {
        Kind::Constraint
    } else {
        Kind::Index
    };
    assert_eq!(
        added(e),
        [
            k(Kind::Column, "users.email"),
            k(unique_kind, "users.users_email")
        ],
        "{e:#?}"
    );
    assert_eq!(
        modified(e),
        [
            k(Kind::Column, "users.name"),
            k(Kind::Index, "posts.posts_title")
        ],
        "{e:#?}"
    );
    assert!(e.dropped.is_empty(), "{e:#?}");
    let name = e.modified.iter().find(|m| m.name == "users.name").unwrap();
    assert!(
        name.old.contains("100") && name.new.contains("200"),
        "{name:?}"
    );
    assert!(
        name.old.contains("NOT NULL") && name.new.contains("NOT NULL"),
        "{name:?}"
    );
    let idx = e
        .modified
        .iter()
        .find(|m| m.name == "posts.posts_title")
        .unwrap();
    assert_eq!(
        (idx.old.as_str(), idx.new.as_str()),
        ("(title)", "(title, id)")
    );

    // 3: a dropped column (destructive), a new table with its index.
    let e = &entries[2];
    assert_eq!(
        added(e),
        [k(Kind::Table, "tags"), k(Kind::Index, "tags.tags_label")],
        "{e:#?}"
    );
    assert!(e.modified.is_empty(), "{e:#?}");
    assert_eq!(dropped(e), [k(Kind::Column, "posts.body")], "{e:#?}");
    assert!(
        e.destructive
            .iter()
            .any(|d| d.contains("posts.body") || d.contains("posts")),
        "{e:#?}"
    );

    // 4: a dropped table takes its index with it.
    let e = &entries[3];
    assert!(e.added.is_empty() && e.modified.is_empty(), "{e:#?}");
    assert_eq!(dropped(e), [k(Kind::Table, "tags")], "{e:#?}");
    assert_eq!(e.destructive, ["drop table tags"], "{e:#?}");

    // 5: data only.
    assert!(entries[4].is_empty() && entries[4].destructive.is_empty());

    let md = changelog::markdown(&entries);
    for (kind, name) in [
        ("table", "users"),
        ("column", "users.email"),
        ("column", "users.name"),
        ("column", "posts.body"),
        ("index", "posts.posts_title"),
    ] {
        assert!(
            md.contains(&format!("- {kind} `{name}`")),
            "{kind} {name}:\n{md}"
        );
    }
    assert!(md.contains(" → "), "{md}");
    assert!(
        md.contains("**Destructive**") && md.contains("drop table tags"),
        "{md}"
    );
    assert!(md.contains("No schema changes"), "{md}");
    let json = serde_json::to_value(&entries).unwrap();
    assert!(
        json[1]["modified"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "column" && m["name"] == "users.name"),
        "{json}"
    );
    if engine == Engine::Sqlite {
        insta::assert_snapshot!("sqlite_changelog", md);
    }
}

#[test]
fn sequence_sqlite() {
    sequence(Engine::Sqlite);
}

#[test]
fn sequence_postgres() {
    sequence(Engine::Postgres);
}

#[test]
fn sequence_mysql() {
    sequence(Engine::Mysql);
}
