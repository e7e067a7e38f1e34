//! The catalog queries of the PostgreSQL inspector, one per object kind, each returning rows for
//! every object of the database at once (joined in memory by oid, never one query per table).

/// Namespaces strata never describes: the system catalogs and per-session temporary schemas.
macro_rules! user_ns {
    () => {
        "n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' \
         AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
    };
}

/// `NOT EXISTS` an extension membership of the object `$oid` of catalog `$catalog`: objects an
/// extension created are the extension's, not the schema's.
macro_rules! not_extension {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '",
            $catalog,
            "'::regclass AND e.objid = ",
            $oid,
            " AND e.deptype = 'e')"
        )
    };
}

/// The tail of a query over relations of the kinds `$kinds` (`c`, joined to its namespace `n`)
/// that users made, not the system nor an extension.
macro_rules! user_relations {
    ($kinds:literal) => {
        concat!(
            "
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ",
            $kinds,
            " AND ",
            user_ns!(),
            " AND ",
            not_extension!("pg_class", "c.oid")
        )
    };
}

/// The schema strata works in.
pub(super) const CURRENT_SCHEMA_SQL: &str = "SELECT coalesce(current_schema(), 'public')::text";

/// Namespaces other than the current one (`$1`).
pub(super) const NAMESPACES_SQL: &str = concat!(
    "SELECT n.nspname::text FROM pg_namespace n WHERE ",
    user_ns!(),
    " AND n.nspname <> $1 AND ",
    not_extension!("pg_namespace", "n.oid")
);

/// Extensions (plpgsql comes with every database) and the schema of their objects.
pub(super) const EXTENSIONS_SQL: &str = "SELECT e.extname::text, n.nspname::text
     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname <> 'plpgsql'";

/// Enums with their labels in order.
pub(super) const ENUMS_SQL: &str = concat!(
    "SELECT n.nspname::text, t.typname::text,
            array_agg(e.enumlabel::text ORDER BY e.enumsortorder),
            obj_description(t.oid, 'pg_type')
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE t.typtype = 'e' AND ",
    user_ns!(),
    " AND ",
    not_extension!("pg_type", "t.oid"),
    "
     GROUP BY n.nspname, t.typname, t.oid"
);

