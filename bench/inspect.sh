#!/usr/bin/env bash
# bench/inspect.sh — how long `strata inspect` takes, and how much memory, on a PostgreSQL schema of
# 5,000 tables (50,000 columns, 10,000 indexes besides the 5,000 PKs, 5,000 FKs, 1,250 checks,
# comments), beside:
#
#   floor    psql running exactly the catalog queries strata sends, output discarded:
#              psql -X -q -A -t -f floor.sql -o /dev/null
#            i.e. what any tool that reads the same catalog rows must at least pay (-A -t:
#            unaligned, so psql spends no time padding columns it then throws away; aligned
#            output costs psql another ~0.05-0.1 s here).
#   pg_dump  pg_dump --schema-only DB > /dev/null
#   migra    a real peer (Python): migra --unsafe <empty db> <bench db> > /dev/null (exit 2 = "there
#            are differences" counts as success), installed with `pip install migra psycopg2-binary
#            setuptools` into bench/.tools/venv when missing (gitignored).
#
# How floor.sql is produced (again on every run, so it cannot drift from the code):
#   1. ALTER DATABASE <bench db> SET log_statement = 'all'   (new sessions of that db only)
#   2. one untimed `strata inspect` run; PostgreSQL writes every statement it executes to its
#      server log (stderr log, Debian default /var/log/postgresql/postgresql-<ver>-main.log,
#      override with PGLOG=path), e.g. "execute sqlx_s_3: SELECT ..." followed by
#      "DETAIL:  parameters: $1 = 'public'" for bound parameters
#   3. ALTER DATABASE <bench db> RESET log_statement          (before any timed run)
#   4. bench/floor_sql.py reads the log from the byte offset noted before step 2, keeps the entries
#      of the bench database, substitutes the logged parameter literals for $1, $2, ... and writes
#      the statements, in order, to floor.sql (copied to bench/.tools/inspect-floor.sql for reading).
#   The floor runs them with the simple protocol and text results, strata with the extended
#   protocol (prepared, binary results); the server does the same catalog work either way.
#
# Method: one timed process per sample, wall clock and peak RSS from `/usr/bin/time -f "%e %M"`
# (GNU time; process start-up and connection included for every tool). The schema is loaded once
# (untimed). Each tool first runs once untimed with its output kept, and the script checks that
# the output describes all TABLES tables (so a tool that silently did less cannot look fast) —
# this also warms the server's caches for everyone. Then RUNS rounds, the tools alternating
# (strata DDL, strata JSON, floor, pg_dump, migra, strata DDL, ...) since the machine is noisy; the
# table shows medians. All clients use sslmode=disable (the server offers TLS; libpq's default
# "prefer" would make psql/pg_dump/migra pay for it while strata's URL does not).
# After the table, a breakdown (one run each): every floor query timed by psql's \timing, and one
# strata run per output format with log_min_duration_statement = 0 on the bench database, which
# splits strata's wall time into server time (parse + bind + execute, summed from the log), the
# span from its first statement to its last, and the rest (process start, connect, building the
# model after the last query, rendering DDL / JSON, writing it, exit) = wall - span.
#
# Usage:
#   bench/inspect.sh                     # RUNS=5 TABLES=5000
#   RUNS=9 bench/inspect.sh
#   STRATA_REV=HEAD bench/inspect.sh     # bench the committed tree while others are mid-edit
# Environment:
#   RUNS (5)  TABLES (5000)  BATCH (500: tables per transaction while loading, see gen_schema.py)
#   PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PGADMINDB (test)   trust auth, superuser
#   PGLOG        the server's log file (default: /var/log/postgresql/postgresql-<major>-main.log)
#   STRATA_BIN   use this binary instead of building target/release/strata
#   STRATA_REV   build this committed revision (e.g. HEAD) from `git archive` under
#                bench/.tools/src-inspect (target dir bench/.tools/target-inspect)
#   SKIP_MIGRA=1 leave migra out
#   STRICT=1     exit 1 when a target is missed
# Targets (from the issue): strata <= 1.5x the floor, >= 3x faster than pg_dump and than migra,
# peak RSS < 300 MB.
set -euo pipefail

