//! `strata init`: a new project in the current folder.

use crate::cli::{Global, InitArgs};
use anyhow::{bail, Context, Result};
use std::path::Path;

pub fn run(g: &Global, args: &InitArgs) -> Result<u8> {
    let config = &g.config;
    if config.exists() {
        eprintln!(
            "{} already exists; strata init changes nothing in an existing project",
            config.display()
        );
        return Ok(1);
    }
    let base = config.parent().unwrap_or(Path::new(""));
    let url = g.url.clone().unwrap_or_else(|| match args.engine.as_str() {
        "postgres" => "postgres://postgres@localhost:5432/app".into(),
        "mysql" => "mysql://root@localhost:3306/app".into(),
        _ => "sqlite://dev.db".into(),
    });
    let engine = strata_engine::url::engine_of(&url)?;
    if engine.as_str() != args.engine {
        bail!(
            "--url {} is a {} URL but --engine is {}; pass matching values",
            strata_engine::url::redact(&url),
            engine,
            args.engine
        );
    }
    // A URL with a password stays out of the file: reference an environment variable instead.
    let url_line = if strata_engine::url::password_of(&url).is_some() {
        eprintln!("the URL holds a password: strata.toml reads it from ${{DATABASE_URL}} instead; export DATABASE_URL");
        "${DATABASE_URL}".to_string()
    } else {
        url
    };
    let toml = format!(
        "# strata project: see README for every option.\n[project]\nengine = \"{}\"\nschema = \"schema\"\nmigrations = \"migrations\"\nseeds = \"seeds\"\n\n[env.dev]\nurl = \"{}\"\n",
        args.engine, url_line
    );
    for dir in ["schema", "migrations", "seeds"] {
        std::fs::create_dir_all(base.join(dir))
            .with_context(|| format!("cannot create {}", base.join(dir).display()))?;
    }
    let schema_file = base.join("schema").join("schema.sql");
    if !schema_file.exists() {
        std::fs::write(
            &schema_file,
            "-- The desired state of the database, as plain DDL. Files here run in name order.\n",
        )?;
    }
    let mut set = strata_migrate::MigrationSet::load(&base.join("migrations"))?;
    set.write_sum()?;
    std::fs::write(config, toml).with_context(|| format!("cannot write {}", config.display()))?;
    println!(
        "created {}, schema/, migrations/ (with strata.sum) and seeds/\nnext: `strata new create_users`, write the SQL, then `strata apply`",
        config.display()
    );
    Ok(0)
}
