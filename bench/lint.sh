#!/usr/bin/env bash
# bench/lint.sh — how long `strata lint` takes on a generated PostgreSQL corpus of 20,000
# statements in 200 migration files, beside squawk (https://squawkhq.com, `pip install squawk-cli`),
# and how many findings each reports.
#
#   strata offline  strata lint --offline --format json <200 files>
#   strata online   strata lint --format json <200 files>   with [env.dev] url of a scratch database
#                   holding the tables the corpus alters (with rows, ANALYZEd), so the linter
#                   inspects the schema and reads the row estimates
#   squawk          squawk --reporter json <200 files>      (one invocation; exit 1 = "violations
#                   found", not a failure), installed with `pip install squawk-cli` into
#                   bench/.tools/venv-squawk when missing (gitignored)
#
# The corpus comes from bench/gen_lint_corpus.py (fixed seed, so every run lints the same bytes):
# FILES files x STATEMENTS statements of realistic DDL mixing safe and risky statements — CREATE
# TABLE (with/without primary key, timestamp, char(n)), CREATE [UNIQUE] INDEX with/without
# CONCURRENTLY, DROP INDEX, ADD COLUMN (nullable / constant default / volatile default / NOT NULL
# without default), ADD CONSTRAINT FOREIGN KEY / CHECK with/without NOT VALID + VALIDATE, SET/DROP
# NOT NULL, ALTER COLUMN TYPE (widening, rewriting, narrowing), DROP TABLE/COLUMN, RENAME, REINDEX
# [CONCURRENTLY], VACUUM FULL, CLUSTER, COMMENT ON, SET lock_timeout, UPDATE backfills, enums,
# views, GRANT, TRUNCATE; `--` comments between statements, some files wrapped in BEGIN/COMMIT,
# some with the header `-- strata:no-transaction` / `-- strata:lock-timeout`, a few statements with
# `-- strata:allow DL00x <reason>`. schema.sql (generated alongside) is loaded into the scratch
# database: 40 tables of 25 to 500,000 rows (plus *_staging copies) and an enum.
#
# strata runs from a directory whose strata.toml says `[project] engine = "postgres"`: without a
# project, `strata lint FILES` lints as SQLite (the default engine), so the PostgreSQL rules would
# not run. The offline directory's strata.toml has no URL (and --offline is passed as well); the
# online one has `[env.dev] url = "postgres://USER@HOST:PORT/<scratch db>?sslmode=disable"`
# (sslmode=disable: the server offers TLS, and the handshake is not what this measures).
#
# Method: one process per sample; wall clock from date +%s%N around the process, peak RSS from
# /usr/bin/time -f %M. Each tool first runs once untimed (warms the page cache and the server).
# Then RUNS rounds alternating strata offline, strata online, squawk (the machine is noisy); the
# table shows median, min and max. Findings are counted from every timed run's JSON: squawk's
# array length; strata's `.findings | length` without the suppressed ones (`suppressed` set). After
# the table, a breakdown of strata's time (one run each, median of BREAKDOWN_RUNS): process start
# (`strata --version`), 1 file vs all files, JSON vs human output, online minus offline.
#
# Usage:
#   bench/lint.sh                        # RUNS=5, 200 files x 100 statements
#   RUNS=9 bench/lint.sh
#   STRATA_REV=HEAD bench/lint.sh        # bench the committed tree while others are mid-edit
# Environment:
#   RUNS (5)  FILES (200)  STATEMENTS (100)  SEED (20240611)  BREAKDOWN_RUNS (3; 0 = no breakdown)
#   PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PGADMINDB (test)   trust auth, superuser
#   STRATA_BIN   use this binary instead of building target/release/strata
#   STRATA_REV   build this committed revision (e.g. HEAD) from `git archive` under
#                bench/.tools/src-lint (target dir bench/.tools/target-lint)
#   SQUAWK_BIN   use this squawk instead of bench/.tools/venv-squawk/bin/squawk
#   KEEP=DIR     keep the corpus and every tool's last JSON output in DIR
#   STRICT=1     exit 1 when a target is missed
# Target (from the issue): strata at least as fast as squawk (median), without a database
# connection and with one.
set -euo pipefail

RUNS=${RUNS:-5}
FILES=${FILES:-200}
STATEMENTS=${STATEMENTS:-100}
SEED=${SEED:-20240611}
BREAKDOWN_RUNS=${BREAKDOWN_RUNS:-3}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGADMINDB=${PGADMINDB:-test}
STRICT=${STRICT:-0}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
export PGSSLMODE=disable
# DATABASE_URL / STRATA_ENV would redirect strata away from the strata.toml written here.
unset DATABASE_URL STRATA_ENV

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

