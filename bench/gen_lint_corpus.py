#!/usr/bin/env python3
"""Deterministic PostgreSQL migration corpus for bench/lint.sh.

    gen_lint_corpus.py OUT_DIR [--files 200] [--statements 100] [--seed 20240611]

writes into OUT_DIR:
    migrations/0001_<slug>.sql ... : FILES files of exactly STATEMENTS statements each (BEGIN/COMMIT
                                     and SET count as statements), a realistic mix of safe and risky
                                     DDL (see KINDS below) with `--` comments between statements
    schema.sql                     : the tables the migrations start from (what a database would
                                     hold before them), with rows, then ANALYZE, for the online run
    manifest.txt                   : "files statements" and the per-kind statement counts

Same arguments, same bytes (random.Random(seed); no dict/set iteration order involved).
"""

import argparse
import os
import random
import sys

# Tables the migrations find in the database: (name, rows). Some are large (above the linter's
# 100k-row "large table" threshold), most are small.
EXISTING = [
    ("accounts", 150_000), ("users", 220_000), ("orders", 300_000), ("order_items", 400_000),
    ("payments", 180_000), ("invoices", 120_000), ("events", 500_000), ("sessions", 250_000),
    ("products", 8_000), ("categories", 300), ("addresses", 40_000), ("shipments", 60_000),
    ("carts", 20_000), ("cart_items", 50_000), ("coupons", 1_200), ("reviews", 30_000),
    ("suppliers", 900), ("warehouses", 40), ("stock_levels", 16_000), ("refunds", 5_000),
    ("subscriptions", 12_000), ("plans", 25), ("teams", 2_000), ("memberships", 9_000),
    ("audit_log", 90_000), ("notifications", 70_000), ("webhooks", 600), ("api_keys", 3_000),
    ("tags", 1_500), ("product_tags", 24_000), ("comments", 45_000), ("attachments", 15_000),
    ("regions", 60), ("currencies", 170), ("tax_rates", 400), ("price_lists", 80),
    ("feature_flags", 150), ("jobs", 35_000), ("job_runs", 99_000), ("settings", 500),
]
BASE_COLUMNS = [
    ("name", "text"), ("email", "text"), ("status", "text NOT NULL DEFAULT 'active'"),
    ("amount", "numeric(12,2)"), ("quantity", "integer"), ("code", "varchar(32)"),
    ("note", "varchar(200)"), ("external_ref", "text"), ("created_at", "timestamptz NOT NULL DEFAULT now()"),
    ("updated_at", "timestamptz"),
]
NEW_COLUMN_NAMES = [
    "archived_at", "deleted_at", "locale", "timezone", "priority", "score", "source", "channel",
    "version", "checksum", "metadata", "is_active", "is_verified", "retries", "weight", "rank",
    "color", "slug", "title", "summary", "owner_id", "parent_id", "region_id", "team_id",
    "currency_code", "discount", "margin", "last_seen_at", "expires_at", "notes",
]
NEW_TABLE_STEMS = [
    "ledger_entries", "exports", "imports", "credit_notes", "loyalty_points", "referrals",
    "device_tokens", "login_attempts", "email_templates", "report_runs", "search_terms",
    "price_changes", "inventory_moves", "return_requests", "support_tickets", "ticket_messages",
    "wishlists", "wishlist_items", "gift_cards", "promo_codes", "page_views", "ab_tests",
    "experiment_arms", "rate_limits", "oauth_clients", "oauth_tokens", "billing_cycles",
    "usage_records", "tax_exemptions", "vendor_contacts",
]
ADD_TYPES = [
    "text", "integer", "bigint", "boolean", "timestamptz", "numeric(10,2)", "jsonb", "varchar(64)",
    "uuid", "date", "smallint", "timestamp",
]
COMMENTS = [
    "-- backfill happens in the application, see the runbook",
    "-- keep in sync with the reporting views",
    "-- requested by the billing team",
    "-- safe: table is append-only",
    "-- TODO: drop the old column after the next release",
    "-- expand/contract step 1 of 2",
    "-- index for the dashboard query",
    "-- this one was reviewed by the DBA",
]

