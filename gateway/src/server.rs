//! The HTTP/1.1 server loop: accepts connections and serves the router on each with hyper, as
//! `axum::serve` does, plus what it lacks for a server that faces the internet:
//!
//! - a time limit on each request's headers (`client_timeout`, through hyper's header read
//!   timeout, which needs a timer that `axum::serve` does not set): a client that trickles its
//!   headers (slowloris) is cut off, and an idle keep-alive connection is closed after the same
//!   time;
//! - the same limit on each write (`tokio-io-timeout`): a client that does not read its answers
//!   (its window full) is cut off instead of holding its connection for good;
//! - request heads of at most [`MAX_HEADER_SIZE`] (431 beyond) and a bounded read buffer per
//!   connection ([`MAX_BUF_SIZE`]), so many half-sent heads cannot hold much memory;
//! - at most `max_connections` connections at once (a semaphore around accept): beyond it new
//!   connections wait in the kernel's listen backlog instead of failing, and the open-file limit
//!   is never reached by client connections ([`connection_limit`], [`raise_file_limit`]);
//! - a shutdown that waits for the requests being served (to the last byte of their answer), not
//!   for clients: a connection with no request in flight is closed after [`FLUSH_GRACE`], even
//!   one whose headers are still arriving.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::Router;
use http_body::{Frame, SizeHint};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The largest request head (request line and headers), in bytes; a larger one gets 431.
/// Browsers send a few KB (a portal on the gateway's origin may add its cookies); nginx's own
/// default limit is 8 KB a header line.
pub const MAX_HEADER_SIZE: usize = 32 * 1024;

/// The read buffer of a connection, in bytes (hyper's default is about 400 KB).
pub const MAX_BUF_SIZE: usize = 64 * 1024;

/// At shutdown, how long a connection with no request in flight may take to send what it has
/// buffered before it is closed.
pub const FLUSH_GRACE: Duration = Duration::from_secs(1);

/// Open files kept out of the connection limit: the listener, standard streams, the embedded
/// store's file or the Redis connection, DNS lookups and the like.
pub const RESERVED_FILES: u64 = 64;

/// Raises the soft limit of open files (`RLIMIT_NOFILE`) to the hard limit and returns the soft
/// limit now in force. systemd and Docker start services with a soft limit of 1024 and a much
/// higher hard limit, which a process may raise itself to (POSIX `setrlimit`). Errors: the
/// system calls failed (the limit is unchanged).
pub fn raise_file_limit() -> std::io::Result<u64> {
    rlimit::increase_nofile_limit(u64::MAX)
}

/// The soft limit of open files in force (`RLIMIT_NOFILE`), `u64::MAX` when unlimited or
/// unknown.
pub fn file_limit() -> u64 {
    rlimit::Resource::NOFILE
        .get_soft()
        .unwrap_or(rlimit::INFINITY)
}

/// The connections served at once: `configured`, bounded so that the connections fit in the
/// open-file limit `files`. Each client connection holds one file and, while its ticket is sent,
/// may hold a connection to Hubsoft too, so the bound is half of `files` less
/// [`RESERVED_FILES`]; at least 1.
pub fn connection_limit(configured: usize, files: u64) -> usize {
    let fit = files.saturating_sub(RESERVED_FILES) / 2;
    configured
        .min(usize::try_from(fit).unwrap_or(usize::MAX))
        .max(1)
}

