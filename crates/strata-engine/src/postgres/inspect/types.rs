//! What the PostgreSQL inspector reads beside tables: namespaces, extensions, enums, domains,
//! composite types and sequences.

use super::queries::*;
use super::{check_expression, qualify, Inspector};
use crate::database::driver_error;
use sqlx::postgres::PgRow;
use sqlx::Row;
use strata_migrate::DriverError;
use strata_schema::{Attribute, Check, Extension, Sequence, UserType, UserTypeKind};

impl Inspector<'_> {
    /// Namespaces other than the current one.
    pub(super) async fn namespaces(&mut self) -> Result<(), DriverError> {
        let rows = sqlx::query(NAMESPACES_SQL)
            .bind(&self.current)
            .fetch_all(&mut self.pg.conn)
            .await
            .map_err(|e| driver_error(e, NAMESPACES_SQL))?;
        self.schema.namespaces = rows.iter().map(|r| r.get::<String, _>(0)).collect();
        Ok(())
    }

    /// Extensions; where their objects live only when that is not the schema strata works in.
    pub(super) async fn extensions(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(EXTENSIONS_SQL).await? {
            let schema_name: String = r.get(1);
            self.schema.extensions.push(Extension {
                name: r.get(0),
                schema: (schema_name != self.current).then_some(schema_name),
            });
        }
        Ok(())
    }

    pub(super) async fn enums(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(ENUMS_SQL).await? {
            let kind = UserTypeKind::Enum { values: r.get(2) };
            self.push_type(&r, kind, 3);
        }
        Ok(())
    }

    /// Domains, with their checks.
    pub(super) async fn domains(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(DOMAINS_SQL).await? {
            let checks = pairs(&r, 6, 7)
                .map(|(n, d)| Check {
                    name: Some(n),
                    expression: check_expression(&d),
                    not_valid: false,
                })
                .collect();
            let kind = UserTypeKind::Domain {
                data_type: r.get(2),
                not_null: r.get(3),
                default: r.get(4),
                checks,
            };
            self.push_type(&r, kind, 5);
        }
        Ok(())
    }

    /// Composite types (not the row types of tables and views).
    pub(super) async fn composites(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(COMPOSITES_SQL).await? {
            let attributes = pairs(&r, 3, 4)
                .map(|(name, data_type)| Attribute { name, data_type })
                .collect();
            self.push_type(&r, UserTypeKind::Composite { attributes }, 2);
        }
        Ok(())
    }

    /// A type named by columns 0 and 1 of its row, with its comment in column `comment`.
    fn push_type(&mut self, r: &PgRow, kind: UserTypeKind, comment: usize) {
        self.schema.types.push(UserType {
            name: qualify(&self.current, r.get(0), r.get(1)),
            kind,
            comment: r.get(comment),
        });
    }

    /// Sequences other than identity columns' own, kept with their owning column until the
    /// columns say which ones are serials (see `owned_sequences`).
    pub(super) async fn sequences(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(SEQUENCES_SQL).await? {
            let deptype: Option<String> = r.get(9);
            if deptype.as_deref() == Some("i") {
                continue;
            }
            let seq_name = qualify(&self.current, r.get(0), r.get(1));
            let owner = match deptype {
                Some(_) => {
                    let key = (r.get::<i64, _>(10), r.get::<i32, _>(11));
                    self.owned.insert(key, (seq_name.clone(), r.get(12)));
                    Some(key)
                }
                None => None,
            };
            self.sequences.push((
                Sequence {
                    name: seq_name,
                    data_type: r.get(2),
                    start: r.get(3),
                    increment: r.get(4),
                    min_value: r.get(5),
                    max_value: r.get(6),
                    cache: r.get(7),
                    cycle: r.get(8),
                    owned_by: None,
                },
                owner,
            ));
        }
        Ok(())
    }
}

/// Two parallel text arrays of a row (`array_agg` twice with one order), as pairs.
fn pairs(r: &PgRow, a: usize, b: usize) -> impl Iterator<Item = (String, String)> {
    let (x, y): (Vec<String>, Vec<String>) = (r.get(a), r.get(b));
    x.into_iter().zip(y)
}
