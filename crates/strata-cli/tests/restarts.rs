//! A PostgreSQL server that is not there yet, or restarts mid-migration: `--wait-for` waits for
//! it, `apply --retry N` reconnects and resumes. The server is a cluster of the test's own
//! (`initdb` + `pg_ctl` in a temporary folder, on a free port), so it can be stopped and started.

mod common;
mod servers;

use common::{assert_transient, run, spawn, strata};
use servers::{free_port, is_root, pg_bin, unavailable};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A PostgreSQL cluster owned by the test; stopped and removed on drop, also on panic.
struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    /// A new cluster (not started), or `None` where PostgreSQL's binaries are missing outside CI.
    fn new() -> Option<Cluster> {
        let Some(bin) = pg_bin() else {
            return unavailable("PostgreSQL's initdb (under /usr/lib/postgresql/*/bin)");
        };
        let dir = tempfile::tempdir().unwrap();
        // initdb refuses to run as root: the cluster belongs to the postgres user.
        let root = is_root();
        if root {
            Command::new("chown")
                .args(["-R", "postgres", &dir.path().display().to_string()])
                .status()
                .unwrap();
        }
        let port = free_port();
        let c = Cluster { dir, bin, port };
        let data = c.data().display().to_string();
        assert!(c
            .pg(
                &c.bin.join("initdb"),
                &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"]
            )
            .success());
        Some(c)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs a PostgreSQL binary as the postgres user when the test runs as root.
    fn pg(&self, program: &Path, args: &[&str]) -> std::process::ExitStatus {
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        cmd.args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
    }

    fn start(&self) {
        let data = self.data().display().to_string();
        let log = self.dir.path().join("log").display().to_string();
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        assert!(self
            .pg(
                &self.bin.join("pg_ctl"),
                &["-D", &data, "-l", &log, "-o", &opts, "-w", "start"]
            )
            .success());
    }

    /// Stops at once, as a crash or a failover would: sessions are cut, nothing is committed.
    fn stop_immediately(&self) {
        let data = self.data().display().to_string();
        self.pg(
            &self.bin.join("pg_ctl"),
            &["-D", &data, "-m", "immediate", "-w", "stop"],
        );
    }

    /// The first column of the first row of `sql`, through psql.
    fn scalar(&self, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-At",
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                sql,
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop_immediately();
    }
}

/// `status --wait-for 30s` against a server that starts 5 s after the command.
#[test]
fn status_waits_for_a_server_that_starts_later() {
    let Some(cluster) = Cluster::new() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let child = spawn(
        dir.path(),
        &["--url", &cluster.url(), "status", "--wait-for", "30s"],
    );
    std::thread::sleep(Duration::from_secs(5));
    cluster.start();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("waiting up to 30s for"), "{err}");
    // Without --wait-for the same refusal is an error at once.
    cluster.stop_immediately();
    let started = Instant::now();
    let (code, _, err) =
        run(strata()
            .current_dir(dir.path())
            .args(["--url", &cluster.url(), "status"]));
    assert_eq!(code, 2, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "{err}");
}

/// The server restarts in the middle of the first of three migrations: with `retry = 3` in the
/// environment (what `apply --retry 3` does per run), `apply` reconnects once it is back and
/// applies every migration exactly once.
#[test]
fn apply_retry_survives_a_server_restart() {
    let Some(cluster) = Cluster::new() else {
        return;
    };
    cluster.start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("strata.toml"),
        format!(
            "[project]\nengine = \"postgres\"\n[env.dev]\nurl = \"{}\"\nretry = 3\n",
            cluster.url()
        ),
    )
    .unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    for i in 1..=3 {
        std::fs::write(
            migrations.join(format!("2026010100000{i}_m{i}.up.sql")),
            format!(
                "CREATE TABLE t{i} (id integer);\nSELECT pg_sleep(2) /* strata_restart_{i} */;\n"
            ),
        )
        .unwrap();
    }
    let (code, out, err) = run(strata()
        .current_dir(dir.path())
        .args(["validate", "--rehash"]));
    assert_eq!(code, 0, "{out}{err}");
    let child = spawn(dir.path(), &["apply"]);
    let started = Instant::now();
    while cluster.scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%strata_restart_1 */%' AND pid <> pg_backend_pid()") != "1" {
        assert!(started.elapsed() < Duration::from_secs(30), "the first migration never ran");
        std::thread::sleep(Duration::from_millis(50));
    }
    cluster.stop_immediately();
    std::thread::sleep(Duration::from_secs(3));
    cluster.start();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("retrying in"), "{err}");
    assert!(err.contains("The file is fine"), "{err}");
    assert_eq!(
        cluster.scalar("SELECT count(*) FROM strata_history WHERE success"),
        "3",
        "{err}"
    );
    assert_eq!(
        cluster.scalar("SELECT count(*) FROM pg_tables WHERE tablename IN ('t1', 't2', 't3')"),
        "3"
    );
}

