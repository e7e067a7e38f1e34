//! The command line: global options and one subcommand per DESIGN.md command.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  strata init --engine postgres --url 'postgres://app@localhost/app'
  strata new create_users          # an empty up/down pair, strata.sum updated
  strata plan add_orders           # migration from migrations/ to schema/ (up + down)
  strata diff --from migrations --to schema
  strata drift                     # exit 1 if the database differs from its migrations
  strata apply --dry-run           # print the SQL of pending migrations
  strata apply --to 20261126093000
  strata rollback --steps 2
  strata status --json
  strata --env prod validate

Database URLs (in strata.toml [env.NAME] url, DATABASE_URL or --url; ${VAR} is expanded):
  sqlite://dev.db   sqlite:///abs/path.db   postgres://user:pass@host:5432/db?sslmode=require
  mysql://user:pass@host:3306/db   mariadb://user@host/db

Exit codes: 0 ok, 1 refused or problems found (modified migration, strata.sum mismatch, ...),
2 error (bad input, unreachable database, failed statement).";

/// strata: declarative schemas and safe versioned migrations for SQLite, PostgreSQL and MySQL/MariaDB.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Environment of strata.toml to use ([env.NAME]).
    #[arg(long, global = true, env = "STRATA_ENV", default_value = "dev")]
    pub env: String,
    /// Database URL; overrides strata.toml and DATABASE_URL.
    #[arg(long, global = true)]
    pub url: Option<String>,
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Path of the project file.
    #[arg(long, global = true, default_value = "strata.toml")]
    pub config: PathBuf,
    /// Run as if strata was started in DIR.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// How long to wait for another migrator's lock (e.g. 30s, 2m).
    #[arg(long, global = true, default_value = "60s", value_parser = parse_duration)]
    pub lock_timeout: std::time::Duration,
    /// Keep retrying the connection this long while the server refuses it or is starting up
    /// (a database container that is still booting), e.g. 60s.
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub wait_for: Option<std::time::Duration>,
    /// Log to stderr: -v each SQL statement with its duration and database (info), -vv debug,
    /// -vvv trace.
    #[arg(short = 'v', long = "verbose", global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Log level; overrides -v and STRATA_LOG (a filter such as sqlx::query=info,strata=info).
    #[arg(long, global = true, value_name = "LEVEL",
          value_parser = ["off", "error", "warn", "info", "debug", "trace"])]
    pub log_level: Option<String>,
    /// Format of the log lines on stderr.
    #[arg(long, global = true, value_name = "FORMAT", default_value = "text",
          value_parser = ["text", "json"])]
    pub log_format: String,
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), always or never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: clap::ColorChoice,
}