# kind -> weight. Roughly what a few years of migrations of a busy application look like.
KINDS = [
    ("create_table", 8), ("create_index", 7), ("create_index_concurrently", 7),
    ("create_unique_index_concurrently", 2), ("drop_index", 2), ("drop_index_concurrently", 2),
    ("add_column_nullable", 9), ("add_column_const_default", 5), ("add_column_volatile_default", 2),
    ("add_column_not_null_no_default", 2), ("add_fk", 3), ("add_fk_not_valid", 3),
    ("validate_constraint", 3), ("add_check", 2), ("add_check_not_valid", 2), ("set_not_null", 3),
    ("drop_not_null", 2), ("alter_type_widen", 2), ("alter_type_rewrite", 2), ("alter_type_narrow", 1),
    ("set_default", 3), ("drop_table", 2), ("drop_column", 3), ("rename_column", 2),
    ("rename_table", 1), ("reindex", 1), ("reindex_concurrently", 1), ("vacuum_full", 1),
    ("cluster", 1), ("comment_on", 4), ("set_lock_timeout", 3), ("update_backfill", 3),
    ("insert_seed", 2), ("create_enum", 1), ("add_enum_value", 1), ("add_unique", 1),
    ("create_view", 2), ("grant", 2), ("truncate", 1),
]


class File:
    def __init__(self, rng, n, stmts):
        self.rng, self.n, self.target = rng, n, stmts
        self.out = []  # statement texts (with leading comment lines)
        self.new_tables = []  # tables created in this file: (name, columns)
        self.added = {}  # table -> columns added in this file
        self.kinds = {}

    def emit(self, kind, sql, comment=None):
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        text = sql.rstrip(";") + ";"
        if comment:
            text = comment + "\n" + text
        self.out.append(text)


def pick(rng, seq):
    return seq[rng.randrange(len(seq))]


def gen_file(rng, n, stmts, counter):
    f = File(rng, n, stmts)
    f.header = []
    weights = [w for _, w in KINDS]
    names = [k for k, _ in KINDS]
    wrapped = rng.random() < 0.15  # BEGIN ... COMMIT around the whole file
    budget = stmts - (2 if wrapped else 0)
    if wrapped:
        f.emit("begin", "BEGIN")
    elif rng.random() < 0.6:
        # strata's way to run CREATE INDEX CONCURRENTLY & co.: the file outside a transaction
        f.header.append("-- strata:no-transaction")
    if rng.random() < 0.1:
        f.header.append("-- strata:lock-timeout 5s")
    if rng.random() < 0.4:
        f.emit("set_lock_timeout", "SET lock_timeout = '%ds'" % rng.choice([2, 3, 5, 10]))
    f.limit = budget + (1 if wrapped else 0)  # statements before COMMIT
    while len(f.out) < f.limit:
        kind = rng.choices(names, weights)[0]
        gen_stmt(f, kind, counter)
    if wrapped:
        f.emit("commit", "COMMIT")
    assert len(f.out) == stmts, (len(f.out), stmts)
    return f


def singular(t):
    if t.endswith("ies"):
        return t[:-3] + "y"
    if t.endswith("sses") or t.endswith("xes"):
        return t[:-2]
    return t[:-1] if t.endswith("s") else t


def existing_table(rng):
    return pick(rng, EXISTING)[0]


def any_table(f):
    rng = f.rng
    if f.new_tables and rng.random() < 0.3:
        return pick(rng, f.new_tables)[0]
    return existing_table(rng)


def column_of(f, table):
    rng = f.rng
    cols = [c for c, _ in BASE_COLUMNS]
    for t, tcols in f.new_tables:
        if t == table:
            cols = tcols
    cols = cols + f.added.get(table, [])
    return pick(rng, cols)


def fresh_column(f, table, counter):
    counter[0] += 1
    name = "%s_%d" % (pick(f.rng, NEW_COLUMN_NAMES), counter[0])
    f.added.setdefault(table, []).append(name)
    return name


