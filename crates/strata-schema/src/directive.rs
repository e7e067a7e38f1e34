//! Header directives of a migration file: `-- strata:no-transaction`, `-- strata:allow <rule> <reason>`
//! and `-- strata:lock-timeout <duration>`.

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
}

/// A directive that strata could not read; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveError {
    pub line: usize,
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
                    d.lock_timeout = Some(parse_duration(arg).map_err(err)?);
                }
                // Directives of later features (e.g. renamed-from in schema files) are not errors here.
                "renamed-from" => {}
                other => {
                    return Err(err(format!(
                        "unknown directive `strata:{other}`; known: no-transaction, allow, lock-timeout, foreign-keys-off"
                    )))
                }
            }
        }
        Ok(d)
    }
}

/// Parses durations such as `500ms`, `5s`, `2m`, `1h` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("\"{text}\" is not a duration; write e.g. 500ms, 5s, 2m"))?;
    let secs = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown duration unit \"{other}\" in \"{text}\"; use ms, s, m or h"
            ))
        }
    };
    Ok(Duration::from_secs_f64(secs))
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
    fn rejects_unknown_directives_and_durations() {
        assert_eq!(Directives::parse("-- strata:nope\n").unwrap_err().line, 1);
        assert!(Directives::parse("-- strata:lock-timeout 5 weeks\n").is_err());
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
    }
}
