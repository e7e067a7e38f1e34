use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An engine strata can target: the embedded SQLite default, PostgreSQL or MySQL/MariaDB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// SQLite, through the embedded library (no server).
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB, which strata treats as one engine.
    Mysql,
}

impl Engine {
    /// All engines, in the order help texts list them.
    pub const ALL: [Engine; 3] = [Engine::Sqlite, Engine::Postgres, Engine::Mysql];

    /// The name used in `strata.toml` and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
        }
    }

    /// Whether DDL can run inside a transaction that is rolled back as a whole on failure.
    ///
    /// MySQL and MariaDB commit implicitly before and after every DDL statement, so their
    /// migrations always run statement by statement with recorded progress.
    pub fn transactional_ddl(self) -> bool {
        !matches!(self, Engine::Mysql)
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an engine name that strata does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEngine(pub String);

impl fmt::Display for UnknownEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown engine \"{}\": expected one of sqlite, postgres, mysql",
            self.0
        )
    }
}

impl std::error::Error for UnknownEngine {}

impl FromStr for Engine {
    type Err = UnknownEngine;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sqlite" | "sqlite3" => Ok(Engine::Sqlite),
            "postgres" | "postgresql" | "pg" => Ok(Engine::Postgres),
            "mysql" | "mariadb" => Ok(Engine::Mysql),
            _ => Err(UnknownEngine(s.to_string())),
        }
    }
}