RUNS=${RUNS:-5}
TABLES=${TABLES:-5000}
export BATCH=${BATCH:-500}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGADMINDB=${PGADMINDB:-test}
STRICT=${STRICT:-0}
SKIP_MIGRA=${SKIP_MIGRA:-0}
T_FLOOR=1.5     # strata / floor at most
T_PEER=3        # peer / strata at least
T_RSS_MB=300    # strata peak RSS below

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
export PGSSLMODE=disable
# DATABASE_URL would redirect strata if --url were ever absent; keep it out.
unset DATABASE_URL

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ $TABLES =~ ^[1-9][0-9]*$ ]] || die "TABLES must be a positive integer (got '$TABLES')"

# ---------------------------------------------------------------- cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench-inspect.XXXXXX")
CREATED_DBS=()
psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGADMINDB" -q -X -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local db
    for db in "${CREATED_DBS[@]+"${CREATED_DBS[@]}"}"; do
        psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools
for t in python3 psql pg_dump; do command -v "$t" >/dev/null || die "$t is required"; done
TIME=/usr/bin/time
if [[ ! -x $TIME ]]; then
    log "installing GNU time (apt-get install -y time) ..."
    apt-get install -y time >&2 || die "/usr/bin/time is missing and could not be installed"
fi

if [[ -n ${STRATA_BIN:-} ]]; then
    STRATA=$STRATA_BIN
    STRATA_DESC="STRATA_BIN=$STRATA_BIN"
elif [[ -n ${STRATA_REV:-} ]]; then
    rev=$(cd "$ROOT" && git rev-parse --verify "$STRATA_REV^{commit}") || die "unknown revision $STRATA_REV"
    src=$BENCH/.tools/src-inspect
    log "building strata at $STRATA_REV ($rev) in $src ..."
    rm -rf "$src" && mkdir -p "$src"
    (cd "$ROOT" && git archive "$rev") | tar -x -C "$src"
    (cd "$src" && CARGO_TARGET_DIR=$BENCH/.tools/target-inspect cargo build --release -p strata-cli >&2) \
        || die "cargo build of $STRATA_REV failed"
    STRATA=$BENCH/.tools/target-inspect/release/strata
    STRATA_DESC="git $(cd "$ROOT" && git rev-parse --short "$rev") (committed tree)"
else
    log "building strata (cargo build --release -p strata-cli) ..."
    (cd "$ROOT" && cargo build --release -p strata-cli >&2) \
        || die "cargo build failed; try STRATA_REV=HEAD (committed tree) or STRATA_BIN=path/to/strata"
    STRATA=$ROOT/target/release/strata
    STRATA_DESC="working tree of git $(cd "$ROOT" && git rev-parse --short HEAD)"
fi
[[ -x $STRATA ]] || die "no strata binary at $STRATA"

MIGRA=$BENCH/.tools/venv/bin/migra
if [[ $SKIP_MIGRA != 1 ]] && ! "$MIGRA" --help >/dev/null 2>&1; then
    log "installing migra into $BENCH/.tools/venv ..."
    rm -rf "$BENCH/.tools/venv"
    python3 -m venv "$BENCH/.tools/venv" >&2 || die "python3 -m venv failed"
    # setuptools: schemainspect imports pkg_resources, which Python 3.12+ venvs no longer carry.
    "$BENCH/.tools/venv/bin/pip" install -q migra psycopg2-binary setuptools >&2 \
        || die "pip install migra psycopg2-binary setuptools failed"
    "$MIGRA" --help >/dev/null || die "migra does not start"
fi

# ---------------------------------------------------------------- databases + schema
suffix=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
DB=bench_inspect_$suffix
EMPTY=bench_empty_$suffix
for db in "$DB" "$EMPTY"; do
    CREATED_DBS+=("$db")
    psql_admin -c "CREATE DATABASE \"$db\"" >/dev/null
