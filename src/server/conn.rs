//! One connection: hyper's HTTP/1.1 over the socket, with deadlines on what the server waits
//! for, and a shutdown that closes what is not answering.
//!
//! hyper's own header timeout runs from the moment a connection is ready for a request, so it
//! cannot tell a kept-alive connection waiting for its next request from a client that is slow
//! to send one (slowloris), and it allocates a timer per request. Here the connection knows
//! what it is doing ([`Phase`]) and its task keeps one timer:
//!
//! - **waiting** for a request's first byte (a new connection, or one that has answered):
//!   [`Limits::idle_timeout`], then the connection is closed;
//! - reading a request's **head** (from its first byte, which the socket's reads see):
//!   [`Limits::header_read_timeout`], then the connection is closed;
//! - **busy**: the app has the request ([`Served`] marks it). Its body has its own deadline in
//!   the pipeline, and nothing limits how long the app takes (an injected delay is a delay);
//!   the answer's body ([`Answer`]) marks the end when hyper is done with it.
//!
//! The socket, the service, the answers and the timer are all polled by the connection's task,
//! which looks at the phase each time hyper has done what it can ([`Deadline::poll`]), so an
//! answer costs no second poll of hyper to set the idle deadline. The phase is shared through
//! one atomic, read and written without ordering (one task touches it).

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering::Relaxed};
use std::task::{Context, Poll, ready};
use std::time::Duration;

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

/// Serves one connection until it closes, its deadline passes or the server stops it; holds
/// one of the server's connection slots (`_slot`) until then.
pub(super) async fn serve<A: App>(
    socket: TcpStream,
    app: A,
    http: http1::Builder,
    limits: Limits,
    mut stop: watch::Receiver<Stop>,
    _slot: OwnedSemaphorePermit,
) {
    let shared = Arc::new(Shared::default());
    let io = TokioIo::new(Watched {
        socket,
        shared: shared.clone(),
    });
    let conn = http.serve_connection(
        io,
        Served {
            app,
            shared: shared.clone(),
        },
    );
    let mut conn = std::pin::pin!(conn);
    let mut deadline = Deadline::new(&limits);
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
        let serving = std::future::poll_fn(|cx| {
            if let Poll::Ready(served) = conn.as_mut().poll(cx) {
                return Poll::Ready(Err(served.err()));
            }
            deadline.poll(cx, &shared.phase).map(Ok)
        });
        tokio::select! {
            biased;
            ended = serving => {
                match ended {
                    Err(Some(error)) => tracing::debug!(%error, "a connection ended with an error"),
                    Ok(Phase::HEAD_ARMED) => tracing::debug!(
                        "a request head did not arrive within the header-read timeout: closed"
                    ),
                    Ok(_) | Err(None) => {}
                }
                return; // on a deadline, dropping the connection closes the socket
            }
            changed = stop.changed() => {
                if changed.is_err() {
                    return; // the server is gone
                }
            }
        }
    }
}

/// What a connection is doing, as its deadlines need it ([`Shared::phase`]). The socket's
/// reads, the service and the answer's body set the phases hyper's work moves through; the
/// connection's task acknowledges a new one by setting the deadline ([`Deadline::poll`]).
struct Phase;

impl Phase {
    /// Has answered (or is new) and waits for a request; the idle deadline is not set yet.
    const ANSWERED: u8 = 0;
    /// Waits for a request's first byte, under the idle deadline.
    const WAITING: u8 = 1;
    /// Has read a request's first bytes; the header deadline is not set yet.
    const HEAD: u8 = 2;
    /// Reads a request's head, under the header deadline.
    const HEAD_ARMED: u8 = 3;
    /// The app has the request; no deadline.
    const BUSY: u8 = 4;
}

#[derive(Debug, Default)]
struct Shared {
    phase: AtomicU8,
    /// The server is shutting down: a connection not busy with a request reads the end.
    closing: AtomicBool,
}

/// The connection's deadline, kept by its task.
struct Deadline {
    /// When the current phase is over.
    due: Instant,
    /// One timer per connection. It is moved only to come sooner (a head's deadline after an
    /// idle one); when it comes before `due`, it is set again. So a busy kept-alive
    /// connection, whose idle deadline moves on with every request, costs a clock read per
    /// request, not a move in the timer wheel.
    timer: Pin<Box<Sleep>>,
    header: Duration,
    idle: Duration,
}

impl Deadline {
    fn new(limits: &Limits) -> Self {
        Deadline {
            due: Instant::now() + limits.idle_timeout,
            timer: Box::pin(tokio::time::sleep(limits.idle_timeout)),
            header: limits.header_read_timeout,
            idle: limits.idle_timeout,
        }
    }

    /// Called when hyper waits (for the socket or the app): sets the deadline of a phase that
    /// began since the last call, and is ready with the phase once its deadline has passed.
    fn poll(&mut self, cx: &mut Context<'_>, phase: &AtomicU8) -> Poll<u8> {
        let now = match phase.load(Relaxed) {
            Phase::BUSY => return Poll::Pending,
            Phase::ANSWERED => self.arm(phase, self.idle, Phase::WAITING),
            Phase::HEAD => self.arm(phase, self.header, Phase::HEAD_ARMED),
            armed => armed,
        };
        loop {
            ready!(self.timer.as_mut().poll(cx));
            if self.timer.deadline() >= self.due {
                return Poll::Ready(now);
            }
            self.timer.as_mut().reset(self.due); // it came for an earlier phase
        }
    }

    fn arm(&mut self, phase: &AtomicU8, limit: Duration, armed: u8) -> u8 {
        self.due = Instant::now() + limit;
        if self.timer.deadline() > self.due {
            self.timer.as_mut().reset(self.due);
        }
        phase.store(armed, Relaxed);
        armed
    }
}

/// The socket, whose reads see a request's first bytes, and read the end of the stream for a
/// connection not busy with a request once the server shuts down.
struct Watched {
    socket: TcpStream,
    shared: Arc<Shared>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let phase = this.shared.phase.load(Relaxed);
        if phase == Phase::BUSY {
            return Pin::new(&mut this.socket).poll_read(cx, buf);
        }
        if this.shared.closing.load(Relaxed) {
            return Poll::Ready(Ok(())); // the end of the stream: no more requests
        }
        let before = buf.filled().len();
        let read = ready!(Pin::new(&mut this.socket).poll_read(cx, buf));
        if phase <= Phase::WAITING && buf.filled().len() > before {
            this.shared.phase.store(Phase::HEAD, Relaxed);
        }
        Poll::Ready(read)
    }
}

impl AsyncWrite for Watched {
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
