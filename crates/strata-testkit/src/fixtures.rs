//! The workspace's fixture folders: the round-trip corpus and the schema fixtures of the differ.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use strata_schema::{Engine, Name, Schema};

/// Set to `1` to (re)write the diff fixtures from the live engines instead of checking them.
pub const CAPTURE_VAR: &str = "STRATA_CAPTURE_DIFF_FIXTURES";

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root above crates/strata-testkit")
}

/// `tests/data/roundtrip/<engine>/`, the round-trip corpus of `engine`.
pub fn roundtrip_root(engine: Engine) -> PathBuf {
    workspace_root()
        .join("tests/data/roundtrip")
        .join(engine.to_string())
}

/// The folder of one round-trip case.
pub fn roundtrip_case(engine: Engine, case: &str) -> PathBuf {
    roundtrip_root(engine).join(case)
}

/// Every case folder (one holding a `to.sql`) of `engine`'s corpus, in name order.
pub fn roundtrip_cases(engine: Engine) -> Vec<PathBuf> {
    case_dirs(&roundtrip_root(engine), "to.sql")
}

/// Every captured diff fixture folder (one holding a `to.json`) of `engine`, in name order.
pub fn diff_fixture_cases(engine: Engine) -> Vec<PathBuf> {
    case_dirs(&diff_fixture_dir(engine, ""), "to.json")
}

/// The folders under `root` that hold a file named `marker`, in name order.
fn case_dirs(root: &Path, marker: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join(marker).is_file())
        .collect();
    dirs.sort();
    dirs
}

/// The name of a case folder.
pub fn case_name(dir: &Path) -> String {
    dir.file_name()
        .expect("a case folder")
        .to_string_lossy()
        .into_owned()
}

/// Sets the `renamed_from` hints of `to` from the case's `renames.txt` (`table OLD NEW`,
/// `column TABLE OLD NEW`, names optionally `schema.name`), standing in for the
/// `-- strata:renamed-from` comments of a schema file; returns the table renames, old → new.
pub fn apply_renames(dir: &Path, to: &mut Schema) -> Result<BTreeMap<Name, Name>, String> {
    let mut tables = BTreeMap::new();
    let file = dir.join("renames.txt");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Ok(tables);
    };
    let parse = |s: &str| match s.split_once('.') {
        Some((schema, name)) => Name::qualified(schema, name),
        None => Name::new(s),
    };
    for (n, line) in text.lines().enumerate() {
        let at = format!("{}:{}", file.display(), n + 1);
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            [] => {}
            ["table", old, new] => {
                let new = parse(new);
                let t = to
                    .tables
                    .iter_mut()
                    .find(|t| t.name == new)
                    .ok_or_else(|| format!("{at}: no table {new} in to.sql"))?;
                t.renamed_from = Some(old.to_string());
                tables.insert(parse(old), new);
            }
            ["column", table, old, new] => {
                let table = parse(table);
                let c = to
                    .tables
                    .iter_mut()
                    .find(|t| t.name == table)
                    .and_then(|t| t.columns.iter_mut().find(|c| c.name == *new))
                    .ok_or_else(|| format!("{at}: no column {table}.{new} in to.sql"))?;
                c.renamed_from = Some(old.to_string());
            }
            _ => {
                return Err(format!(
                    "{at}: cannot read `{line}` (table OLD NEW | column TABLE OLD NEW)"
                ))
            }
        }
    }
    Ok(tables)
}

/// `crates/strata-diff/tests/data/<engine>/<case>/`, where the differ's tests find the schemas
/// the engine inspected for a round-trip case.
pub fn diff_fixture_dir(engine: Engine, case: &str) -> PathBuf {
    workspace_root()
        .join("crates/strata-diff/tests/data")
        .join(engine.to_string())
        .join(case)
}

/// Keeps the diff fixtures of a round-trip case equal to what the live engine inspects: `from`
/// (`from.sql` inspected) and `to` (`to.sql` inspected, with the case's rename hints).
///
/// With `STRATA_CAPTURE_DIFF_FIXTURES=1` it writes `from.json` and `to.json`; otherwise it
/// returns an error when a committed file is missing or differs, so the fixtures stay real data.
pub fn check_diff_fixtures(
    engine: Engine,
    case: &str,
    from: &Schema,
    to: &Schema,
) -> Result<(), String> {
    let dir = diff_fixture_dir(engine, case);
    let capture = std::env::var(CAPTURE_VAR).as_deref() == Ok("1");
    for (file, schema) in [("from.json", from), ("to.json", to)] {
        let path = dir.join(file);
        let live = format!("{}\n", crate::compare::json(schema));
        if capture {
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&path, &live))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != live {
            return Err(format!(
                "{} is not what the {engine} server inspects for this case (- committed, + live); \
                 rerun this test with {CAPTURE_VAR}=1 to rewrite it, and commit it:\n{}",
                path.display(),
                crate::compare::line_diff(&committed, &live)
            ));
        }
    }
    Ok(())
}