done
BASE=postgres://$PGUSER@$PGHOST:$PGPORT
STRATA_URL="$BASE/$DB?sslmode=disable"
MIGRA_FROM="postgresql+psycopg2://$PGUSER@$PGHOST:$PGPORT/$EMPTY?sslmode=disable"
MIGRA_TO="postgresql+psycopg2://$PGUSER@$PGHOST:$PGPORT/$DB?sslmode=disable"
psql_db() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -X -v ON_ERROR_STOP=1 "$@"; }

log "generating and loading $TABLES tables into $DB (one psql run, $BATCH tables per transaction) ..."
python3 "$BENCH/gen_schema.py" "$TABLES" >"$WORK/schema.sql"
t0=$(date +%s.%N)
psql_db -q -f "$WORK/schema.sql" >/dev/null
t1=$(date +%s.%N)
read -r n_tab n_col n_idx n_fk n_chk < <(psql_db -At -F ' ' -c "
    SELECT (SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace),
           (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0
               AND NOT a.attisdropped),
           (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
             WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary),
           (SELECT count(*) FROM pg_constraint WHERE contype = 'f'),
           (SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0)")
[[ $n_tab == "$TABLES" ]] || die "expected $TABLES tables, found $n_tab"
log "loaded in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s: $n_tab tables, $n_col columns, $n_idx indexes (+ $n_tab PKs), $n_fk FKs, $n_chk checks"

# strata runs from an empty directory, so that no strata.toml is picked up.
mkdir -p "$WORK/cwd"
strata_ddl() { (cd "$WORK/cwd" && exec "$STRATA" --url "$STRATA_URL" inspect); }
strata_json() { (cd "$WORK/cwd" && exec "$STRATA" --url "$STRATA_URL" inspect --json); }

# ---------------------------------------------------------------- floor.sql from the server log
if [[ -z ${PGLOG:-} ]]; then
    major=$(psql_admin -Atc "SHOW server_version_num" | awk '{print int($1 / 10000)}')
    PGLOG=/var/log/postgresql/postgresql-$major-main.log
fi
[[ -r $PGLOG ]] || die "cannot read the server log $PGLOG (set PGLOG)"
log "capturing strata's statements (log_statement = 'all' on $DB, log $PGLOG) ..."
offset=$(stat -c %s "$PGLOG")
psql_admin -c "ALTER DATABASE \"$DB\" SET log_statement = 'all'" >/dev/null
strata_ddl >"$WORK/strata.sql" 2>"$WORK/strata.err" || { cat "$WORK/strata.err" >&2; die "strata inspect failed"; }
psql_admin -c "ALTER DATABASE \"$DB\" RESET log_statement" >/dev/null
sleep 0.5 # the log is written by the server process; let it land
python3 "$BENCH/floor_sql.py" "$PGLOG" "$offset" "$DB" >"$WORK/floor.sql"
cp "$WORK/floor.sql" "$BENCH/.tools/inspect-floor.sql" 2>/dev/null || true
n_floor=$(grep -c ';$' "$WORK/floor.sql" || true)
log "floor.sql: $n_floor statements (copy in bench/.tools/inspect-floor.sql)"
# The log must not have caught a session other than strata's.
psql_db -q -f "$WORK/floor.sql" -o /dev/null || die "floor.sql does not run"

# ---------------------------------------------------------------- untimed checked runs
log "checking each tool's output once (untimed; also warms caches) ..."
n=$(grep -c '^CREATE TABLE' "$WORK/strata.sql" || true)
[[ $n == "$TABLES" ]] || die "strata inspect (DDL) printed $n CREATE TABLE, expected $TABLES"
strata_json >"$WORK/strata.json" || die "strata inspect --json failed"
n=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
def find(o):
    # the tables list, wherever the envelope puts it
    if isinstance(o, dict):
        if isinstance(o.get("tables"), list):
            return o["tables"]
        for v in o.values():
            r = find(v)
            if r is not None:
                return r
    return None
t = find(d)
print(len(t) if t is not None else -1)' "$WORK/strata.json")
[[ $n == "$TABLES" ]] || die "strata inspect --json has $n tables, expected $TABLES"
pg_dump --schema-only -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB" >"$WORK/pg_dump.sql"
n=$(grep -c '^CREATE TABLE' "$WORK/pg_dump.sql" || true)
[[ $n == "$TABLES" ]] || die "pg_dump printed $n CREATE TABLE, expected $TABLES"
if [[ $SKIP_MIGRA != 1 ]]; then
    rc=0
    "$MIGRA" --unsafe "$MIGRA_FROM" "$MIGRA_TO" >"$WORK/migra.sql" || rc=$?
    [[ $rc == 0 || $rc == 2 ]] || die "migra exited $rc"
    n=$(grep -c '^create table' "$WORK/migra.sql" || true)
    [[ $n == "$TABLES" ]] || die "migra printed $n create table, expected $TABLES"
fi
log "outputs: strata DDL $(wc -c <"$WORK/strata.sql") B, JSON $(wc -c <"$WORK/strata.json") B, pg_dump $(wc -c <"$WORK/pg_dump.sql") B$([[ $SKIP_MIGRA == 1 ]] || echo ", migra $(wc -c <"$WORK/migra.sql") B")"

# ---------------------------------------------------------------- timed runs
# sample NAME OKCODES CMD...: one timed run, "NAME seconds kilobytes" appended to samples.
sample() {
    local name=$1 ok=$2 rc=0
    shift 2
    "$TIME" -f "%e %M" -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/err.out" || rc=$?
    [[ " $ok " == *" $rc "* ]] || { cat "$WORK/err.out" >&2; die "$name exited $rc"; }
    echo "$name $(tail -n 1 "$WORK/time.out")" >>"$WORK/samples"
}
: >"$WORK/samples"
TOOLS=(strata_ddl strata_json floor pg_dump)
[[ $SKIP_MIGRA == 1 ]] || TOOLS+=(migra)
for ((r = 1; r <= RUNS; r++)); do
    log "round $r/$RUNS ..."
    for tool in "${TOOLS[@]}"; do
        case $tool in
        strata_ddl) sample "$tool" 0 env -C "$WORK/cwd" "$STRATA" --url "$STRATA_URL" inspect ;;
        strata_json) sample "$tool" 0 env -C "$WORK/cwd" "$STRATA" --url "$STRATA_URL" inspect --json ;;
        floor) sample "$tool" 0 psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -X -q -A -t -v ON_ERROR_STOP=1 \
            -f "$WORK/floor.sql" -o /dev/null ;;
        pg_dump) sample "$tool" 0 pg_dump --schema-only -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB" ;;
        migra) sample "$tool" "0 2" "$MIGRA" --unsafe "$MIGRA_FROM" "$MIGRA_TO" ;;
        esac
    done
