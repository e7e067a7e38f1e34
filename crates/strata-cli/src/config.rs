//! `strata.toml`: the project's engine, folders and environments.

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use strata_engine::{HistoryTable, TlsSettings};
use strata_schema::Engine;

/// The file as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub project: ProjectSection,
    #[serde(default)]
    pub env: BTreeMap<String, EnvSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSection {
    /// Defaults to the engine of the URL, or SQLite.
    #[serde(default)]
    pub engine: Option<String>,
    #[serde(default = "default_schema")]
    pub schema: String,
    #[serde(default = "default_migrations")]
    pub migrations: String,
    #[serde(default = "default_seeds")]
    pub seeds: String,
    #[serde(default = "default_history_table")]
    pub history_table: String,
    #[serde(default)]
    pub history_schema: Option<String>,
    /// Whether a change of column order in the schema files is migrated (MySQL/MariaDB).
    #[serde(default)]
    pub column_order: strata_diff::ColumnOrder,
}

impl Default for ProjectSection {
    fn default() -> Self {
        ProjectSection {
            engine: None,
            schema: default_schema(),
            migrations: default_migrations(),
            seeds: default_seeds(),
            history_table: default_history_table(),
            history_schema: None,
            column_order: strata_diff::ColumnOrder::default(),
        }
    }
}

