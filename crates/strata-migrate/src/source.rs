//! Reading a migrations folder (or files embedded at compile time) into a [`MigrationSet`].

use crate::checksum::{normalize, Checksum};
use crate::directive::Directives;
use crate::error::{Error, Result};
use crate::migration::{is_timestamp_version, Migration, Script, Version};
use crate::sum::{SumFile, SumProblem, SUM_FILE};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The migrations of a project with the integrity file that guards them.
#[derive(Debug, Clone)]
pub struct MigrationSet {
    /// Where the migrations come from (a folder, or a label for embedded files).
    pub dir: PathBuf,
    /// Migrations sorted by version.
    pub migrations: Vec<Migration>,
    /// Normalised text of every migration file, by file name (what `strata.sum` covers).
    pub files: BTreeMap<String, String>,
    /// The recorded `strata.sum`, if there is one.
    pub sum: Option<SumFile>,
}

impl MigrationSet {
    /// Loads every `*.up.sql` / `*.down.sql` file and `strata.sum` of `dir`; a missing folder is empty.
    pub fn load(dir: &Path) -> Result<MigrationSet> {
        let mut raw: Vec<(String, Vec<u8>)> = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(MigrationSet::empty(dir));
            }
            Err(source) => {
                return Err(Error::Io {
                    path: dir.to_path_buf(),
                    source,
                })
            }
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.ends_with(".sql") || name == SUM_FILE) {
                continue;
            }
            let path = entry.path();
            let bytes = std::fs::read(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            raw.push((name, bytes));
        }
        let mut files = Vec::with_capacity(raw.len());
        for (name, bytes) in raw {
            let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
                path: dir.join(&name),
                offset: e.utf8_error().valid_up_to(),
            })?;
            files.push((name, text));
        }
        MigrationSet::from_texts(dir, files)
    }

    /// Builds a set from files embedded in the binary, as (file name, text) pairs.
    ///
    /// `strata_migrate::embed::write_embedded` generates the list from a build script.
    pub fn from_files(label: &str, files: &[(&str, &str)]) -> Result<MigrationSet> {
        MigrationSet::from_texts(
            Path::new(label),
            files
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        )
    }

    fn empty(dir: &Path) -> MigrationSet {
        MigrationSet {
            dir: dir.to_path_buf(),
            migrations: Vec::new(),
            files: BTreeMap::new(),
            sum: None,
        }
    }

    fn from_texts(dir: &Path, texts: Vec<(String, String)>) -> Result<MigrationSet> {
        let mut set = MigrationSet::empty(dir);
        let mut ups: BTreeMap<Version, (String, Script)> = BTreeMap::new();
        let mut downs: BTreeMap<Version, (String, Script)> = BTreeMap::new();
        for (file, text) in texts {
            let path = dir.join(&file);
            if file == SUM_FILE {
                let sum = SumFile::parse(&text).map_err(|(line, message)| Error::SumMalformed {
                    path,
                    line,
                    message,
                })?;
                set.sum = Some(sum);
                continue;
            }
            let (stem, is_up) = if let Some(s) = file.strip_suffix(".up.sql") {
                (s, true)
            } else if let Some(s) = file.strip_suffix(".down.sql") {
                (s, false)
            } else {
                return Err(Error::BadFileName {
                    path,
                    reason: "migration files are named <version>_<name>.up.sql or <version>_<name>.down.sql; rename it or move it out of the migrations folder".into(),
                });
            };
            let (version_text, name) = stem.split_once('_').unwrap_or((stem, ""));
            if !is_timestamp_version(version_text) {
                return Err(Error::BadFileName {
                    path,
                    reason: format!(
                        "version \"{version_text}\" is not a UTC timestamp YYYYMMDDHHMMSS (e.g. 20261126093000); rename the file, or create migrations with `strata new NAME`"
                    ),
                });
            }
            let version: Version = version_text.parse().expect("14 digits fit in i64");
            let text = normalize(&text).into_owned();
            let directives = Directives::parse(&text).map_err(|e| Error::Directive {
                path: path.clone(),
                line: e.line,
                message: e.message,
            })?;
            let script = Script {
                file: file.clone(),
                checksum: Checksum::of_text(&text),
                text: text.clone(),
                directives,
            };
            let slot = if is_up { &mut ups } else { &mut downs };
            if let Some((other, _)) = slot.get(&version) {
                return Err(Error::BadFileName {
                    path,
                    reason: format!(
                        "version {version} is also used by {other}; versions must be unique"
                    ),
                });
            }
            slot.insert(version, (name.to_string(), script));
            set.files.insert(file, text);
        }
        for (version, (_, down)) in &downs {
            if !ups.contains_key(version) {
                return Err(Error::BadFileName {
                    path: dir.join(&down.file),
                    reason:
                        "down file without its up file; add the .up.sql file or remove this one"
                            .into(),
                });
            }
        }
        for (version, (name, up)) in ups {
            let down = downs.remove(&version).map(|(_, s)| s);
            set.migrations.push(Migration {
                version,
                name,
                up,
                down,
            });
        }
        Ok(set)
    }

    /// The sum of the files as they are now.
    pub fn computed_sum(&self) -> SumFile {
        SumFile::compute(self.files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    }

    /// Checks the files against `strata.sum`.
    pub fn verify_sum(&self) -> Result<()> {
        let problems = self.sum_problems()?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::SumMismatch { problems })
        }
    }

    /// The differences between the files and `strata.sum`.
    pub fn sum_problems(&self) -> Result<Vec<SumProblem>> {
        match &self.sum {
            Some(recorded) => Ok(self.computed_sum().problems_against(recorded)),
            None if self.files.is_empty() => Ok(Vec::new()),
            None => Err(Error::SumMissing {
                path: self.dir.join(SUM_FILE),
            }),
        }
    }

    /// The migration of `version`.
    pub fn get(&self, version: Version) -> Option<&Migration> {
        self.migrations
            .binary_search_by_key(&version, |m| m.version)
            .ok()
            .map(|i| &self.migrations[i])
    }

    /// Writes `strata.sum` for the files as they are now (after `strata new`, or `validate --rehash`).
    pub fn write_sum(&mut self) -> Result<()> {
        let sum = self.computed_sum();
        let path = self.dir.join(SUM_FILE);
        std::fs::write(&path, sum.render()).map_err(|source| Error::Io { path, source })?;
        self.sum = Some(sum);
        Ok(())
    }
}
