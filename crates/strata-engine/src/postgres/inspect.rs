//! Inspecting a PostgreSQL database into the [`Schema`] model.
//!
//! One round of set-based `pg_catalog` queries (namespaces, types, sequences, tables, columns,
//! constraints, indexes, triggers, views, routines), each returning rows for every object at once
//! and joined in memory by oid, so a schema of thousands of tables inspects in about a second.
//! Expressions are taken from the catalog's own printers (`pg_get_expr`, `pg_get_constraintdef`,
//! `pg_get_viewdef`, ...), so two inspections of the same definition compare equal text.

use super::dialect::POSTGRES_DIALECT;
use super::Postgres;
use crate::database::driver_error;
use sqlx::postgres::PgRow;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use strata_diff::Dialect;
use strata_migrate::DriverError;
use strata_schema::{
    Attribute, Check, Column, Deferrable, Exclusion, Extension, FkAction, ForeignKey, Generated,
    Identity, Index, IndexPart, Key, Name, Policy, Routine, RoutineKind, Schema, Sequence, Table,
    TableAttr, Trigger, UserType, UserTypeKind, View,
};

/// Namespaces strata never describes: the system catalogs and per-session temporary schemas.
const USER_NS: &str = "n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/// `NOT EXISTS` an extension membership of the object `oid` of catalog `catalog`.
fn not_extension(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{catalog}'::regclass \
         AND e.objid = {oid} AND e.deptype = 'e')"
    )
}

impl crate::SchemaDriver for Postgres {
    async fn inspect(&mut self) -> Result<Schema, DriverError> {
        Inspector { pg: self }.run().await
    }

    fn dialect(&self) -> &'static dyn Dialect {
        &POSTGRES_DIALECT
    }
}

struct Inspector<'a> {
    pg: &'a mut Postgres,
}

/// A table being assembled, keyed by its oid.
struct TableRow {
    table: Table,
    is_partition: bool,
}

