//! A migrations folder for the round-trip corpora, applied and rolled back the way the CLI does
//! it: [`Migrator`] over a [`Database`] from [`strata_engine::connect`].

use std::path::Path;
use strata_engine::{connect, ConnectOptions, Database};
use strata_migrate::{MigrationSet, Migrator, RollbackTarget};

/// A temporary migrations folder; versions are handed out in order.
pub struct Migrations {
    dir: tempfile::TempDir,
    next: i64,
}

impl Migrations {
    pub fn new() -> Migrations {
        Migrations {
            dir: tempfile::tempdir().unwrap(),
            next: 20260101000001,
        }
    }

    /// Adds a migration (and its down file when given) and rewrites strata.sum.
    pub fn add(&mut self, name: &str, up: &str, down: Option<&str>) {
        let version = self.next;
        self.next += 1;
        std::fs::write(self.path().join(format!("{version}_{name}.up.sql")), up).unwrap();
        if let Some(down) = down {
            std::fs::write(self.path().join(format!("{version}_{name}.down.sql")), down).unwrap();
        }
        let mut set = MigrationSet::load(self.path()).unwrap();
        set.write_sum().unwrap();
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn migrator(&self) -> Migrator {
        Migrator::new(MigrationSet::load(self.path()).unwrap())
    }

    /// Applies every pending migration; the error as the CLI would print it.
    pub async fn apply(&self, db: &mut Database) -> Result<(), String> {
        self.migrator()
            .apply(db, None, false, &mut |_| {})
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Rolls the newest migration back.
    pub async fn rollback(&self, db: &mut Database) -> Result<(), String> {
        self.migrator()
            .rollback(db, RollbackTarget::Steps(1), false, &mut |_| {})
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Connects the way the CLI does.
pub async fn database(url: &str) -> Database {
    connect(&ConnectOptions::new(url)).await.unwrap()
}
