//! Database URLs: which engine they name, and how to print them without the password.

use crate::error::EngineError;
use strata_schema::Engine;

/// The engine a URL's scheme names.
pub fn engine_of(url: &str) -> Result<Engine, EngineError> {
    let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
    match scheme.as_str() {
        "sqlite" | "sqlite3" | "file" => Ok(Engine::Sqlite),
        "postgres" | "postgresql" => Ok(Engine::Postgres),
        "mysql" | "mariadb" => Ok(Engine::Mysql),
        _ => Err(EngineError::BadUrl {
            url: redact(url),
            reason: format!(
                "unknown scheme \"{scheme}\"; use sqlite://path.db, postgres://user@host/db or mysql://user@host/db"
            ),
        }),
    }
}

/// The URL with any password replaced by `***`; works on URLs that do not parse.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    // The authority ends at the first '/', '?' or '#' after the last '@' (a password may hold '/').
    let Some(at) = rest.rfind('@') else {
        return redact_query(url);
    };
    let userinfo = &rest[..at];
    let user = match userinfo.find(':') {
        Some(colon) => format!("{}:***", &userinfo[..colon]),
        None => userinfo.to_string(),
    };
    redact_query(&format!(
        "{}://{}@{}",
        &url[..scheme_end],
        user,
        &rest[at + 1..]
    ))
}

/// Hides `password=` query parameters too.
fn redact_query(url: &str) -> String {
    let Some(q) = url.find('?') else {
        return url.to_string();
    };
    let params: Vec<String> = url[q + 1..]
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => p.to_string(),
        })
        .collect();
    format!("{}?{}", &url[..q], params.join("&"))
}

/// The password of a URL, decoded, so that error messages can be scrubbed of it.
pub fn password_of(url: &str) -> Option<String> {
    let rest = &url[url.find("://")? + 3..];
    let userinfo = &rest[..rest.rfind('@')?];
    let raw = &userinfo[userinfo.find(':')? + 1..];
    if raw.is_empty() {
        return None;
    }
    Some(
        percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// Removes every occurrence of the URL's password (raw and decoded) from `message`.
pub fn scrub(message: &str, url: &str) -> String {
    let mut out = message.replace(url, &redact(url));
    if let Some(p) = password_of(url) {
        if p.len() >= 2 {
            out = out.replace(&p, "***");
        }
        let rest = &url[url.find("://").map_or(0, |i| i + 3)..];
        if let Some(raw) = rest
            .rfind('@')
            .and_then(|at| rest[..at].split_once(':').map(|(_, p)| p))
        {
            if raw.len() >= 2 {
                out = out.replace(raw, "***");
            }
        }
    }
    out
}

/// The URL with its database (path) replaced by `db`, keeping user, host and query.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let Some(scheme_end) = base.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..authority_end], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_even_in_broken_urls() {
        assert_eq!(
            redact("postgres://app:s3cr%2Ft@db:5432/app"),
            "postgres://app:***@db:5432/app"
        );
        assert_eq!(
            redact("mysql://root:p@ss@host:notaport/x"),
            "mysql://root:***@host:notaport/x"
        );
        assert_eq!(
            redact("postgres://host/db?password=hunter2&sslmode=disable"),
            "postgres://host/db?password=***&sslmode=disable"
        );
        assert_eq!(redact("sqlite://dev.db"), "sqlite://dev.db");
    }

    #[test]
    fn scrubs_messages() {
        let url = "postgres://app:hunter2@db/app";
        assert_eq!(scrub("failed hunter2 here", url), "failed *** here");
        assert!(engine_of("oracle://x").is_err());
        assert_eq!(engine_of("mariadb://x").unwrap(), Engine::Mysql);
    }
}
