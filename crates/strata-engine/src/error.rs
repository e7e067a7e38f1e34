//! Errors of connecting to a database.

/// A database URL or connection that strata could not use; messages never hold a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// A URL strata cannot read: an unknown scheme or `sslmode`.
    #[error("malformed database URL {url}: {reason}")]
    BadUrl {
        /// The URL with any password removed.
        url: String,
        /// What is wrong and what to write instead.
        reason: String,
    },
    /// The server answered but the connection failed: wrong credentials, unknown database, a
    /// failed TLS handshake, or a scratch database that could not be created.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL with any password removed.
        url: String,
        /// The cause, with the engine's message (any password scrubbed).
        message: String,
    },
    /// The server did not answer, refused the connection or is still starting up: waiting may
    /// help (`--wait-for`), unlike a wrong password or an unknown database.
    #[error("cannot connect to {url}: {message}")]
    Unreachable {
        /// The URL with any password removed.
        url: String,
        /// The cause and what to check.
        message: String,
    },
    /// Settings that do not fit together (a missing `dev_url`, a setting given twice with
    /// different values, `history_schema` on SQLite); the message says what to change.
    #[error("{0}")]
    Config(String),
}
