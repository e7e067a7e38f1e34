//! Production connections through the CLI: TLS with certificate verification on PostgreSQL and
//! MariaDB servers this test starts (tests/servers), client-certificate and password logins, and
//! the session's `application_name` as a DBA sees it.

mod common;
mod servers;

use common::{run, strata};
use serde_json::Value;
use servers::{MariaDb, PgCluster, PG_PASSWORD};
use std::path::Path;

/// A password that must never show up in any output.
const SECRET: &str = "hunter2-do-not-print";

/// A project folder whose `[env.dev]` has `env` lines (url, sslmode, ...) and one migration.
fn project(engine: &str, env: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("strata.toml"),
        format!("[project]\nengine = \"{engine}\"\n\n[env.dev]\n{env}\n"),
    )
    .unwrap();
    let m = dir.path().join("migrations");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(
        m.join("20260101000000_create_accounts.up.sql"),
        "CREATE TABLE accounts (id integer PRIMARY KEY, email varchar(200) NOT NULL);\n",
    )
    .unwrap();
    std::fs::write(
        m.join("20260101000000_create_accounts.down.sql"),
        "DROP TABLE accounts;\n",
    )
    .unwrap();
    let out = strata()
        .current_dir(dir.path())
        .args(["validate", "--rehash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    dir
}

/// `strata ARGS` in `dir` with no PostgreSQL client variables from the developer's shell.
fn strata_in(dir: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut c = strata();
    c.current_dir(dir).args(args);
    for var in [
        "PGPASSWORD",
        "PGPASSFILE",
        "PGSSLMODE",
        "PGSSLROOTCERT",
        "PGSSLCERT",
        "PGSSLKEY",
        "PGAPPNAME",
        "PGHOST",
        "PGUSER",
    ] {
        c.env_remove(var);
    }
    c
}

fn status_json(dir: &Path, url: Option<&str>) -> Value {
    let mut args = vec!["status", "--json"];
    if let Some(u) = url {
        args.extend(["--url", u]);
    }
    let (code, out, err) = run(&mut strata_in(dir, &args));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    serde_json::from_str(&out).unwrap()
}

/// Asserts a failed run: exit 2, `needle` in stderr, and no password anywhere.
fn assert_fails_naming(out: (i32, String, String), needle: &str) {
    let (code, stdout, stderr) = out;
    assert_eq!(code, 2, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains(needle),
        "expected \"{needle}\" in:\n{stderr}"
    );
    for secret in [SECRET, PG_PASSWORD] {
        assert!(
            !stderr.contains(secret) && !stdout.contains(secret),
            "a password was printed:\n{stdout}\n{stderr}"
        );
    }
}

// --- PostgreSQL --------------------------------------------------------------------------------

#[test]
fn pg_verify_full_with_the_right_ca_connects_and_applies() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("postgres");
    // sslrootcert in strata.toml is relative to the project folder.
    let dir = project(
        "postgres",
        &format!(
            "url = \"postgres://postgres:{SECRET}@localhost:{}/{db}\"\nsslmode = \"verify-full\"\nsslrootcert = \"certs/ca.pem\"",
            pg.port
        ),
    );
    std::fs::create_dir_all(dir.path().join("certs")).unwrap();
    std::fs::copy(&pg.certs.ca, dir.path().join("certs/ca.pem")).unwrap();

    let (code, out, err) = run(&mut strata_in(dir.path(), &["apply"]));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert!(!err.contains("warning: the connection"), "{err}");
    assert_eq!(
        pg.scalar(
            &db,
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'accounts'"
        ),
        1
    );

    let (code, out, err) = run(&mut strata_in(dir.path(), &["status"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("connection: encrypted, TLSv1.3")
            && out.contains("server certificate and host name verified against a trusted CA (sslmode=verify-full)"),
        "{out}"
    );
    assert!(!out.contains(SECRET), "{out}");
    let json = status_json(dir.path(), None);
    let c = &json["connection"];
    assert_eq!(c["encrypted"], true, "{json}");
    assert_eq!(c["verified"], "certificate-and-host", "{json}");
    assert_eq!(c["sslmode"], "verify-full", "{json}");
    assert_eq!(c["host"], "localhost", "{json}");
    assert_eq!(json["migrations"][0]["state"], "applied", "{json}");
}

#[test]
fn pg_an_untrusted_ca_fails_naming_the_cause() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("postgres");
    let dir = project("postgres", "");
    let url = format!(
        "postgres://postgres:{SECRET}@localhost:{}/{db}?sslmode=verify-full&sslrootcert={}",
        pg.port,
        pg.certs.other_ca.display()
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["status", "--url", &url])),
        "the server's certificate is not trusted",
    );
    // Without any CA only the system's trust store counts, which does not know the test CA.
    let url = format!(
        "postgres://postgres:{SECRET}@localhost:{}/{db}?sslmode=verify-full",
        pg.port
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["apply", "--url", &url])),
        "not trusted",
    );
}

