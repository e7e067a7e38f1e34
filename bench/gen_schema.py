#!/usr/bin/env python3
"""Write the PostgreSQL schema used by bench/inspect.sh to stdout.

    python3 bench/gen_schema.py [TABLES]        # default 5000

Per table t_NNNNN (TABLES tables, so 10 x TABLES columns, 2 x TABLES indexes, TABLES FKs):
  - 10 columns of mixed types: bigint identity PK, a bigint FK to the previous table
    (the first table references itself), text NOT NULL, varchar(n), integer, numeric(p,s),
    timestamptz NOT NULL DEFAULT now(), boolean NOT NULL DEFAULT false, jsonb, and a
    rotating 10th column (date / uuid / text[] / smallint DEFAULT 0 / double precision);
  - 2 indexes that back no constraint: one multi-column (name, created_at DESC), and one
    alternating between a partial index (WHERE active), an expression index (lower(name))
    and a plain multi-column index (qty, price);
  - a CHECK (qty >= 0) on every 4th table;
  - a table comment on every 10th table and a column comment on every 25th.
The PK indexes (one per table) come on top of the 2 x TABLES indexes above.

The output is one psql script, committed every BATCH (env, default 500) tables: a single
transaction for all 5,000 tables would hold one lock per created relation (~30,000) and
overflow the shared lock table at PostgreSQL's default max_locks_per_transaction = 64
("out of shared memory"); BATCH=0 means one transaction for everything.
"""
import os
import sys

TYPES_10TH = [
    ("valid_on", "date"),
    ("ref", "uuid"),
    ("tags", "text[]"),
    ("rank", "smallint NOT NULL DEFAULT 0"),
    ("ratio", "double precision"),
]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    batch = int(os.environ.get("BATCH", "500"))
    out = sys.stdout
    w = out.write
    w("SET client_min_messages = warning;\nBEGIN;\n")
    for i in range(1, n + 1):
        t = f"t_{i:05d}"
        prev = f"t_{i - 1:05d}" if i > 1 else t
        tenth_name, tenth_type = TYPES_10TH[i % len(TYPES_10TH)]
        w(
            f"CREATE TABLE {t} (\n"
            f"    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            f"    parent_id bigint REFERENCES {prev} (id) ON DELETE {'CASCADE' if i % 2 else 'SET NULL'},\n"
            f"    name text NOT NULL,\n"
            f"    code varchar({16 + i % 48}),\n"
            f"    qty integer{' CHECK (qty >= 0)' if i % 4 == 0 else ''},\n"
            f"    price numeric({10 + i % 8},2),\n"
            f"    created_at timestamptz NOT NULL DEFAULT now(),\n"
            f"    active boolean NOT NULL DEFAULT false,\n"
            f"    payload jsonb,\n"
            f"    {tenth_name} {tenth_type}\n"
            f");\n"
        )
        w(f"CREATE INDEX {t}_name_created_idx ON {t} (name, created_at DESC);\n")
        kind = i % 3
        if kind == 0:
            w(f"CREATE INDEX {t}_active_idx ON {t} (parent_id) WHERE active;\n")
        elif kind == 1:
            w(f"CREATE INDEX {t}_lower_name_idx ON {t} (lower(name));\n")
        else:
            w(f"CREATE INDEX {t}_qty_price_idx ON {t} (qty, price);\n")
        if i % 10 == 0:
            w(f"COMMENT ON TABLE {t} IS 'Table number {i} of the inspect benchmark';\n")
        if i % 25 == 0:
            w(f"COMMENT ON COLUMN {t}.payload IS 'Free-form attributes (''json'')';\n")
        if batch and i % batch == 0 and i < n:
            w("COMMIT;\nBEGIN;\n")
    w("COMMIT;\nANALYZE;\n")


if __name__ == "__main__":
    main()
