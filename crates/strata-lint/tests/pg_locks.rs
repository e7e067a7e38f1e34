//! Proofs, against a real PostgreSQL server, of the lock and rewrite claims the PostgreSQL lint
//! rules make: each risky statement blocks another session's write (SQLSTATE 55P03 under a short
//! `lock_timeout`), and its safer form lets the write through.
//!
//! Method. Session A runs `BEGIN; <statement>` and keeps the transaction open, so it holds every
//! lock the statement took; we read those from `pg_locks` (the mode the rule names) and session B
//! tries a write with `lock_timeout = '300ms'`. Statements that cannot run in a transaction block
//! (`... CONCURRENTLY`, `VACUUM FULL`) are caught mid-flight instead: a holder session H keeps a
//! write transaction open on the table, A's statement takes its table lock and then waits for H
//! (the concurrent forms wait for older transactions by design; `VACUUM FULL` waits because its
//! lock conflicts), and while A waits we read A's table locks from `pg_locks` and B writes.
//!
//! Rewrites are proven by `pg_class.relfilenode`: a rewrite writes a new file, so the number
//! changes; a catalog-only change keeps it.
//!
//! The server comes from `STRATA_TEST_POSTGRES_URL`; outside CI an unset variable skips the tests
//! with a notice, with `CI=true` it fails them. Each test works in its own scratch database.

use sqlx::PgConnection;
use std::time::Duration;
use strata_schema::Engine;
use strata_testkit::{server_url, ScratchDb};

/// A scratch database with the tables the proofs lock (dropped with its connections when the
/// value is, also on panic: `strata_testkit::ScratchDb`).
struct Scratch {
    db: ScratchDb,
}

const SETUP: &str = "
CREATE TABLE customers (id bigint PRIMARY KEY);
INSERT INTO customers SELECT g FROM generate_series(1, 1000) g;
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint,
    qty integer NOT NULL DEFAULT 1,
    total numeric(10,2),
    note varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO orders (id, customer_id, total, note)
    SELECT g, g % 1000 + 1, g, 'note ' || g FROM generate_series(1, 10000) g;
CREATE INDEX orders_created_at ON orders (created_at);
CREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE events_2021 PARTITION OF events FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
INSERT INTO events SELECT g, date '2020-01-01' + (g % 700) FROM generate_series(1, 5000) g;
ANALYZE;
";

/// B's writes: one to the table every proof locks, one to the table a foreign key references.
const WRITE_ORDERS: &str = "UPDATE orders SET total = total + 1 WHERE id = 1";
const WRITE_CUSTOMERS: &str = "INSERT INTO customers SELECT max(id) + 1 FROM customers";
/// H's write that keeps a transaction open on orders (another row than B's, so B never waits on
/// H's row lock).
const HOLD_ORDERS: &str = "UPDATE orders SET total = total + 1 WHERE id = 2";
const WRITE_EVENTS: &str = "INSERT INTO events VALUES (0, '2021-06-01')";

impl Scratch {
    async fn new(admin_url: &str) -> Scratch {
        let db = Scratch {
            db: ScratchDb::create(Engine::Postgres, admin_url).await,
        };
        exec(&mut db.conn().await, SETUP).await;
        db
    }

    /// A new session; nothing it does waits longer than 20 s, so a wrong proof fails, not hangs.
    async fn conn(&self) -> PgConnection {
        let mut c = self.db.pg().await;
        exec(&mut c, "SET lock_timeout = '20s'").await;
        c
    }

    /// Session B: runs `sql` with a 300 ms lock timeout; the SQLSTATE when it fails.
    async fn try_write(&self, sql: &str) -> Result<(), String> {
        let mut b = self.conn().await;
        sqlx::raw_sql(&format!("SET lock_timeout = '300ms'; {sql}"))
            .execute(&mut b)
            .await
            .map(|_| ())
            .map_err(|e| {
                e.as_database_error()
                    .and_then(|d| d.code().map(|c| c.into_owned()))
                    .unwrap_or_else(|| e.to_string())
            })
    }

