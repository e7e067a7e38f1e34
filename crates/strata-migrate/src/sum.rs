//! `strata.sum`, the integrity file of a migrations folder: line 1 `h1:<hash of all>`, then
//! `<file> h1:<hash>` for every migration file, sorted by name.
//!
//! Two branches that each add a migration both change line 1, so git reports a conflict instead
//! of letting the folders diverge silently.

use crate::checksum::Checksum;
use serde::Serialize;
use std::collections::BTreeMap;

/// The file name of the integrity file inside the migrations folder.
pub const SUM_FILE: &str = "strata.sum";

/// The parsed or computed content of `strata.sum`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumFile {
    /// The checksum on line 1, over every file's name and checksum: any change to the folder
    /// changes it.
    pub total: Checksum,
    /// Each migration file's checksum, by file name (up and down files).
    pub files: BTreeMap<String, Checksum>,
}

/// How a migration file differs from what `strata.sum` recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SumChange {
    /// The file exists but `strata.sum` does not list it.
    Added,
    /// `strata.sum` lists the file but it is gone.
    Removed,
    /// The file's content no longer matches its recorded hash.
    Edited,
}

/// One difference between the folder and `strata.sum`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SumProblem {
    /// The file's name inside the migrations folder.
    pub file: String,
    /// Whether the file was added, removed or edited.
    pub change: SumChange,
}

impl std::fmt::Display for SumProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.change {
            SumChange::Added => "was added but strata.sum does not list it",
            SumChange::Removed => "is listed in strata.sum but the file is gone",
            SumChange::Edited => "was edited after strata.sum was written",
        };
        write!(f, "{} {}", self.file, what)
    }
}

impl SumFile {
    /// Computes the sum of files given as (file name, normalised text).
    pub fn compute<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> SumFile {
        let files: BTreeMap<String, Checksum> = files
            .into_iter()
            .map(|(name, text)| (name.to_string(), Checksum::of_text(text)))
            .collect();
        let mut all = String::new();
        for (name, sum) in &files {
            all.push_str(name);
            all.push(' ');
            all.push_str(sum.as_str());
            all.push('\n');
        }
        SumFile {
            total: Checksum::of_bytes(all.as_bytes()),
            files,
        }
    }

    /// Parses `strata.sum`; the error carries a 1-based line and a reason.
    pub fn parse(text: &str) -> Result<SumFile, (usize, String)> {
        let text = crate::checksum::normalize(text);
        let mut lines = text.lines().enumerate();
        let total = match lines.next() {
            Some((_, l)) if l.trim().starts_with("h1:") => Checksum(l.trim().to_string()),
            _ => return Err((1, "line 1 must be `h1:<hash of all files>`".to_string())),
        };
        let mut files = BTreeMap::new();
        for (i, line) in lines {
            let line = line.trim_end();
            if line.is_empty() {
                continue;
            }
            let Some((name, hash)) = line.rsplit_once(' ') else {
                return Err((i + 1, "expected `<file> h1:<hash>`".to_string()));
            };
            if !hash.starts_with("h1:") {
                return Err((i + 1, "expected `<file> h1:<hash>`".to_string()));
            }
            files.insert(name.to_string(), Checksum(hash.to_string()));
        }
        Ok(SumFile { total, files })
    }

    /// The text of `strata.sum`.
    pub fn render(&self) -> String {
        let mut out = format!("{}\n", self.total);
        for (name, sum) in &self.files {
            out.push_str(&format!("{name} {sum}\n"));
        }
        out
    }

    /// What differs between the folder's actual sum (`self`) and the recorded one.
    pub fn problems_against(&self, recorded: &SumFile) -> Vec<SumProblem> {
        let mut out = Vec::new();
        for (name, sum) in &self.files {
            match recorded.files.get(name) {
                None => out.push(SumProblem {
                    file: name.clone(),
                    change: SumChange::Added,
                }),
                Some(r) if r != sum => out.push(SumProblem {
                    file: name.clone(),
                    change: SumChange::Edited,
                }),
                Some(_) => {}
            }
        }
        for name in recorded.files.keys() {
            if !self.files.contains_key(name) {
                out.push(SumProblem {
                    file: name.clone(),
                    change: SumChange::Removed,
                });
            }
        }
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_changes() {
        let a = SumFile::compute([("1_a.up.sql", "x"), ("2_b.up.sql", "y")]);
        let parsed = SumFile::parse(&a.render()).unwrap();
        assert_eq!(parsed, a);
        let b = SumFile::compute([("1_a.up.sql", "x2"), ("3_c.up.sql", "z")]);
        let problems = b.problems_against(&a);
        assert_eq!(
            problems
                .iter()
                .map(|p| (p.file.as_str(), p.change))
                .collect::<Vec<_>>(),
            vec![
                ("1_a.up.sql", SumChange::Edited),
                ("2_b.up.sql", SumChange::Removed),
                ("3_c.up.sql", SumChange::Added)
            ]
        );
    }

    #[test]
    fn malformed_lines_are_located() {
        assert_eq!(SumFile::parse("nope\n").unwrap_err().0, 1);
        assert_eq!(
            SumFile::parse("h1:abc\nfile-without-hash\n").unwrap_err().0,
            2
        );
    }
}
