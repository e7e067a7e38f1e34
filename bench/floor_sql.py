#!/usr/bin/env python3
"""Turn the statements one session sent, as logged by PostgreSQL, into a psql script.

    python3 bench/floor_sql.py LOGFILE OFFSET DBNAME > floor.sql
    python3 bench/floor_sql.py --durations LOGFILE OFFSET DBNAME

Reads LOGFILE (the server's stderr log, log_line_prefix '%m [%p] %q%u@%d ', i.e. Debian's
default) from byte OFFSET on, keeps the entries of database DBNAME that log_statement = 'all'
wrote ("statement: SQL" for the simple protocol, "execute NAME: SQL" for the extended protocol,
which is what sqlx uses), substitutes the bound parameters that follow in "DETAIL:  parameters:
$1 = '...', ..." (PostgreSQL prints them as quoted literals, or NULL) and prints each statement
once, in order, terminated by ';'. Fails when nothing was captured, so a change of log format
cannot silently produce an empty floor.

With --durations it reads the entries that log_min_duration_statement = 0 wrote instead
("duration: 1.234 ms  parse|bind|execute NAME: SQL") and prints one line: the number of executed
statements, the server time summed over all phases, and the span from the start of the first
phase to the end of the last one (log timestamps are taken when a phase ends).
"""
import re
import sys

# Start of a log entry: "2026-11-26 07:56:00.123 UTC [1234] user@db LEVEL:  message"
ENTRY = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (?:(\S*)@(\S*) )?([A-Z]+):  (.*)$"
)
STMT = re.compile(r"^(?:statement|execute [^:]+): (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")


def entries(text):
    """(pid, user, db, level, message) per log entry; continuation lines are joined."""
    cur = None
    for line in text.split("\n"):
        m = ENTRY.match(line)
        if m:
            if cur:
                yield cur
            cur = [m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)]
        elif cur is not None:
            cur[4] += "\n" + line
    if cur:
        yield cur


def substitute(sql, params):
    """Replace $N outside quoted strings and identifiers with its literal."""
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i : j + 1])
            i = j + 1
        elif c == "$" and i + 1 < n and sql[i + 1].isdigit():
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            k = int(sql[i + 1 : j])
            if k not in params:
                sys.exit(f"floor_sql: no value logged for ${k} in: {sql[:200]}")
            out.append(params[k])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


DURATION = re.compile(r"^duration: ([0-9.]+) ms  (parse|bind|execute|statement)")


def durations(text, db):
    from datetime import datetime, timedelta

    phases = []  # (start, end, kind, ms)
    for line in text.split("\n"):
        m = ENTRY.match(line)
        if not m or m.group(3) != db or m.group(4) != "LOG":
            continue
        d = DURATION.match(m.group(5))
        if not d:
            continue
        end = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f")
        ms = float(d.group(1))
        phases.append((end - timedelta(milliseconds=ms), end, d.group(2), ms))
    if not phases:
        sys.exit(f"floor_sql: no durations of database {db} logged")
    span = (max(p[1] for p in phases) - min(p[0] for p in phases)).total_seconds()
    n = sum(1 for p in phases if p[2] in ("execute", "statement"))
    server = sum(p[3] for p in phases) / 1000
    print(f"{n} {server:.3f} {span:.3f}")


def main():
    mode_durations = sys.argv[1] == "--durations"
    if mode_durations:
        del sys.argv[1]
    path, offset, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    if mode_durations:
        durations(text, db)
        return
    stmts = []  # [sql, params]
    for _pid, _user, edb, level, msg in entries(text):
        if edb != db:
            continue
        if level == "LOG":
            m = STMT.match(msg)
            if m:
                stmts.append([m.group(1).rstrip().rstrip(";"), {}])
        elif level == "DETAIL" and msg.startswith("parameters: ") and stmts:
            stmts[-1][1] = {int(k): v for k, v in PARAM.findall(msg)}
    if not stmts:
        sys.exit(f"floor_sql: no statements of database {db} found in {path} after byte {offset}")
    for sql, params in stmts:
        sys.stdout.write(substitute(sql, params) + ";\n")


if __name__ == "__main__":
    main()
