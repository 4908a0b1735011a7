//! One connection: hyper's HTTP/1.1 over the socket, with deadlines on what the server waits
//! for, and a shutdown that closes what is not answering.
//!
//! hyper's own header timeout runs from the moment a connection is ready for a request, so it
//! cannot tell a kept-alive connection waiting for its next request from a client that is slow
//! to send one (slowloris), and it allocates a timer per request. Here the socket's reads know
//! what the connection is doing ([`Phase`]) and use one timer per connection:
//!
//! - **waiting** for a request's first byte (a new connection, or one that has answered):
//!   [`Limits::idle_timeout`], then the connection is closed as if the client had (hyper
//!   sees the end of the stream between requests);
//! - reading a request's **head**: [`Limits::header_read_timeout`], then the read fails and
//!   hyper closes the connection;
//! - **busy**: the app has the request ([`Served`] marks it). Its body has its own deadline in
//!   the pipeline, and nothing limits how long the app takes (an injected delay is a delay);
//!   the answer's body ([`Answer`]) marks the end when hyper is done with it.
//!
//! The socket, the service and the answers are all polled by the connection's task; the phase
//! is shared through one atomic, read and written without ordering.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering::Relaxed};
use std::task::{Context, Poll, ready};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use pin_project_lite::pin_project;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;
use tower::util::Oneshot;

use crate::app::App;
use crate::state::Limits;

/// What the server tells its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    Serving,
    /// Finish the request in hand (hyper then closes), take no other.
    Draining,
    /// Close now (the shutdown's grace period is over).
    Now,
}

/// Serves one connection until it closes or the server stops it; holds one of the server's
/// connection slots (`_slot`) until then.
pub(super) async fn serve<A: App>(
    socket: TcpStream,
    app: A,
    http: http1::Builder,
    limits: Limits,
    mut stop: watch::Receiver<Stop>,
    _slot: OwnedSemaphorePermit,
) {
    let shared = Arc::new(Shared::default());
    let io = TokioIo::new(Deadlines::new(socket, shared.clone(), &limits));
    let conn = http.serve_connection(
        io,
        Served {
            app,
            shared: shared.clone(),
        },
    );
    let mut conn = std::pin::pin!(conn);
    let mut draining = false;
    loop {
        let now = *stop.borrow_and_update();
        if now == Stop::Now {
            return; // dropping the connection closes the socket
        }
        if now == Stop::Draining && !draining {
            draining = true;
            // hyper closes an idle connection and finishes a busy one; the socket's reads end
            // a connection waiting for a request or part-way through a head.
            shared.closing.store(true, Relaxed);
            conn.as_mut().graceful_shutdown();
        }
        // hyper does not read again when it goes idle after an answer (it waits for the
        // socket): poll it once more then, so that a read sets the idle deadline.
        let serving = std::future::poll_fn(|cx| match conn.as_mut().poll(cx) {
            Poll::Pending if shared.phase.load(Relaxed) == Phase::ANSWERED => {
                conn.as_mut().poll(cx)
            }
            polled => polled,
        });
        tokio::select! {
            biased;
            served = serving => {
                if let Err(error) = served {
                    tracing::debug!(%error, "a connection ended with an error");
                }
                return;
            }
            changed = stop.changed() => {
                if changed.is_err() {
                    return; // the server is gone
                }
            }
        }
    }
}

/// What a connection is doing, as its deadlines need it ([`Shared::phase`]).
struct Phase;

impl Phase {
    /// Has answered (or is new) and waits for a request; the idle deadline is not set yet.
    const ANSWERED: u8 = 0;
    /// Waits for a request's first byte, under the idle deadline.
    const WAITING: u8 = 1;
    /// Reads a request's head, under the header deadline.
    const HEAD: u8 = 2;
    /// The app has the request; no deadline on the socket.
    const BUSY: u8 = 3;
}

#[derive(Debug, Default)]
struct Shared {
    phase: AtomicU8,
    /// The server is shutting down: a connection not busy with a request reads the end.
    closing: AtomicBool,
}