for v in RUNS FILES STATEMENTS SEED; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[[ $BREAKDOWN_RUNS =~ ^[0-9]+$ ]] || die "BREAKDOWN_RUNS must be a non-negative integer"

# ---------------------------------------------------------------- cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench-lint.XXXXXX")
CREATED_DB=
psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGADMINDB" -q -X -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CREATED_DB ]]; then
        psql_admin -c "DROP DATABASE IF EXISTS \"$CREATED_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [[ -n ${KEEP:-} ]]; then
        mkdir -p "$KEEP" && cp -r "$WORK"/. "$KEEP"/ && log "kept the corpus and outputs in $KEEP"
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools
for t in python3 psql; do command -v "$t" >/dev/null || die "$t is required"; done
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
    src=$BENCH/.tools/src-lint
    log "building strata at $STRATA_REV ($rev) in $src ..."
    rm -rf "$src" && mkdir -p "$src"
    (cd "$ROOT" && git archive "$rev") | tar -x -C "$src"
    (cd "$src" && CARGO_TARGET_DIR=$BENCH/.tools/target-lint cargo build --release -p strata-cli >&2) \
        || die "cargo build of $STRATA_REV failed"
    STRATA=$BENCH/.tools/target-lint/release/strata
    STRATA_DESC="git $(cd "$ROOT" && git rev-parse --short "$rev") (committed tree)"
else
    log "building strata (cargo build --release -p strata-cli) ..."
    (cd "$ROOT" && cargo build --release -p strata-cli >&2) \
        || die "cargo build failed; try STRATA_REV=HEAD (committed tree) or STRATA_BIN=path/to/strata"
    STRATA=$ROOT/target/release/strata
    STRATA_DESC="working tree of git $(cd "$ROOT" && git rev-parse --short HEAD)"
fi
[[ -x $STRATA ]] || die "no strata binary at $STRATA"

if [[ -n ${SQUAWK_BIN:-} ]]; then
    SQUAWK=$SQUAWK_BIN
else
    SQUAWK=$BENCH/.tools/venv-squawk/bin/squawk
    if ! "$SQUAWK" --version >/dev/null 2>&1; then
        log "installing squawk into $BENCH/.tools/venv-squawk (pip install squawk-cli) ..."
        rm -rf "$BENCH/.tools/venv-squawk"
        python3 -m venv "$BENCH/.tools/venv-squawk" >&2 || die "python3 -m venv failed"
        "$BENCH/.tools/venv-squawk/bin/pip" install -q squawk-cli >&2 || die "pip install squawk-cli failed"
    fi
fi
"$SQUAWK" --version >/dev/null 2>&1 || die "squawk does not start ($SQUAWK)"
SQUAWK_VER=$("$SQUAWK" --version 2>&1 | head -n 1)