def gen_stmt(f, kind, counter):
    rng = f.rng
    c = rng.random() < 0.25 and pick(rng, COMMENTS) or None
    if kind == "create_table":
        counter[0] += 1
        name = "%s_%d" % (pick(rng, NEW_TABLE_STEMS), counter[0])
        pk = rng.random()
        cols = []
        lines = []
        if pk < 0.6:
            lines.append("    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        elif pk < 0.75:
            lines.append("    id serial PRIMARY KEY")
        elif pk < 0.9:
            lines.append("    id uuid PRIMARY KEY DEFAULT gen_random_uuid()")
        else:
            lines.append("    id bigint NOT NULL")  # no primary key
        cols.append("id")
        ref = existing_table(rng)
        lines.append("    %s_id bigint NOT NULL REFERENCES %s (id)" % (singular(ref), ref))
        cols.append("%s_id" % singular(ref))
        for _ in range(rng.randint(2, 6)):
            col = pick(rng, NEW_COLUMN_NAMES)
            if col in cols:
                continue
            typ = pick(rng, ADD_TYPES + ["char(2)", "timestamp without time zone"])
            nn = " NOT NULL" if rng.random() < 0.3 else ""
            lines.append("    %s %s%s" % (col, typ, nn))
            cols.append(col)
        lines.append("    created_at %s NOT NULL DEFAULT now()" % pick(rng, ["timestamptz", "timestamptz", "timestamp"]))
        cols.append("created_at")
        f.new_tables.append((name, cols))
        f.emit(kind, "CREATE TABLE %s (\n%s\n)" % (name, ",\n".join(lines)), c)
    elif kind in ("create_index", "create_index_concurrently", "create_unique_index_concurrently"):
        t = any_table(f)
        col = column_of(f, t)
        counter[0] += 1
        idx = "idx_%s_%s_%d" % (t, col, counter[0])
        unique = "UNIQUE " if kind == "create_unique_index_concurrently" else ""
        conc = "CONCURRENTLY " if "concurrently" in kind else ""
        ine = "IF NOT EXISTS " if rng.random() < 0.3 else ""
        where = " WHERE deleted_at IS NULL" if rng.random() < 0.1 and "deleted_at" in col else ""
        using = " USING btree" if rng.random() < 0.2 else ""
        f.emit(kind, "CREATE %sINDEX %s%s%s ON %s%s (%s)%s" % (unique, conc, ine, idx, t, using, col, where), c)
    elif kind in ("drop_index", "drop_index_concurrently"):
        t = existing_table(rng)
        conc = "CONCURRENTLY " if kind == "drop_index_concurrently" else ""
        f.emit(kind, "DROP INDEX %sIF EXISTS idx_%s_%s_old" % (conc, t, pick(rng, BASE_COLUMNS)[0]), c)
    elif kind.startswith("add_column"):
        t = any_table(f)
        col = fresh_column(f, t, counter)
        typ = pick(rng, ADD_TYPES)
        if kind == "add_column_nullable":
            tail = ""
        elif kind == "add_column_const_default":
            tail = {"text": " NOT NULL DEFAULT ''", "boolean": " NOT NULL DEFAULT false",
                    "jsonb": " NOT NULL DEFAULT '{}'::jsonb", "timestamptz": " DEFAULT now()",
                    "uuid": "", "date": " DEFAULT CURRENT_DATE", "timestamp": " DEFAULT now()"}.get(typ, " NOT NULL DEFAULT 0")
            if typ == "varchar(64)":
                tail = " DEFAULT 'n/a'"
        elif kind == "add_column_volatile_default":
            typ, tail = pick(rng, [("uuid", " NOT NULL DEFAULT gen_random_uuid()"),
                                   ("timestamptz", " DEFAULT clock_timestamp()"),
                                   ("double precision", " DEFAULT random()")])
        else:
            tail = " NOT NULL"
        ine = "IF NOT EXISTS " if rng.random() < 0.2 else ""
        f.emit(kind, "ALTER TABLE %s ADD COLUMN %s%s %s%s" % (t, ine, col, typ, tail), c)
    elif kind in ("add_fk", "add_fk_not_valid"):
        t = existing_table(rng)
        ref = existing_table(rng)
        col = fresh_column(f, t, counter)
        f.emit("add_column_nullable", "ALTER TABLE %s ADD COLUMN %s bigint" % (t, col))
        if len(f.out) >= f.limit:
            return
        nv = " NOT VALID" if kind == "add_fk_not_valid" else ""
        cname = "fk_%s_%s" % (t, col)
        f.emit(kind, "ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (id)%s" % (t, cname, col, ref, nv), c)
        if nv and len(f.out) < f.limit and rng.random() < 0.7:
            f.emit("validate_constraint", "ALTER TABLE %s VALIDATE CONSTRAINT %s" % (t, cname))
    elif kind == "validate_constraint":
        t = existing_table(rng)
        f.emit(kind, "ALTER TABLE %s VALIDATE CONSTRAINT chk_%s_%s" % (t, t, pick(rng, BASE_COLUMNS)[0]), c)
    elif kind in ("add_check", "add_check_not_valid"):
        t = existing_table(rng)
        col = pick(rng, ["amount", "quantity"])
        counter[0] += 1
        nv = " NOT VALID" if kind == "add_check_not_valid" else ""
        f.emit(kind, "ALTER TABLE %s ADD CONSTRAINT chk_%s_%s_%d CHECK (%s >= 0)%s" % (t, t, col, counter[0], col, nv), c)
    elif kind == "set_not_null":
        t = any_table(f)
        f.emit(kind, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL" % (t, column_of(f, t)), c)
    elif kind == "drop_not_null":
        t = existing_table(rng)
        f.emit(kind, "ALTER TABLE %s ALTER COLUMN status DROP NOT NULL" % t, c)
    elif kind == "alter_type_widen":
        t = existing_table(rng)
        col, typ = pick(rng, [("code", "varchar(64)"), ("note", "text"), ("note", "varchar(500)")])
        f.emit(kind, "ALTER TABLE %s ALTER COLUMN %s TYPE %s" % (t, col, typ), c)
    elif kind == "alter_type_rewrite":
        t = existing_table(rng)
        col, typ = pick(rng, [("quantity", "bigint"), ("amount", "numeric(14,4)"), ("external_ref", "uuid USING external_ref::uuid"),
                              ("updated_at", "timestamp")])
        f.emit(kind, "ALTER TABLE %s ALTER COLUMN %s TYPE %s" % (t, col, typ), c)
    elif kind == "alter_type_narrow":
        t = existing_table(rng)
        col, typ = pick(rng, [("code", "varchar(8)"), ("name", "varchar(50)"), ("amount", "integer")])
        f.emit(kind, "ALTER TABLE %s ALTER COLUMN %s TYPE %s" % (t, col, typ), c)
    elif kind == "set_default":
        t = any_table(f)
        f.emit(kind, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT now()" % (t, pick(rng, ["created_at", "updated_at"]) if t in dict(EXISTING) else "created_at"), c)
    elif kind == "drop_table":
        if f.new_tables and rng.random() < 0.5:
            t = f.new_tables.pop(rng.randrange(len(f.new_tables)))[0]
        else:
            t = "legacy_%s_%d" % (existing_table(rng), rng.randrange(1000))
        allow = rng.random() < 0.3 and "-- strata:allow DL001 retired in the v2 data model" or c
        f.emit(kind, "DROP TABLE IF EXISTS %s%s" % (t, " CASCADE" if rng.random() < 0.3 else ""), allow)
    elif kind == "drop_column":
        t = any_table(f)
        added = f.added.get(t)
        col = added.pop() if added else pick(rng, ["note", "external_ref", "code"])
        allow = rng.random() < 0.3 and "-- strata:allow DL002 unused since the v2 release" or c
        f.emit(kind, "ALTER TABLE %s DROP COLUMN IF EXISTS %s" % (t, col), allow)
    elif kind == "rename_column":
        t = any_table(f)
        added = f.added.get(t)
        old = added.pop() if added else pick(rng, ["note", "external_ref"])
        new = fresh_column(f, t, counter)
        f.emit(kind, "ALTER TABLE %s RENAME COLUMN %s TO %s" % (t, old, new), c)
    elif kind == "rename_table":
        t = existing_table(rng)
        f.emit(kind, "ALTER TABLE %s_staging RENAME TO %s_archive_%d" % (t, t, rng.randrange(100)), c)
    elif kind == "reindex":
        f.emit(kind, "REINDEX TABLE %s" % existing_table(rng), c)
    elif kind == "reindex_concurrently":
        t = existing_table(rng)
        f.emit(kind, "REINDEX INDEX CONCURRENTLY %s_pkey" % t, c)
    elif kind == "vacuum_full":
        f.emit(kind, "VACUUM FULL %s" % existing_table(rng), c)
    elif kind == "cluster":
        t = existing_table(rng)
        f.emit(kind, "CLUSTER %s USING %s_pkey" % (t, t), c)
    elif kind == "comment_on":
        t = any_table(f)
        if rng.random() < 0.5:
            f.emit(kind, "COMMENT ON TABLE %s IS 'Owned by the %s team; contact #db-help'" % (t, pick(rng, ["billing", "growth", "platform"])), c)
        else:
            f.emit(kind, "COMMENT ON COLUMN %s.%s IS 'See ADR-%d'" % (t, column_of(f, t), rng.randrange(1, 300)), c)
    elif kind == "set_lock_timeout":
        f.emit(kind, pick(rng, ["SET lock_timeout = '5s'", "SET statement_timeout = '15min'", "SET lock_timeout TO '2s'"]), c)
    elif kind == "update_backfill":
        t = existing_table(rng)
        f.emit(kind, "UPDATE %s SET updated_at = created_at WHERE updated_at IS NULL AND id BETWEEN %d AND %d"
               % (t, rng.randrange(0, 100000), rng.randrange(100000, 200000)), c)
    elif kind == "insert_seed":
        t = existing_table(rng)
        f.emit(kind, "INSERT INTO %s (name, code, created_at) VALUES ('seed %d', 'S%d', now()) ON CONFLICT DO NOTHING"
               % (t, rng.randrange(10000), rng.randrange(10000)), c)
    elif kind == "create_enum":
        counter[0] += 1
        f.emit(kind, "CREATE TYPE state_%d AS ENUM ('draft', 'active', 'archived')" % counter[0], c)
    elif kind == "add_enum_value":
        f.emit(kind, "ALTER TYPE order_state ADD VALUE IF NOT EXISTS 'on_hold_%d' AFTER 'pending'" % rng.randrange(1000), c)
    elif kind == "add_unique":
        t = existing_table(rng)
        counter[0] += 1
        f.emit(kind, "ALTER TABLE %s ADD CONSTRAINT uq_%s_email_%d UNIQUE (email)" % (t, t, counter[0]), c)
    elif kind == "create_view":
        t = existing_table(rng)
        counter[0] += 1
        f.emit(kind, "CREATE OR REPLACE VIEW v_%s_%d AS\n    SELECT id, name, status, created_at\n    FROM %s\n    WHERE status = 'active'"
               % (t, counter[0], t), c)
    elif kind == "grant":
        f.emit(kind, "GRANT SELECT, INSERT, UPDATE ON %s TO app_rw" % any_table(f), c)
    elif kind == "truncate":
        f.emit(kind, "TRUNCATE TABLE %s_staging" % existing_table(rng), c)
    else:
        raise SystemExit("unknown kind " + kind)


def schema_sql():
    out = ["SET client_min_messages = warning;",
           "DO $$ BEGIN CREATE ROLE app_rw; EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
           "CREATE TYPE order_state AS ENUM ('pending', 'paid', 'shipped');"]
    for name, rows in EXISTING:
        cols = ",\n".join("    %s %s" % c for c in BASE_COLUMNS)
        out.append("CREATE TABLE %s (\n    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n%s\n);" % (name, cols))
        out.append("CREATE TABLE %s_staging (LIKE %s);" % (name, name))
        out.append(
            "INSERT INTO %s (name, email, amount, quantity, code, note, external_ref, updated_at)\n"
            "    SELECT 'n' || g, 'u' || g || '@example.com', g %% 1000, g %% 17, 'C' || (g %% 97), NULL, NULL, now()\n"
            "    FROM generate_series(1, %d) g;" % (name, rows))
    out.append("ANALYZE;")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--statements", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20240611)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    mdir = os.path.join(a.out, "migrations")
    os.makedirs(mdir, exist_ok=True)
    counter = [0]
    kinds = {}
    for i in range(1, a.files + 1):
        f = gen_file(rng, i, a.statements, counter)
        for k, v in f.kinds.items():
            kinds[k] = kinds.get(k, 0) + v
        slug = pick(rng, ["add_columns", "billing_changes", "indexes", "cleanup", "reporting", "constraints", "backfill", "refactor"])
        with open(os.path.join(mdir, "%04d_%s.sql" % (i, slug)), "w") as fh:
            fh.write("-- migration %d: %s (generated by bench/gen_lint_corpus.py, seed %d)\n" % (i, slug, a.seed))
            fh.write("".join(h + "\n" for h in f.header) + "\n")
            fh.write("\n\n".join(f.out) + "\n")
    with open(os.path.join(a.out, "schema.sql"), "w") as fh:
        fh.write(schema_sql())
    with open(os.path.join(a.out, "manifest.txt"), "w") as fh:
        fh.write("%d %d\n" % (a.files, a.files * a.statements))
        for k in sorted(kinds):
            fh.write("%s %d\n" % (k, kinds[k]))


if __name__ == "__main__":
    sys.exit(main())
