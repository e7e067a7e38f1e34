//! Embedding a migrations folder in an application binary, from its build script.
//!
//! ```no_run
//! // build.rs
//! strata_migrate::embed::write_embedded("migrations", "strata_migrations.rs").unwrap();
//! ```
//! ```ignore
//! // src/main.rs
//! let files: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/strata_migrations.rs"));
//! let set = strata_migrate::MigrationSet::from_files("migrations", files)?;
//! ```

use std::io::Write;
use std::path::Path;

/// Writes `$OUT_DIR/<out_name>`: a Rust slice expression of (file name, `include_str!`) pairs for
/// every `.sql` file and `strata.sum` in `dir`, and asks cargo to rebuild when the folder changes.
pub fn write_embedded(dir: impl AsRef<Path>, out_name: &str) -> std::io::Result<()> {
    let dir = dir.as_ref();
    let out_dir = std::env::var_os("OUT_DIR")
        .ok_or_else(|| std::io::Error::other("OUT_DIR is not set: call this from build.rs"))?;
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".sql") || name == crate::sum::SUM_FILE {
            names.push((name, std::fs::canonicalize(entry.path())?));
        }
    }
    names.sort();
    let mut out = std::fs::File::create(Path::new(&out_dir).join(out_name))?;
    writeln!(out, "&[")?;
    for (name, path) in names {
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
    }
    writeln!(out, "]")?;
    Ok(())
}
