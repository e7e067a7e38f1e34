//! TLS: the `sslmode` vocabularies of libpq and MySQL, the TLS settings of an environment, what
//! protects an open connection, and why a handshake failed, in words a user can act on.
//!
//! The handshake itself is sqlx's (rustls with the ring provider; the system's trust store plus
//! the CA file given as `sslrootcert` / `ssl-ca`).

use crate::error::EngineError;
use crate::url::redact;
use serde::Serialize;
use std::net::IpAddr;
use strata_schema::Engine;

/// How a connection to a server is protected, in libpq's `sslmode` terms (MySQL's `ssl-mode`
/// values map one to one: `DISABLED`, `PREFERRED`, `REQUIRED`, `VERIFY_CA`, `VERIFY_IDENTITY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// No TLS.
    Disable,
    /// PostgreSQL only; sqlx treats it as `disable` (no TLS).
    Allow,
    /// TLS when the server offers it, without checking its certificate (the default of both).
    Prefer,
    /// TLS or fail; the certificate is not checked.
    Require,
    /// TLS with a certificate signed by a trusted CA.
    VerifyCa,
    /// TLS with a trusted certificate that names the host connected to.
    VerifyFull,
}

impl TlsMode {
    /// Parses a libpq or a MySQL name, case-insensitively (`verify_identity` = `verify-full`).
    pub fn parse(text: &str) -> Option<TlsMode> {
        Some(
            match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
                "disable" | "disabled" => TlsMode::Disable,
                "allow" => TlsMode::Allow,
                "prefer" | "preferred" => TlsMode::Prefer,
                "require" | "required" => TlsMode::Require,
                "verify-ca" => TlsMode::VerifyCa,
                "verify-full" | "verify-identity" => TlsMode::VerifyFull,
                _ => return None,
            },
        )
    }

    /// The value as `engine`'s URL parameter spells it, or `None` when the engine has no such mode.
    pub fn name_for(self, engine: Engine) -> Option<&'static str> {
        Some(match (engine, self) {
            (Engine::Mysql, TlsMode::Disable) => "DISABLED",
            (Engine::Mysql, TlsMode::Allow) => return None,
            (Engine::Mysql, TlsMode::Prefer) => "PREFERRED",
            (Engine::Mysql, TlsMode::Require) => "REQUIRED",
            (Engine::Mysql, TlsMode::VerifyCa) => "VERIFY_CA",
            (Engine::Mysql, TlsMode::VerifyFull) => "VERIFY_IDENTITY",
            (_, TlsMode::Disable) => "disable",
            (_, TlsMode::Allow) => "allow",
            (_, TlsMode::Prefer) => "prefer",
            (_, TlsMode::Require) => "require",
            (_, TlsMode::VerifyCa) => "verify-ca",
            (_, TlsMode::VerifyFull) => "verify-full",
        })
    }
}