    /// The table's relfilenode: it changes when the table is rewritten.
    async fn relfilenode(&self, conn: &mut PgConnection, table: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(
            "SELECT relfilenode::bigint FROM pg_class WHERE oid = $1::regclass",
        )
        .bind(table)
        .fetch_one(conn)
        .await
        .unwrap()
    }
}

async fn exec(conn: &mut PgConnection, sql: &str) {
    if let Err(e) = sqlx::raw_sql(sql).execute(conn).await {
        panic!("{e}\n--- SQL ---\n{sql}");
    }
}

/// Modes of the relation locks session `pid` holds (`granted`) or waits for on `table`.
async fn locks(conn: &mut PgConnection, pid: i32, table: &str, granted: bool) -> Vec<String> {
    sqlx::query_scalar::<_, String>(
        "SELECT mode FROM pg_locks
         WHERE pid = $1 AND locktype = 'relation' AND relation = $2::regclass AND granted = $3
         ORDER BY mode",
    )
    .bind(pid)
    .bind(table)
    .bind(granted)
    .fetch_all(conn)
    .await
    .unwrap()
}

async fn pid(conn: &mut PgConnection) -> i32 {
    sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(conn)
        .await
        .unwrap()
}

/// Session A runs `BEGIN; statement` and keeps the transaction open; returns A (to roll back).
/// Asserts A holds `mode` on each of `tables`.
async fn hold(db: &Scratch, statement: &str, tables: &[&str], mode: &str) -> PgConnection {
    let mut a = db.conn().await;
    exec(&mut a, &format!("BEGIN; {statement}")).await;
    let a_pid = pid(&mut a).await;
    let mut observer = db.conn().await;
    for t in tables {
        let held = locks(&mut observer, a_pid, t, true).await;
        assert!(
            held.iter().any(|m| m == mode),
            "`{statement}` should hold {mode} on {t}; it holds {held:?}"
        );
    }
    a
}

/// Proves `statement` blocks every write in `writes` while its transaction is open.
async fn assert_blocks(
    db: &Scratch,
    statement: &str,
    tables: &[&str],
    mode: &str,
    writes: &[&str],
) {
    let mut a = hold(db, statement, tables, mode).await;
    for w in writes {
        assert_eq!(
            db.try_write(w).await,
            Err("55P03".to_string()),
            "`{w}` should wait for `{statement}` and hit lock_timeout"
        );
    }
    exec(&mut a, "ROLLBACK").await;
}

/// Proves the writes go through while `statement`'s transaction is open.
async fn assert_allows(
    db: &Scratch,
    statement: &str,
    tables: &[&str],
    mode: &str,
    writes: &[&str],
) {
    let mut a = hold(db, statement, tables, mode).await;
    for w in writes {
        assert_eq!(
            db.try_write(w).await,
            Ok(()),
            "`{w}` should not wait for `{statement}`"
        );
    }
    exec(&mut a, "COMMIT").await;
}

