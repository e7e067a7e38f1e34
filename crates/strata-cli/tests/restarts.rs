//! A PostgreSQL server that is not there yet, or restarts mid-migration: `--wait-for` waits for
//! it, `apply --retry N` reconnects and resumes. The server is a cluster of the test's own
//! (`initdb` + `pg_ctl` in a temporary folder, on a free port), so it can be stopped and started.

mod common;
mod servers;

use common::{run, spawn, strata};
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

/// The server restarts in the middle of the first of three migrations: `apply --retry 3`
/// reconnects once it is back and applies every migration exactly once.
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
            "[project]\nengine = \"postgres\"\n[env.dev]\nurl = \"{}\"\n",
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
    let child = spawn(dir.path(), &["apply", "--retry", "3"]);
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