#[test]
fn pg_a_wrong_host_name_fails_naming_the_cause() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("postgres");
    let dir = project("postgres", "");
    // The certificate names only `localhost`.
    let url = format!(
        "postgres://postgres:{SECRET}@127.0.0.1:{}/{db}?sslmode=verify-full&sslrootcert={}",
        pg.port,
        pg.certs.ca.display()
    );
    let out = run(&mut strata_in(dir.path(), &["apply", "--url", &url]));
    assert!(out.2.contains("it is valid for localhost"), "{}", out.2);
    assert_fails_naming(out, "host name mismatch");
}

/// sqlx 0.8.6 with rustls >= 0.23.24 checks the host name under verify-ca too (sqlx issue
/// #3793); this pins that behaviour and its message, so an upgrade that fixes it shows up here.
#[test]
fn pg_verify_ca_checks_the_chain_and_with_this_sqlx_the_host_name_too() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("postgres");
    let dir = project("postgres", "");
    let ca = pg.certs.ca.display().to_string();
    let url = format!(
        "postgres://postgres@localhost:{}/{db}?sslmode=verify-ca&sslrootcert={ca}",
        pg.port
    );
    let json = status_json(dir.path(), Some(&url));
    assert_eq!(json["connection"]["verified"], "certificate", "{json}");
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/{db}?sslmode=verify-ca&sslrootcert={ca}",
        pg.port
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["status", "--url", &url])),
        "verify-ca / VERIFY_CA checks the host name too",
    );
    let url = format!(
        "postgres://postgres@localhost:{}/{db}?sslmode=verify-ca&sslrootcert={}",
        pg.port,
        pg.certs.other_ca.display()
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["status", "--url", &url])),
        "not trusted",
    );
}

#[test]
fn pg_sslmode_require_encrypts_without_verifying() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("postgres");
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/{db}?sslmode=require",
        pg.port
    );
    let dir = project("postgres", &format!("url = \"{url}\""));
    let (code, out, err) = run(&mut strata_in(dir.path(), &["apply"]));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    // 127.0.0.1 is this machine: nothing to warn about.
    assert!(!err.contains("warning: the connection"), "{err}");
    let json = status_json(dir.path(), None);
    assert_eq!(json["connection"]["encrypted"], true, "{json}");
    assert_eq!(json["connection"]["verified"], "none", "{json}");
    assert_eq!(
        pg.scalar(&db, "SELECT count(*) FROM strata_history WHERE success"),
        1
    );
    // sslmode=disable really is plain text (the server reports it, not strata's settings).
    let json = status_json(
        dir.path(),
        Some(&format!(
            "postgres://postgres@127.0.0.1:{}/{db}?sslmode=disable",
            pg.port
        )),
    );
    assert_eq!(json["connection"]["encrypted"], false, "{json}");
}

#[test]
fn pg_strata_toml_and_url_disagreeing_on_sslmode_is_an_error() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("postgres");
    let dir = project("postgres", "sslmode = \"verify-full\"");
    let url = format!(
        "postgres://postgres:{SECRET}@localhost:{}/{db}?sslmode=disable",
        pg.port
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["status", "--url", &url])),
        "sets sslmode = \"verify-full\" but the URL",
    );
}

