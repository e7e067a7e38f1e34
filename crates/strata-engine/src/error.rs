//! Errors of connecting to a database.

/// A database URL or connection that strata could not use; messages never hold a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    #[error("malformed database URL {url}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    /// The server did not answer, refused the connection or is still starting up: waiting may
    /// help (`--wait-for`), unlike a wrong password or an unknown database.
    #[error("cannot connect to {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("{0}")]
    Config(String),
}
