//! `docs/lint-rules.md` is generated from the rules' doc comments; this test keeps it current.
//! Regenerate with `STRATA_UPDATE_DOCS=1 cargo test -p strata-lint --test docs`.

use std::path::Path;

struct RuleDoc {
    code: String,
    name: String,
    engines: String,
    doc: String,
}

fn between<'a>(text: &'a str, after: &str) -> Option<&'a str> {
    let at = text.find(after)? + after.len();
    let rest = &text[at..];
    let q1 = rest.find('"')? + 1;
    let q2 = rest[q1..].find('"')? + q1;
    Some(&rest[q1..q2])
}

fn read(path: &Path) -> Option<RuleDoc> {
    let text = std::fs::read_to_string(path).ok()?;
    let code = between(&text, "fn code(&self)")?.to_string();
    let name = between(&text, "fn name(&self)")?.to_string();
    let engines_src = text.split("fn engines(&self)").nth(1)?;
    let engines_src = &engines_src[..engines_src.find('}')?];
    let engines: Vec<&str> = ["Postgres", "Mysql", "Sqlite"]
        .into_iter()
        .filter(|e| engines_src.contains(&format!("Engine::{e}")))
        .map(|e| match e {
            "Postgres" => "PostgreSQL",
            "Mysql" => "MySQL/MariaDB",
            _ => "SQLite",
        })
        .collect();
    // The doc comment right above `pub struct`.
    let struct_at = text.find("\npub struct ")?;
    let doc: Vec<&str> = text[..struct_at]
        .lines()
        .rev()
        .take_while(|l| l.starts_with("///"))
        .collect();
    let doc = doc
        .into_iter()
        .rev()
        .map(|l| {
            l.trim_start_matches("///")
                .strip_prefix(' ')
                .unwrap_or(l.trim_start_matches("///"))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace("## ", "#### ");
    Some(RuleDoc {
        code,
        name,
        engines: engines.join(", "),
        doc,
    })
}

fn generate() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut rules: Vec<RuleDoc> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .flat_map(|family| {
            std::fs::read_dir(family)
                .unwrap()
                .map(|e| e.unwrap().path())
        })
        .filter_map(|p| read(&p))
        .collect();
    rules.sort_by(|a, b| a.code.cmp(&b.code));
    let mut out = String::from(
        "# strata lint rules\n\nGenerated from the rules' doc comments (`crates/strata-lint/src/rules/`); do not edit by hand.\nRegenerate with `STRATA_UPDATE_DOCS=1 cargo test -p strata-lint --test docs`.\n\nAccept a finding on purpose with `-- strata:allow <code> <reason>` above the statement (or in the\nfile's header for the whole file). Exit codes of `strata lint`: 0 no error-level findings, 1 error-level\nfindings, 2 the tool failed.\n\n| code | rule | engines |\n|---|---|---|\n",
    );
    for r in &rules {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} |\n",
            r.code,
            r.code.to_lowercase(),
            r.name,
            r.engines
        ));
    }
    for r in &rules {
        out.push_str(&format!(
            "\n## {}\n\n`{}` — {}\n\n{}\n",
            r.code, r.name, r.engines, r.doc
        ));
    }
    out
}

#[test]
fn lint_rules_doc_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lint-rules.md");
    let fresh = generate();
    if std::env::var_os("STRATA_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/lint-rules.md is out of date: run `STRATA_UPDATE_DOCS=1 cargo test -p strata-lint --test docs`"
    );
}

#[test]
fn every_rule_has_the_four_sections() {
    let fresh = generate();
    for section in [
        "#### What it does",
        "#### Why is this bad?",
        "#### Example",
        "#### Use instead",
    ] {
        let rules = fresh.matches("\n## ").count();
        assert_eq!(
            fresh.matches(section).count(),
            rules,
            "a rule lacks `{section}`"
        );
    }
}