#[test]
fn pg_client_certificate_login() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("strata_cert");
    let c = &pg.certs;
    let dir = project(
        "postgres",
        &format!(
            "url = \"postgres://strata_cert@localhost:{}/{db}\"\nsslmode = \"verify-full\"\nsslrootcert = \"{}\"\nsslcert = \"{}\"\nsslkey = \"{}\"",
            pg.port,
            c.ca.display(),
            c.client_cert.display(),
            c.client_key.display()
        ),
    );
    let (code, out, err) = run(&mut strata_in(dir.path(), &["apply"]));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(
        pg.scalar(
            &db,
            "SELECT count(*) FROM strata_history WHERE success AND version = 20260101000000"
        ),
        1
    );
    // The same role without the certificate is refused by the server (pg_hba `cert`).
    let url = format!(
        "postgres://strata_cert@localhost:{}/{db}?sslmode=verify-full&sslrootcert={}",
        pg.port,
        c.ca.display()
    );
    let bare = project("postgres", "");
    assert_fails_naming(
        run(&mut strata_in(bare.path(), &["status", "--url", &url])),
        "certificate",
    );
}

#[test]
fn pg_passwords_from_pgpassword_pgpassfile_and_pgpass_never_printed() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let db = pg.database("strata_pw");
    let url = format!(
        "postgres://strata_pw@localhost:{}/{db}?sslmode=require",
        pg.port
    );
    let dir = project("postgres", &format!("url = \"{url}\""));
    let home = tempfile::tempdir().unwrap();

    // No password anywhere: the server refuses, and the message says what to check.
    let out = run(strata_in(dir.path(), &["status"]).env("HOME", home.path()));
    assert_fails_naming(out, "password");

    // A wrong one in PGPASSWORD: refused, and not echoed.
    let out = run(strata_in(dir.path(), &["status"])
        .env("HOME", home.path())
        .env("PGPASSWORD", SECRET));
    assert_fails_naming(out, "check the user name and password");

    let (code, _, err) = run(strata_in(dir.path(), &["apply"])
        .env("HOME", home.path())
        .env("PGPASSWORD", PG_PASSWORD));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains(PG_PASSWORD), "{err}");

    // PGPASSFILE (libpq's format; it must not be readable by others).
    let passfile = home.path().join("passfile");
    std::fs::write(
        &passfile,
        format!("localhost:{}:*:strata_pw:{PG_PASSWORD}\n", pg.port),
    )
    .unwrap();
    set_private(&passfile);
    let (code, out, err) = run(strata_in(dir.path(), &["status"])
        .env("HOME", home.path())
        .env("PGPASSFILE", &passfile));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("1 applied") || out.contains("applied"),
        "{out}"
    );

    // ~/.pgpass.
    std::fs::copy(&passfile, home.path().join(".pgpass")).unwrap();
    set_private(&home.path().join(".pgpass"));
    let (code, _, err) = run(strata_in(dir.path(), &["status"]).env("HOME", home.path()));
    assert_eq!(code, 0, "{err}");

    // A wrong password in the URL beats the file, is refused, and is never printed.
    let wrong = format!(
        "postgres://strata_pw:{SECRET}@localhost:{}/{db}?sslmode=require",
        pg.port
    );
    let out =
        run(strata_in(dir.path(), &["status", "--json", "--url", &wrong]).env("HOME", home.path()));
    assert_fails_naming(out, "check the user name and password");
}

fn set_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn an_unverified_connection_to_another_machine_is_warned_about_once() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let Some(ip) = servers::non_loopback_address() else {
        eprintln!("notice: this machine has no non-loopback address; skipping");
        return;
    };
    let db = pg.database("postgres");
    let url = format!("postgres://postgres@{ip}:{}/{db}?sslmode=require", pg.port);
    let dir = project("postgres", &format!("url = \"{url}\""));
    // One warning for the run, on stderr (stdout stays clean for --json).
    let (code, out, err) = run(&mut strata_in(dir.path(), &["apply"]));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    let warning = format!(
        "warning: the connection to {ip} is encrypted, but the server's certificate is not verified (sslmode=require)"
    );
    assert_eq!(err.matches(&warning).count(), 1, "{err}");
    assert!(!out.contains("warning: the connection"), "{out}");
    assert!(
        err.contains("sslmode=verify-full with sslrootcert=<CA file>"),
        "{err}"
    );

    let plain = format!("postgres://postgres@{ip}:{}/{db}?sslmode=disable", pg.port);
    let (code, _, err) = run(&mut strata_in(dir.path(), &["status", "--url", &plain]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.matches("is not encrypted (sslmode=disable)").count(),
        1,
        "{err}"
    );
}

