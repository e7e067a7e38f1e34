//! Throw-away servers for the connection tests: a PostgreSQL cluster (`initdb` + `pg_ctl`) and a
//! MariaDB instance (`mariadb-install-db` + `mariadbd`), each in its own temp dir on a free port,
//! with TLS on and certificates made by `openssl` in the test.
//!
//! Tests running at the same time share one instance of each (handed out as an `Arc`); the last
//! test to drop it stops the server, also when the test panics. A missing binary skips the test
//! with a notice, or fails it when `CI=true`.

#![allow(dead_code)]

pub mod proxy;

use sqlx::Connection;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use strata_schema::Engine;

/// The password of the `strata_pw` role (scram-sha-256 over TCP).
pub const PG_PASSWORD: &str = "pw-7Hq2-correct-horse";

/// Skips (returns `None` with a notice) or, with `CI=true`, fails.
pub fn unavailable<T>(what: &str) -> Option<T> {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} not found but CI=true: the TLS/connection suite must run in CI");
    }
    eprintln!("notice: {what} not found; skipping this test");
    None
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs a command to completion; panics with its output when it fails.
fn check(cmd: &mut Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn openssl(dir: &Path, args: &[&str]) {
    check(
        Command::new("openssl").current_dir(dir).args(args),
        &format!("openssl {}", args.join(" ")),
    );
}

/// A CA, a second (untrusted) CA, a server certificate for `localhost` only and a client
/// certificate for the role `strata_cert`, all P-256 keys in PEM files.
pub struct Certs {
    _dir: tempfile::TempDir,
    pub ca: PathBuf,
    pub other_ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

impl Certs {
    /// Makes the certificates, or `None` (skip) without `openssl`.
    pub fn new() -> Option<Certs> {
        if Command::new("openssl").arg("version").output().is_err() {
            return unavailable("openssl");
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for (name, cn) in [("ca", "strata test CA"), ("other_ca", "some other CA")] {
            let mut args = vec!["req", "-x509"];
            args.extend(ec);
            let (key, crt, subj) = (
                format!("{name}.key"),
                format!("{name}.crt"),
                format!("/CN={cn}"),
            );
            args.extend([
                "-keyout",
                &key,
                "-out",
                &crt,
                "-days",
                "3",
                "-subj",
                &subj,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]);
            openssl(d, &args);
        }
        for (name, cn, ext) in [
            (
                "server",
                "localhost",
                "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
            ),
            (
                "client",
                "strata_cert",
                "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
            ),
        ] {
            let (key, csr, crt, extfile, subj) = (
                format!("{name}.key"),
                format!("{name}.csr"),
                format!("{name}.crt"),
                format!("{name}.ext"),
                format!("/CN={cn}"),
            );
            std::fs::write(d.join(&extfile), ext).unwrap();
            let mut args = vec!["req"];
            args.extend(ec);
            args.extend(["-keyout", &key, "-out", &csr, "-subj", &subj]);
            openssl(d, &args);
            openssl(
                d,
                &[
                    "x509", "-req", "-in", &csr, "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", &crt, "-days", "3", "-extfile", &extfile,
                ],
            );
        }
        Some(Certs {
            ca: d.join("ca.crt"),
            other_ca: d.join("other_ca.crt"),
            server_cert: d.join("server.crt"),
            server_key: d.join("server.key"),
            client_cert: d.join("client.crt"),
            client_key: d.join("client.key"),
            _dir: dir,
        })
    }
}

/// A running PostgreSQL cluster with `ssl = on`.
///
/// Roles: `postgres` (superuser, trust over TCP without TLS), `strata_cert` (only with a client
/// certificate, `hostssl ... cert`), `strata_pw` (scram-sha-256 with [`PG_PASSWORD`]).
pub struct PgCluster {
    pub port: u16,
    pub certs: Certs,
    bin: PathBuf,
    data: PathBuf,
    run_as_postgres: bool,
    dir: tempfile::TempDir,
}

/// The newest PostgreSQL server binaries under /usr/lib/postgresql/*/bin.
pub fn pg_bin() -> Option<PathBuf> {
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, bin)| bin)
}

impl PgCluster {
    /// The cluster shared by the tests running now, started when there is none.
    pub fn shared() -> Option<Arc<PgCluster>> {
        static CURRENT: Mutex<Weak<PgCluster>> = Mutex::new(Weak::new());
        let mut current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = current.upgrade() {
            return Some(c);
        }
        let c = Arc::new(PgCluster::start()?);
        *current = Arc::downgrade(&c);
        Some(c)
    }

    fn command(&self, program: &str) -> Command {
        // initdb and the server refuse to run as root.
        let exe = self.bin.join(program);
        if self.run_as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn start() -> Option<PgCluster> {
        let Some(bin) = pg_bin() else {
            return unavailable(
                "PostgreSQL server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin)",
            );
        };
        let certs = Certs::new()?;
        let run_as_postgres = is_root();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        // The server reads its key and certificates from its own copies (a key must belong to
        // the server's user and be 0600).
        for (from, to) in [
            (&certs.server_cert, "server.crt"),
            (&certs.server_key, "server.key"),
            (&certs.ca, "ca.crt"),
        ] {
            std::fs::copy(from, d.join(to)).unwrap();
        }
        set_mode(&d.join("server.key"), 0o600);
        let cluster = PgCluster {
            port: free_port(),
            data: d.join("data"),
            certs,
            bin,
            run_as_postgres,
            dir,
        };
        if run_as_postgres {
            chown_to_postgres(&d);
        }
        check(
            cluster
                .command("initdb")
                .arg("-D")
                .arg(&cluster.data)
                .args(["-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]),
            "initdb",
        );
        let conf = format!(
            "\nport = {}\nlisten_addresses = '*'\nunix_socket_directories = '{}'\nssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\nssl_ca_file = '{}'\nfsync = off\nmax_connections = 40\n",
            cluster.port,
            d.display(),
            d.join("server.crt").display(),
            d.join("server.key").display(),
            d.join("ca.crt").display()
        );
        append(&cluster.data.join("postgresql.conf"), &conf);
        // `samehost` lets the tests reach the server through this machine's own non-loopback
        // address (the "remote host" case) without opening it to other machines.
        let mut hba = String::from("local all all trust\n");
        for net in ["127.0.0.1/32", "::1/128", "samehost"] {
            hba.push_str(&format!(
                "hostssl all strata_cert {net} cert\nhost all strata_cert {net} reject\nhost all strata_pw {net} scram-sha-256\nhost all all {net} trust\n"
            ));
        }
        std::fs::write(cluster.data.join("pg_hba.conf"), hba).unwrap();
        if run_as_postgres {
            chown_to_postgres(&d);
        }
        check(
            cluster
                .command("pg_ctl")
                .arg("-D")
                .arg(&cluster.data)
                .arg("-l")
                .arg(d.join("server.log"))
                .args(["-w", "-t", "60", "start"]),
            "pg_ctl start",
        );
        cluster.admin(&format!(
            "CREATE ROLE strata_cert LOGIN; CREATE ROLE strata_pw LOGIN PASSWORD '{PG_PASSWORD}'"
        ));
        Some(cluster)
    }

    /// A superuser URL without TLS for setting up (`sslmode=disable`).
    pub fn admin_url(&self, db: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    /// Runs SQL as the superuser on database `postgres`.
    pub fn admin(&self, sql: &str) {
        self.sql("postgres", sql);
    }

    /// Runs SQL as the superuser on database `db`.
    pub fn sql(&self, db: &str, sql: &str) {
        strata_testkit::sql::execute(Engine::Postgres, &self.admin_url(db), sql);
    }

    /// An integer query's result as the superuser on `db`.
    pub fn scalar(&self, db: &str, sql: &str) -> i64 {
        strata_testkit::sql::scalar(Engine::Postgres, &self.admin_url(db), sql)
    }

    /// A new database owned by `owner`; it goes with the cluster.
    pub fn database(&self, owner: &str) -> String {
        let name = format!("tls_{}_{}", std::process::id(), rand::random::<u32>());
        self.admin(&format!("CREATE DATABASE {name} OWNER {owner}"));
        name
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Never panic in drop (it also runs while a failed test unwinds).
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A running PgBouncer in front of a [`PgCluster`] (any database, trust auth, no TLS to clients).
pub struct PgBouncer {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl PgBouncer {
    /// Starts PgBouncer with `pool_mode`, or `None` (skip) when it is not installed.
    pub fn start(pg: &PgCluster, pool_mode: &str) -> Option<PgBouncer> {
        if !on_path("pgbouncer") {
            return unavailable("pgbouncer (Debian package pgbouncer)");
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let port = free_port();
        std::fs::write(d.join("userlist.txt"), "\"postgres\" \"\"\n").unwrap();
        std::fs::write(
            d.join("pgbouncer.ini"),
            format!(
                "[databases]\n* = host=127.0.0.1 port={}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\nauth_type = trust\nauth_file = {}\npool_mode = {pool_mode}\ndefault_pool_size = 20\nmax_client_conn = 200\nignore_startup_parameters = extra_float_digits,options\nlogfile = {}\n",
                pg.port,
                d.join("userlist.txt").display(),
                d.join("pgbouncer.log").display()
            ),
        )
        .unwrap();
        // PgBouncer refuses to run as root; `-u` makes it switch user itself, so it stays this
        // process's direct child and can be stopped on drop.
        let mut cmd = Command::new(program("pgbouncer"));
        if is_root() {
            chown_to_postgres(d);
            cmd.args(["-u", "postgres"]);
        }
        let child = cmd
            .arg(d.join("pgbouncer.ini"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pgbouncer");
        let mut bouncer = PgBouncer { port, child, dir };
        let url = bouncer.url("postgres");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ok = crate::common::runtime()
                .block_on(async { sqlx::PgConnection::connect(&url).await.is_ok() });
            if ok {
                return Some(bouncer);
            }
            let log = || {
                std::fs::read_to_string(bouncer.dir.path().join("pgbouncer.log"))
                    .unwrap_or_default()
            };
            if let Ok(Some(status)) = bouncer.child.try_wait() {
                panic!("pgbouncer exited ({status}):\n{}", log());
            }
            if Instant::now() > deadline {
                panic!(
                    "pgbouncer did not accept connections within 60s:\n{}",
                    log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The URL of database `db` through PgBouncer, as the superuser.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running MariaDB server with TLS (`--ssl-ca/--ssl-cert/--ssl-key`); `root` has no password.
pub struct MariaDb {
    pub port: u16,
    pub certs: Certs,
    child: Child,
    dir: tempfile::TempDir,
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
        || Path::new("/usr/sbin").join(program).is_file()
}

fn program(name: &str) -> PathBuf {
    let sbin = Path::new("/usr/sbin").join(name);
    if sbin.is_file() {
        sbin
    } else {
        PathBuf::from(name)
    }
}

impl MariaDb {
    /// The instance shared by the tests running now, started when there is none.
    pub fn shared() -> Option<Arc<MariaDb>> {
        static CURRENT: Mutex<Weak<MariaDb>> = Mutex::new(Weak::new());
        let mut current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = current.upgrade() {
            return Some(c);
        }
        let c = Arc::new(MariaDb::start()?);
        *current = Arc::downgrade(&c);
        Some(c)
    }

    /// An instance of the caller's own, which it may kill and restart.
    pub fn own() -> Option<MariaDb> {
        MariaDb::start()
    }

    fn start() -> Option<MariaDb> {
        if !on_path("mariadb-install-db") || !on_path("mariadbd") {
            return unavailable("MariaDB server binaries (mariadb-install-db, mariadbd)");
        }
        let certs = Certs::new()?;
        let dir = tempfile::tempdir().unwrap();
        let mut install = Command::new(program("mariadb-install-db"));
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", dir.path().join("data").display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"]);
        if is_root() {
            install.arg("--user=root");
        }
        check(&mut install, "mariadb-install-db");
        let port = free_port();
        let child = MariaDb::spawn_server(dir.path(), port, &certs);
        let mut db = MariaDb {
            port,
            certs,
            child,
            dir,
        };
        db.wait_ready();
        Some(db)
    }

    fn spawn_server(d: &Path, port: u16, certs: &Certs) -> Child {
        let mut server = Command::new(program("mariadbd"));
        server
            .arg("--no-defaults")
            .arg(format!("--datadir={}", d.join("data").display()))
            .arg(format!("--socket={}", d.join("mysqld.sock").display()))
            .arg(format!("--pid-file={}", d.join("mysqld.pid").display()))
            .arg(format!("--log-error={}", d.join("error.log").display()))
            .arg(format!("--port={port}"))
            .args([
                "--bind-address=127.0.0.1",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=16M",
            ])
            .arg(format!("--ssl-ca={}", certs.ca.display()))
            .arg(format!("--ssl-cert={}", certs.server_cert.display()))
            .arg(format!("--ssl-key={}", certs.server_key.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if is_root() {
            server.arg("--user=root");
        }
        server.spawn().expect("start mariadbd")
    }

    /// Kills the server with SIGKILL, as a crash or an OOM kill would, and waits for it to go.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same data and port (crash recovery runs) and waits until
    /// it accepts connections.
    pub fn restart(&mut self) {
        self.child = MariaDb::spawn_server(self.dir.path(), self.port, &self.certs);
        self.wait_ready();
    }

    /// Waits until the server accepts connections; panics with its log when it exits or
    /// never does.
    fn wait_ready(&mut self) {
        let url = self.admin_url("mysql");
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let ok = crate::common::runtime()
                .block_on(async { sqlx::MySqlConnection::connect(&url).await.is_ok() });
            if ok {
                return;
            }
            let log =
                || std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default();
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "mariadbd exited ({status}) before accepting connections:\n{}",
                    log()
                );
            }
            if Instant::now() > deadline {
                panic!("mariadbd did not accept connections within 90s:\n{}", log());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A root URL without TLS for setting up.
    pub fn admin_url(&self, db: &str) -> String {
        format!(
            "mysql://root@127.0.0.1:{}/{db}?ssl-mode=DISABLED",
            self.port
        )
    }

    /// Runs SQL as root on `db`.
    pub fn sql(&self, db: &str, sql: &str) {
        strata_testkit::sql::execute(Engine::Mysql, &self.admin_url(db), sql);
    }

    /// An integer query's result as root on `db`.
    pub fn scalar(&self, db: &str, sql: &str) -> i64 {
        strata_testkit::sql::scalar(Engine::Mysql, &self.admin_url(db), sql)
    }

    /// A new database; it goes with the instance.
    pub fn database(&self) -> String {
        let name = format!("tls_{}_{}", std::process::id(), rand::random::<u32>());
        self.sql("mysql", &format!("CREATE DATABASE {name}"));
        name
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Gives `dir` and everything in it to the `postgres` user (the server runs as it under root).
fn chown_to_postgres(dir: &Path) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    };
    let (uid, gid) = (id("-u"), id("-g"));
    fn walk(p: &Path, uid: u32, gid: u32) {
        std::os::unix::fs::chown(p, Some(uid), Some(gid)).unwrap();
        if p.is_dir() {
            for e in std::fs::read_dir(p).unwrap() {
                walk(&e.unwrap().path(), uid, gid);
            }
        }
    }
    walk(dir, uid, gid);
}

/// This machine's address on its default route, when it has one that is not loopback: a host
/// name strata must treat as another machine.
pub fn non_loopback_address() -> Option<String> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks the route and source address.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then(|| ip.to_string())
}
