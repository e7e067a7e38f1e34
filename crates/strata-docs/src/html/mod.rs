//! The static HTML documentation site: `strata docs --out DIR`.
//!
//! Everything a page needs ships in the site itself (one stylesheet, one script, one data file,
//! SVG diagrams inlined), so the site opens from `file://`, a CI artifact or any static host with
//! no server, network or CDN. Pages:
//!
//! - `index.html`: summary, the whole ERD, every table (with row estimates when a database was
//!   read), views and types;
//! - `tables/<slug>.html`: one per table — columns, indexes, constraints, foreign keys out and in
//!   (linked), triggers, and the ERD of the table's neighbourhood;
//! - `changelog.html`: what each migration added, modified and dropped;
//! - `assets/`: `style.css`, `app.js` (search, sidebar, diagram zoom) and `data.js` (the search
//!   index as a script, since browsers do not let `file://` pages fetch JSON).
//!
//! The sidebar is drawn by `app.js` from `data.js` rather than repeated in every page: with
//! 1,000 tables, 1,000 copies of a 1,000-entry list would be most of the site's bytes.
//!
//! Output is deterministic (no timestamps), so a committed site only changes with the schema.

mod fragments;
mod markdown;
mod pages;
mod site;

use std::collections::BTreeMap;
use strata_schema::{Engine, Schema};

pub use markdown::to_html as markdown_to_html;

/// What the site shows besides the schema itself.
#[derive(Debug, Clone, Default)]
pub struct SiteInput {
    /// Shown in the title bar and the header, e.g. the project's folder name.
    pub title: String,
    /// The engine the schema comes from.
    pub engine: Option<Engine>,
    /// Where the schema was read from, as shown to the reader (no passwords).
    pub source: String,
    /// Estimated rows per table, keyed by the lower-cased table name as [`strata_schema::Name`]
    /// displays it (`schema.table` outside the default schema). Empty: no row column.
    pub rows: BTreeMap<String, i64>,
    /// The changelog as Markdown (see `crate::changelog::markdown`); `None`: no migrations.
    pub changelog: Option<String>,
}

/// The files of the site, as (path relative to the output folder, content), `/`-separated.
pub fn site(schema: &Schema, input: &SiteInput) -> Vec<(String, String)> {
    site::Site::new(schema, input).files()
}

/// The file name (without `.html`) of a table's page: the name with everything but ASCII
/// letters, digits, `_`, `-` and `.` hex-escaped, so it is the same on every file system.
pub fn slug(name: &strata_schema::Name) -> String {
    let mut out = String::new();
    let text = name.to_string();
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' => out.push(b as char),
            // Upper case is escaped too: `Users` and `users` are two tables on PostgreSQL but
            // one file on case-insensitive file systems.
            _ => out.push_str(&format!("~{b:02x}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{Column, ForeignKey, Key, Name, Table};

    fn schema() -> Schema {
        let mut users = Table::new(Name::new("users"));
        users.comment = Some("People <who> sign in".into());
        let mut id = Column::new("id", "integer");
        id.nullable = false;
        users.columns = vec![id.clone(), Column::new("email", "text")];
        users.primary_key = Some(Key {
            name: Some("users_pkey".into()),
            columns: vec!["id".into()],
            deferrable: Default::default(),
            nulls_not_distinct: false,
        });
        let mut posts = Table::new(Name::qualified("blog", "Posts"));
        posts.columns = vec![id, Column::new("author_id", "integer")];
        posts.foreign_keys = vec![ForeignKey {
            name: Some("posts_author_fkey".into()),
            columns: vec!["author_id".into()],
            ref_table: Name::new("users"),
            ref_columns: vec!["id".into()],
            on_update: Default::default(),
            on_delete: strata_schema::FkAction::Cascade,
            deferrable: Default::default(),
            not_valid: false,
        }];
        Schema {
            tables: vec![users, posts],
            ..Schema::default()
        }
    }

    #[test]
    fn writes_a_page_per_table_with_links_both_ways() {
        let mut input = SiteInput {
            title: "demo".into(),
            ..SiteInput::default()
        };
        input.rows.insert("users".into(), 1234);
        let files = site(&schema(), &input);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "assets/style.css",
                "assets/app.js",
                "assets/data.js",
                "index.html",
                "changelog.html",
                "tables/users.html",
                "tables/blog.~50osts.html",
            ]
        );
        let get = |p: &str| &files.iter().find(|(n, _)| n == p).unwrap().1;
        let index = get("index.html");
        assert!(index.contains("<svg"), "overview has the ERD");
        assert!(index.contains("People &lt;who&gt; sign in"));
        assert!(index.contains("1,234"), "row estimate");
        assert!(index.contains("href=\"tables/blog.~50osts.html\""));
        for attr in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!index.contains(attr), "no external resources: {attr}");
        }
        let posts = get("tables/blog.~50osts.html");
        assert!(posts.contains("href=\"../tables/users.html\""), "FK out");
        assert!(posts.contains("on delete <strong>cascade</strong>"));
        let users = get("tables/users.html");
        assert!(users.contains("Referenced by"), "FK in");
        assert!(users.contains("href=\"../tables/blog.~50osts.html\""));
        assert!(users.contains("~1,234 rows"));
        assert!(get("assets/data.js").contains("\"n\":\"blog.Posts\""));
    }

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug(&Name::new("order items")), "order~20items");
        assert_eq!(slug(&Name::qualified("a/b", "c")), "a~2fb.c");
    }
}