impl Global {
    /// Makes `--color` the choice of every anstream writer (status, lint and plan print through them).
    pub fn set_color(&self) {
        match self.color {
            clap::ColorChoice::Always => anstream::ColorChoice::Always,
            clap::ColorChoice::Never => anstream::ColorChoice::Never,
            clap::ColorChoice::Auto => anstream::ColorChoice::Auto,
        }
        .write_global();
    }
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    strata_migrate::directive::parse_duration(s)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create strata.toml, schema/, migrations/ and seeds/ in the current folder.
    Init(InitArgs),
    /// Create an empty up/down migration pair with the next version and update strata.sum.
    New(NewArgs),
    /// Apply pending migrations.
    Apply(ApplyArgs),
    /// Roll back applied migrations by running their down files.
    Rollback(RollbackArgs),
    /// Show applied, pending, modified, missing and half-applied migrations.
    Status,
    /// Check strata.sum against the files, and the files against the database's history.
    Validate(ValidateArgs),
    /// Run seeds/*.sql, then seeds/<env>/*.sql.
    Seed,
    /// Write the migration (up and down) from the state of migrations/ to the state of schema/.
    Plan(PlanArgs),
    /// Print the SQL between two schema sources (database URL, migrations folder, schema files).
    Diff(DiffArgs),
    /// Print the live database's schema as SQL DDL (or JSON with --json).
    Inspect,
    /// Compare the live database with the state its applied migrations should give (exit 1 on drift).
    Drift,
    /// Lint migrations for locks, rewrites, data loss and incompatible changes (default: pending ones).
    Lint(LintArgs),
    /// Write static HTML documentation (tables, ERD, search, changelog) to a folder.
    Docs(DocsArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print an entity-relationship diagram: Mermaid (default), Graphviz DOT or SVG.
    Erd(ErdArgs),
    /// Print what each migration added, modified and dropped (Markdown, or JSON with --json).
    Changelog,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Engine of the project (default: the URL's engine, else sqlite).
    #[arg(long, value_parser = ["sqlite", "postgres", "mysql"])]
    pub engine: Option<String>,
    /// Baseline an existing database: write its schema to schema/, a baseline migration, and
    /// record that migration as applied there.
    #[arg(long, value_name = "URL")]
    pub from_db: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What the migration does, e.g. create_users (becomes the file name's slug).
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Apply up to and including this version.
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
    /// Print the SQL that would run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Apply pending migrations older than the newest applied one instead of refusing.
    #[arg(long)]
    pub out_of_order: bool,
    /// Apply despite error-level lint findings about locks and rewrites.
    #[arg(long)]
    pub allow_unsafe: bool,
    /// Apply despite error-level lint findings about data loss (DL rules).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Do not compare the row counts of the tables a migration's `-- strata:keep-rows` names
    /// (planned table rebuilds) before and after it.
    #[arg(long)]
    pub skip_row_guard: bool,
    /// After a transient failure (lost connection, server restart, deadlock, lock timeout),
    /// reconnect and resume up to N times, with backoff and jitter (default: the environment's
    /// `retry` in strata.toml, else 0).
    #[arg(long, value_name = "N")]
    pub retry: Option<u32>,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// Number of migrations to roll back.
    #[arg(long, default_value_t = 1, conflicts_with = "to")]
    pub steps: usize,
    /// Roll back every migration newer than this version (it stays applied).
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
    /// Print the SQL that would run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not compare the row counts of the tables a down file's `-- strata:keep-rows` names.
    #[arg(long)]
    pub skip_row_guard: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// What the migration does, e.g. add_orders (becomes the file name's slug).
    pub name: String,
    /// Print the planned SQL; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Plan a dropped column and an added one of a compatible type as drop + add (their values
    /// lost) without asking; without it, strata asks on a terminal and refuses elsewhere.
    #[arg(long)]
    pub allow_destructive: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The current state: a database URL, a migrations folder, or schema file(s).
    #[arg(long)]
    pub from: String,
    /// The desired state, in the same forms.
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Rewrite strata.sum from the files as they are (after reviewing an intended change).
    #[arg(long)]
    pub rehash: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Migration files to lint (default: the pending migrations, or all without a database).
    pub files: Vec<std::path::PathBuf>,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = ["human", "json", "sarif", "github"])]
    pub format: String,
    /// Lint without reading table sizes and the schema from the database.
    #[arg(long)]
    pub offline: bool,
    /// The files' engine; needed outside a strata project (default: the project's engine).
    #[arg(long, value_parser = ["sqlite", "postgres", "mysql"])]
    pub engine: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Folder to write the site to (created; files of an earlier run are overwritten).
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,
    /// Where the schema comes from: schema, migrations, database, or a path/URL as for `diff`
    /// (default: database with --url, else schema files, else migrations).
    #[arg(long, value_name = "SOURCE")]
    pub from: Option<String>,
    /// Title of the site (default: the project folder's name).
    #[arg(long)]
    pub title: Option<String>,
    /// Skip the changelog page (it replays every migration on a dev database).
    #[arg(long)]
    pub no_changelog: bool,
}

#[derive(Debug, Args)]
pub struct ErdArgs {
    /// Diagram format: mermaid (renders on GitHub/GitLab), dot (Graphviz) or svg (laid out by strata).
    #[arg(long, default_value = "mermaid", value_parser = ["mermaid", "dot", "svg"])]
    pub format: String,
    /// Only tables matching these globs (`*`, `?`; by name or schema.name).
    #[arg(long, value_name = "GLOB", num_args = 1..)]
    pub tables: Vec<String>,
    /// Leave out tables matching these globs.
    #[arg(long, value_name = "GLOB", num_args = 1..)]
    pub exclude: Vec<String>,
    /// Only tables of this PostgreSQL schema (namespace).
    #[arg(long, value_name = "NS")]
    pub schema: Option<String>,
    /// What to draw: the schema files or the state of the migrations (--url draws a live database).
    #[arg(long, default_value = "schema", value_parser = ["schema", "migrations"])]
    pub from: String,
}
