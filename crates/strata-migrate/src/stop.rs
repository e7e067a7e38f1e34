//! [`Stop`]: how a user's Ctrl-C or SIGTERM reaches a running migration.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

/// Something that cancels the statement a connection is running, callable from any thread
/// (PostgreSQL `pg_cancel_backend`, MySQL `KILL QUERY`, SQLite `sqlite3_interrupt`).
pub trait Interrupt: Send + Sync {
    /// Cancels what the connection runs now; a no-op when it runs nothing.
    fn interrupt(&self);
}

/// A request to stop a run at the next safe point, shared between the code that receives the
/// signal and the [`crate::Migrator`]: the statement running when it arrives is cancelled, its
/// transaction rolled back (or, outside a transaction, its progress recorded), and nothing more
/// starts.
#[derive(Clone, Default)]
pub struct Stop(Arc<Inner>);

#[derive(Default)]
struct Inner {
    /// The signal number that asked for the stop; 0 while none has.
    signal: AtomicI32,
    /// Cancels the statement running now, while the migrator runs one.
    current: Mutex<Option<Arc<dyn Interrupt>>>,
}

impl Stop {
    /// A stop that nothing has requested yet.
    pub fn new() -> Stop {
        Stop::default()
    }

    /// Asks the run to stop (`signal` names why, e.g. 2 for SIGINT) and cancels the statement
    /// running now. Only the first request counts.
    pub fn request(&self, signal: i32) {
        let _ = self
            .0
            .signal
            .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        let current = self.0.current.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = current.as_ref() {
            i.interrupt();
        }
    }

    /// The signal that asked for the stop, if one has.
    pub fn requested(&self) -> Option<i32> {
        match self.0.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s),
        }
    }

    /// Sets what cancels the statements about to run (`None` when nothing can).
    pub(crate) fn arm(&self, interrupt: Option<Arc<dyn Interrupt>>) {
        *self.0.current.lock().unwrap_or_else(|p| p.into_inner()) = interrupt;
    }
}

impl std::fmt::Debug for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stop")
            .field("requested", &self.requested())
            .finish()
    }
}

/// The name of a signal number, for messages.
pub fn signal_name(signal: i32) -> String {
    match signal {
        2 => "SIGINT (Ctrl-C)".into(),
        15 => "SIGTERM".into(),
        1 => "SIGHUP".into(),
        other => format!("signal {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    struct Count(AtomicUsize);
    impl Interrupt for Count {
        fn interrupt(&self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_request_interrupts_the_armed_statement_and_the_first_signal_counts() {
        let stop = Stop::new();
        assert_eq!(stop.requested(), None);
        let count = Arc::new(Count(AtomicUsize::new(0)));
        stop.arm(Some(count.clone()));
        stop.request(15);
        stop.request(2);
        assert_eq!(stop.requested(), Some(15));
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
        stop.arm(None);
        stop.request(2);
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
    }
}
