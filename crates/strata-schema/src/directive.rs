//! Header directives of a migration file: `-- strata:no-transaction`, `-- strata:allow <rule> <reason>`,
//! `-- strata:lock-timeout <duration>`, `-- strata:foreign-keys-off` and
//! `-- strata:keep-rows <table>, <old> -> <new>, ...`.

use crate::model::Name;
use std::time::Duration;

/// The directives read from the comment lines at the top of a migration file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives {
    /// Run statement by statement outside a transaction, recording progress after each.
    pub no_transaction: bool,
    /// Lint findings accepted on purpose: (rule, reason).
    pub allow: Vec<(String, String)>,
    /// How long a statement may wait for a lock before failing.
    pub lock_timeout: Option<Duration>,
    /// Switch foreign-key enforcement off around the migration and check the whole database
    /// before commit (SQLite's table rebuild; written by `strata plan`).
    pub foreign_keys_off: bool,
    /// Tables whose row count the migration must not change (the tables a planned rebuild
    /// recreates and those that reference them); apply compares the counts before and after
    /// and rolls the migration back on a difference.
    pub keep_rows: Vec<KeptTable>,
}

/// A table named by `-- strata:keep-rows`: its name before the migration and after it (the same
/// unless the migration renames it, written `old -> new`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptTable {
    /// The table's name before the migration runs, unquoted as written in the directive.
    pub before: Name,
    /// The table's name after the migration runs; equal to `before` unless written `old -> new`.
    pub after: Name,
}

/// A directive that strata could not read; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveError {
    /// The 1-based line of the directive in the migration file.
    pub line: usize,
    /// What is wrong with the directive and what to write instead.
    pub message: String,
}

impl Directives {
    /// Reads directives from the leading comment block of `text` (blank lines allowed, the first
    /// SQL line ends the header).
    pub fn parse(text: &str) -> Result<Directives, DirectiveError> {
        let mut d = Directives::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim().trim_start_matches('\u{feff}');
            if line.is_empty() {
                continue;
            }
            let Some(comment) = line.strip_prefix("--") else {
                break;
            };
            let Some(body) = comment.trim().strip_prefix("strata:") else {
                continue;
            };
            let mut parts = body.splitn(2, char::is_whitespace);
            let name = parts.next().unwrap_or("");
            let arg = parts.next().unwrap_or("").trim();
            let err = |message: String| DirectiveError {
                line: i + 1,
                message,
            };
            match name {
                "no-transaction" => d.no_transaction = true,
                "foreign-keys-off" => d.foreign_keys_off = true,
                "allow" => {
                    let mut p = arg.splitn(2, char::is_whitespace);
                    let rule = p.next().unwrap_or("").to_string();
                    if rule.is_empty() {
                        return Err(err("`strata:allow` needs a rule code and a reason".into()));
                    }
                    d.allow
                        .push((rule, p.next().unwrap_or("").trim().to_string()));
                }
                "lock-timeout" => {
                    d.lock_timeout = Some(parse_lock_timeout(arg).map_err(err)?);
                }
                "keep-rows" => d.keep_rows.extend(parse_kept(arg).map_err(err)?),
                // Directives of later features (e.g. renamed-from in schema files) are not errors here.
                "renamed-from" => {}
                other => {
                    return Err(err(format!(
                        "unknown directive `strata:{other}`; known: no-transaction, allow, lock-timeout, foreign-keys-off, keep-rows"
                    )))
                }
            }
        }
        Ok(d)
    }
}

/// Reads the list of `-- strata:keep-rows`: comma-separated table names, each `name`,
/// `schema.name` or `old -> new`; names may be quoted with `"` or `` ` ``.
fn parse_kept(arg: &str) -> Result<Vec<KeptTable>, String> {
    let mut out = Vec::new();
    for item in split_outside_quotes(arg, ',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (before, after) = match item.split_once("->") {
            Some((b, a)) => (parse_name(b)?, parse_name(a)?),
            None => {
                let n = parse_name(item)?;
                (n.clone(), n)
            }
        };
        out.push(KeptTable { before, after });
    }
    if out.is_empty() {
        return Err(
            "`strata:keep-rows` needs table names, e.g. `-- strata:keep-rows users, posts`".into(),
        );
    }
    Ok(out)
}

/// `name`, `schema.name`, each part bare or quoted.
fn parse_name(text: &str) -> Result<Name, String> {
    let parts: Vec<String> = split_outside_quotes(text.trim(), '.')
        .into_iter()
        .map(|p| {
            let p = p.trim();
            let unquoted = ['"', '`']
                .iter()
                .find_map(|q| p.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)))
                .map(|inner| inner.replace("\"\"", "\"").replace("``", "`"));
            unquoted.unwrap_or_else(|| p.to_string())
        })
        .collect();
    match parts.as_slice() {
        [name] if !name.is_empty() => Ok(Name::new(name.clone())),
        [schema, name] if !schema.is_empty() && !name.is_empty() => {
            Ok(Name::qualified(schema.clone(), name.clone()))
        }
        _ => Err(format!(
            "\"{}\" is not a table name; write `name` or `schema.name`",
            text.trim()
        )),
    }
}

fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if c == sep => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            None => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// Parses a duration as users write it: `500ms`, `5s`, `2m`, `1h`, `1h 30m`, `1.5s` (humantime's
/// units and their long names); a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    // A bare number has always meant seconds (`--lock-timeout 30`); humantime wants a unit.
    let bare = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let parsed = if bare {
        humantime::parse_duration(&format!("{t}s"))
    } else {
        humantime::parse_duration(t)
    };
    parsed
        .map_err(|e| format!("\"{text}\" is not a duration ({e}); write e.g. 500ms, 5s, 2m or 1h"))
}

/// The longest lock timeout every engine can be given: PostgreSQL's `lock_timeout` and SQLite's
/// busy timeout are 32-bit counts of milliseconds (about 24 days).
const MAX_LOCK_TIMEOUT: Duration = Duration::from_millis(i32::MAX as u64);

/// A `strata:lock-timeout` value: a duration the engines can set, at least a millisecond (the
/// engines count whole milliseconds or seconds, and 0 would switch the timeout off).
fn parse_lock_timeout(arg: &str) -> Result<Duration, String> {
    let d = parse_duration(arg)?;
    if d < Duration::from_millis(1) {
        return Err(format!(
            "lock timeout \"{arg}\" is under a millisecond, which the engines read as no timeout; write e.g. 5s, or drop the directive"
        ));
    }
    if d > MAX_LOCK_TIMEOUT {
        return Err(format!(
            "lock timeout \"{arg}\" is longer than the engines accept (at most 24 days); write e.g. 5s or 1h"
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header_only() {
        let d = Directives::parse(
            "-- strata:no-transaction\n-- strata:lock-timeout 5s\n\n-- strata:allow PG001 built offline\nCREATE INDEX;\n-- strata:no-such\n",
        )
        .unwrap();
        assert!(d.no_transaction);
        assert_eq!(d.lock_timeout, Some(Duration::from_secs(5)));
        assert_eq!(d.allow, vec![("PG001".into(), "built offline".into())]);
    }

    #[test]
    fn reads_the_tables_whose_rows_are_kept() {
        let d = Directives::parse(
            "-- strata:keep-rows users, app.posts, old_tags -> tags, \"we,ird\"\n",
        )
        .unwrap();
        let names: Vec<(String, String)> = d
            .keep_rows
            .iter()
            .map(|k| (k.before.to_string(), k.after.to_string()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("users".into(), "users".into()),
                ("app.posts".into(), "app.posts".into()),
                ("old_tags".into(), "tags".into()),
                ("we,ird".into(), "we,ird".into()),
            ]
        );
        assert_eq!(
            Directives::parse("-- strata:keep-rows\n").unwrap_err().line,
            1
        );
        assert!(Directives::parse("-- strata:keep-rows a.b.c\n").is_err());
    }

    #[test]
    fn rejects_unknown_directives_and_durations() {
        assert_eq!(Directives::parse("-- strata:nope\n").unwrap_err().line, 1);
        assert!(Directives::parse("-- strata:lock-timeout 5 weeks\n").is_err());
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(Directives::parse("-- strata:lock-timeout 0s\n").is_err());
        assert!(Directives::parse("-- strata:lock-timeout 900us\n").is_err());
        assert_eq!(
            Directives::parse("-- strata:lock-timeout 24days\n")
                .unwrap()
                .lock_timeout,
            Some(Duration::from_secs(24 * 86400))
        );
    }

    #[test]
    fn reads_durations_as_users_write_them() {
        for (text, want) in [
            ("500ms", Duration::from_millis(500)),
            ("5s", Duration::from_secs(5)),
            ("60s", Duration::from_secs(60)),
            ("2m", Duration::from_secs(120)),
            ("2min", Duration::from_secs(120)),
            ("1h", Duration::from_secs(3600)),
            ("1h 30m", Duration::from_secs(5400)),
            ("1.5s", Duration::from_millis(1500)),
            ("30", Duration::from_secs(30)),
            (" 5s ", Duration::from_secs(5)),
        ] {
            assert_eq!(parse_duration(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn a_bad_duration_is_named_in_the_error() {
        for text in ["5x", "", "soon", "s5", "1.2.3"] {
            let e = parse_duration(text).unwrap_err();
            assert!(
                e.starts_with(&format!("\"{text}\" is not a duration (")),
                "{text}: {e}"
            );
            assert!(e.ends_with("write e.g. 500ms, 5s, 2m or 1h"), "{e}");
        }
    }
}