/// Domains with their checks (names and definitions in two parallel arrays).
pub(super) const DOMAINS_SQL: &str = concat!(
    "SELECT n.nspname::text, t.typname::text, format_type(t.typbasetype, t.typtypmod),
            t.typnotnull, pg_get_expr(t.typdefaultbin, 0), obj_description(t.oid, 'pg_type'),
            coalesce((SELECT array_agg(c.conname::text ORDER BY c.conname) FROM pg_constraint c
                      WHERE c.contypid = t.oid AND c.contype = 'c'), '{}'),
            coalesce((SELECT array_agg(pg_get_constraintdef(c.oid, true) ORDER BY c.conname)
                      FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{}')
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype = 'd' AND ",
    user_ns!(),
    " AND ",
    not_extension!("pg_type", "t.oid")
);

/// Composite types (not the row types of tables and views), attribute names and types in two
/// parallel arrays.
pub(super) const COMPOSITES_SQL: &str = concat!(
    "SELECT n.nspname::text, t.typname::text, obj_description(t.oid, 'pg_type'),
            coalesce((SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
                      WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '{}'),
            coalesce((SELECT array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
                      FROM pg_attribute a
                      WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '{}')
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_class c ON c.oid = t.typrelid
     WHERE t.typtype = 'c' AND c.relkind = 'c' AND ",
    user_ns!(),
    " AND ",
    not_extension!("pg_type", "t.oid")
);

/// Sequences, with the column that owns them (`a`: serial or OWNED BY; `i`: identity).
pub(super) const SEQUENCES_SQL: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL),
            s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
            d.deptype::text, d.refobjid::int8, d.refobjsubid::int4, c.oid::regclass::text
     FROM pg_sequence s
     JOIN pg_class c ON c.oid = s.seqrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
          AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
          AND d.deptype IN ('a', 'i')
     WHERE ",
    user_ns!(),
    " AND ",
    not_extension!("pg_class", "c.oid")
);

/// Tables (ordinary and partitioned) with their partitioning, storage options (the TOAST
/// table's prefixed `toast.`) and row security.
pub(super) const TABLES_SQL: &str = concat!(
    "SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relpersistence::text,
            obj_description(c.oid, 'pg_class'),
            CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
            c.relispartition, pg_get_expr(c.relpartbound, c.oid),
            coalesce(c.reloptions, '{}')::text[]
              || coalesce((SELECT array_agg('toast.' || o ORDER BY o)
                           FROM pg_class tc, unnest(tc.reloptions) o
                           WHERE tc.oid = c.reltoastrelid), '{}')::text[],
            c.relrowsecurity, c.relforcerowsecurity",
    user_relations!("('r', 'p')")
);

/// Parents of tables: partitions' and INHERITS, in declaration order.
pub(super) const PARENTS_SQL: &str = "SELECT i.inhrelid::int8, n.nspname::text, c.relname::text
     FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhparent
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class ch ON ch.oid = i.inhrelid
     WHERE ch.relkind IN ('r', 'p')
     ORDER BY i.inhrelid, i.inhseqno";

/// Columns of every table, with defaults, identity, generation, collation and comment.
pub(super) const COLUMNS_SQL: &str = concat!(
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
     WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ",
    user_ns!(),
    "
     ORDER BY a.attrelid, a.attnum"
);

/// Primary keys, uniques, foreign keys, checks and exclusions declared on the table itself (not
/// inherited from a partitioned parent).
pub(super) const CONSTRAINTS_SQL: &str = concat!(
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
     WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p') AND ",
    user_ns!(),
    "
       AND con.conparentid = 0 AND con.conislocal"
);

/// Indexes that back no constraint, one row per key or INCLUDE column; indexes of partitions
/// attached to an index of the parent are the parent's.
pub(super) const INDEXES_SQL: &str = concat!(
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
            coalesce(ic.reloptions, '{}')::text[],
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
     WHERE c.relkind IN ('r', 'p', 'm') AND ",
    user_ns!(),
    "
       AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid
                       AND x.contype IN ('p', 'u', 'x'))
       AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
     ORDER BY i.indexrelid, k.o"
);

/// Row-level security policies, with their roles quoted.
pub(super) const POLICIES_SQL: &str = concat!(
    "SELECT p.polrelid::int8, p.polname::text, p.polpermissive, p.polcmd::text,
            ARRAY(SELECT quote_ident(r.rolname) FROM pg_roles r
                  WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname)::text[],
            pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
     FROM pg_policy p
     JOIN pg_class c ON c.oid = p.polrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ",
    user_ns!()
);

/// Triggers written by users (not constraint triggers, not clones on partitions).
pub(super) const TRIGGERS_SQL: &str = concat!(
    "SELECT t.tgrelid::int8, t.tgname::text, pg_get_triggerdef(t.oid, true)
     FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ",
    user_ns!()
);

/// Views and materialized views.
pub(super) const VIEWS_SQL: &str = concat!(
    "SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text,
            pg_get_viewdef(c.oid, true), obj_description(c.oid, 'pg_class'),
            coalesce(c.reloptions, '{}')::text[]",
    user_relations!("('v', 'm')")
);

/// Functions, procedures and aggregates (whose parts come from pg_aggregate).
pub(super) const ROUTINES_SQL: &str = concat!(
    "SELECT n.nspname::text, p.proname::text, p.prokind::text,
            pg_get_function_identity_arguments(p.oid),
            CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END,
            obj_description(p.oid, 'pg_proc'),
            ag.aggtransfn::regproc::text, format_type(ag.aggtranstype, NULL),
            nullif(ag.aggfinalfn, 0)::regproc::text, ag.agginitval
     FROM pg_proc p
     JOIN pg_namespace n ON n.oid = p.pronamespace
     LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
     WHERE p.prokind IN ('f', 'p', 'a') AND ",
    user_ns!(),
    " AND ",
    not_extension!("pg_proc", "p.oid")
);
