//! Seed files: `seeds/*.sql`, then `seeds/<env>/*.sql`, each in file-name order.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A seed file to run.
#[derive(Debug, Clone)]
pub struct SeedFile {
    pub path: PathBuf,
    pub text: String,
}

/// Reads the seed files for `env`: the shared ones first, then the environment's own folder.
pub fn seed_files(dir: &Path, env: &str) -> Result<Vec<SeedFile>> {
    let mut out = read_sql_files(dir)?;
    out.extend(read_sql_files(&dir.join(env))?);
    Ok(out)
}

fn read_sql_files(dir: &Path) -> Result<Vec<SeedFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "sql") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
                path: path.clone(),
                offset: e.utf8_error().valid_up_to(),
            })?;
            Ok(SeedFile {
                text: crate::checksum::normalize(&text).into_owned(),
                path,
            })
        })
        .collect()
}
