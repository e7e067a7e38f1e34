use super::support::declared_columns;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::DataType;
use strata_schema::Engine;

/// ## What it does
/// Finds columns declared or changed to `char(n)` / `character(n)` (fixed length; a bare `char`
/// is `char(1)`).
///
/// ## Why is this bad?
/// Values are padded with spaces to the full length. PostgreSQL ignores the padding in some
/// comparisons and not in others (`LIKE`, regular expressions, casts to `text`), so equal-looking
/// values do not match; MySQL strips trailing spaces on read, so what you store is not what you
/// get back. Neither saves space over a variable-length type.
///
/// ## Example
/// ```sql
/// CREATE TABLE countries (code char(2) PRIMARY KEY, name char(100) NOT NULL);
/// ```
///
/// ## Use instead
/// `text` (PostgreSQL, with a `CHECK` on the length where it matters) or `varchar(n)`:
/// ```sql
/// CREATE TABLE countries (code varchar(2) PRIMARY KEY, name text NOT NULL);
/// ```
pub struct CharN;

impl Rule for CharN {
    fn code(&self) -> &'static str {
        "HY002"
    }
    fn name(&self) -> &'static str {
        "char-n"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        for d in declared_columns(stmt) {
            if !matches!(d.data_type, DataType::Char(_) | DataType::Character(_)) {
                continue;
            }
            let (padding, instead) = match file.engine {
                Engine::Mysql => ("trailing spaces are stripped on read", "varchar(n)"),
                _ => (
                    "values are blank-padded and compare inconsistently",
                    "text (with a CHECK on the length) or varchar(n)",
                ),
            };
            out.report(
                stmt,
                d.type_span,
                Severity::Warning,
                format!(
                    "{}.{} is {}: {padding}",
                    d.table,
                    d.column.value,
                    d.data_type.to_string().to_lowercase()
                ),
                Some(format!("use {instead}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    const ENGINES: [Engine; 2] = [Engine::Postgres, Engine::Mysql];

    #[test]
    fn finds_fixed_length_strings() {
        for engine in ENGINES {
            insta::assert_snapshot!(
                format!("char_n_{engine}"),
                check(
                    &CharN,
                    engine,
                    "CREATE TABLE countries (code CHAR(2) PRIMARY KEY, name character(100) NOT NULL);\nALTER TABLE users ADD COLUMN flag char;"
                )
            );
        }
    }

    #[test]
    fn does_not_find_variable_length_strings() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &CharN,
                    engine,
                    "CREATE TABLE countries (code varchar(2) PRIMARY KEY, name character varying(100), note text);"
                ), @"no findings");
            }
        }
    }
}