/// The URL parameter of a TLS setting on `engine`, with the aliases sqlx also reads.
fn param_names(engine: Engine, setting: Setting) -> &'static [&'static str] {
    match (engine, setting) {
        (Engine::Mysql, Setting::Mode) => &["ssl-mode", "sslmode"],
        (_, Setting::Mode) => &["sslmode", "ssl-mode"],
        (Engine::Mysql, Setting::RootCert) => &["ssl-ca", "sslca"],
        (_, Setting::RootCert) => &["sslrootcert", "ssl-root-cert", "ssl-ca"],
        (Engine::Mysql, Setting::ClientCert) => &["ssl-cert", "sslcert"],
        (_, Setting::ClientCert) => &["sslcert", "ssl-cert"],
        (Engine::Mysql, Setting::ClientKey) => &["ssl-key", "sslkey"],
        (_, Setting::ClientKey) => &["sslkey", "ssl-key"],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setting {
    Mode,
    RootCert,
    ClientCert,
    ClientKey,
}

impl Setting {
    const ALL: [Setting; 4] = [
        Setting::Mode,
        Setting::RootCert,
        Setting::ClientCert,
        Setting::ClientKey,
    ];
}

/// TLS settings given outside the URL (strata.toml), merged into it by [`with_tls_settings`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// `sslmode` in either vocabulary.
    pub mode: Option<String>,
    /// The CA certificate file (PEM) that signed the server's certificate.
    pub root_cert: Option<String>,
    /// The client certificate file (PEM) for certificate logins.
    pub client_cert: Option<String>,
    /// The client certificate's private key file (PEM).
    pub client_key: Option<String>,
}

impl TlsSettings {
    fn get(&self, setting: Setting) -> Option<&str> {
        match setting {
            Setting::Mode => self.mode.as_deref(),
            Setting::RootCert => self.root_cert.as_deref(),
            Setting::ClientCert => self.client_cert.as_deref(),
            Setting::ClientKey => self.client_key.as_deref(),
        }
    }
}

/// The decoded query parameters of a URL, in order.
fn query_pairs(url: &str) -> Vec<(String, String)> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or("");
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `url` with `settings` added as the engine's URL parameters. A setting the URL already has
/// with another value is an error naming both, so a `DATABASE_URL` cannot silently weaken what
/// strata.toml asks for (or the reverse).
pub fn with_tls_settings(
    url: &str,
    engine: Engine,
    settings: &TlsSettings,
    origin: &str,
) -> Result<String, EngineError> {
    if engine == Engine::Sqlite {
        return Ok(url.to_string());
    }
    let present = query_pairs(url);
    let mut out = url.to_string();
    for setting in Setting::ALL {
        let Some(value) = settings.get(setting) else {
            continue;
        };
        let names = param_names(engine, setting);
        let value = if setting == Setting::Mode {
            let mode = TlsMode::parse(value).ok_or_else(|| bad_mode(url, engine, value))?;
            mode.name_for(engine)
                .ok_or_else(|| bad_mode(url, engine, value))?
                .to_string()
        } else {
            value.to_string()
        };
        if let Some((k, v)) = present.iter().find(|(k, _)| names.contains(&k.as_str())) {
            let same = match setting {
                Setting::Mode => TlsMode::parse(v) == TlsMode::parse(&value),
                _ => *v == value,
            };
            if same {
                continue;
            }
            return Err(EngineError::Config(format!(
                "{origin} sets {} = \"{value}\" but the URL {} has {k}={v}; remove one of them",
                names[0],
                redact(url)
            )));
        }
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(names[0]);
        out.push('=');
        out.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
    }
    Ok(out)
}

fn bad_mode(url: &str, engine: Engine, value: &str) -> EngineError {
    let accepted = match engine {
        Engine::Mysql => "DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY (or the libpq names)",
        _ => "disable, prefer, require, verify-ca, verify-full (or MySQL's DISABLED … VERIFY_IDENTITY)",
    };
    EngineError::BadUrl {
        url: redact(url),
        reason: format!("unknown sslmode \"{value}\"; use one of {accepted}"),
    }
}

/// `url` with its sslmode value spelled as `engine`'s driver expects (so `sslmode=require` works
/// on a MySQL URL and `ssl-mode=VERIFY_IDENTITY` on a PostgreSQL one), after checking that the
/// certificate files it names can be read: a missing file would otherwise surface as an I/O error
/// indistinguishable from an unreachable host.
pub(crate) fn normalize_url(url: &str, engine: Engine) -> Result<String, EngineError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok(url.to_string());
    };
    let mut parts = Vec::new();
    for part in query.split('&') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let key = decode(k);
        if param_names(engine, Setting::Mode).contains(&key.as_str()) {
            let value = decode(v);
            let mode = TlsMode::parse(&value)
                .and_then(|m| m.name_for(engine))
                .ok_or_else(|| bad_mode(url, engine, &value))?;
            parts.push(format!("{k}={mode}"));
            continue;
        }
        let is_file = [Setting::RootCert, Setting::ClientCert, Setting::ClientKey]
            .iter()
            .any(|s| param_names(engine, *s).contains(&key.as_str()));
        if is_file {
            let path = decode(v);
            // sqlx also takes inline PEM text; only a path can be missing.
            if !path.trim_start().starts_with("-----BEGIN") {
                if let Err(e) = std::fs::metadata(&path) {
                    return Err(EngineError::Connect {
                        url: redact(url),
                        message: format!(
                            "cannot read {key} file {path}: {e}; fix the path (a relative one is relative to the current directory in a URL, to strata.toml's folder in strata.toml)"
                        ),
                    });
                }
            }
        }
        parts.push(part.to_string());
    }
    Ok(format!("{base}?{}", parts.join("&")))
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// How much of the server's identity was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verification {
    /// Nothing: anyone on the network path could pose as the server.
    None,
    /// The certificate chains to a trusted CA (`verify-ca` / `VERIFY_CA`).
    Certificate,
    /// The certificate chains to a trusted CA and names the host (`verify-full` / `VERIFY_IDENTITY`).
    CertificateAndHost,
}

/// What protects an open connection to a server.
#[derive(Debug, Clone, Serialize)]
pub struct Security {
    /// The host name, IP address or socket path connected to.
    pub host: String,
    /// Whether the host is this machine (loopback address, `localhost` or a Unix socket).
    pub local: bool,
    /// The effective sslmode.
    pub sslmode: TlsMode,
    /// Whether the connection is encrypted with TLS, as the server reports it.
    pub encrypted: bool,
    /// The TLS protocol version, as the server reports it.
    pub tls_version: Option<String>,
    /// The cipher suite, as the server reports it.
    pub cipher: Option<String>,
    /// How much of the server's identity was checked.
    pub verified: Verification,
    #[serde(skip)]
    engine: Engine,
}