/// Three migrations in `dir` for `url`; the first creates `t1` and then sleeps (`sleep`, tagged
/// `tag`) while the test crashes the server.
fn restart_project(dir: &Path, engine: &str, url: &str, sleep: &str) {
    std::fs::write(
        dir.join("strata.toml"),
        format!("[project]\nengine = \"{engine}\"\n[env.dev]\nurl = \"{url}\"\n"),
    )
    .unwrap();
    let migrations = dir.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    for i in 1..=3 {
        let extra = if i == 1 {
            format!("{sleep};\n")
        } else {
            String::new()
        };
        std::fs::write(
            migrations.join(format!("2026010100000{i}_m{i}.up.sql")),
            format!("CREATE TABLE t{i} (id integer);\n{extra}"),
        )
        .unwrap();
    }
    let (code, out, err) = run(strata().current_dir(dir).args(["validate", "--rehash"]));
    assert_eq!(code, 0, "{out}{err}");
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what} never happened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// PostgreSQL stops at once (`pg_ctl -m immediate`) in the middle of the first migration and
/// strata has no `--retry`: exit 2 with the transient message, nothing of the migration applied,
/// and once the server is back a rerun applies all three exactly once.
#[test]
fn postgres_restart_without_retry_applies_nothing_half_way() {
    let Some(cluster) = Cluster::new() else {
        return;
    };
    cluster.start();
    let dir = tempfile::tempdir().unwrap();
    restart_project(
        dir.path(),
        "postgres",
        &cluster.url(),
        "SELECT pg_sleep(3) /* strata_crash_1 */",
    );
    let child = spawn(dir.path(), &["apply"]);
    wait_for("the first migration", || {
        cluster.scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%strata_crash_1 */%' AND pid <> pg_backend_pid()") == "1"
    });
    cluster.stop_immediately();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_transient(out.status.code().unwrap_or(-1), &err);
    assert!(err.contains("nothing of this file was applied"), "{err}");
    cluster.start();
    assert_eq!(cluster.scalar("SELECT count(*) FROM strata_history"), "0");
    assert_eq!(
        cluster.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 't1'"),
        "0"
    );
    let (code, out, err) = run(strata().current_dir(dir.path()).args(["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        cluster.scalar("SELECT count(*) FROM strata_history WHERE success"),
        "3"
    );
}

/// MariaDB killed with SIGKILL in the middle of the first migration (DDL commits as it goes, so
/// its CREATE TABLE stays, recorded as statement 1): without `--retry` exit 2 and a rerun after
/// the restart resumes at statement 2; with `--retry 3` strata waits for the restarted server
/// and finishes by itself. Each migration runs exactly once.
#[test]
fn mariadb_crash_mid_migration() {
    let Some(mut server) = servers::MariaDb::own() else {
        return;
    };
    for retry in [false, true] {
        let db = server.database();
        let url = server.admin_url(&db);
        let tag = format!("strata_crash_{}", rand::random::<u32>());
        let dir = tempfile::tempdir().unwrap();
        restart_project(
            dir.path(),
            "mysql",
            &url,
            &format!("SELECT SLEEP(3) /* {tag} */"),
        );
        let args: &[&str] = if retry {
            &["apply", "--retry", "3"]
        } else {
            &["apply"]
        };
        let child = spawn(dir.path(), args);
        wait_for("the first migration", || {
            server.scalar("mysql", &format!("SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%{tag} */%' AND INFO NOT LIKE '%PROCESSLIST%'")) == 1
        });
        server.kill9();
        if retry {
            std::thread::sleep(Duration::from_secs(2));
            server.restart();
        }
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if retry {
            assert_eq!(out.status.code(), Some(0), "{err}");
            assert!(err.contains("retrying in"), "{err}");
        } else {
            assert_transient(out.status.code().unwrap_or(-1), &err);
            assert!(err.contains("resumes at statement 2"), "{err}");
            server.restart();
            assert_eq!(
                server.scalar(
                    &db,
                    "SELECT statements_applied FROM strata_history WHERE version = 20260101000001"
                ),
                1
            );
            let (code, out, err) = run(strata().current_dir(dir.path()).args(["apply"]));
            assert_eq!(code, 0, "{out}{err}");
        }
        assert_eq!(
            server.scalar(&db, "SELECT count(*) FROM strata_history WHERE success"),
            3,
            "{err}"
        );
        assert_eq!(
            server.scalar(&db, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('t1', 't2', 't3')"),
            3
        );
    }
}