done

# ---------------------------------------------------------------- breakdown (one run)
# Each floor statement with psql's \timing (server execution + transfer + psql's own handling).
{
    echo '\timing on'
    cat "$WORK/floor.sql"
} >"$WORK/floor-timed.sql"
psql_db -q -A -t -f "$WORK/floor-timed.sql" -o /dev/null >"$WORK/timing.out"
# strata's own split, from the server log.
: >"$WORK/split.out"
for fmt in ddl json; do
    offset=$(stat -c %s "$PGLOG")
    psql_admin -c "ALTER DATABASE \"$DB\" SET log_min_duration_statement = 0" >/dev/null
    t0=$(date +%s.%N)
    "strata_$fmt" >/dev/null
    t1=$(date +%s.%N)
    psql_admin -c "ALTER DATABASE \"$DB\" RESET log_min_duration_statement" >/dev/null
    sleep 0.5
    echo "$fmt $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') $(python3 "$BENCH/floor_sql.py" --durations "$PGLOG" "$offset" "$DB")" >>"$WORK/split.out"
done

# ---------------------------------------------------------------- report
migra_ver=$([[ $SKIP_MIGRA == 1 ]] || "$BENCH/.tools/venv/bin/pip" show migra 2>/dev/null | awk '/^Version/{print $2}')
python3 - "$WORK/samples" "$WORK/floor.sql" "$WORK/timing.out" "$STRICT" "$WORK/split.out" <<EOF
import statistics, sys, re
samples, floor_sql, timing, strict = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
split = sys.argv[5]
T_FLOOR, T_PEER, T_RSS = $T_FLOOR, $T_PEER, $T_RSS_MB
data = {}
for line in open(samples):
    name, sec, kb = line.split()
    data.setdefault(name, []).append((float(sec), int(kb)))