impl Inspector<'_> {
    async fn fetch(&mut self, sql: &str) -> Result<Vec<PgRow>, DriverError> {
        sqlx::query(sql)
            .fetch_all(&mut self.pg.conn)
            .await
            .map_err(|e| driver_error(e, sql))
    }

    async fn run(&mut self) -> Result<Schema, DriverError> {
        let current: String =
            sqlx::query_scalar("SELECT coalesce(current_schema(), 'public')::text")
                .fetch_one(&mut self.pg.conn)
                .await
                .map_err(|e| driver_error(e, "SELECT current_schema()"))?;
        let name = |ns: String, n: String| -> Name {
            if ns == current {
                Name::new(n)
            } else {
                Name::qualified(ns, n)
            }
        };
        let history = Name {
            schema: self.pg.history.schema.clone().filter(|s| *s != current),
            name: self.pg.history.name.clone(),
        };
        let mut schema = Schema::default();

        // Namespaces.
        let sql = format!(
            "SELECT n.nspname::text FROM pg_namespace n WHERE {USER_NS} AND n.nspname <> $1 AND {}",
            not_extension("pg_namespace", "n.oid")
        );
        let rows = sqlx::query(&sql)
            .bind(&current)
            .fetch_all(&mut self.pg.conn)
            .await
            .map_err(|e| driver_error(e, &sql))?;
        schema.namespaces = rows.iter().map(|r| r.get::<String, _>(0)).collect();

        // Extensions (plpgsql comes with every database); where their objects live only when
        // that is not the schema strata works in.
        let sql = "SELECT e.extname::text, n.nspname::text
                   FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                   WHERE e.extname <> 'plpgsql'";
        for r in self.fetch(sql).await? {
            let schema_name: String = r.get(1);
            schema.extensions.push(Extension {
                name: r.get(0),
                schema: (schema_name != current).then_some(schema_name),
            });
        }

        // Enums.
        let sql = format!(
            "SELECT n.nspname::text, t.typname::text,
                    array_agg(e.enumlabel::text ORDER BY e.enumsortorder),
                    obj_description(t.oid, 'pg_type')
             FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_enum e ON e.enumtypid = t.oid
             WHERE t.typtype = 'e' AND {USER_NS} AND {}
             GROUP BY n.nspname, t.typname, t.oid",
            not_extension("pg_type", "t.oid")
        );
        for r in self.fetch(&sql).await? {
            schema.types.push(UserType {
                name: name(r.get(0), r.get(1)),
                kind: UserTypeKind::Enum { values: r.get(2) },
                comment: r.get(3),
            });
        }

        // Domains, with their checks.
        let sql = format!(
            "SELECT n.nspname::text, t.typname::text, format_type(t.typbasetype, t.typtypmod),
                    t.typnotnull, pg_get_expr(t.typdefaultbin, 0), obj_description(t.oid, 'pg_type'),
                    coalesce((SELECT array_agg(c.conname::text ORDER BY c.conname) FROM pg_constraint c
                              WHERE c.contypid = t.oid AND c.contype = 'c'), '{{}}'),
                    coalesce((SELECT array_agg(pg_get_constraintdef(c.oid, true) ORDER BY c.conname)
                              FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{{}}')
             FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE t.typtype = 'd' AND {USER_NS} AND {}",
            not_extension("pg_type", "t.oid")
        );
        for r in self.fetch(&sql).await? {
            let names: Vec<String> = r.get(6);
            let defs: Vec<String> = r.get(7);
            schema.types.push(UserType {
                name: name(r.get(0), r.get(1)),
                kind: UserTypeKind::Domain {
                    data_type: r.get(2),
                    not_null: r.get(3),
                    default: r.get(4),
                    checks: names
                        .into_iter()
                        .zip(defs)
                        .map(|(n, d)| Check {
                            name: Some(n),
                            expression: check_expression(&d),
                            not_valid: false,
                        })
                        .collect(),
                },
                comment: r.get(5),
            });
        }

        // Composite types (not the row types of tables and views).
        let sql = format!(
            "SELECT n.nspname::text, t.typname::text, obj_description(t.oid, 'pg_type'),
                    coalesce((SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
                              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '{{}}'),
                    coalesce((SELECT array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
                              FROM pg_attribute a
                              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '{{}}')
             FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_class c ON c.oid = t.typrelid
             WHERE t.typtype = 'c' AND c.relkind = 'c' AND {USER_NS} AND {}",
            not_extension("pg_type", "t.oid")
        );
        for r in self.fetch(&sql).await? {
            let names: Vec<String> = r.get(3);
            let types: Vec<String> = r.get(4);
            schema.types.push(UserType {
                name: name(r.get(0), r.get(1)),
                kind: UserTypeKind::Composite {
                    attributes: names
                        .into_iter()
                        .zip(types)
                        .map(|(name, data_type)| Attribute { name, data_type })
                        .collect(),
                },
                comment: r.get(2),
            });
        }

        // Sequences, with the column that owns them (`a`: serial or OWNED BY; `i`: identity).
        let sql = format!(
            "SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL),
                    s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                    d.deptype::text, d.refobjid::int8, d.refobjsubid::int4, c.oid::regclass::text
             FROM pg_sequence s
             JOIN pg_class c ON c.oid = s.seqrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
                  AND d.deptype IN ('a', 'i')
             WHERE {USER_NS} AND {}",
            not_extension("pg_class", "c.oid")
        );
        // Owned sequences by (table oid, attnum): their name and how a default names them.
        let mut owned: HashMap<(i64, i32), (Name, String)> = HashMap::new();
        let mut sequences: Vec<(Sequence, Option<(i64, i32)>)> = Vec::new();
        for r in self.fetch(&sql).await? {
            let deptype: Option<String> = r.get(9);
            if deptype.as_deref() == Some("i") {
                continue;
            }
            let seq_name = name(r.get(0), r.get(1));
            let owner = match deptype {
                Some(_) => {
                    let key = (r.get::<i64, _>(10), r.get::<i32, _>(11));
                    owned.insert(key, (seq_name.clone(), r.get(12)));
                    Some(key)
                }
                None => None,
            };
            sequences.push((
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

        // Tables (ordinary and partitioned), without strata's history table.
        let sql = format!(
            "SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relpersistence::text,
                    obj_description(c.oid, 'pg_class'),
                    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                    c.relispartition, pg_get_expr(c.relpartbound, c.oid),
                    coalesce(c.reloptions, '{{}}')::text[]
                      || coalesce((SELECT array_agg('toast.' || o ORDER BY o)
                                   FROM pg_class tc, unnest(tc.reloptions) o
                                   WHERE tc.oid = c.reltoastrelid), '{{}}')::text[],
                    c.relrowsecurity, c.relforcerowsecurity
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND {USER_NS} AND {}",
            not_extension("pg_class", "c.oid")
        );
        let mut tables: BTreeMap<i64, TableRow> = BTreeMap::new();
        for r in self.fetch(&sql).await? {
            let tname = name(r.get(1), r.get(2));
            if tname == history {
                continue;
            }
            let mut table = Table::new(tname);
            table.comment = r.get(4);
            if r.get::<String, _>(3) == "u" {
                table.attrs.push(TableAttr::PgUnlogged);
            }
            if let Some(key) = r.get::<Option<String>, _>(5) {
                table.attrs.push(TableAttr::PgPartitionBy(key));
            }
            if r.get::<bool, _>(9) {
                table.attrs.push(TableAttr::PgRowSecurity);
            }
            if r.get::<bool, _>(10) {
                table.attrs.push(TableAttr::PgForceRowSecurity);
            }
            let storage: Vec<String> = r.get(8);
            if !storage.is_empty() {
                table.attrs.push(TableAttr::PgStorage(storage));
            }
            let is_partition: bool = r.get(6);
            if is_partition {
                // The parent is filled in from pg_inherits below.
                table.attrs.push(TableAttr::PgPartitionOf {
                    parent: Name::new(""),
                    bound: r.get::<Option<String>, _>(7).unwrap_or_default(),
                });
            }
            tables.insert(
                r.get(0),
                TableRow {
                    table,
                    is_partition,
                },
            );
        }
        let table_names: HashMap<i64, Name> = tables
            .iter()
            .map(|(oid, t)| (*oid, t.table.name.clone()))
            .collect();

        // Parents: partitions and INHERITS.
        let sql = "SELECT i.inhrelid::int8, n.nspname::text, c.relname::text
                   FROM pg_inherits i
                   JOIN pg_class c ON c.oid = i.inhparent
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   JOIN pg_class ch ON ch.oid = i.inhrelid
                   WHERE ch.relkind IN ('r', 'p')
                   ORDER BY i.inhrelid, i.inhseqno";
        let mut inherits: BTreeMap<i64, Vec<Name>> = BTreeMap::new();
        for r in self.fetch(sql).await? {
            let child: i64 = r.get(0);
            let parent = name(r.get(1), r.get(2));
            let Some(t) = tables.get_mut(&child) else {
                continue;
            };
            if t.is_partition {
                for a in &mut t.table.attrs {
                    if let TableAttr::PgPartitionOf { parent: p, .. } = a {
                        *p = parent.clone();
                    }
                }
            } else {
                inherits.entry(child).or_default().push(parent);
            }
        }
        for (oid, parents) in inherits {
            if let Some(t) = tables.get_mut(&oid) {
                t.table.attrs.push(TableAttr::PgInherits(parents));
            }
        }

        // Columns. A partition's columns are the parent's, and an inheriting table's inherited
        // columns are its parents': both are left out, as `CREATE TABLE` does not spell them.
        let sql = format!(
            "SELECT a.attrelid::int8, a.attnum::int4, a.attname::text,
                    format_type(a.atttypid, a.atttypmod), a.attnotnull,
                    pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text,
                    CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                         THEN co.collname::text END,
                    ds.description, a.attislocal
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             LEFT JOIN pg_collation co ON co.oid = a.attcollation
             LEFT JOIN pg_description ds ON ds.objoid = a.attrelid
                  AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
             WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {USER_NS}
             ORDER BY a.attrelid, a.attnum"
        );
        let mut attnames: HashMap<(i64, i32), String> = HashMap::new();
        let mut serial_sequences: BTreeSet<Name> = BTreeSet::new();
        for r in self.fetch(&sql).await? {
            let oid: i64 = r.get(0);
            let attnum: i32 = r.get(1);
            let Some(t) = tables.get_mut(&oid) else {
                continue;
            };
            let col_name: String = r.get(2);
            attnames.insert((oid, attnum), col_name.clone());
            let local: bool = r.get(10);
            if t.is_partition || !local {
                continue;
            }
            let mut col = Column::new(col_name, r.get::<String, _>(3));
            col.nullable = !r.get::<bool, _>(4);
            let default: Option<String> = r.get(5);
            let generated: String = r.get(7);
            if generated == "s" {
                col.generated = Some(Generated {
                    expression: default.unwrap_or_default(),
                    stored: true,
                });
            } else {
                col.default = default;
            }
            col.identity = match r.get::<String, _>(6).as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            };
            // serial: the default draws from a sequence the column owns.
            if let (Some(d), Some((seq, regclass))) = (&col.default, owned.get(&(oid, attnum))) {
                if *d == format!("nextval({}::regclass)", literal(regclass)) {
                    col.identity = Some(Identity::Serial {
                        sequence: seq.clone(),
                    });
                    col.default = None;
                    serial_sequences.insert(seq.clone());
                }
            }
            col.collation = r.get(8);
            col.comment = r.get(9);
            t.table.columns.push(col);
        }
        for (mut seq, owner) in sequences {
            if serial_sequences.contains(&seq.name) {
                continue;
            }
            if let Some(key) = owner {
                if let (Some(t), Some(c)) = (table_names.get(&key.0), attnames.get(&key)) {
                    seq.owned_by = Some((t.clone(), c.clone()));
                }
            }
            schema.sequences.push(seq);
        }

        // Constraints: primary keys, uniques, foreign keys and checks declared on the table itself
        // (not inherited from a partitioned parent).
        let sql = format!(
            "SELECT con.conrelid::int8, con.conname::text, con.contype::text,
                    con.condeferrable, con.condeferred,
                    con.conkey,
                    rn.nspname::text, rc.relname::text,
                    con.confkey,
                    con.confupdtype::text, con.confdeltype::text,
                    CASE WHEN con.contype IN ('c', 'x') THEN pg_get_constraintdef(con.oid, true) END,
                    con.confrelid::int8,
                    -- pg_index.indnullsnotdistinct exists from PostgreSQL 15 on.
                    coalesce((SELECT (to_jsonb(ix) ->> 'indnullsnotdistinct')::boolean
                              FROM pg_index ix WHERE ix.indexrelid = con.conindid), false),
                    con.convalidated
             FROM pg_constraint con
             JOIN pg_class c ON c.oid = con.conrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_class rc ON rc.oid = con.confrelid
             LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
             WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p') AND {USER_NS}
               AND con.conparentid = 0 AND con.conislocal"
        );
        for r in self.fetch(&sql).await? {
            let Some(t) = tables.get_mut(&r.get::<i64, _>(0)) else {
                continue;
            };
            let t = &mut t.table;
            let cname: String = r.get(1);
            let deferrable = match (r.get::<bool, _>(3), r.get::<bool, _>(4)) {
                (false, _) => Deferrable::Not,
                (true, false) => Deferrable::InitiallyImmediate,
                (true, true) => Deferrable::InitiallyDeferred,
            };
            let rel: i64 = r.get(0);
            let frel: i64 = r.get(12);
            let names = |rel: i64, keys: Option<Vec<i16>>| -> Vec<String> {
                keys.unwrap_or_default()
                    .into_iter()
                    .map(|k| attnames.get(&(rel, k as i32)).cloned().unwrap_or_default())
                    .collect()
            };
            let columns: Vec<String> = names(rel, r.get(5));
            match r.get::<String, _>(2).as_str() {
                "p" => {
                    t.primary_key = Some(Key {
                        name: Some(cname),
                        columns,
                        deferrable,
                        nulls_not_distinct: false,
                    })
                }
                "u" => t.uniques.push(Key {
                    name: Some(cname),
                    columns,
                    deferrable,
                    nulls_not_distinct: r.get(13),
                }),
                "f" => t.foreign_keys.push(ForeignKey {
                    name: Some(cname),
                    columns,
                    ref_table: name(r.get(6), r.get(7)),
                    ref_columns: names(frel, r.get(8)),
                    on_update: fk_action(&r.get::<String, _>(9)),
                    on_delete: fk_action(&r.get::<String, _>(10)),
                    deferrable,
                    not_valid: !r.get::<bool, _>(14),
                }),
                "x" => t.exclusions.push(Exclusion {
                    name: cname,
                    definition: r.get::<Option<String>, _>(11).unwrap_or_default(),
                }),
                _ => t.checks.push(Check {
                    name: Some(cname),
                    expression: check_expression(
                        &r.get::<Option<String>, _>(11).unwrap_or_default(),
                    ),
                    not_valid: !r.get::<bool, _>(14),
                }),
            }
        }

        // Indexes that back no constraint, one row per key or INCLUDE column; indexes of
        // partitions attached to an index of the parent are the parent's.
        let sql = format!(
            "SELECT i.indrelid::int8, i.indexrelid::int8, ic.relname::text, i.indisunique,
                    am.amname::text, pg_get_expr(i.indpred, i.indrelid, true),
                    ds.description, i.indnkeyatts::int4,
                    k.o::int4, k.attnum::int4,
                    CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.o::int4, true)
                         ELSE quote_ident(a.attname) END,
                    coalesce(k.opt, 0)::int4,
                    CASE WHEN opc.opcdefault THEN NULL ELSE opc.opcname::text END,
                    CASE WHEN k.coll IS NULL OR k.coll = 0 OR k.coll = coalesce(a.attcollation, 100)
                         THEN NULL ELSE co.collname::text END,
                    coalesce(ic.reloptions, '{{}}')::text[],
                    coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false)
             FROM pg_index i
             JOIN pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_class c ON c.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_am am ON am.oid = ic.relam
             CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indoption::int2[], i.indclass::oid[],
                                       i.indcollation::oid[]) WITH ORDINALITY AS k(attnum, opt, cls, coll, o)
             LEFT JOIN pg_opclass opc ON opc.oid = k.cls
             LEFT JOIN pg_collation co ON co.oid = k.coll
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
             LEFT JOIN pg_description ds ON ds.objoid = i.indexrelid
                  AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
             WHERE c.relkind IN ('r', 'p', 'm') AND {USER_NS}
               AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid
                               AND x.contype IN ('p', 'u', 'x'))
               AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
             ORDER BY i.indexrelid, k.o"
        );
        let mut indexes: BTreeMap<i64, (i64, Index)> = BTreeMap::new();
        for r in self.fetch(&sql).await? {
            let index_oid: i64 = r.get(1);
            let (_, index) = indexes.entry(index_oid).or_insert_with(|| {
                let method: String = r.get(4);
                (
                    r.get(0),
                    Index {
                        name: r.get(2),
                        unique: r.get(3),
                        parts: Vec::new(),
                        predicate: r.get(5),
                        method: (method != "btree").then_some(method),
                        include: Vec::new(),
                        nulls_not_distinct: r.get(15),
                        with: r.get(14),
                        comment: r.get(6),
                    },
                )
            });
            let key_count: i32 = r.get(7);
            let position: i32 = r.get(8);
            let attnum: i32 = r.get(9);
            let text: String = r.get(10);
            if position > key_count {
                index.include.push(text);
                continue;
            }
            let option: i32 = r.get(11);
            let descending = option & 1 != 0;
            let nulls_first = option & 2 != 0;
            index.parts.push(IndexPart {
                column: (attnum != 0).then(|| text.clone()),
                expression: (attnum == 0).then_some(text),
                descending,
                nulls_first: (nulls_first != descending).then_some(nulls_first),
                collation: r.get(13),
                opclass: r.get(12),
                prefix: None,
            });
        }
        // Column names in index parts: pg_get_indexdef quotes them; the model keeps names.
        for (_, index) in indexes.values_mut() {
            for p in &mut index.parts {
                if let Some(c) = &mut p.column {
                    *c = unquote(c);
                }
            }
            for c in &mut index.include {
                *c = unquote(c);
            }
        }

        let mut view_triggers: Vec<(i64, Trigger)> = Vec::new();
        // Row-level security policies, as the CREATE POLICY statement that makes each again.
        let sql = format!(
            "SELECT p.polrelid::int8, p.polname::text, p.polpermissive, p.polcmd::text,
                    ARRAY(SELECT quote_ident(r.rolname) FROM pg_roles r
                          WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname)::text[],
                    pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
             FROM pg_policy p
             JOIN pg_class c ON c.oid = p.polrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE {USER_NS}"
        );
        for r in self.fetch(&sql).await? {
            let Some(t) = tables.get_mut(&r.get::<i64, _>(0)) else {
                continue;
            };
            let pname: String = r.get(1);
            let mut def = format!(
                "CREATE POLICY {} ON {}",
                super::dialect::ident(&pname),
                super::dialect::qualified(&t.table.name)
            );
            if !r.get::<bool, _>(2) {
                def.push_str(" AS RESTRICTIVE");
            }
            let cmd = match r.get::<String, _>(3).as_str() {
                "r" => "SELECT",
                "a" => "INSERT",
                "w" => "UPDATE",
                "d" => "DELETE",
                _ => "ALL",
            };
            def.push_str(&format!(" FOR {cmd}"));
            // No roles listed means PUBLIC (polroles = {0}).
            let roles: Vec<String> = r.get(4);
            if !roles.is_empty() {
                def.push_str(&format!(" TO {}", roles.join(", ")));
            }
            if let Some(q) = r.get::<Option<String>, _>(5) {
                def.push_str(&format!(" USING ({q})"));
            }
            if let Some(c) = r.get::<Option<String>, _>(6) {
                def.push_str(&format!(" WITH CHECK ({c})"));
            }
            t.table.policies.push(Policy {
                name: pname,
                definition: def,
            });
        }

        // Triggers written by users (not constraint triggers, not clones on partitions).
        let sql = format!(
            "SELECT t.tgrelid::int8, t.tgname::text, pg_get_triggerdef(t.oid, true)
             FROM pg_trigger t
             JOIN pg_class c ON c.oid = t.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND {USER_NS}"
        );
        for r in self.fetch(&sql).await? {
            let trigger = Trigger {
                name: r.get(1),
                definition: r.get(2),
            };
            match tables.get_mut(&r.get::<i64, _>(0)) {
                Some(t) => t.table.triggers.push(trigger),
                // INSTEAD OF triggers of views: attached once the views are read.
                None => view_triggers.push((r.get(0), trigger)),
            }
        }

        // Views and materialized views.
        let sql = format!(
            "SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text,
                    pg_get_viewdef(c.oid, true), obj_description(c.oid, 'pg_class'),
                    coalesce(c.reloptions, '{{}}')::text[]
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('v', 'm') AND {USER_NS} AND {}",
            not_extension("pg_class", "c.oid")
        );
        let mut views: BTreeMap<i64, View> = BTreeMap::new();
        for r in self.fetch(&sql).await? {
            views.insert(
                r.get(0),
                View {
                    name: name(r.get(1), r.get(2)),
                    definition: view_definition(&r.get::<String, _>(4)),
                    materialized: r.get::<String, _>(3) == "m",
                    comment: r.get(5),
                    indexes: Vec::new(),
                    triggers: Vec::new(),
                    options: r.get(6),
                },
            );
        }
        for (_, (rel, index)) in indexes {
            if let Some(t) = tables.get_mut(&rel) {
                t.table.indexes.push(index);
            } else if let Some(v) = views.get_mut(&rel) {
                v.indexes.push(index);
            }
        }
        for (rel, trigger) in view_triggers {
            if let Some(v) = views.get_mut(&rel) {
                v.triggers.push(trigger);
            }
        }
        for v in views.values_mut() {
            v.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        }

        // Functions and procedures (aggregates are printed from pg_aggregate).
        let sql = format!(
            "SELECT n.nspname::text, p.proname::text, p.prokind::text,
                    pg_get_function_identity_arguments(p.oid),
                    CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END,
                    obj_description(p.oid, 'pg_proc'),
                    ag.aggtransfn::regproc::text, format_type(ag.aggtranstype, NULL),
                    nullif(ag.aggfinalfn, 0)::regproc::text, ag.agginitval
             FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
             WHERE p.prokind IN ('f', 'p', 'a') AND {USER_NS} AND {}",
            not_extension("pg_proc", "p.oid")
        );
        for r in self.fetch(&sql).await? {
            let rname = name(r.get(0), r.get(1));
            let kind: String = r.get(2);
            let signature: String = r.get(3);
            let definition = match kind.as_str() {
                "a" => aggregate_definition(
                    &rname,
                    &signature,
                    &r.get::<String, _>(6),
                    &r.get::<String, _>(7),
                    r.get::<Option<String>, _>(8).as_deref(),
                    r.get::<Option<String>, _>(9).as_deref(),
                ),
                _ => r
                    .get::<Option<String>, _>(4)
                    .unwrap_or_default()
                    .trim_end()
                    .to_string(),
            };
            schema.routines.push(Routine {
                name: rname,
                kind: if kind == "p" {
                    RoutineKind::Procedure
                } else {
                    RoutineKind::Function
                },
                signature,
                definition,
                comment: r.get(5),
            });
        }

        schema.tables = tables.into_values().map(|t| t.table).collect();
        schema.views = views.into_values().collect();
        schema.normalize();
        Ok(schema)
    }
}

/// A string literal the way PostgreSQL prints one inside an expression.
fn literal(s: &str) -> String {
    strata_schema::quote::literal(strata_schema::Engine::Postgres, s)
}

/// A name as written by `quote_ident`, back to the name itself.
fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// The expression of `CHECK (expr) [NOT VALID]` as `pg_get_constraintdef` prints it: the
/// keyword and the one pair of parentheses it always adds are removed, nothing else.
pub(crate) fn check_expression(def: &str) -> String {
    let def = def.trim();
    let def = def.strip_suffix(" NOT VALID").unwrap_or(def);
    let def = def.strip_suffix(" NO INHERIT").unwrap_or(def);
    let body = def.strip_prefix("CHECK ").unwrap_or(def);
    match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) => inner.to_string(),
        None => body.to_string(),
    }
}

