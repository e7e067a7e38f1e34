use super::support::declared_columns;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{DataType, TimezoneInfo};
use strata_schema::Engine;

/// ## What it does
/// Finds columns declared or changed to `timestamp` / `timestamp without time zone` in
/// `CREATE TABLE`, `ADD COLUMN` and `ALTER COLUMN ... TYPE`.
///
/// ## Why is this bad?
/// A `timestamp` stores a wall-clock reading with no zone: the same value means different
/// instants to servers and clients in different zones, across daylight-saving changes, and
/// after the session `TimeZone` changes. `timestamptz` stores an instant (in UTC) and takes the
/// same 8 bytes.
///
/// ## Example
/// ```sql
/// CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamp NOT NULL);
/// ```
///
/// ## Use instead
/// ```sql
/// CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);
/// ```
pub struct TimestampWithoutTimeZone;

impl Rule for TimestampWithoutTimeZone {
    fn code(&self) -> &'static str {
        "HY001"
    }
    fn name(&self) -> &'static str {
        "timestamp-without-time-zone"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, _file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        for d in declared_columns(stmt) {
            if let DataType::Timestamp(_, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone) =
                d.data_type
            {
                out.report(
                    stmt,
                    d.type_span,
                    Severity::Warning,
                    format!(
                        "{}.{} is a timestamp without time zone: its values are wall-clock times that mean different instants in different zones",
                        d.table, d.column.value
                    ),
                    Some("use timestamptz (timestamp with time zone): same size, stores an instant".into()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_timestamps_without_time_zone() {
        insta::assert_snapshot!(check(
            &TimestampWithoutTimeZone,
            Engine::Postgres,
            "CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamp NOT NULL);\nALTER TABLE events ADD COLUMN seen_at timestamp(3) without time zone;\nALTER TABLE orders ALTER COLUMN paid_at TYPE timestamp;"
        ));
    }

    #[test]
    fn does_not_find_timestamptz() {
        insta::assert_snapshot!(check(
            &TimestampWithoutTimeZone,
            Engine::Postgres,
            "CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, day date);\nALTER TABLE events ADD COLUMN seen_at timestamp with time zone;"
        ), @"no findings");
    }
}