// --- MariaDB -----------------------------------------------------------------------------------

#[test]
fn mysql_verify_identity_with_the_right_ca_connects_and_applies() {
    let Some(my) = MariaDb::shared() else { return };
    let db = my.database();
    // strata.toml takes libpq's key names for MySQL too; the values may be either vocabulary.
    let dir = project(
        "mysql",
        &format!(
            "url = \"mysql://root@localhost:{}/{db}\"\nsslmode = \"VERIFY_IDENTITY\"\nsslrootcert = \"{}\"",
            my.port,
            my.certs.ca.display()
        ),
    );
    let (code, out, err) = run(&mut strata_in(dir.path(), &["apply"]));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(
        my.scalar(&db, &format!("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'accounts'")),
        1
    );
    let (_, out, _) = run(&mut strata_in(dir.path(), &["status"]));
    assert!(
        out.contains("server certificate and host name verified against a trusted CA (ssl-mode=VERIFY_IDENTITY)"),
        "{out}"
    );
    let json = status_json(dir.path(), None);
    assert_eq!(json["connection"]["encrypted"], true, "{json}");
    assert_eq!(
        json["connection"]["verified"], "certificate-and-host",
        "{json}"
    );
    assert!(
        json["connection"]["tls_version"]
            .as_str()
            .unwrap()
            .starts_with("TLSv1."),
        "{json}"
    );
}

#[test]
fn mysql_an_untrusted_ca_or_a_wrong_host_name_fails_naming_the_cause() {
    let Some(my) = MariaDb::shared() else { return };
    let db = my.database();
    let dir = project("mysql", "");
    let url = format!(
        "mysql://root:{SECRET}@localhost:{}/{db}?ssl-mode=VERIFY_IDENTITY&ssl-ca={}",
        my.port,
        my.certs.other_ca.display()
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["apply", "--url", &url])),
        "the server's certificate is not trusted: it is not signed by the CA in ssl-ca",
    );
    // libpq's spelling works on a MySQL URL too.
    let url = format!(
        "mysql://root:{SECRET}@127.0.0.1:{}/{db}?sslmode=verify-full&ssl-ca={}",
        my.port,
        my.certs.ca.display()
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["status", "--url", &url])),
        "host name mismatch",
    );
}

#[test]
fn mysql_ssl_mode_required_encrypts_without_verifying() {
    let Some(my) = MariaDb::shared() else { return };
    let db = my.database();
    let url = format!("mysql://root@127.0.0.1:{}/{db}?ssl-mode=REQUIRED", my.port);
    let dir = project("mysql", &format!("url = \"{url}\""));
    let (code, out, err) = run(&mut strata_in(dir.path(), &["apply"]));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    let json = status_json(dir.path(), None);
    assert_eq!(json["connection"]["encrypted"], true, "{json}");
    assert_eq!(json["connection"]["verified"], "none", "{json}");
    assert_eq!(json["connection"]["sslmode"], "require", "{json}");
    let json = status_json(
        dir.path(),
        Some(&format!(
            "mysql://root@127.0.0.1:{}/{db}?ssl-mode=DISABLED",
            my.port
        )),
    );
    assert_eq!(json["connection"]["encrypted"], false, "{json}");
}

