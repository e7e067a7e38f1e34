//! `strata init`: a new project in the current folder, optionally baselined from a database.

use crate::cli::{Global, InitArgs};
use anyhow::{bail, Context, Result};
use std::path::Path;
use strata_engine::url::{engine_of, password_of, redact};
use strata_migrate::{MigrationSet, Migrator};
use strata_schema::{Engine, Schema};

pub async fn run(g: &Global, args: &InitArgs) -> Result<u8> {
    let config = &g.config;
    if config.exists() {
        eprintln!(
            "{} already exists; strata init changes nothing in an existing project",
            config.display()
        );
        return Ok(1);
    }
    let given_url = args.from_db.clone().or_else(|| g.url.clone());
    let engine: Engine = match (&args.engine, &given_url) {
        (Some(e), _) => e.parse()?,
        (None, Some(u)) => engine_of(u)?,
        (None, None) => Engine::Sqlite,
    };
    let url = given_url.unwrap_or_else(|| match engine {
        Engine::Postgres => "postgres://postgres@localhost:5432/app".into(),
        Engine::Mysql => "mysql://root@localhost:3306/app".into(),
        Engine::Sqlite => "sqlite://dev.db".into(),
    });
    let url_engine = engine_of(&url)?;
    if url_engine != engine {
        bail!(
            "{} is a {url_engine} URL but --engine is {engine}; pass matching values",
            redact(&url)
        );
    }
    // Inspect first: a database that cannot be read leaves no half-made project behind.
    let baseline = match &args.from_db {
        Some(u) => Some(super::source::inspect_url(u, None).await?),
        None => None,
    };
    // A URL with a password stays out of the file: reference an environment variable instead.
    let url_line = if password_of(&url).is_some() {
        eprintln!("the URL holds a password: strata.toml reads it from ${{DATABASE_URL}} instead; export DATABASE_URL");
        "${DATABASE_URL}".to_string()
    } else {
        url.clone()
    };
    let toml = format!(
        "# strata project: see README for every option.\n[project]\nengine = \"{engine}\"\nschema = \"schema\"\nmigrations = \"migrations\"\nseeds = \"seeds\"\n\n[env.dev]\nurl = \"{url_line}\"\n"
    );
    let base = config.parent().unwrap_or(Path::new(""));
    for dir in ["schema", "migrations", "seeds"] {
        std::fs::create_dir_all(base.join(dir))
            .with_context(|| format!("cannot create {}", base.join(dir).display()))?;
    }
    let schema_file = base.join("schema").join("schema.sql");
    let migrations = base.join("migrations");
    let mut set = MigrationSet::load(&migrations)?;
    set.write_sum()?;
    match &baseline {
        None => {
            if !schema_file.exists() {
                std::fs::write(
                    &schema_file,
                    "-- The desired state of the database, as plain DDL. Files here run in name order.\n",
                )?;
            }
        }
        Some(schema) => {
            let ddl = super::plan_between(&Schema::default(), schema, engine, Default::default())?
                .up_sql();
            let drop = super::plan_between(schema, &Schema::default(), engine, Default::default())?
                .up_sql();
            std::fs::write(
                &schema_file,
                format!("-- The desired state of the database, as plain DDL (baselined from the live database).\n\n{ddl}"),
            )?;
            let (up, _) = strata_migrate::scaffold::create_migration(
                &migrations,
                "baseline",
                &format!("-- Baseline: the schema the database had when strata took it over.\n\n{ddl}"),
                &format!("-- Drops everything the baseline created. IRREVERSIBLE: data is not restored.\n\n{drop}"),
                chrono::Utc::now(),
            )?;
            let set = MigrationSet::load(&migrations)?;
            let version = set.migrations.last().map(|m| m.version).unwrap_or_default();
            let mut options = strata_engine::ConnectOptions::new(&url);
            options.history = Default::default();
            let mut db = strata_engine::connect(&options).await?;
            Migrator::new(set)
                .mark_applied(&mut db, version, &mut |_| {})
                .await?;
            println!(
                "baselined {} table(s) from {}: {} recorded as applied there",
                schema.tables.len(),
                redact(&url),
                up.display()
            );
        }
    }
    std::fs::write(config, toml).with_context(|| format!("cannot write {}", config.display()))?;
    println!(
        "created {}, schema/, migrations/ (with strata.sum) and seeds/\nnext: edit schema/*.sql, then `strata plan NAME` and `strata apply`",
        config.display()
    );
    Ok(0)
}
