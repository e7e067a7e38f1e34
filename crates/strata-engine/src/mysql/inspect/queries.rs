//! The catalog queries of the MySQL/MariaDB inspector, one per object kind, each for the whole
//! connected database (`?` is its name). Every value is `CAST` to `CHAR` or `SIGNED`: the two
//! servers type catalog columns differently (binary strings, unsigned integers).

/// The server's version (MariaDB says so in it) and the connected database.
pub(super) const SERVER_SQL: &str = "SELECT CAST(VERSION() AS CHAR), CAST(DATABASE() AS CHAR)";

/// Tables (and, on MariaDB, sequences and temporary tables, filtered out by type).
pub(super) const TABLES_SQL: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_TYPE AS CHAR), CAST(ENGINE AS CHAR),
            CAST(TABLE_COLLATION AS CHAR), CAST(TABLE_COMMENT AS CHAR),
            CAST(CREATE_OPTIONS AS CHAR)
     FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?";

/// Columns in table order.
pub(super) const COLUMNS_SQL: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR),
            CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_DEFAULT AS CHAR), CAST(EXTRA AS CHAR),
            CAST(GENERATION_EXPRESSION AS CHAR), CAST(COLLATION_NAME AS CHAR),
            CAST(COLUMN_COMMENT AS CHAR), CAST(DATA_TYPE AS CHAR)
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?
     ORDER BY TABLE_NAME, ORDINAL_POSITION";

/// Index key parts; `$expression` and `$hidden` differ by server (functional key parts from
/// MySQL 8.0.13, invisible vs ignored indexes).
macro_rules! statistics_sql {
    ($expression:literal, $hidden:literal) => {
        concat!(
            "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), CAST(NON_UNIQUE AS SIGNED),
                    CAST(COLUMN_NAME AS CHAR), CAST(SUB_PART AS SIGNED), CAST(COLLATION AS CHAR),
                    CAST(INDEX_TYPE AS CHAR), CAST(INDEX_COMMENT AS CHAR), ",
            $expression,
            ", ",
            $hidden,
            "
             FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?
             ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
        )
    };
}

/// Index key parts on MariaDB.
pub(super) const INDEXES_MARIADB_SQL: &str =
    statistics_sql!("NULL", "CAST(CAST(IGNORED AS CHAR) = 'YES' AS SIGNED)");

/// Index key parts on MySQL.
pub(super) const INDEXES_MYSQL_SQL: &str = statistics_sql!(
    "CAST(EXPRESSION AS CHAR)",
    "CAST(CAST(IS_VISIBLE AS CHAR) = 'NO' AS SIGNED)"
);

/// Foreign keys' ON UPDATE / ON DELETE rules.
pub(super) const FK_RULES_SQL: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR),
            CAST(UPDATE_RULE AS CHAR), CAST(DELETE_RULE AS CHAR)
     FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?";

/// Foreign keys' column pairs, in key order.
pub(super) const FK_COLUMNS_SQL: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR),
            CAST(REFERENCED_TABLE_SCHEMA AS CHAR), CAST(REFERENCED_TABLE_NAME AS CHAR),
            CAST(REFERENCED_COLUMN_NAME AS CHAR)
     FROM information_schema.KEY_COLUMN_USAGE
     WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
     ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";

/// Checks on MariaDB, which names their table and level.
pub(super) const CHECKS_MARIADB_SQL: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR),
            CAST(CHECK_CLAUSE AS CHAR), CAST(LEVEL AS CHAR)
     FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?";

/// The table of each check on MySQL (check names are unique per database there).
pub(super) const CHECK_OWNERS_MYSQL_SQL: &str =
    "SELECT CAST(CONSTRAINT_NAME AS CHAR), CAST(TABLE_NAME AS CHAR)
     FROM information_schema.TABLE_CONSTRAINTS
     WHERE CONSTRAINT_SCHEMA = ? AND CONSTRAINT_TYPE = 'CHECK'";

/// Checks on MySQL.
pub(super) const CHECKS_MYSQL_SQL: &str =
    "SELECT CAST(CONSTRAINT_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR)
     FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?";

/// Triggers, in the order they fire.
pub(super) const TRIGGERS_SQL: &str =
    "SELECT CAST(TRIGGER_NAME AS CHAR), CAST(EVENT_OBJECT_TABLE AS CHAR),
            CAST(ACTION_TIMING AS CHAR), CAST(EVENT_MANIPULATION AS CHAR),
            CAST(ACTION_STATEMENT AS CHAR)
     FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
     ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER";

/// Views.
pub(super) const VIEWS_SQL: &str =
    "SELECT CAST(TABLE_NAME AS CHAR), CAST(VIEW_DEFINITION AS CHAR), CAST(CHECK_OPTION AS CHAR),
            CAST(SECURITY_TYPE AS CHAR)
     FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?";

/// Routine parameters (position 0 is a function's return value).
pub(super) const PARAMETERS_SQL: &str =
    "SELECT CAST(SPECIFIC_NAME AS CHAR), CAST(ROUTINE_TYPE AS CHAR),
            CAST(PARAMETER_MODE AS CHAR), CAST(PARAMETER_NAME AS CHAR),
            CAST(DTD_IDENTIFIER AS CHAR), CAST(ORDINAL_POSITION AS SIGNED)
     FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ?
     ORDER BY SPECIFIC_NAME, ORDINAL_POSITION";

/// Functions and procedures (and MariaDB packages, filtered out by type).
pub(super) const ROUTINES_SQL: &str =
    "SELECT CAST(ROUTINE_NAME AS CHAR), CAST(ROUTINE_TYPE AS CHAR),
            CAST(DTD_IDENTIFIER AS CHAR), CAST(ROUTINE_DEFINITION AS CHAR),
            CAST(IS_DETERMINISTIC AS CHAR), CAST(SQL_DATA_ACCESS AS CHAR),
            CAST(SECURITY_TYPE AS CHAR), CAST(ROUTINE_COMMENT AS CHAR)
     FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?";