#[test]
fn mysql_client_certificate_login() {
    let Some(my) = MariaDb::shared() else { return };
    let db = my.database();
    let user = format!("cert_{}", rand::random::<u32>());
    // The account exists only with a certificate issued to CN=strata_cert by the test CA.
    my.sql(
        "mysql",
        &format!(
            "CREATE USER '{user}'@'localhost' REQUIRE SUBJECT '/CN=strata_cert' AND ISSUER '/CN=strata test CA'; GRANT ALL ON {db}.* TO '{user}'@'localhost'"
        ),
    );
    let c = &my.certs;
    let base = format!(
        "mysql://{user}@localhost:{}/{db}?ssl-mode=VERIFY_IDENTITY&ssl-ca={}",
        my.port,
        c.ca.display()
    );
    let dir = project("mysql", "");
    let with_cert = format!(
        "{base}&ssl-cert={}&ssl-key={}",
        c.client_cert.display(),
        c.client_key.display()
    );
    let (code, out, err) = run(&mut strata_in(dir.path(), &["apply", "--url", &with_cert]));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(
        my.scalar(&db, "SELECT COUNT(*) FROM strata_history WHERE success"),
        1
    );
    assert_fails_naming(
        run(&mut strata_in(dir.path(), &["status", "--url", &base])),
        "Access denied",
    );
}

// --- Session settings --------------------------------------------------------------------------

/// A DBA looking at `pg_stat_activity` while a migration waits on a lock sees which strata
/// process it is. The migration blocks on an advisory lock this test holds, so the test looks
/// while the apply is certainly running (no sleeps), then lets it finish.
#[test]
fn pg_application_name_is_visible_in_pg_stat_activity_during_an_apply() {
    use sqlx::Connection;
    let Some(db) = common::TestDb::new(strata_schema::Engine::Postgres) else {
        return;
    };
    let key: i64 = rand::random::<u32>().into();
    let p = common::Project::new(&db);
    p.add(
        20260101000000,
        "waits",
        &format!("SELECT pg_advisory_xact_lock({key});\nCREATE TABLE waited (id integer);\n"),
        Some("DROP TABLE waited;\n"),
    );
    let rt = common::runtime();
    let mut holder = rt.block_on(sqlx::PgConnection::connect(&db.url)).unwrap();
    rt.block_on(
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(key)
            .execute(&mut holder),
    )
    .unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("strata"))
        .current_dir(p.path())
        .arg("apply")
        .env_remove("DATABASE_URL")
        .env_remove("PGAPPNAME")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let name = db
        .url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let app = loop {
        let row: Option<String> = rt
            .block_on(
                sqlx::query_scalar(
                    "SELECT application_name FROM pg_stat_activity
                     WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'",
                )
                .bind(&name)
                .fetch_optional(&mut holder),
            )
            .unwrap();
        if let Some(app) = row {
            break app;
        }
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            panic!(
                "strata apply ended ({status}) before waiting on the lock:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(
        app.starts_with(&format!("strata pid {} on ", child.id())),
        "application_name is {app:?}"
    );
    rt.block_on(
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(key)
            .execute(&mut holder),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.table_exists("waited"));
}

/// An application_name in the URL is the user's choice and is kept.
#[test]
fn pg_application_name_from_the_url_is_kept() {
    let Some(db) = common::TestDb::new(strata_schema::Engine::Postgres) else {
        return;
    };
    let p = common::Project::new(&db);
    p.add(
        20260101000000,
        "records_its_name",
        "CREATE TABLE seen AS SELECT current_setting('application_name') AS app;\n",
        None,
    );
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}application_name=deploy-42", db.url);
    let (code, _, err) = run(&mut p.strata(&["apply", "--url", &url]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        db.scalar("SELECT count(*) FROM seen WHERE app = 'deploy-42'"),
        1
    );
}

// --- Poolers -----------------------------------------------------------------------------------