/// The socket, whose reads keep the deadlines of the module docs.
struct Deadlines {
    socket: TcpStream,
    shared: Arc<Shared>,
    /// When the current phase is over: set when a read of the phase first waits.
    due: Instant,
    /// Whether `due` was set for the current phase.
    armed: bool,
    /// One timer per connection (boxed: hyper wants an `Unpin` io). It is moved only to come
    /// sooner (a head's deadline after an idle one); when it comes before `due`, it is set
    /// again. So a busy kept-alive connection, whose idle deadline moves on with every
    /// request, costs a clock read per request, not a move in the timer wheel.
    timer: Pin<Box<Sleep>>,
    header: std::time::Duration,
    idle: std::time::Duration,
}

impl Deadlines {
    fn new(socket: TcpStream, shared: Arc<Shared>, limits: &Limits) -> Self {
        Deadlines {
            socket,
            shared,
            due: Instant::now() + limits.idle_timeout,
            armed: false,
            timer: Box::pin(tokio::time::sleep(limits.idle_timeout)),
            header: limits.header_read_timeout,
            idle: limits.idle_timeout,
        }
    }
}

impl AsyncRead for Deadlines {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let mut phase = this.shared.phase.load(Relaxed);
        if phase == Phase::BUSY {
            return Pin::new(&mut this.socket).poll_read(cx, buf);
        }
        if this.shared.closing.load(Relaxed) {
            return Poll::Ready(Ok(())); // the end of the stream: no more requests
        }
        if phase == Phase::ANSWERED {
            phase = Phase::WAITING;
            this.shared.phase.store(phase, Relaxed);
            this.armed = false;
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.socket).poll_read(cx, buf) {
            Poll::Pending => {}
            Poll::Ready(Ok(())) if phase == Phase::WAITING && buf.filled().len() > before => {
                this.shared.phase.store(Phase::HEAD, Relaxed);
                this.armed = false;
                return Poll::Ready(Ok(()));
            }
            read => return read,
        }
        if !this.armed {
            let limit = if phase == Phase::WAITING {
                this.idle
            } else {
                this.header
            };
            this.due = Instant::now() + limit;
            this.armed = true;
            if this.timer.deadline() > this.due {
                this.timer.as_mut().reset(this.due);
            }
        }
        loop {
            ready!(this.timer.as_mut().poll(cx));
            if this.timer.deadline() >= this.due {
                break;
            }
            this.timer.as_mut().reset(this.due); // it came for an earlier phase
        }
        if phase == Phase::WAITING {
            Poll::Ready(Ok(())) // idle: closed as if by the client
        } else {
            Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the request head did not arrive within the header-read timeout",
            )))
        }
    }
}

impl AsyncWrite for Deadlines {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.socket).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.socket).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.socket.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_shutdown(cx)
    }
}

/// The app as hyper calls it: a request whose head is complete makes the connection busy.
struct Served<A> {
    app: A,
    shared: Arc<Shared>,
}

impl<A: App> hyper::service::Service<hyper::Request<Incoming>> for Served<A> {
    type Response = hyper::Response<Answer>;
    type Error = Infallible;
    type Future = Answering<A>;

    fn call(&self, req: hyper::Request<Incoming>) -> Answering<A> {
        self.shared.phase.store(Phase::BUSY, Relaxed);
        Answering {
            answer: self.app.clone().oneshot(req.map(Body::new)),
            shared: Some(self.shared.clone()),
        }
    }
}

pin_project! {
    /// The app's answer to come, handed to hyper with the connection's phase.
    struct Answering<A: App> {
        #[pin]
        answer: Oneshot<A, Request>,
        shared: Option<Arc<Shared>>,
    }
}

impl<A: App> Future for Answering<A> {
    type Output = Result<hyper::Response<Answer>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(res) = ready!(this.answer.poll(cx));
        let shared = this.shared.take().expect("polled after it answered");
        Poll::Ready(Ok(res.map(|body| Answer { body, shared })))
    }
}

/// An answer's body; when hyper is done with it (written, or abandoned), the connection waits
/// for its next request.
struct Answer {
    body: Body,
    shared: Arc<Shared>,
}

impl Drop for Answer {
    fn drop(&mut self) {
        self.shared.phase.store(Phase::ANSWERED, Relaxed);
    }
}

impl http_body::Body for Answer {
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
