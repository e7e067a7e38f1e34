#!/usr/bin/env bash
# bench/apply.sh — how long `strata apply` takes for N (default 1,000) small migrations on SQLite
# and PostgreSQL, beside:
#
#   floor   the engine's own client running the same SQL in one session: per migration
#           `BEGIN; <up sql>; INSERT INTO floor_history ...; COMMIT;` (after creating floor_history),
#           i.e. what any migrator must at least do (one transaction + one history row per migration).
#             SQLite:     sqlite3 -bail DB < floor.sql
#             PostgreSQL: psql -q -X -v ON_ERROR_STOP=1 -f floor.sql
#   dbmate  a real peer (Go): `dbmate --no-dump-schema --migrations-dir DIR up`, installed with
#           `npm install --prefix bench/.tools dbmate` when missing.
#
# Method: one timed process per sample, wall clock (`date +%s.%N`), process start-up included for
# every tool. The machine is noisy, so the tools alternate (strata, floor, dbmate, strata, ...),
# each run gets a fresh database (SQLite: a new file; PostgreSQL: CREATE DATABASE bench_<random>,
# dropped right after), and the table shows medians of RUNS samples. After every sample the
# script checks that all N tables and N history rows exist, so a tool that silently did less
# cannot look fast. Setup and checks are outside the timed region.
#
# Comparable SQLite settings. strata opens SQLite through sqlx 0.8 (bundled SQLite 3.46). sqlx's
# SqliteConnectOptions (sqlx-sqlite-0.8.6/src/options/mod.rs) sets only:
#   - PRAGMA foreign_keys = ON           (SQLite's own default is OFF; libsqlite3-sys' bundled
#                                          build also has -DSQLITE_DEFAULT_FOREIGN_KEYS=1)
#   - busy timeout (strata sets 30 s)    (no effect without contention)
# and leaves journal_mode (DELETE, rollback journal), synchronous (FULL), page_size (4096) and
# auto_vacuum at SQLite's defaults; strata does not change them either. What strata does change
# is locking_mode: EXCLUSIVE for the first second after it takes its lock (README, "SQLite during
# a run"), so that SQLite keeps one journal file open instead of creating, directory-syncing and
# deleting one per transaction. Durability is unchanged: still 4 syncs per commit (journal twice,
# the journal header reset instead of the directory, the database; strace -c: 4012 fsyncs for
# 1,000 migrations). The floor is what the issue defines — the sqlite3 shell running the same SQL
# with its defaults — so it keeps NORMAL locking: the file starts with
# `PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;`. (The sqlite3 shell given
# `PRAGMA locking_mode = EXCLUSIVE` first is ~15% faster than the floor here, about where strata
# is.) The sqlite3 CLI's library may be an older SQLite than the bundled one (Debian 12: 3.40 vs
# 3.46) and syncs with fdatasync where the bundled build uses fsync; building strata's SQLite
# with -DHAVE_FDATASYNC=1 moved nothing beyond noise (2026-11-26, 6 paired runs).
# strata takes its lock with BEGIN IMMEDIATE and runs each migration in BEGIN IMMEDIATE ... COMMIT;
# in a single-writer run BEGIN and BEGIN IMMEDIATE cost the same, so the floor uses plain BEGIN.
# dbmate (mattn/go-sqlite3 1.14) defaults to PRAGMA synchronous=NORMAL, i.e. one journal fsync
# fewer per commit than strata and the floor (3 vs 4, checked with strace -c); on a busy disk that
# alone makes it faster. It is benched as users get it; DBMATE_SYNC_FULL=1 gives it ?_sync=FULL.
# On PostgreSQL all three use sslmode=disable (no TLS on any side) over TCP to the same server.
#
# Usage:
#   bench/apply.sh                       # RUNS=5 N=1000, both engines
#   RUNS=9 ENGINES=postgres bench/apply.sh
# Environment:
#   RUNS (5)  N (1000)  ENGINES ("sqlite postgres")
#   PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PGADMINDB (test)   trust auth assumed
#   STRATA_BIN   use this binary instead of building target/release/strata
#   STRATA_REV   build this committed revision (e.g. HEAD) from `git archive` under bench/.tools
#                instead of the working tree (useful while someone is mid-edit in crates/)
#   BENCH_TMPDIR where the work dir (SQLite files, generated migrations) goes (default: $TMPDIR or /tmp)
#   KEEP_WORK=1  keep the work dir (migrations, floor SQL, last log of each tool) for inspection
#   STRICT=1     exit 1 when a target is missed
#   DBMATE_SYNC_FULL=1  run dbmate's SQLite at synchronous=FULL like strata and the floor
# Targets (from the issue): strata <= 1.15x the floor on each engine, and faster than dbmate.
set -euo pipefail