/// Behind PgBouncer in transaction mode the session advisory lock would not keep migrators
/// apart: strata refuses, every one of 8 concurrent appliers, before running anything.
#[test]
fn pgbouncer_in_transaction_mode_is_refused_naming_the_fix() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let Some(bouncer) = servers::PgBouncer::start(&pg, "transaction") else {
        return;
    };
    let db = pg.database("postgres");
    let dir = project("postgres", &format!("url = \"{}\"", bouncer.url(&db)));
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("strata"))
                .current_dir(dir.path())
                .arg("apply")
                .env_remove("DATABASE_URL")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("pooler in transaction or statement mode")
                && err.contains("Connect strata to PostgreSQL directly")
                && err.contains("pool_mode = session"),
            "{err}"
        );
    }
    assert_eq!(
        pg.scalar(&db, "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('accounts', 'strata_history')"),
        0
    );
    // The same database directly is fine.
    let direct = format!("postgres://postgres@127.0.0.1:{}/{db}", pg.port);
    let (code, _, err) = run(&mut strata_in(dir.path(), &["apply", "--url", &direct]));
    assert_eq!(code, 0, "{err}");
}

/// In session mode a client keeps its server process: strata applies through it, 8 at once,
/// each migration exactly once.
#[test]
fn pgbouncer_in_session_mode_applies_each_migration_once_with_8_appliers() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let Some(bouncer) = servers::PgBouncer::start(&pg, "session") else {
        return;
    };
    let db = pg.database("postgres");
    let dir = project("postgres", &format!("url = \"{}\"", bouncer.url(&db)));
    let m = dir.path().join("migrations");
    for i in 1..6 {
        std::fs::write(
            m.join(format!("2026010100000{i}_step_{i}.up.sql")),
            format!("CREATE TABLE step_{i} (id integer);\nINSERT INTO accounts VALUES ({i}, 'step{i}@example.com');\n"),
        )
        .unwrap();
    }
    let (code, _, err) = run(&mut strata_in(dir.path(), &["validate", "--rehash"]));
    assert_eq!(code, 0, "{err}");
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("strata"))
                .current_dir(dir.path())
                .args(["apply", "--lock-timeout", "120s"])
                .env_remove("DATABASE_URL")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(pg.scalar(&db, "SELECT count(*) FROM accounts"), 5);
    assert_eq!(
        pg.scalar(&db, "SELECT count(*) FROM strata_history WHERE success"),
        6
    );
}

/// Session settings ride in the URL as libpq-style `options[NAME]=VALUE` parameters (sqlx sends
/// them as `-c NAME=VALUE` at startup): the migration runs with them.
#[test]
fn pg_session_settings_from_the_url_reach_the_migration() {
    let Some(db) = common::TestDb::new(strata_schema::Engine::Postgres) else {
        return;
    };
    db.exec("CREATE SCHEMA app");
    let p = common::Project::new(&db);
    p.add(
        20260101000000,
        "records_settings",
        "CREATE TABLE settings_seen AS SELECT current_setting('statement_timeout') AS st, current_schema() AS schema;\n",
        None,
    );
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let url = format!(
        "{}{sep}options[statement_timeout]=7min&options[search_path]=app",
        db.url
    );
    let (code, _, err) = run(&mut p.strata(&["apply", "--url", &url]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        db.scalar("SELECT count(*) FROM app.settings_seen WHERE st = '7min' AND schema = 'app'"),
        1
    );
}

/// `statement_timeout` in strata.toml becomes the session's; on MySQL it is an error.
#[test]
fn statement_timeout_per_environment() {
    let Some(db) = common::TestDb::new(strata_schema::Engine::Postgres) else {
        return;
    };
    let p = common::Project::new(&db);
    let toml = p.path().join("strata.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}statement_timeout = \"9min\"\n")).unwrap();
    p.add(
        20260101000000,
        "records_timeout",
        "CREATE TABLE timeout_seen AS SELECT current_setting('statement_timeout') AS st;\n",
        None,
    );
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        db.scalar("SELECT count(*) FROM timeout_seen WHERE st = '9min'"),
        1
    );

    let my = tempfile::tempdir().unwrap();
    std::fs::write(
        my.path().join("strata.toml"),
        "[project]\nengine = \"mysql\"\n[env.dev]\nurl = \"mysql://root@127.0.0.1:1/x\"\nstatement_timeout = \"9min\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&mut strata_in(my.path(), &["status"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("statement_timeout is a PostgreSQL setting"),
        "{err}"
    );
}
