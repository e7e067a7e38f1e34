//! Reporters: human (with the SQL and a caret under the span), JSON, SARIF 2.1.0 and GitHub
//! workflow annotations.

use crate::finding::{Finding, Severity};
use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet};
use anstyle::Style;
use serde_json::json;
use std::collections::BTreeMap;

/// An output format of `strata lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-style diagnostics with the source line and a caret under the finding.
    Human,
    /// One JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=...`), shown inline on pull requests.
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

/// Renders findings without colour; `sources` maps each file to its text (for the human format's
/// snippets).
pub fn render(format: Format, findings: &[Finding], sources: &BTreeMap<String, String>) -> String {
    match format {
        Format::Human => human(findings, sources, false),
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

/// The human format in ANSI colours (annotate-snippets' rustc palette), for a terminal; writers
/// that strip escape codes (anstream) turn it back into exactly the plain [`render`] output.
pub fn render_styled(findings: &[Finding], sources: &BTreeMap<String, String>) -> String {
    human(findings, sources, true)
}

fn human(findings: &[Finding], sources: &BTreeMap<String, String>, styled: bool) -> String {
    let (renderer, emphasis) = if styled {
        (Renderer::styled(), Style::new().bold())
    } else {
        (Renderer::plain(), Style::new())
    };
    let mut out = String::new();
    for f in findings.iter().filter(|f| f.suppressed.is_none()) {
        out.push_str(&renderer.render(&[snippet(f, sources.get(&f.file))]));
        out.push_str("\n\n");
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
    let suppressed = findings.iter().filter(|f| f.suppressed.is_some()).count();
    let total = if e + w + i == 0 {
        "no findings".to_string()
    } else {
        format!("{e} error(s), {w} warning(s), {i} info")
    };
    out.push_str(&format!("{emphasis}{total}{emphasis:#}"));
    if suppressed > 0 {
        out.push_str(&format!(", {suppressed} suppressed with strata:allow"));
    }
    out.push('\n');
    out
}

/// One finding as a rustc-style diagnostic: `error[PG001]: rule: message`, its location, the
/// first line of its span underlined (a statement can run over dozens of lines; its first line
/// says which one it is) and the help.
fn snippet<'a>(f: &'a Finding, text: Option<&'a String>) -> Group<'a> {
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level
        .primary_title(format!("{}: {}", f.rule, f.message))
        .id(&f.code);
    let place: Element<'a> = match text {
        Some(text) => {
            let start = f.start.min(text.len());
            let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            let end = f.end.clamp(start, line_end);
            Snippet::source(text.as_str())
                .path(f.file.as_str())
                .annotation(AnnotationKind::Primary.span(start..end))
                .into()
        }
        None => Origin::path(f.file.as_str())
            .line(f.line)
            .char_column(f.column)
            .into(),
    };
    let group = title.element(place);
    match &f.help {
        Some(help) => group.element(Level::HELP.message(help.as_str())),
        None => group,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str) -> Finding {
        Finding {
            code: "PG001".into(),
            rule: "create-index-non-concurrently".into(),
            severity: Severity::Error,
            message: "CREATE INDEX blocks writes to t".into(),
            help: Some("use CREATE INDEX CONCURRENTLY".into()),
            file: file.into(),
            line: 2,
            column: 1,
            end_line: 3,
            end_column: 10,
            start: 8,
            end: 45,
            statement: 1,
            suppressed: None,
        }
    }

    /// The CLI prints the styled text through a writer that strips escape codes in pipes: that
    /// must give exactly the plain report the snapshots hold.
    #[test]
    fn styled_output_is_the_plain_output_in_colour() {
        let sources = BTreeMap::from([(
            "m.sql".to_string(),
            "SELECT;\nCREATE INDEX i ON t (a)\n  WHERE a > 0;\n".to_string(),
        )]);
        let findings = [finding("m.sql")];
        let styled = render_styled(&findings, &sources);
        let plain = render(Format::Human, &findings, &sources);
        assert!(styled.contains("\x1b["), "{styled}");
        assert!(!plain.contains('\x1b'), "{plain}");
        assert_eq!(anstream::adapter::strip_str(&styled).to_string(), plain);
        // A span over several lines is underlined on its first line only.
        assert!(
            plain.contains("2 | CREATE INDEX i ON t (a)\n  | ^^^^^^^^^^^^^^^^^^^^^^^\n"),
            "{plain}"
        );
    }

    #[test]
    fn a_finding_without_its_source_still_says_where() {
        let plain = render(Format::Human, &[finding("gone.sql")], &BTreeMap::new());
        assert!(
            plain.starts_with("error[PG001]: create-index-non-concurrently: CREATE INDEX blocks writes to t\n --> gone.sql:2:1\n"),
            "{plain}"
        );
        assert!(
            plain.contains("= help: use CREATE INDEX CONCURRENTLY"),
            "{plain}"
        );
    }
}
