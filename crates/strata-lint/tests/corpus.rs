//! The lint corpus: every `tests/data/lint/<engine>/<name>.sql` (repository root) is linted
//! without a database and its findings compared with `<name>.expected` next to it, one line per
//! finding: `line:col CODE severity message`, suppressed ones marked with their reason.
//! Rewrite the expected files with `STRATA_UPDATE_LINT_CORPUS=1 cargo test -p strata-lint --test corpus`.

use std::path::{Path, PathBuf};
use strata_lint::{lint, Context, Finding, LintFile};
use strata_schema::Engine;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/lint")
}

/// The compact rendering compared with `.expected`.
fn render(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let suppressed = f
                .suppressed
                .as_ref()
                .map(|r| match r.as_str() {
                    "" => " [suppressed]".to_string(),
                    r => format!(" [suppressed: {r}]"),
                })
                .unwrap_or_default();
            format!(
                "{}:{} {} {} {}{suppressed}\n",
                f.line,
                f.column,
                f.code,
                f.severity.as_str(),
                f.message
            )
        })
        .collect()
}

#[test]
fn findings_match_the_expected_lists() {
    let update = std::env::var_os("STRATA_UPDATE_LINT_CORPUS").is_some();
    let mut failures = Vec::new();
    let mut files = 0;
    for (dir, engine) in [
        ("postgres", Engine::Postgres),
        ("mysql", Engine::Mysql),
        ("sqlite", Engine::Sqlite),
    ] {
        let mut sql: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join(dir))
            .unwrap_or_else(|e| panic!("cannot read tests/data/lint/{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        sql.sort();
        assert!(!sql.is_empty(), "tests/data/lint/{dir} has no .sql files");
        for path in sql {
            files += 1;
            let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
            let text = std::fs::read_to_string(&path).unwrap();
            let file = LintFile::new(&name, &text, engine);
            let got = render(&lint(&file, &Context::default()));
            let expected_path = path.with_extension("expected");
            if update {
                std::fs::write(&expected_path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if got != want {
                failures.push(format!(
                    "{name}: findings differ from {}\n--- expected\n{want}--- got\n{got}",
                    expected_path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(files > 0, "no corpus files");
    assert!(
        failures.is_empty(),
        "{}\nif the new findings are right: STRATA_UPDATE_LINT_CORPUS=1 cargo test -p strata-lint --test corpus",
        failures.join("\n")
    );
}
