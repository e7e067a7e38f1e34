//! The SARIF output validates against the official SARIF 2.1.0 JSON schema
//! (`tests/data/sarif-schema-2.1.0.json`, from the OASIS specification), and the JSON output has the
//! documented shape (docs/lint-json.md).

use std::collections::BTreeMap;
use strata_lint::{lint, render, Context, Format, LintFile};
use strata_schema::Engine;

const SQL: &str = "-- strata:allow DL001 archived on 2026-11-01\nDROP TABLE old_logs;\n\nCREATE INDEX orders_created ON orders (created_at);\nDROP TABLE invoices;\nCREATE TABEL nope (id int);\n";

fn findings() -> (Vec<strata_lint::Finding>, BTreeMap<String, String>) {
    let file = LintFile::new("migrations/20261126093000_x.up.sql", SQL, Engine::Postgres);
    let found = lint(&file, &Context::default());
    let sources = BTreeMap::from([(file.path.clone(), file.text.clone())]);
    (found, sources)
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let (found, sources) = findings();
    assert!(found.len() >= 3, "{found:?}");
    let sarif: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &found, &sources)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), found.len());
    assert!(results
        .iter()
        .any(|r| r["suppressions"][0]["justification"] == "archived on 2026-11-01"));
    // An empty run validates too.
    let empty: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &[], &sources)).unwrap();
    assert!(validator.is_valid(&empty));
}

#[test]
fn json_has_the_documented_fields() {
    let (found, sources) = findings();
    let v: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &found, &sources)).unwrap();
    assert_eq!(v["version"], 1);
    let doc = include_str!("../../../docs/lint-json.md");
    for f in v["findings"].as_array().unwrap() {
        for (key, _) in f.as_object().unwrap() {
            assert!(
                doc.contains(&format!("`{key}`")),
                "docs/lint-json.md does not document `{key}`"
            );
        }
    }
}

#[test]
fn github_annotations_and_human_snapshot() {
    let (found, sources) = findings();
    insta::assert_snapshot!("github", render(Format::Github, &found, &sources));
    insta::assert_snapshot!("human", render(Format::Human, &found, &sources));
}