def med(name, i):
    return statistics.median(v[i] for v in data[name])
labels = {
    "strata_ddl": "strata inspect (DDL)",
    "strata_json": "strata inspect --json",
    "floor": "floor: psql, strata's queries",
    "pg_dump": "pg_dump --schema-only",
    "migra": "migra (vs empty db)",
}
print()
print("strata inspect on PostgreSQL: $n_tab tables, $n_col columns, $n_idx indexes + $n_tab PKs, $n_fk FKs, $n_chk checks")
print("strata: $STRATA_DESC; $(psql --version); $(pg_dump --version); migra ${migra_ver:-n/a}")
print(f"RUNS=$RUNS, medians; wall s and peak RSS MB from /usr/bin/time; $(nproc) CPUs")
print()
print(f"{'tool':32} {'median s':>9} {'min s':>7} {'max s':>7} {'RSS MB':>8} {'÷ floor':>8}")
floor = med("floor", 0)
for name in ["floor", "strata_ddl", "strata_json", "pg_dump", "migra"]:
    if name not in data:
        continue
    secs = [v[0] for v in data[name]]
    print(f"{labels[name]:32} {med(name, 0):9.2f} {min(secs):7.2f} {max(secs):7.2f} "
          f"{med(name, 1) / 1024:8.1f} {med(name, 0) / floor:7.2f}x")
print()
print("targets:")
missed = 0
def check(label, ok, detail):
    global missed
    missed += not ok
    print(f"  {'MET   ' if ok else 'MISSED'}  {label:44} {detail}")
for s in ["strata_ddl", "strata_json"]:
    t, rss = med(s, 0), med(s, 1) / 1024
    check(f"{labels[s]} <= {T_FLOOR}x floor", t <= T_FLOOR * floor, f"{t / floor:.2f}x ({t:.2f} s vs {floor:.2f} s)")
    for peer in ["pg_dump", "migra"]:
        if peer in data:
            p = med(peer, 0)
            check(f"{labels[s]} >= {T_PEER}x faster than {peer}", p >= T_PEER * t, f"{p / t:.2f}x ({p:.2f} s vs {t:.2f} s)")
    check(f"{labels[s]} peak RSS < {T_RSS} MB", rss < T_RSS, f"{rss:.1f} MB")

# Breakdown: psql \timing per floor statement.
stmts = [s.strip() for s in open(floor_sql).read().split(";\n") if s.strip()]
times = [float(m) for m in re.findall(r"^Time: ([0-9.]+) ms", open(timing).read(), re.M)]
print()
print(f"floor breakdown (psql \\\\timing, one run; {len(stmts)} statements, sum {sum(times) / 1000:.2f} s):")
for sql, ms in sorted(zip(stmts, times), key=lambda p: -p[1]):
    first = " ".join(sql.split())[:90]
    print(f"  {ms:9.1f} ms  {first}")
print()
print("strata's split (one run each, log_min_duration_statement = 0):")
print(f"  {'':24} {'wall s':>7} {'server s':>9} {'1st..last stmt s':>17} {'rest (wall - span) s':>21}")
for line in open(split):
    fmt, wall, n, server, span = line.split()
    wall, server, span = float(wall), float(server), float(span)
    print(f"  {labels['strata_' + fmt]:24} {wall:7.2f} {server:9.2f} {span:17.2f} {wall - span:21.2f}")
sys.exit(1 if strict and missed else 0)
EOF
