//! Accepting connections, with the limits that protect the server from slow
//! and greedy clients before any request reaches the application: a cap on
//! the connections of one client address, a deadline for a request's
//! headers (which also closes idle kept-alive connections), and a graceful
//! shutdown.
//!
//! poem's own `Server` has none of the first two (its idle timer restarts at
//! every byte read, so a client sending one byte a second is never closed),
//! so this loop drives hyper's HTTP/1.1 connections itself and hands each
//! request to the poem endpoint. HTTP/2 is not served: Samverkan sits behind
//! a TLS proxy, which speaks HTTP/1.1 to it.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use poem::web::{LocalAddr, RemoteAddr};
use poem::{Addr, Endpoint};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::problem::{PROBLEM_CONTENT_TYPE, ProblemKind, problem_body};

/// The limits of one server's connections, from `samverkan serve`'s options.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// A connection that has not sent a whole request head within this is
    /// closed, whether it is new, slow, or kept alive and idle.
    pub header_timeout: Duration,
    /// The most connections one client address may hold at once; one more
    /// is answered 503 and closed. `None`: no cap (behind a proxy, where
    /// every connection comes from the proxy's address).
    pub max_per_client: Option<NonZeroUsize>,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_per_client: NonZeroUsize::new(256),
        }
    }
}

/// How many connections each client address holds.
#[derive(Debug, Default)]
struct ClientCounts(Mutex<HashMap<IpAddr, usize>>);

/// One connection's place in [`ClientCounts`], given back when dropped.
struct Slot {
    counts: Arc<ClientCounts>,
    address: IpAddr,
}

impl ClientCounts {
    fn enter(self: &Arc<Self>, address: IpAddr, cap: Option<NonZeroUsize>) -> Option<Slot> {
        let mut counts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(address).or_default();
        if cap.is_some_and(|cap| *count >= cap.get()) {
            return None;
        }
        *count += 1;
        Some(Slot {
            counts: Arc::clone(self),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = counts.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// Answers a connection over its client's cap with a 503 problem, written
/// straight to the socket (no request of it is read), and closes it.
async fn refuse(mut stream: TcpStream) {
    let kind = ProblemKind::TooManyConnections;
    let body = problem_body(
        &kind.problem("this client address holds as many connections as it may; reuse one, or retry"),
    );
    let mut answer = format!(
        "HTTP/1.1 {}\r\ncontent-type: {PROBLEM_CONTENT_TYPE}\r\n\
         connection: close\r\nretry-after: 1\r\ncontent-length: {}\r\n\r\n",
        kind.status(),
        body.len()
    )
    .into_bytes();
    answer.extend(body);
    let write = async {
        stream.write_all(&answer).await?;
        stream.shutdown().await
    };
    // A client that does not even read its refusal is not waited for.
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

/// Serves `app` on `listener` until `shutdown` resolves; then stops
/// accepting, lets the requests in flight finish for up to `grace`, and
/// returns.
pub async fn serve<E>(
    listener: TcpListener,
    app: E,
    limits: &ConnectionLimits,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<()>
where
    E: Endpoint + 'static,
{
    let local = listener.local_addr()?;
    let app = Arc::new(app);
    let clients = Arc::new(ClientCounts::default());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file handles, or a connection reset before it
                    // was accepted: go on, without spinning.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(slot) = clients.enter(remote.ip(), limits.max_per_client) else {
            tracing::warn!(client = %remote.ip(), "refused a connection over the client's cap");
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = hyper::service::service_fn({
            let app = Arc::clone(&app);
            move |request: hyper::Request<Incoming>| {
                let app = Arc::clone(&app);
                async move {
                    let request = poem::Request::from((
                        request,
                        LocalAddr(Addr::SocketAddr(local)),
                        RemoteAddr(Addr::SocketAddr(remote)),
                        poem::http::uri::Scheme::HTTP,
                    ));
                    let response = app.get_response(request).await;
                    Ok::<_, Infallible>(hyper::Response::<BoxBody>::from(response))
                }
            }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                // Timeouts, resets and malformed requests: the client's
                // doing, worth a line only when looking closely.
                tracing::debug!(%error, client = %remote, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
        tracing::warn!(
            grace_seconds = grace.as_secs(),
            "requests still in flight after the grace period"
        );
    }
    Ok(())
}

/// The body type poem hands to hyper.
type BoxBody = http_body_util::combinators::BoxBody<bytes::Bytes, std::io::Error>;

/// The address a listener is bound to, for the line `serve` prints.
pub fn bound_address(listener: &TcpListener) -> SocketAddr {
    listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
}