/// Serves `router` on `listener` until `shutdown` resolves, then stops accepting, lets every
/// request in flight finish and answer, closes the other connections, and returns when all are
/// closed. `client_timeout` is the time a client has to send a request's headers, or to take a
/// write it leaves blocked; at most `max_connections` connections are open at once, and further
/// ones wait in the listen backlog until one closes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    client_timeout: Duration,
    max_connections: usize,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(client_timeout)
        .max_header_size(MAX_HEADER_SIZE)
        .max_buf_size(MAX_BUF_SIZE);
    let connections = TaskTracker::new();
    let stopping = CancellationToken::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let slots = Arc::new(Semaphore::new(max_connections));
    loop {
        // A free slot before the next accept: while every slot is taken, new connections wait
        // in the listen backlog.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // One client's connection failed before it was accepted: the next one.
                Err(error) if is_connection_error(&error) => continue,
                // Out of file descriptors and the like: wait rather than spin.
                Err(error) => {
                    tracing::error!(%error, "accepting a connection failed");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                        () = &mut shutdown => break,
                    }
                }
            },
            () = &mut shutdown => break,
        };
        // Answers are small: sent at once rather than held back by Nagle's algorithm.
        let _ = stream.set_nodelay(true);
        let (in_flight, idle) = watch::channel(0usize);
        let router = router.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                // The peer address for the handlers, as `into_make_service_with_connect_info`
                // gives it.
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo::<SocketAddr>(peer));
                let guard = InFlight::enter(&in_flight);
                let answer = tower::ServiceExt::oneshot(router.clone(), request);
                async move {
                    let response = answer.await?;
                    Ok::<_, Infallible>(response.map(|body| Guarded {
                        body,
                        _guard: guard,
                    }))
                }
            },
        );
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(client_timeout));
        let io = hyper_util::rt::TokioIo::new(Box::pin(stream));
        let connection = http.serve_connection(io, service);
        let stopping = stopping.clone();
        // Once stopping: hyper closes the connection after the request in flight (keep-alive
        // off); with no request in flight, it is closed after `FLUSH_GRACE`.
        connections.spawn(async move {
            // The slot is given back when the connection ends, however it ends.
            let _slot = slot;
            let mut idle = idle;
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => return ended(result, peer),
                () = stopping.cancelled() => {}
            }
            connection.as_mut().graceful_shutdown();
            loop {
                tokio::select! {
                    result = connection.as_mut() => return ended(result, peer),
                    _ = idle.wait_for(|n| *n == 0) => {}
                }
                match tokio::time::timeout(FLUSH_GRACE, connection.as_mut()).await {
                    Ok(result) => return ended(result, peer),
                    // Nothing in flight (an idle connection, or headers still arriving).
                    Err(_) if *idle.borrow() == 0 => return,
                    Err(_) => {}
                }
            }
        });
    }
    drop(listener);
    stopping.cancel();
    connections.close();
    connections.wait().await;
}

/// Logs how a connection from `peer` ended (at debug: a client's timeouts and bad requests are
/// routine, and an idle keep-alive connection ends with hyper's header timeout too).
fn ended(result: hyper::Result<()>, peer: SocketAddr) {
    if let Err(error) = result {
        tracing::debug!(%error, %peer, "connection ended with an error");
    }
}

/// Errors of one client's connection, which say nothing about the listener (as `axum::serve`
/// sorts them).
fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

/// One request in flight on a connection, from the moment it reaches the router until its
/// answer's body has been sent or dropped: counted in the connection's `watch` channel.
struct InFlight(watch::Sender<usize>);

impl InFlight {
    fn enter(count: &watch::Sender<usize>) -> InFlight {
        count.send_modify(|n| *n += 1);
        InFlight(count.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}

/// An answer's body that keeps its request counted as in flight until hyper has sent or dropped
/// it.
struct Guarded {
    body: Body,
    _guard: InFlight,
}

impl http_body::Body for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_limit_fits_in_the_open_file_limit() {
        assert_eq!(connection_limit(2048, 1_048_576), 2048);
        assert_eq!(connection_limit(2048, rlimit::INFINITY), 2048);
        // Docker's and systemd's soft limit of 1024: (1024 − 64) / 2.
        assert_eq!(connection_limit(2048, 1024), 480);
        assert_eq!(connection_limit(100, 1024), 100);
        assert_eq!(connection_limit(2048, 10), 1);
    }
}