fn default_schema() -> String {
    "schema".into()
}
fn default_migrations() -> String {
    "migrations".into()
}
fn default_seeds() -> String {
    "seeds".into()
}
fn default_history_table() -> String {
    "strata_history".into()
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EnvSection {
    pub url: Option<String>,
    /// Where scratch databases are created by `plan`/`diff` (default: the target's server).
    pub dev_url: Option<String>,
    pub history_table: Option<String>,
    pub history_schema: Option<String>,
    /// TLS: `disable`, `prefer`, `require`, `verify-ca`, `verify-full` (or MySQL's names).
    pub sslmode: Option<String>,
    /// The CA certificate (PEM) that signed the server's; relative to strata.toml's folder.
    pub sslrootcert: Option<String>,
    /// A client certificate (PEM) for certificate logins; relative to strata.toml's folder.
    pub sslcert: Option<String>,
    /// The client certificate's key (PEM); relative to strata.toml's folder.
    pub sslkey: Option<String>,
    /// PostgreSQL `statement_timeout` for strata's session on the target (e.g. "15min").
    pub statement_timeout: Option<String>,
    /// How many times `apply` reconnects and resumes after a transient failure (lost
    /// connection, server restart, deadlock, lock timeout); `apply --retry N` overrides it.
    pub retry: Option<u32>,
}

impl EnvSection {
    /// The TLS settings of this environment, file paths resolved against `base`.
    fn tls(&self, base: &Path) -> TlsSettings {
        let path = |p: &Option<String>| {
            p.as_deref()
                .map(|p| base.join(p).to_string_lossy().into_owned())
        };
        TlsSettings {
            mode: self.sslmode.clone(),
            root_cert: path(&self.sslrootcert),
            client_cert: path(&self.sslcert),
            client_key: path(&self.sslkey),
        }
    }
}

/// The target database's URL and where it was set.
#[derive(Debug)]
pub struct TargetUrl {
    /// The URL with the environment's TLS and session settings joined in.
    pub url: String,
    /// Where it came from, for messages ("--url", "DATABASE_URL", "strata.toml [env.dev] url").
    pub source: String,
}

/// The resolved settings of one run.
#[derive(Debug)]
pub struct Project {
    pub engine: Engine,
    pub migrations: PathBuf,
    pub schema: PathBuf,
    pub seeds: PathBuf,
    /// Server for scratch databases (PostgreSQL/MySQL); defaults to the target URL.
    pub dev_url: Option<String>,
    pub env: String,
    pub history: HistoryTable,
    /// The target database, when one is set.
    pub url: Option<TargetUrl>,
    /// The project's choices for `plan`, `diff` and `drift`.
    pub diff_options: strata_diff::DiffOptions,
    /// The environment's `retry`: reconnect-and-resume attempts of `apply` (0: none).
    pub retry: u32,
}

impl Project {
    /// Loads `path` (optional when `--url` is given) and resolves `env`.
    pub fn load(path: &Path, env: &str, url_flag: Option<&str>) -> Result<Project> {
        let (file, base) = if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let file: ConfigFile = toml::from_str(&text).map_err(|e| {
                anyhow!(
                    "{} is not valid TOML:{}Fix it; the README's \"strata.toml\" section lists every key.",
                    path.display(),
                    indent(&e.to_string())
                )
            })?;
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (file, base)
        } else if url_flag.is_some() || std::env::var_os("DATABASE_URL").is_some() {
            (ConfigFile::default(), PathBuf::new())
        } else {
            bail!(
                "{} not found; run `strata init` to create a project, or pass --config PATH or --url URL",
                path.display()
            );
        };
        let section = file.env.get(env);
        if section.is_none() && !file.env.is_empty() && url_flag.is_none() {
            let known: Vec<&str> = file.env.keys().map(String::as_str).collect();
            bail!(
                "environment \"{env}\" is not in {}; known environments: {}. Pass --env with one of them, or add [env.{env}]",
                path.display(),
                known.join(", ")
            );
        }
        let url = if let Some(u) = url_flag {
            Some((u.to_string(), "--url".to_string()))
        } else if let Ok(u) = std::env::var("DATABASE_URL") {
            Some((u, "DATABASE_URL".to_string()))
        } else if let Some(raw) = section.and_then(|s| s.url.as_deref()) {
            let expanded =
                expand(raw).with_context(|| format!("{}: [env.{env}] url", path.display()))?;
            Some((expanded, format!("{} [env.{env}] url", path.display())))
        } else {
            None
        };
        let tls = section.map(|s| s.tls(&base)).unwrap_or_default();
        let engine: Engine = match (&file.project.engine, &url) {
            (Some(e), _) => e
                .parse()
                .map_err(|e| anyhow!("{}: [project] engine: {e}", path.display()))?,
            (None, Some((u, _))) => strata_engine::url::engine_of(u)?,
            (None, None) => Engine::Sqlite,
        };
        let history = HistoryTable {
            schema: section
                .and_then(|s| s.history_schema.clone())
                .or(file.project.history_schema.clone()),
            name: section
                .and_then(|s| s.history_table.clone())
                .unwrap_or(file.project.history_table.clone()),
        };
        if history.name.is_empty() {
            bail!("{}: history_table must not be empty", path.display());
        }
        let dev_url = match section.and_then(|s| s.dev_url.as_deref()) {
            Some(raw) => Some(
                expand(raw).with_context(|| format!("{}: [env.{env}] dev_url", path.display()))?,
            ),
            None => url.as_ref().map(|(u, _)| u.clone()),
        };
        // The environment's TLS settings join whichever URL it uses (also DATABASE_URL and
        // --url, and the dev server derived from it); an explicit dev_url keeps its own.
        let origin = format!("{} [env.{env}]", path.display());
        let with_tls = |u: String| -> Result<String> {
            Ok(strata_engine::tls::with_tls_settings(
                &u, engine, &tls, &origin,
            )?)
        };
        let derived_dev = section.and_then(|s| s.dev_url.as_deref()).is_none();
        let timeout = section.and_then(|s| s.statement_timeout.as_deref());
        let url = match url {
            Some((u, source)) => {
                let u = with_tls(u)?;
                let url = match timeout {
                    Some(t) => with_statement_timeout(&u, engine, t, &origin)?,
                    None => u,
                };
                Some(TargetUrl { url, source })
            }
            None => None,
        };
        let dev_url = match dev_url {
            Some(u) if derived_dev => Some(with_tls(u)?),
            other => other,
        };
        Ok(Project {
            engine,
            migrations: base.join(&file.project.migrations),
            schema: base.join(&file.project.schema),
            dev_url,
            seeds: base.join(&file.project.seeds),
            env: env.to_string(),
            history,
            url,
            diff_options: strata_diff::DiffOptions {
                column_order: file.project.column_order,
            },
            retry: section.and_then(|s| s.retry).unwrap_or(0),
        })
    }

    /// The database URL, or an error that says where to set one.
    pub fn require_url(&self) -> Result<&str> {
        match &self.url {
            Some(target) => Ok(&target.url),
            None => bail!(
                "no database URL for environment \"{}\"; set [env.{}] url in strata.toml, export DATABASE_URL, or pass --url",
                self.env,
                self.env
            ),
        }
    }
}