RUNS=${RUNS:-5}
N=${N:-1000}
ENGINES=${ENGINES:-"sqlite postgres"}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGADMINDB=${PGADMINDB:-test}
STRICT=${STRICT:-0}
# dbmate's SQLite driver (mattn/go-sqlite3) runs with PRAGMA synchronous=NORMAL unless told
# otherwise: 3 fsyncs per commit instead of 4 for strata and the floor (synchronous=FULL).
# DBMATE_SYNC_FULL=1 passes ?_sync=FULL so that all three pay for the same durability.
DBMATE_SQLITE_QUERY=""
[[ ${DBMATE_SYNC_FULL:-0} == 1 ]] && DBMATE_SQLITE_QUERY="?_sync=FULL"
TARGET_RATIO=1.15

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
# psql's default sslmode is "prefer" (TLS when the server offers it); strata and dbmate get
# sslmode=disable in their URLs, so the floor must not pay for TLS either.
export PGSSLMODE=disable
# DATABASE_URL would silently redirect strata (it reads it when --url is absent); only dbmate gets one.
unset DATABASE_URL

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer (got '$N')"
for e in $ENGINES; do
    [[ $e == sqlite || $e == postgres ]] || die "ENGINES may hold sqlite and postgres (got '$e')"
done

# ---------------------------------------------------------------- cleanup
WORK=""
CREATED_DBS=()
psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGADMINDB" -q -X -v ON_ERROR_STOP=1 "$@"; }
drop_db() {
    psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local db
    for db in "${CREATED_DBS[@]+"${CREATED_DBS[@]}"}"; do drop_db "$db"; done
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ ${KEEP_WORK:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools
for t in python3 awk; do command -v "$t" >/dev/null || die "$t is required"; done
[[ " $ENGINES " == *" sqlite "* ]] && { command -v sqlite3 >/dev/null || die "sqlite3 is required for the SQLite floor"; }
[[ " $ENGINES " == *" postgres "* ]] && { command -v psql >/dev/null || die "psql is required for PostgreSQL"; }

STRATA_DESC=""
if [[ -n ${STRATA_BIN:-} ]]; then
    STRATA=$STRATA_BIN
    STRATA_DESC="from STRATA_BIN"
    log "using STRATA_BIN=$STRATA (not building)"
elif [[ -n ${STRATA_REV:-} ]]; then
    # The committed tree of STRATA_REV, exported (git archive) and built apart from the working
    # tree, with a target dir kept under bench/.tools so that dependencies build once.
    rev=$(cd "$ROOT" && git rev-parse --verify "$STRATA_REV^{commit}") || die "unknown revision $STRATA_REV"
    src=$BENCH/.tools/src
    log "building strata at $STRATA_REV ($rev) in $src ..."
    rm -rf "$src" && mkdir -p "$src"
    (cd "$ROOT" && git archive "$rev") | tar -x -C "$src"
    (cd "$src" && CARGO_TARGET_DIR=$BENCH/.tools/target cargo build --release -p strata-cli >&2) \
        || die "cargo build of $STRATA_REV failed"
    STRATA=$BENCH/.tools/target/release/strata
    STRATA_DESC="git $(cd "$ROOT" && git rev-parse --short "$rev") (committed tree)"
else
    log "building strata (cargo build --release -p strata-cli) ..."
    (cd "$ROOT" && cargo build --release -p strata-cli >&2) \
        || die "cargo build failed; to bench an existing binary, run with STRATA_BIN=path/to/strata"
    STRATA=$ROOT/target/release/strata
fi
[[ -x $STRATA ]] || die "no strata binary at $STRATA"

DBMATE=$BENCH/.tools/node_modules/.bin/dbmate
if [[ ! -x $DBMATE ]]; then
    command -v npm >/dev/null || die "npm is required to install dbmate"
    log "installing dbmate into bench/.tools ..."
    npm install --prefix "$BENCH/.tools" --no-audit --no-fund dbmate >&2
fi
# The npm package's bin is a node wrapper that spawns the Go binary; time the Go binary itself,
# so that dbmate is not charged node's start-up (~50 ms per run).
for native in "$BENCH"/.tools/node_modules/@dbmate/*/bin/dbmate; do
    if [[ -x $native ]] && "$native" --version >/dev/null 2>&1; then DBMATE=$native; break; fi
done
"$DBMATE" --version >/dev/null || die "dbmate at $DBMATE does not run"
log "dbmate: $DBMATE ($("$DBMATE" --version))"

# ---------------------------------------------------------------- migrations
if [[ -n ${BENCH_TMPDIR:-} ]]; then
    mkdir -p "$BENCH_TMPDIR"
    WORK=$(mktemp -d "$BENCH_TMPDIR/strata-bench.XXXXXX")
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench.XXXXXX")
fi
log "work dir: $WORK"
# A private copy, so that a cargo build running elsewhere cannot swap the binary mid-benchmark.
cp "$STRATA" "$WORK/strata"
[[ -n $STRATA_DESC ]] || STRATA_DESC="working tree at git $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo unknown)"
STRATA_LABEL="$STRATA, $STRATA_DESC, built $(date -u -r "$STRATA" +%Y-%m-%dT%H:%M:%SZ)"
STRATA=$WORK/strata
log "strata: $STRATA_LABEL"

# One shared migrations folder; a project per engine points at it (strata.toml [project] migrations).
python3 - "$WORK" "$N" <<'PY'
import datetime, hashlib, os, sys

work, n = sys.argv[1], int(sys.argv[2])
strata_dir = os.path.join(work, "migrations")
dbmate_dir = os.path.join(work, "dbmate")
os.makedirs(strata_dir)
os.makedirs(dbmate_dir)
base = datetime.datetime(2026, 1, 1, 0, 0, 0)
floor = []
for i in range(1, n + 1):
    version = (base + datetime.timedelta(seconds=i)).strftime("%Y%m%d%H%M%S")
    t = f"t_{i:04d}"
    name = f"create_{t}"
    up = (
        f"CREATE TABLE {t} (id bigint primary key, name text not null, "
        f"created_at timestamp default current_timestamp);\n"
        f"CREATE INDEX {t}_name ON {t}(name);\n"
    )
    down = f"DROP TABLE {t};\n"
    with open(os.path.join(strata_dir, f"{version}_{name}.up.sql"), "w") as f:
        f.write(up)
    with open(os.path.join(strata_dir, f"{version}_{name}.down.sql"), "w") as f:
        f.write(down)
    with open(os.path.join(dbmate_dir, f"{version}_{name}.sql"), "w") as f:
        f.write(f"-- migrate:up\n{up}\n-- migrate:down\n{down}")
    checksum = hashlib.sha256(up.encode()).hexdigest()
    floor.append(
        f"BEGIN;\n{up}"
        f"INSERT INTO floor_history (version, name, checksum, applied_at, execution_ms, applied_by, success) "
        f"VALUES ({version}, '{name}', '{checksum}', CURRENT_TIMESTAMP, 0, 'bench', TRUE);\n"
        f"COMMIT;\n"
    )
body = "".join(floor)
with open(os.path.join(work, "floor-sqlite.sql"), "w") as f:
    f.write("PRAGMA foreign_keys = ON;\nPRAGMA busy_timeout = 30000;\n")
    f.write(
        "CREATE TABLE floor_history (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "checksum TEXT NOT NULL, applied_at TEXT NOT NULL, execution_ms INTEGER NOT NULL, "
        "applied_by TEXT NOT NULL, success INTEGER NOT NULL);\n"
    )
    f.write(body)
with open(os.path.join(work, "floor-postgres.sql"), "w") as f:
    f.write(
        "CREATE TABLE floor_history (version bigint PRIMARY KEY, name text NOT NULL, "
        "checksum text NOT NULL, applied_at timestamptz NOT NULL, execution_ms bigint NOT NULL, "
        "applied_by text NOT NULL, success boolean NOT NULL);\n"
    )
    f.write(body)
PY

for e in $ENGINES; do
    mkdir -p "$WORK/project-$e"
    printf '[project]\nengine = "%s"\nmigrations = "../migrations"\n' "$e" >"$WORK/project-$e/strata.toml"
done
first_engine=${ENGINES%% *}
"$STRATA" -C "$WORK/project-$first_engine" validate --rehash >/dev/null \
    || die "strata validate --rehash failed"
[[ -s $WORK/migrations/strata.sum ]] || die "strata.sum was not written"
log "generated $N migrations (strata: $WORK/migrations, dbmate: $WORK/dbmate)"

# ---------------------------------------------------------------- one sample
rand() { od -An -N6 -tx1 /dev/urandom | tr -d ' \n'; }
pg_url() { echo "postgres://$PGUSER@$PGHOST:$PGPORT/$1?sslmode=disable"; }

# new_target ENGINE TOOL: sets TARGET (file path or database name) and URL, fresh and empty.
new_target() {
    local engine=$1 tool=$2
    if [[ $engine == sqlite ]]; then
        TARGET=$(mktemp -d "$WORK/run-$tool.XXXXXX")/bench.db
        case $tool in
            strata) URL="sqlite://$TARGET" ;;   # sqlite:// + /abs/path
            dbmate) URL="sqlite:$TARGET$DBMATE_SQLITE_QUERY" ;;
            floor) URL="" ;;
        esac
    else
        TARGET="bench_$(rand)"
        CREATED_DBS+=("$TARGET")
        psql_admin -c "CREATE DATABASE \"$TARGET\"" >/dev/null
        URL=$(pg_url "$TARGET")
    fi
}

drop_target() {
    local engine=$1
    if [[ $engine == sqlite ]]; then
        rm -rf "$(dirname "$TARGET")"
    else
        drop_db "$TARGET"
        local keep=() db
        for db in "${CREATED_DBS[@]}"; do [[ $db == "$TARGET" ]] || keep+=("$db"); done
        CREATED_DBS=("${keep[@]+"${keep[@]}"}")
    fi
}

# query ENGINE SQL: one value from the current target.
query() {
    if [[ $1 == sqlite ]]; then
        sqlite3 "$TARGET" "$2"
    else
        psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$TARGET" -X -A -t -v ON_ERROR_STOP=1 -c "$2"
    fi
}

# check ENGINE TOOL: every table and every history row is there.
check() {
    local engine=$1 tool=$2 tables rows history
    case $tool in
        strata) history="strata_history WHERE success" ;;
        floor) history="floor_history" ;;
        dbmate) history="schema_migrations" ;;
    esac
    if [[ $engine == sqlite ]]; then
        tables=$(query sqlite "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 't\_%' ESCAPE '\\'")
    else
        tables=$(query postgres "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%'")
    fi
    rows=$(query "$engine" "SELECT count(*) FROM $history")
    [[ $tables == "$N" && $rows == "$N" ]] \
        || die "$tool on $engine: expected $N tables and $N history rows, found $tables and $rows"
}

now() { date +%s.%N; }

# sample ENGINE TOOL: sets SAMPLE to the seconds one fresh run took. (Not run in a $(...)
# subshell, so that the EXIT trap knows every database it must drop.)
sample() {
    local engine=$1 tool=$2 start end out
    new_target "$engine" "$tool"
    out=$WORK/last-$tool-$engine.log
    start=$(now)
    case $tool/$engine in
        strata/*)
            "$STRATA" -C "$WORK/project-$engine" --url "$URL" apply >"$out" 2>&1 ;;
        floor/sqlite)
            sqlite3 -bail "$TARGET" <"$WORK/floor-sqlite.sql" >"$out" 2>&1 ;;
        floor/postgres)
            psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$TARGET" -q -X -v ON_ERROR_STOP=1 \
                -f "$WORK/floor-postgres.sql" >"$out" 2>&1 ;;
        dbmate/*)
            DATABASE_URL=$URL "$DBMATE" --no-dump-schema --migrations-dir "$WORK/dbmate" up >"$out" 2>&1 ;;
    esac || { tail -n 20 "$out" >&2; die "$tool on $engine failed (log above)"; }
    end=$(now)
    check "$engine" "$tool"
    drop_target "$engine"
    SAMPLE=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------- run
loadavg() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
LOAD_START=$(loadavg)
if awk -v l="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > n / 2) }'; then
    log "warning: load average $LOAD_START on $(nproc) CPUs; other work will skew the samples"
fi
TOOLS=(strata floor dbmate)
declare -A SAMPLES MED
for engine in $ENGINES; do
    for ((r = 1; r <= RUNS; r++)); do
        line="$engine run $r/$RUNS:"
        for tool in "${TOOLS[@]}"; do
            sample "$engine" "$tool"
            SAMPLES[$engine/$tool]="${SAMPLES[$engine/$tool]:-} $SAMPLE"
            line+=" $tool ${SAMPLE}s"
        done
        log "$line"
    done
    for tool in "${TOOLS[@]}"; do
        # shellcheck disable=SC2086
        MED[$engine/$tool]=$(median ${SAMPLES[$engine/$tool]})
    done
done

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
# paired_ratios A B: "min-max" of A_i/B_i over the runs (the tools of one run ran back to back).
paired_ratios() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= n; i++) { r = x[i] / y[i]; if (i == 1 || r < lo) lo = r; if (i == 1 || r > hi) hi = r }
        printf "%.2f-%.2fx", lo, hi }'
}
# overlap A B: true when the ranges of the two sample lists overlap (the medians' order is then
# not a reliable verdict at this RUNS).
overlap() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        n = split(a, x, " "); m = split(b, y, " ")
        for (i = 1; i <= n; i++) { if (i == 1 || x[i] < alo) alo = x[i]; if (i == 1 || x[i] > ahi) ahi = x[i] }
        for (i = 1; i <= m; i++) { if (i == 1 || y[i] < blo) blo = y[i]; if (i == 1 || y[i] > bhi) bhi = y[i] }
        exit !(alo <= bhi && blo <= ahi) }'
}
echo
echo "strata apply of $N migrations, median of $RUNS fresh runs each ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs)"
echo "strata: $STRATA_LABEL; dbmate: $("$DBMATE" --version)${DBMATE_SQLITE_QUERY:+ (SQLite URL + $DBMATE_SQLITE_QUERY)}"
echo "1-min load average: $LOAD_START at start, $(loadavg) at end (on $(nproc) CPUs; well above 1 means a busy machine and noisy samples)"
printf '%-9s %-8s %-8s %-8s %-13s %s\n' engine strata floor dbmate strata/floor dbmate/floor
missed=0
notes=()
verdicts=()
for engine in $ENGINES; do
    st=${MED[$engine/strata]} fl=${MED[$engine/floor]} db=${MED[$engine/dbmate]}
    sst=${SAMPLES[$engine/strata]} sfl=${SAMPLES[$engine/floor]} sdb=${SAMPLES[$engine/dbmate]}
    printf '%-9s %-8s %-8s %-8s %-13s %s\n' "$engine" "${st}s" "${fl}s" "${db}s" "$(ratio "$st" "$fl")" "$(ratio "$db" "$fl")"
    notes+=("$engine samples (s): strata${sst}; floor${sfl}; dbmate${sdb}")
    notes+=("$engine per-run strata/floor: $(paired_ratios "$sst" "$sfl"), strata/dbmate: $(paired_ratios "$sst" "$sdb")")
    if awk -v a="$st" -v b="$fl" -v t="$TARGET_RATIO" 'BEGIN { exit !(a <= b * t) }'; then
        verdicts+=("$engine: strata <= ${TARGET_RATIO}x floor: met ($(ratio "$st" "$fl"))")
    else
        verdicts+=("$engine: strata <= ${TARGET_RATIO}x floor: NOT MET ($(ratio "$st" "$fl"))"); missed=1
    fi
    noise=""
    overlap "$sst" "$sdb" && noise=" [sample ranges overlap: within noise at RUNS=$RUNS]"
    if awk -v a="$st" -v b="$db" 'BEGIN { exit !(a < b) }'; then
        verdicts+=("$engine: strata faster than dbmate: met (${st}s vs ${db}s)$noise")
    else
        verdicts+=("$engine: strata faster than dbmate: NOT MET (${st}s vs ${db}s)$noise"); missed=1
    fi
done
echo
printf '%s\n' "${notes[@]}"
echo
printf '%s\n' "${verdicts[@]}"
if [[ $missed == 1 && $STRICT == 1 ]]; then exit 1; fi
exit 0