/// `pg_get_viewdef` prints a leading space and a trailing `;`.
fn view_definition(def: &str) -> String {
    let def = def.trim();
    def.strip_suffix(';').unwrap_or(def).trim_end().to_string()
}

/// `CREATE AGGREGATE` for an aggregate (`pg_get_functiondef` refuses aggregates).
fn aggregate_definition(
    name: &Name,
    signature: &str,
    sfunc: &str,
    stype: &str,
    finalfunc: Option<&str>,
    initcond: Option<&str>,
) -> String {
    let mut out = format!(
        "CREATE AGGREGATE {}({signature}) (\n    SFUNC = {sfunc},\n    STYPE = {stype}",
        super::dialect::qualified(name)
    );
    if let Some(f) = finalfunc.filter(|f| *f != "-") {
        out.push_str(&format!(",\n    FINALFUNC = {f}"));
    }
    if let Some(i) = initcond {
        out.push_str(&format!(",\n    INITCOND = {}", literal(i)));
    }
    out.push_str("\n)");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_expression_strips_keyword_and_outer_parens_only() {
        assert_eq!(
            check_expression("CHECK (price > 0::numeric)"),
            "price > 0::numeric"
        );
        assert_eq!(
            check_expression("CHECK ((a > 0) OR (b > 0)) NOT VALID"),
            "(a > 0) OR (b > 0)"
        );
    }

    #[test]
    fn unquote_undoes_quote_ident() {
        assert_eq!(unquote(r#""Mixed""Case""#), r#"Mixed"Case"#);
        assert_eq!(unquote("plain"), "plain");
    }
}