/// `url` with `statement_timeout` as a PostgreSQL startup option (`options[statement_timeout]`),
/// which sqlx sends as `-c statement_timeout=...`; the URL's own value must agree.
fn with_statement_timeout(url: &str, engine: Engine, value: &str, origin: &str) -> Result<String> {
    if engine != Engine::Postgres {
        bail!(
            "{origin}: statement_timeout is a PostgreSQL setting; remove it (on {engine} no session setting limits DDL)"
        );
    }
    if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
        bail!(
            "{origin}: statement_timeout = \"{value}\" is not a PostgreSQL duration; write e.g. \"15min\", \"30s\" or \"0\" (none)"
        );
    }
    let key = "options[statement_timeout]=";
    if let Some(i) = url.find(key) {
        let present = url[i + key.len()..].split('&').next().unwrap_or("");
        if present == value {
            return Ok(url.to_string());
        }
        bail!(
            "{origin} sets statement_timeout = \"{value}\" but the URL {} has {key}{present}; remove one of them",
            strata_engine::url::redact(url)
        );
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{sep}{key}{}", value.replace(' ', "%20")))
}

fn indent(text: &str) -> String {
    let mut out = String::from("\n");
    for line in text.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Expands `${VAR}` and `${VAR:-default}` from the environment; an unset variable without a
/// default is an error naming it.
pub fn expand(text: &str) -> Result<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            bail!(
                "unterminated ${{ in \"{}\"",
                strata_engine::url::redact(text)
            );
        };
        let inner = &after[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        match (std::env::var(name), default) {
            (Ok(v), _) if !v.is_empty() => out.push_str(&v),
            (_, Some(d)) => out.push_str(d),
            (Ok(v), None) => out.push_str(&v),
            (Err(_), None) => bail!(
                "uses ${{{name}}} but the environment variable {name} is not set; export it, or pass --url"
            ),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_variables_with_defaults() {
        std::env::set_var("STRATA_TEST_EXPAND", "db");
        assert_eq!(
            expand("sqlite://${STRATA_TEST_EXPAND}.db").unwrap(),
            "sqlite://db.db"
        );
        assert_eq!(expand("${STRATA_TEST_UNSET:-x}").unwrap(), "x");
        assert!(expand("${STRATA_TEST_UNSET}").is_err());
    }

    #[test]
    fn statement_timeout_joins_a_postgres_url_once() {
        let pg = Engine::Postgres;
        assert_eq!(
            with_statement_timeout("postgres://h/db", pg, "15min", "x").unwrap(),
            "postgres://h/db?options[statement_timeout]=15min"
        );
        let same = "postgres://h/db?sslmode=require&options[statement_timeout]=15min";
        assert_eq!(
            with_statement_timeout(same, pg, "15min", "x").unwrap(),
            same
        );
        let e = with_statement_timeout(
            "postgres://u:hunter2@h/db?options[statement_timeout]=0",
            pg,
            "15min",
            "strata.toml [env.prod]",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("options[statement_timeout]=0") && !e.contains("hunter2"),
            "{e}"
        );
        assert!(with_statement_timeout("postgres://h/db", pg, "1'; DROP", "x").is_err());
        assert!(with_statement_timeout("mysql://h/db", Engine::Mysql, "1min", "x").is_err());
    }
}
