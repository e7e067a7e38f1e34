//! A TCP proxy between strata and a real server that the test can cut or stall: the faults a
//! network, a load balancer or a failover produce, on demand and at an exact point.
//!
//! Every accepted connection is forwarded to `127.0.0.1:<target>` by two pump threads. `cut`
//! shuts both sides of every open connection down (the server sees the client go, strata sees
//! the server go); `stall` stops moving the bytes of the connections open now (neither side
//! notices); `cut_after(n)` cuts once
//! `n` more bytes have passed in either direction. New connections are accepted whatever
//! happened to the earlier ones, as a real network would once it is back.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Proxy {
    pub port: u16,
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    /// Both sockets of every connection accepted so far, and whether it is stalled.
    open: Mutex<Vec<(TcpStream, TcpStream, Arc<AtomicBool>)>>,
    /// Bytes forwarded, both directions, all connections.
    forwarded: AtomicU64,
    /// Cut every connection once `forwarded` reaches this (u64::MAX: never).
    cut_at: AtomicU64,
    closed: AtomicBool,
}

impl State {
    fn cut(&self) {
        for (a, b, _) in self.open.lock().unwrap().iter() {
            let _ = a.shutdown(Shutdown::Both);
            let _ = b.shutdown(Shutdown::Both);
        }
    }
}

impl Proxy {
    /// A proxy to the server listening on 127.0.0.1:`target`.
    pub fn to(target: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        state.cut_at.store(u64::MAX, Ordering::SeqCst);
        let s = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if s.closed.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let stalled = Arc::new(AtomicBool::new(false));
                s.open.lock().unwrap().push((
                    client.try_clone().unwrap(),
                    server.try_clone().unwrap(),
                    stalled.clone(),
                ));
                let (c, sv) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                pump(s.clone(), stalled.clone(), c, sv);
                pump(s.clone(), stalled, server, client);
            }
        });
        Proxy { port, state }
    }

    /// Shuts every open connection down, both ways, now.
    pub fn cut(&self) {
        self.state.cut();
    }

    /// Stops forwarding bytes on every connection open now (a flow a NAT or a load balancer
    /// dropped); new connections still get through.
    pub fn stall(&self) {
        for (_, _, stalled) in self.state.open.lock().unwrap().iter() {
            stalled.store(true, Ordering::SeqCst);
        }
    }

    /// Cuts every open connection once `bytes` more bytes have been forwarded.
    pub fn cut_after(&self, bytes: u64) {
        let now = self.state.forwarded.load(Ordering::SeqCst);
        self.state.cut_at.store(now + bytes, Ordering::SeqCst);
    }

    /// Bytes forwarded so far, both directions.
    pub fn forwarded(&self) -> u64 {
        self.state.forwarded.load(Ordering::SeqCst)
    }

    /// The URL `url` with its host and port replaced by this proxy's.
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").unwrap();
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let userinfo = authority.rsplit_once('@').map(|(u, _)| format!("{u}@"));
        format!(
            "{scheme}://{}127.0.0.1:{}/{path}",
            userinfo.unwrap_or_default(),
            self.port
        )
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.closed.store(true, Ordering::SeqCst);
        self.state.cut();
        // Wake the accept loop so that it sees `closed`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies `from` to `to` until either side ends, holding bytes while stalled and cutting
/// everything at the byte `cut_at` names.
fn pump(state: Arc<State>, stalled: Arc<AtomicBool>, mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            while stalled.load(Ordering::SeqCst) && !state.closed.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(10));
            }
            let before = state.forwarded.fetch_add(n as u64, Ordering::SeqCst);
            let cut_at = state.cut_at.load(Ordering::SeqCst);
            let take = if before + n as u64 > cut_at {
                cut_at.saturating_sub(before) as usize
            } else {
                n
            };
            if to.write_all(&buf[..take]).is_err() {
                break;
            }
            if take < n || before + n as u64 == cut_at {
                state.cut();
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}
