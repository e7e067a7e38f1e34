//! Reporters: human (with the SQL and a caret under the span), JSON, SARIF 2.1.0 and GitHub
//! workflow annotations.

use crate::finding::{Finding, Severity};
use serde_json::json;
use std::collections::BTreeMap;

/// An output format of `strata lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "github" => Ok(Format::Github),
            other => Err(format!(
                "unknown format \"{other}\"; use human, json, sarif or github"
            )),
        }
    }
}

/// Renders findings; `sources` maps each file to its text (for the human format's snippets).
pub fn render(format: Format, findings: &[Finding], sources: &BTreeMap<String, String>) -> String {
    match format {
        Format::Human => human(findings, sources),
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Out<'a> {
                findings: &'a [Finding],
                version: u32,
            }
            serde_json::to_string_pretty(&Out {
                findings,
                version: 1,
            })
            .expect("findings serialise")
        }
        Format::Sarif => sarif(findings),
        Format::Github => github(findings),
    }
}

fn human(findings: &[Finding], sources: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut suppressed = 0;
    for f in findings {
        if f.suppressed.is_some() {
            suppressed += 1;
            continue;
        }
        out.push_str(&format!(
            "{}[{}] {}: {}\n  --> {}:{}:{}\n",
            f.severity.as_str(),
            f.code,
            f.rule,
            f.message,
            f.file,
            f.line,
            f.column
        ));
        if let Some(text) = sources.get(&f.file) {
            let line_text = text.lines().nth(f.line - 1).unwrap_or("");
            let gutter = f.line.to_string().len();
            let width = if f.end_line == f.line {
                f.end_column.saturating_sub(f.column).max(1)
            } else {
                line_text
                    .chars()
                    .count()
                    .saturating_sub(f.column - 1)
                    .max(1)
            };
            out.push_str(&format!("{:gutter$} |\n", ""));
            out.push_str(&format!("{} | {}\n", f.line, line_text));
            out.push_str(&format!(
                "{:gutter$} | {}{}\n",
                "",
                " ".repeat(f.column - 1),
                "^".repeat(width)
            ));
        }
        if let Some(h) = &f.help {
            out.push_str(&format!("  = help: {h}\n"));
        }
        out.push('\n');
    }
    let count = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.severity == s)
            .count()
    };
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    if e + w + i == 0 {
        out.push_str("no findings");
    } else {
        out.push_str(&format!("{e} error(s), {w} warning(s), {i} info"));
    }
    if suppressed > 0 {
        out.push_str(&format!(", {suppressed} suppressed with strata:allow"));
    }
    out.push('\n');
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn sarif(findings: &[Finding]) -> String {
    let mut rules: BTreeMap<&str, &str> = BTreeMap::new();
    for f in findings {
        rules.insert(&f.code, &f.rule);
    }
    let catalogue: Vec<_> = crate::rules::all()
        .iter()
        .filter(|r| rules.contains_key(r.code()))
        .map(|r| {
            json!({
                "id": r.code(),
                "name": r.name(),
                "shortDescription": { "text": r.name().replace('-', " ") },
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.code,
                "level": sarif_level(f.severity),
                "message": { "text": match &f.help {
                    Some(h) => format!("{} Help: {h}", f.message),
                    None => f.message.clone(),
                } },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.file },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column.max(1),
                        }
                    }
                }],
            });
            if let Some(reason) = &f.suppressed {
                r["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
            }
            r
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "strata",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": catalogue,
            }},
            "results": results,
        }]
    }))
    .expect("SARIF serialises")
}

/// GitHub workflow commands: `::error file=...,line=...::message`.
fn github(findings: &[Finding]) -> String {
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in findings.iter().filter(|f| f.suppressed.is_none()) {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut msg = f.message.clone();
        if let Some(h) = &f.help {
            msg.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!(
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            prop(&f.file),
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            prop(&format!("{} {}", f.code, f.rule)),
            escape(&msg)
        ));
    }
    out
}
