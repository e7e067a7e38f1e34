//! [`Stop`]: how a user's Ctrl-C or SIGTERM reaches a running migration.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

/// Something that cancels the statement a connection is running, callable from any thread
/// (PostgreSQL `pg_cancel_backend`, MySQL `KILL QUERY`, SQLite `sqlite3_interrupt`).
pub trait Interrupt: Send + Sync {
    /// Cancels what the connection runs now; a no-op when it runs nothing.
    fn interrupt(&self);

    /// Ends the session on the server from a new connection (PostgreSQL
    /// `pg_terminate_backend`, MySQL `KILL CONNECTION`), waiting at most `within`; called when
    /// strata lost its connection mid-statement, so that the orphaned session's statement,
    /// transaction and locks go now rather than when the server notices. Says what it did, or
    /// why it could not.
    fn end_session(&self, within: std::time::Duration) -> Result<String, String>;
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
    /// Set while strata writes its own bookkeeping (a history row after a statement that ran
    /// outside a transaction): cancelling that write would leave the history behind the schema,
    /// so a request then only marks the stop, which the next safe point honours.
    shielded: AtomicBool,
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
        if self.0.shielded.load(Ordering::SeqCst) {
            return;
        }
        if let Some(i) = current.as_ref() {
            i.interrupt();
        }
    }

    /// Until the returned guard drops, a request marks the stop without cancelling the
    /// statement running now (strata's own history write, which must land).
    pub(crate) fn shield(&self) -> Shield<'_> {
        // `request` reads the flag under the same mutex: a request either finished its cancel
        // before the shield went up or sees the shield.
        let _current = self.0.current.lock().unwrap_or_else(|p| p.into_inner());
        self.0.shielded.store(true, Ordering::SeqCst);
        Shield(self)
    }

    /// The signal that asked for the stop, if one has.
    pub fn requested(&self) -> Option<i32> {
        match self.0.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s),
        }
    }

    /// Ends the session of the statement running now on the server ([`Interrupt::end_session`]),
    /// for a process about to exit without the server's answer; `None` when no run is armed.
    pub fn end_session(&self, within: std::time::Duration) -> Option<Result<String, String>> {
        self.current().map(|i| i.end_session(within))
    }

    /// What cancels the statements running now, if anything is armed.
    pub(crate) fn current(&self) -> Option<Arc<dyn Interrupt>> {
        self.0
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Sets what cancels the statements about to run (`None` when nothing can).
    pub(crate) fn arm(&self, interrupt: Option<Arc<dyn Interrupt>>) {
        *self.0.current.lock().unwrap_or_else(|p| p.into_inner()) = interrupt;
    }
}

/// While alive, stop requests do not cancel the running statement (see [`Stop::shield`]).
pub(crate) struct Shield<'a>(&'a Stop);

impl Drop for Shield<'_> {
    fn drop(&mut self) {
        self.0 .0.shielded.store(false, Ordering::SeqCst);
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
        fn end_session(&self, _: std::time::Duration) -> Result<String, String> {
            Err("a counter has no session".into())
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

    #[test]
    fn a_shielded_write_is_not_cancelled_but_the_stop_is_marked() {
        let stop = Stop::new();
        let count = Arc::new(Count(AtomicUsize::new(0)));
        stop.arm(Some(count.clone()));
        {
            let _shield = stop.shield();
            stop.request(2);
            assert_eq!(count.0.load(Ordering::SeqCst), 0);
        }
        assert_eq!(stop.requested(), Some(2));
        stop.request(2);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
    }
}
