//! `strata new`: an empty up/down pair with the next version, and `strata.sum` rewritten.

use crate::error::{Error, Result};
use crate::migration::{slug, Version};
use crate::source::MigrationSet;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use std::path::{Path, PathBuf};

/// The version for a migration created at `now`: the timestamp, or one second after the newest
/// existing version when that is not older (clock skew, several migrations in one second).
pub fn next_version(set: &MigrationSet, now: DateTime<Utc>) -> Version {
    let stamp = |t: NaiveDateTime| -> Version {
        t.format("%Y%m%d%H%M%S")
            .to_string()
            .parse()
            .expect("14 digits")
    };
    let candidate = stamp(now.naive_utc());
    match set.migrations.last() {
        Some(last) if last.version >= candidate => {
            let t = NaiveDateTime::parse_from_str(&last.version.to_string(), "%Y%m%d%H%M%S")
                .expect("versions are validated timestamps");
            stamp(t + TimeDelta::seconds(1))
        }
        _ => candidate,
    }
}

/// Writes `<version>_<slug>.up.sql` and `.down.sql` with `up` / `down` as bodies and rewrites
/// `strata.sum`; refuses when the folder does not match `strata.sum` (it would hide an edit).
pub fn create_migration(
    dir: &Path,
    name: &str,
    up: &str,
    down: &str,
    now: DateTime<Utc>,
) -> Result<(PathBuf, PathBuf)> {
    let slug = slug(name);
    if slug.is_empty() {
        return Err(Error::BadFileName {
            path: dir.join(name),
            reason: format!(
                "\"{name}\" gives an empty file name; use letters or digits, e.g. `create_users`"
            ),
        });
    }
    let mut set = MigrationSet::load(dir)?;
    set.verify_sum()?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let version = next_version(&set, now);
    let up_path = dir.join(format!("{version}_{slug}.up.sql"));
    let down_path = dir.join(format!("{version}_{slug}.down.sql"));
    for (path, text) in [(&up_path, up), (&down_path, down)] {
        std::fs::write(path, text).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    set = MigrationSet::load(dir)?;
    set.write_sum()?;
    Ok((up_path, down_path))
}