impl Security {
    /// The security of a connection made with `mode` to `host`, with what the server reports.
    pub(crate) fn new(
        engine: Engine,
        host: &str,
        mode: TlsMode,
        tls_version: Option<String>,
        cipher: Option<String>,
    ) -> Security {
        let encrypted = tls_version.is_some();
        let verified = match (encrypted, mode) {
            (true, TlsMode::VerifyCa) => Verification::Certificate,
            (true, TlsMode::VerifyFull) => Verification::CertificateAndHost,
            _ => Verification::None,
        };
        Security {
            host: host.to_string(),
            local: is_local(host),
            sslmode: mode,
            encrypted,
            tls_version,
            cipher,
            verified,
            engine,
        }
    }

    fn mode_text(&self) -> String {
        match self.engine {
            Engine::Mysql => format!(
                "ssl-mode={}",
                self.sslmode.name_for(Engine::Mysql).unwrap_or("PREFERRED")
            ),
            _ => format!(
                "sslmode={}",
                self.sslmode.name_for(Engine::Postgres).unwrap_or("")
            ),
        }
    }

    /// One line for `strata status`: encryption, what was verified, and the mode.
    pub fn describe(&self) -> String {
        let mode = self.mode_text();
        if !self.encrypted {
            let why = match self.sslmode {
                TlsMode::Prefer => ": the server did not offer TLS",
                _ => "",
            };
            return format!("not encrypted ({mode}{why})");
        }
        let tls = match (&self.tls_version, &self.cipher) {
            (Some(v), Some(c)) if !c.is_empty() => format!("{v} ({c})"),
            (Some(v), _) => v.clone(),
            _ => "TLS".into(),
        };
        let verified = match self.verified {
            Verification::None => "server certificate not verified",
            Verification::Certificate => "server certificate verified against a trusted CA",
            Verification::CertificateAndHost => {
                "server certificate and host name verified against a trusted CA"
            }
        };
        format!("encrypted, {tls}, {verified} ({mode})")
    }

    /// The warning for a connection to another machine whose server identity was not checked,
    /// or `None` when there is nothing to warn about.
    pub fn warning(&self) -> Option<String> {
        if self.local || self.verified != Verification::None {
            return None;
        }
        let what = if self.encrypted {
            "is encrypted, but the server's certificate is not verified"
        } else {
            "is not encrypted"
        };
        let fix = match self.engine {
            Engine::Mysql => "ssl-mode=VERIFY_IDENTITY with ssl-ca=<CA file>",
            _ => "sslmode=verify-full with sslrootcert=<CA file>",
        };
        Some(format!(
            "the connection to {} {what} ({}), so anyone on the network path can read or pose as the server. Set {fix} in the URL or as sslmode/sslrootcert in the environment of strata.toml",
            self.host,
            self.mode_text()
        ))
    }
}