# ---------------------------------------------------------------- corpus
log "generating $FILES files x $STATEMENTS statements (seed $SEED) ..."
python3 "$BENCH/gen_lint_corpus.py" "$WORK" --files "$FILES" --statements "$STATEMENTS" --seed "$SEED"
mapfile -t SQL_FILES < <(find "$WORK/migrations" -name '*.sql' | sort)
[[ ${#SQL_FILES[@]} == "$FILES" ]] || die "expected $FILES files, found ${#SQL_FILES[@]}"
read -r _ n_stmts < <(head -n 1 "$WORK/manifest.txt")
corpus_bytes=$(cat "${SQL_FILES[@]}" | wc -c)
corpus_lines=$(cat "${SQL_FILES[@]}" | wc -l)

# ---------------------------------------------------------------- scratch database
suffix=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
DB=bench_lint_$suffix
psql_admin -c "CREATE DATABASE \"$DB\"" >/dev/null
CREATED_DB=$DB
log "loading the corpus's starting schema into $DB (tables with rows, ANALYZE) ..."
t0=$(date +%s%N)
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -q -X -v ON_ERROR_STOP=1 -f "$WORK/schema.sql" >/dev/null
t1=$(date +%s%N)
read -r db_tables db_rows < <(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -At -F ' ' -X -c "
    SELECT count(*), sum(greatest(reltuples, 0))::bigint FROM pg_class
     WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
log "loaded in $(( (t1 - t0) / 1000000 )) ms: $db_tables tables, ~$db_rows rows (reltuples)"

# Working directories: strata reads ./strata.toml; squawk would read ./.squawk.toml (none).
mkdir -p "$WORK/offline" "$WORK/online" "$WORK/squawk"
printf '[project]\nengine = "postgres"\n' >"$WORK/offline/strata.toml"
printf '[project]\nengine = "postgres"\n\n[env.dev]\nurl = "postgres://%s@%s:%s/%s?sslmode=disable"\n' \
    "$PGUSER" "$PGHOST" "$PGPORT" "$DB" >"$WORK/online/strata.toml"

# cmd_of NAME: sets CMD to the command line of tool NAME (run with `env -C "${CMD[0]}" "${CMD[@]:1}"`).
cmd_of() {
    case $1 in
    strata_offline) CMD=("$WORK/offline" "$STRATA" lint --offline --format json "${@:2}") ;;
    strata_online) CMD=("$WORK/online" "$STRATA" lint --format json "${@:2}") ;;
    squawk) CMD=("$WORK/squawk" "$SQUAWK" --reporter json "${@:2}") ;;
    esac
}
# run_tool NAME OUT FILES...: one run, stdout to OUT, stderr to OUT.err, wall microseconds and
# peak RSS KB appended as "us kb" to $WORK/last; exit code checked.
run_tool() {
    local name=$1 out=$2 rc=0 t0 t1
    cmd_of "$name" "${@:3}"
    t0=$(date +%s%N)
    "$TIME" -f "%M" -o "$WORK/time.out" env -C "${CMD[0]}" "${CMD[@]:1}" >"$out" 2>"$out.err" || rc=$?
    t1=$(date +%s%N)
    # strata: 1 = blocking findings; squawk: 1 = violations found.
    [[ $rc == 0 || $rc == 1 ]] || { cat "$out.err" >&2; die "$name exited $rc"; }
    echo "$(( (t1 - t0) / 1000 )) $(tail -n 1 "$WORK/time.out")" >"$WORK/last"
}

# count NAME FILE: "total visible suppressed per-code-summary" of one JSON output.
count() {
    python3 - "$1" "$2" <<'EOF'
import collections, json, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
if name == "squawk":
    items = d if isinstance(d, list) else d.get("violations", d.get("findings", []))
    key = lambda x: x.get("rule_name") or x.get("rule") or "?"
    vis = items
    sup = 0
else:
    items = d["findings"]
    key = lambda x: x["code"]
    vis = [x for x in items if not x.get("suppressed")]
    sup = len(items) - len(vis)
c = collections.Counter(key(x) for x in vis)
top = ",".join(f"{k}:{v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
print(len(items), len(vis), sup, top or "-")
EOF
}

# ---------------------------------------------------------------- untimed checked runs
log "checking each tool once (untimed; also warms caches) ..."
for tool in strata_offline strata_online squawk; do
    run_tool "$tool" "$WORK/$tool.json" "${SQL_FILES[@]}"
    read -r total vis sup _ < <(count "$tool" "$WORK/$tool.json")
    log "  $tool: $vis findings ($sup suppressed)"
    [[ $vis -gt 0 ]] || die "$tool reported no findings; is it linting the files?"
done
# strata must have linted with the PostgreSQL rules, and online must have used the database.
python3 - "$WORK/strata_offline.json" "$WORK/strata_online.json" <<'EOF' || die "strata offline reported no PGxxx finding: not linting as PostgreSQL?"
import json, sys
off, on = (json.load(open(p))["findings"] for p in sys.argv[1:3])
if not any(f["code"].startswith("PG") for f in off):
    sys.exit(1)
if not any("rows" in f["message"] for f in on):
    # A warning only: messages may change; the connection itself is checked by strata (exit 2).
    print("warning: strata online mentions no row estimate (\"~N rows\"): did it read the database?", file=sys.stderr)
EOF

# ---------------------------------------------------------------- timed runs
: >"$WORK/samples"
TOOLS=(strata_offline strata_online squawk)
for ((r = 1; r <= RUNS; r++)); do
    log "round $r/$RUNS ..."
    for tool in "${TOOLS[@]}"; do
        out=$WORK/run.json
        run_tool "$tool" "$out" "${SQL_FILES[@]}"
        read -r total vis sup codes < <(count "$tool" "$out")
        cp "$out" "$WORK/$tool.json"
        echo "$tool $(cat "$WORK/last") $vis $sup $codes" >>"$WORK/samples"
    done
done

# ---------------------------------------------------------------- breakdown of strata's time
: >"$WORK/breakdown"
if [[ $BREAKDOWN_RUNS -gt 0 ]]; then
    log "breakdown ($BREAKDOWN_RUNS runs each) ..."
    bd() { # bd LABEL TOOL FILES...: BREAKDOWN_RUNS runs of TOOL on FILES
        local label=$1 tool=$2 i
        shift 2
        for ((i = 0; i < BREAKDOWN_RUNS; i++)); do
            run_tool "$tool" "$WORK/bd.out" "$@"
            echo "$label|$(cat "$WORK/last")" >>"$WORK/breakdown"
        done
    }
    for ((i = 0; i < BREAKDOWN_RUNS; i++)); do
        t0=$(date +%s%N)
        "$TIME" -f "%M" -o "$WORK/time.out" "$STRATA" --version >/dev/null
        t1=$(date +%s%N)
        echo "strata --version (process start)|$(( (t1 - t0) / 1000 )) $(tail -n 1 "$WORK/time.out")" >>"$WORK/breakdown"
    done
    ONE=("${SQL_FILES[0]}")
    TEN=("${SQL_FILES[@]:0:10}")
    bd "strata offline, 1 file" strata_offline "${ONE[@]}"
    bd "strata offline, 10 files" strata_offline "${TEN[@]}"
    bd "strata offline, $FILES files" strata_offline "${SQL_FILES[@]}"
    bd "strata online, 1 file" strata_online "${ONE[@]}"
    bd "strata online, 10 files" strata_online "${TEN[@]}"
    bd "strata online, $FILES files" strata_online "${SQL_FILES[@]}"
    bd "squawk, 1 file" squawk "${ONE[@]}"
    bd "squawk, 10 files" squawk "${TEN[@]}"
    bd "squawk, $FILES files" squawk "${SQL_FILES[@]}"
    # Output format: the same offline lint rendered as human text instead of JSON.
    for ((i = 0; i < BREAKDOWN_RUNS; i++)); do
        t0=$(date +%s%N)
        "$TIME" -f "%M" -o "$WORK/time.out" env -C "$WORK/offline" "$STRATA" lint --offline --format human "${SQL_FILES[@]}" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        echo "strata offline, $FILES files, --format human|$(( (t1 - t0) / 1000 )) $(tail -n 1 "$WORK/time.out")" >>"$WORK/breakdown"
    done
fi

# ---------------------------------------------------------------- report
python3 - "$WORK/samples" "$WORK/breakdown" "$STRICT" <<EOF
import statistics, sys
samples, breakdown, strict = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
data, counts = {}, {}
for line in open(samples):
    name, us, kb, vis, sup, codes = line.split()
    data.setdefault(name, []).append((int(us) / 1e6, int(kb)))
    counts.setdefault(name, set()).add((int(vis), int(sup), codes))
labels = {
    "strata_offline": "strata lint --offline",
    "strata_online": "strata lint (database)",
    "squawk": "squawk",
}
print()
print(f"lint benchmark: $FILES files, $n_stmts statements, $corpus_lines lines, $corpus_bytes bytes of PostgreSQL DDL (seed $SEED)")
print(f"database: $db_tables tables, ~$db_rows rows; $(psql --version)")
print(f"strata: $STRATA_DESC; $SQUAWK_VER")
print(f"RUNS=$RUNS, one process per sample (wall clock; peak RSS from /usr/bin/time); $(nproc) CPUs")
print()
print(f"{'tool':24} {'median s':>9} {'min s':>7} {'max s':>7} {'RSS MB':>7} {'findings':>9} {'suppressed':>11}")
for name in ["strata_offline", "strata_online", "squawk"]:
    secs = [v[0] for v in data[name]]
    rss = statistics.median(v[1] for v in data[name]) / 1024
    cs = counts[name]
    vis = "/".join(str(c[0]) for c in sorted(cs))  # more than one value: the rules changed mid-run
    sup = "/".join(str(c[1]) for c in sorted(cs)) if name != "squawk" else "-"
    print(f"{labels[name]:24} {statistics.median(secs):9.3f} {min(secs):7.3f} {max(secs):7.3f} {rss:7.1f} {vis:>9} {sup:>11}")
print()
for name in ["strata_offline", "strata_online", "squawk"]:
    codes = sorted(counts[name])[-1][2]
    print(f"{labels[name]} findings by rule: {codes.replace(',', ', ')}")
print()
print("target: strata at least as fast as squawk (median wall clock)")
sq = statistics.median(v[0] for v in data["squawk"])
missed = 0
for name in ["strata_offline", "strata_online"]:
    t = statistics.median(v[0] for v in data[name])
    ok = t <= sq
    missed += not ok
    print(f"  {'MET   ' if ok else 'MISSED'}  {labels[name]:24} {t:.3f} s vs squawk {sq:.3f} s ({t / sq:.2f}x squawk's time)")
rows = {}
for line in open(breakdown):
    label, rest = line.rsplit("|", 1)
    us, kb = rest.split()
    rows.setdefault(label, []).append((int(us) / 1e3, int(kb)))
if rows:
    print()
    print("breakdown (median of $BREAKDOWN_RUNS runs each):")
    print(f"  {'':44} {'wall ms':>8} {'RSS MB':>7}")
    for label, v in rows.items():
        print(f"  {label:44} {statistics.median(x[0] for x in v):8.1f} {statistics.median(x[1] for x in v) / 1024:7.1f}")
sys.exit(1 if strict and missed else 0)
EOF