/// What A's relation locks on the table must be while A waits for H.
enum InFlight {
    /// Holds this mode, and nothing stronger than it (the concurrent forms).
    Holds(&'static str),
    /// Holds nothing stronger than this mode, maybe nothing: `DETACH ... CONCURRENTLY` waits for
    /// older transactions between its two transactions, holding no table lock at all.
    HoldsAtMost(&'static str),
    /// Waits for this mode (`VACUUM FULL`).
    WaitsFor(&'static str),
}

/// For statements that cannot run in a transaction block: H keeps a write transaction open
/// (`hold_write`), A runs `statement` until it waits, A's locks on `table` must be as `lock`
/// says, and B's `write` gets `expect`. H then commits and A must finish.
async fn catch_in_flight(
    db: &Scratch,
    hold_write: &str,
    statement: &str,
    table: &str,
    lock: InFlight,
    write: &str,
    expect: Result<(), String>,
) {
    let mut h = db.conn().await;
    exec(&mut h, &format!("BEGIN; {hold_write}")).await;
    let mut a = db.conn().await;
    let a_pid = pid(&mut a).await;
    let sql = statement.to_string();
    // `raw_sql(..).execute` futures are not `Send` enough for `spawn` (an sqlx lifetime quirk); a
    // plain `&str` query runs the single statement just the same.
    let task = tokio::spawn(async move {
        sqlx::Executor::execute(&mut a, sql.as_str())
            .await
            .map(|_| ())
    });
    let mut observer = db.conn().await;
    // A waits for H: on H's transaction (virtualxid/transactionid, the concurrent forms) or on a
    // relation lock (VACUUM FULL). Poll until it does.
    let mut waited = false;
    for _ in 0..200 {
        let n: i64 =
            sqlx::query_scalar("SELECT count(*) FROM pg_locks WHERE pid = $1 AND NOT granted")
                .bind(a_pid)
                .fetch_one(&mut observer)
                .await
                .unwrap();
        if n > 0 {
            waited = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        waited,
        "`{statement}` never waited for the open transaction"
    );
    let weak =
        |held: &[String], mode: &str| held.iter().all(|m| m == mode || m == "AccessShareLock");
    match lock {
        InFlight::Holds(mode) => {
            let held = locks(&mut observer, a_pid, table, true).await;
            assert!(
                held.iter().any(|m| m == mode) && weak(&held, mode),
                "`{statement}` should hold {mode} (and nothing stronger) on {table}; pg_locks says {held:?}"
            );
        }
        InFlight::HoldsAtMost(mode) => {
            let held = locks(&mut observer, a_pid, table, true).await;
            assert!(
                weak(&held, mode),
                "`{statement}` should hold nothing stronger than {mode} on {table}; pg_locks says {held:?}"
            );
        }
        InFlight::WaitsFor(mode) => {
            let wanted = locks(&mut observer, a_pid, table, false).await;
            assert!(
                wanted.iter().any(|m| m == mode),
                "`{statement}` should wait for {mode} on {table}; pg_locks says {wanted:?}"
            );
        }
    }
    assert_eq!(
        db.try_write(write).await,
        expect,
        "`{write}` while `{statement}` runs"
    );
    exec(&mut h, "COMMIT").await;
    tokio::time::timeout(Duration::from_secs(30), task)
        .await
        .expect("statement finished")
        .unwrap()
        .unwrap_or_else(|e| panic!("`{statement}` failed: {e}"));
}

macro_rules! server {
    () => {
        match server_url(Engine::Postgres) {
            Some(url) => Scratch::new(&url).await,
            None => return,
        }
    };
}

const SUE: &str = "ShareUpdateExclusiveLock";
const AEL: &str = "AccessExclusiveLock";

#[tokio::test(flavor = "multi_thread")]
async fn pg001_create_index_blocks_writes_concurrently_does_not() {
    let db = server!();
    assert_blocks(
        &db,
        "CREATE INDEX orders_total ON orders (total)",
        &["orders"],
        "ShareLock",
        &[WRITE_ORDERS],
    )
    .await;
    // Reads go on under SHARE.
    assert_eq!(db.try_write("SELECT count(*) FROM orders").await, Ok(()));
    catch_in_flight(
        &db,
        HOLD_ORDERS,
        "CREATE INDEX CONCURRENTLY orders_total ON orders (total)",
        "orders",
        InFlight::Holds(SUE),
        WRITE_ORDERS,
        Ok(()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pg002_drop_index_blocks_reads_and_writes_concurrently_does_not() {
    let db = server!();
    assert_blocks(
        &db,
        "DROP INDEX orders_created_at",
        &["orders"],
        AEL,
        &[WRITE_ORDERS, "SELECT count(*) FROM orders"],
    )
    .await;
    catch_in_flight(
        &db,
        HOLD_ORDERS,
        "DROP INDEX CONCURRENTLY orders_created_at",
        "orders",
        InFlight::Holds(SUE),
        WRITE_ORDERS,
        Ok(()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pg004_add_unique_blocks_unique_index_concurrently_then_using_index_does_not() {
    let db = server!();
    assert_blocks(
        &db,
        "ALTER TABLE orders ADD CONSTRAINT orders_id_note_key UNIQUE (id, note)",
        &["orders"],
        AEL,
        &[WRITE_ORDERS],
    )
    .await;
    catch_in_flight(
        &db,
        HOLD_ORDERS,
        "CREATE UNIQUE INDEX CONCURRENTLY orders_id_note_key ON orders (id, note)",
        "orders",
        InFlight::Holds(SUE),
        WRITE_ORDERS,
        Ok(()),
    )
    .await;
    // USING INDEX adopts the built index: the constraint's index is that very index (no build).
    let mut c = db.conn().await;
    let before: i64 = sqlx::query_scalar("SELECT 'orders_id_note_key'::regclass::oid::bigint")
        .fetch_one(&mut c)
        .await
        .unwrap();
    exec(&mut c, "ALTER TABLE orders ADD CONSTRAINT orders_id_note_key UNIQUE USING INDEX orders_id_note_key").await;
    let used: i64 = sqlx::query_scalar(
        "SELECT conindid::bigint FROM pg_constraint WHERE conname = 'orders_id_note_key'",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(used, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn pg005_add_foreign_key_blocks_both_tables_validate_does_not() {
    let db = server!();
    let fk = "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)";
    assert_blocks(
        &db,
        fk,
        &["orders", "customers"],
        "ShareRowExclusiveLock",
        &[WRITE_ORDERS, WRITE_CUSTOMERS],
    )
    .await;
    exec(&mut db.conn().await, &format!("{fk} NOT VALID")).await;
    // VALIDATE scans under SHARE UPDATE EXCLUSIVE on orders and ROW SHARE on customers.
    let validate = "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk";
    let mut a = hold(&db, validate, &["orders"], SUE).await;
    let a_pid = pid(&mut a).await;
    let on_customers = locks(&mut db.conn().await, a_pid, "customers", true).await;
    // ROW SHARE (and ACCESS SHARE for the checking query): nothing that blocks writes.
    assert!(
        on_customers.contains(&"RowShareLock".to_string())
            && on_customers
                .iter()
                .all(|m| m == "RowShareLock" || m == "AccessShareLock"),
        "{on_customers:?}"
    );
    for w in [WRITE_ORDERS, WRITE_CUSTOMERS] {
        assert_eq!(db.try_write(w).await, Ok(()), "`{w}` during VALIDATE");
    }
    exec(&mut a, "COMMIT").await;
    let mut c = db.conn().await;
    let valid: bool = sqlx::query_scalar(
        "SELECT convalidated FROM pg_constraint WHERE conname = 'orders_customer_fk'",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert!(valid);
}

#[tokio::test(flavor = "multi_thread")]
async fn pg005_validate_in_the_same_transaction_keeps_the_add_lock() {
    let db = server!();
    // What PG005 reports on VALIDATE after a NOT VALID add in one transaction: the add's locks stay.
    assert_blocks(
        &db,
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
         ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk",
        &["orders", "customers"],
        "ShareRowExclusiveLock",
        &[WRITE_ORDERS, WRITE_CUSTOMERS],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pg006_add_check_blocks_validate_does_not() {
    let db = server!();
    let check = "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0)";
    assert_blocks(
        &db,
        check,
        &["orders"],
        AEL,
        &[WRITE_ORDERS, "SELECT count(*) FROM orders"],
    )
    .await;
    exec(&mut db.conn().await, &format!("{check} NOT VALID")).await;
    assert_allows(
        &db,
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive",
        &["orders"],
        SUE,
        &[WRITE_ORDERS],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pg007_set_not_null_blocks_the_check_recipe_does_not() {
    let db = server!();
    assert_blocks(
        &db,
        "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL",
        &["orders"],
        AEL,
        &[WRITE_ORDERS],
    )
    .await;
    // The PG 12+ recipe: the scan happens in VALIDATE, which lets writes through; SET NOT NULL
    // then finds the validated check and skips its own scan (the server logs "existing
    // constraints on column ... are sufficient to prove that it does not contain nulls" at
    // DEBUG1; its brief ACCESS EXCLUSIVE lock remains).
    exec(
        &mut db.conn().await,
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID",
    )
    .await;
    assert_allows(
        &db,
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null",
        &["orders"],
        SUE,
        &[WRITE_ORDERS],
    )
    .await;
    exec(
        &mut db.conn().await,
        "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
         ALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pg008_volatile_default_rewrites_constant_and_stable_do_not() {
    let db = server!();
    let mut c = db.conn().await;
    for add in [
        "ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid()",
        "ALTER TABLE orders ADD COLUMN touched_at timestamptz DEFAULT clock_timestamp()",
        "ALTER TABLE orders ADD COLUMN seq bigserial",
        "ALTER TABLE orders ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY",
        "ALTER TABLE orders ADD COLUMN total_cents numeric GENERATED ALWAYS AS (total * 100) STORED",
    ] {
        let before = db.relfilenode(&mut c, "orders").await;
        let mut a = hold(&db, add, &["orders"], AEL).await;
        assert_eq!(db.try_write(WRITE_ORDERS).await, Err("55P03".into()), "{add}");
        let during = db.relfilenode(&mut a, "orders").await;
        assert_ne!(before, during, "`{add}` should rewrite orders");
        exec(&mut a, "ROLLBACK").await;
    }
    for add in [
        "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'",
        "ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT now()",
        "ALTER TABLE orders ADD COLUMN flagged_at timestamptz DEFAULT current_timestamp",
        "ALTER TABLE orders ADD COLUMN public_id uuid",
    ] {
        let before = db.relfilenode(&mut c, "orders").await;
        exec(&mut c, add).await;
        assert_eq!(
            before,
            db.relfilenode(&mut c, "orders").await,
            "`{add}` should not rewrite orders"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pg009_type_change_rewrites_binary_coercible_ones_do_not() {
    let db = server!();
    let mut c = db.conn().await;
    let before = db.relfilenode(&mut c, "orders").await;
    let mut a = hold(
        &db,
        "ALTER TABLE orders ALTER COLUMN qty TYPE bigint",
        &["orders"],
        AEL,
    )
    .await;
    assert_eq!(db.try_write(WRITE_ORDERS).await, Err("55P03".into()));
    assert_ne!(
        before,
        db.relfilenode(&mut a, "orders").await,
        "int → bigint should rewrite"
    );
    exec(&mut a, "ROLLBACK").await;
    for change in [
        "ALTER TABLE orders ALTER COLUMN note TYPE varchar(200)",
        "ALTER TABLE orders ALTER COLUMN note TYPE varchar",
        "ALTER TABLE orders ALTER COLUMN note TYPE text USING note::text",
        "ALTER TABLE orders ALTER COLUMN note TYPE varchar",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric",
    ] {
        let before = db.relfilenode(&mut c, "orders").await;
        exec(&mut c, change).await;
        assert_eq!(
            before,
            db.relfilenode(&mut c, "orders").await,
            "`{change}` should not rewrite orders"
        );
    }
    // And the ones the rule still reports: narrowing and changing the scale rewrite.
    for change in [
        "ALTER TABLE orders ALTER COLUMN note TYPE varchar(50)",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,3)",
    ] {
        let before = db.relfilenode(&mut c, "orders").await;
        exec(&mut c, change).await;
        assert_ne!(
            before,
            db.relfilenode(&mut c, "orders").await,
            "`{change}` should rewrite orders"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pg010_reindex_cluster_vacuum_full_block_reindex_concurrently_does_not() {
    let db = server!();
    assert_blocks(
        &db,
        "REINDEX TABLE orders",
        &["orders"],
        "ShareLock",
        &[WRITE_ORDERS],
    )
    .await;
    assert_blocks(
        &db,
        "CLUSTER orders USING orders_pkey",
        &["orders"],
        AEL,
        &[WRITE_ORDERS],
    )
    .await;
    // VACUUM FULL cannot run in a transaction block: catch it waiting for ACCESS EXCLUSIVE behind
    // an open transaction; B's write then queues behind VACUUM FULL (the lock queue).
    catch_in_flight(
        &db,
        HOLD_ORDERS,
        "VACUUM FULL orders",
        "orders",
        InFlight::WaitsFor(AEL),
        WRITE_ORDERS,
        Err("55P03".into()),
    )
    .await;
    catch_in_flight(
        &db,
        HOLD_ORDERS,
        "REINDEX TABLE CONCURRENTLY orders",
        "orders",
        InFlight::Holds(SUE),
        WRITE_ORDERS,
        Ok(()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pg011_detach_partition_blocks_concurrently_does_not() {
    let db = server!();
    assert_blocks(
        &db,
        "ALTER TABLE events DETACH PARTITION events_2020",
        &["events", "events_2020"],
        AEL,
        &[WRITE_EVENTS],
    )
    .await;
    let mut c = db.conn().await;
    let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
        .fetch_one(&mut c)
        .await
        .unwrap();
    if version < 140_000 {
        eprintln!(
            "notice: DETACH PARTITION ... CONCURRENTLY needs PostgreSQL 14; skipping its proof"
        );
        return;
    }
    catch_in_flight(
        &db,
        "INSERT INTO events VALUES (1, '2020-06-01')",
        "ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY",
        "events",
        InFlight::HoldsAtMost(SUE),
        WRITE_EVENTS,
        Ok(()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pg014_add_exclusion_constraint_blocks_reads_and_writes() {
    let db = server!();
    // A b-tree with `=` is enough for an exclusion constraint; no extension needed.
    assert_blocks(
        &db,
        "ALTER TABLE orders ADD CONSTRAINT orders_id_excl EXCLUDE USING btree (id WITH =)",
        &["orders"],
        AEL,
        &[WRITE_ORDERS, "SELECT count(*) FROM orders"],
    )
    .await;
    // And it has no NOT VALID form to split the check from the lock.
    let mut c = db.conn().await;
    let e = sqlx::raw_sql(
        "ALTER TABLE orders ADD CONSTRAINT orders_id_excl EXCLUDE USING btree (id WITH =) NOT VALID",
    )
    .execute(&mut c)
    .await
    .unwrap_err();
    assert!(e.to_string().contains("cannot be marked NOT VALID"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pg015_row_security_without_policy_hides_every_row_from_other_roles() {
    let db = server!();
    let mut c = db.conn().await;
    // A role of this test only (roles are cluster-wide), dropped before asserting.
    let role = format!("strata_rls_{}", std::process::id());
    exec(
        &mut c,
        &format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role}"),
    )
    .await;
    exec(&mut c, &format!("GRANT SELECT ON orders TO {role}")).await;
    let mut rows_seen = Vec::new();
    for (setup, who) in [
        (format!("SET ROLE {role}"), "the role, before"),
        (
            format!("RESET ROLE; ALTER TABLE orders ENABLE ROW LEVEL SECURITY; SET ROLE {role}"),
            "the role, after",
        ),
        ("RESET ROLE".to_string(), "the owner, after"),
    ] {
        exec(&mut c, &setup).await;
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
            .fetch_one(&mut c)
            .await
            .unwrap();
        rows_seen.push((who, n));
    }
    exec(
        &mut c,
        &format!("RESET ROLE; REVOKE ALL ON orders FROM {role}; DROP ROLE {role}"),
    )
    .await;
    assert_eq!(
        rows_seen,
        [
            ("the role, before", 10_000),
            // No policy: no row, and no error either.
            ("the role, after", 0),
            // The owner (here also a superuser, who bypasses it anyway) still sees every row.
            ("the owner, after", 10_000),
        ]
    );
}