/// Whether `host` is this machine.
fn is_local(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.is_empty()
        || h.starts_with('/')
        || h.eq_ignore_ascii_case("localhost")
        || h.to_ascii_lowercase().ends_with(".localhost")
        || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Why a TLS handshake failed, in words naming the cause and the fix; `None` when `e` is not a
/// TLS failure.
pub(crate) fn tls_failure(e: &sqlx::Error, engine: Engine, mode: TlsMode) -> Option<String> {
    use rustls::{CertificateError, Error as Tls};
    let ca_param = match engine {
        Engine::Mysql => "ssl-ca",
        _ => "sslrootcert",
    };
    match e {
        sqlx::Error::Io(io) => {
            let tls = io.get_ref()?.downcast_ref::<Tls>()?;
            Some(match tls {
                Tls::InvalidCertificate(CertificateError::UnknownIssuer) => format!(
                    "the server's certificate is not trusted: it is not signed by the CA in {ca_param} nor by one in the system's trust store; pass the CA certificate that signed it as {ca_param}"
                ),
                Tls::InvalidCertificate(
                    CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
                ) => {
                    let valid_for = match tls {
                        Tls::InvalidCertificate(CertificateError::NotValidForNameContext {
                            presented, ..
                        }) if !presented.is_empty() => format!(
                            " (it is valid for {})",
                            presented.iter().map(|p| plain_name(p)).collect::<Vec<_>>().join(", ")
                        ),
                        _ => String::new(),
                    };
                    let ca_note = if mode == TlsMode::VerifyCa {
                        " Note: with the sqlx and rustls versions strata is built with, verify-ca / VERIFY_CA checks the host name too (sqlx issue #3793)."
                    } else {
                        ""
                    };
                    format!(
                        "host name mismatch: the server's certificate does not name the host in the URL{valid_for}; connect with a host name the certificate lists.{ca_note}"
                    )
                }
                Tls::InvalidCertificate(
                    CertificateError::Expired | CertificateError::ExpiredContext { .. },
                ) => "the server's certificate has expired; the server needs a renewed certificate".into(),
                Tls::InvalidCertificate(
                    CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
                ) => "the server's certificate is not valid yet; check this machine's clock".into(),
                Tls::InvalidCertificate(other) => {
                    format!("the server's certificate was rejected ({other:?})")
                }
                Tls::AlertReceived(alert) => format!(
                    "the server ended the TLS handshake ({alert:?}); if it requires a client certificate, pass sslcert and sslkey (MySQL: ssl-cert, ssl-key)"
                ),
                other => format!("the TLS handshake failed: {other}"),
            })
        }
        sqlx::Error::Tls(inner) => {
            let text = inner.to_string();
            Some(if text.contains("server does not support TLS") {
                "the server does not accept TLS connections; enable TLS on the server, or connect with sslmode=prefer (MySQL: ssl-mode=PREFERRED) only on a network you trust".into()
            } else {
                format!("TLS setup failed: {text}")
            })
        }
        _ => None,
    }
}

/// `DnsName("db.example.com")` (how rustls lists a certificate's names) as `db.example.com`.
fn plain_name(presented: &str) -> String {
    match presented.split_once('(') {
        Some((_, rest)) => rest.trim_end_matches(')').trim_matches('"').to_string(),
        None => presented.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_in_both_vocabularies() {
        assert_eq!(TlsMode::parse("VERIFY_IDENTITY"), Some(TlsMode::VerifyFull));
        assert_eq!(TlsMode::parse("verify-full"), Some(TlsMode::VerifyFull));
        assert_eq!(TlsMode::parse("Required"), Some(TlsMode::Require));
        assert_eq!(TlsMode::parse("sometimes"), None);
        assert_eq!(TlsMode::VerifyCa.name_for(Engine::Mysql), Some("VERIFY_CA"));
    }

    #[test]
    fn settings_join_the_url_and_conflicts_are_errors() {
        let s = TlsSettings {
            mode: Some("verify-full".into()),
            root_cert: Some("/etc/ca dir/ca.pem".into()),
            ..Default::default()
        };
        assert_eq!(
            with_tls_settings("mysql://u@h/db", Engine::Mysql, &s, "strata.toml").unwrap(),
            "mysql://u@h/db?ssl-mode=VERIFY_IDENTITY&ssl-ca=%2Fetc%2Fca+dir%2Fca.pem"
        );
        assert_eq!(
            with_tls_settings(
                "postgres://u@h/db?sslmode=verify-full",
                Engine::Postgres,
                &s,
                "x"
            )
            .unwrap(),
            "postgres://u@h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca+dir%2Fca.pem"
        );
        let e = with_tls_settings(
            "postgres://u:pw@h/db?sslmode=disable",
            Engine::Postgres,
            &s,
            "strata.toml [env.prod]",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("sslmode=disable") && !e.contains("pw@"), "{e}");
    }

    #[test]
    fn urls_get_the_engines_spelling() {
        assert_eq!(
            normalize_url("mysql://u@h/db?sslmode=require&x=1", Engine::Mysql).unwrap(),
            "mysql://u@h/db?sslmode=REQUIRED&x=1"
        );
        assert!(normalize_url("postgres://h/db?sslmode=maybe", Engine::Postgres).is_err());
        assert!(normalize_url(
            "postgres://h/db?sslrootcert=/nonexistent/ca.pem",
            Engine::Postgres
        )
        .unwrap_err()
        .to_string()
        .contains("cannot read sslrootcert file /nonexistent/ca.pem"));
    }

    #[test]
    fn certificate_names_are_plain() {
        assert_eq!(plain_name("DnsName(\"localhost\")"), "localhost");
        assert_eq!(plain_name("IpAddress(127.0.0.1)"), "127.0.0.1");
    }

    #[test]
    fn local_hosts() {
        for h in [
            "localhost",
            "127.0.0.1",
            "::1",
            "[::1]",
            "/var/run/postgresql",
            "",
        ] {
            assert!(is_local(h), "{h}");
        }
        for h in ["db.example.com", "10.0.0.5", "localhost.example.com"] {
            assert!(!is_local(h), "{h}");
        }
    }
}
