//! Connections that can be reset on purpose. axum offers no way for a handler to drop its
//! connection, so the stand-in serves through this listener: each connection carries a flag that
//! the fault middleware can raise (through `ConnectInfo`); the next read or write then fails,
//! hyper drops the connection, and with `SO_LINGER` 0 the drop sends a TCP reset, as a crashed
//! or overloaded peer would.

use axum::{extract::connect_info::Connected, serve::IncomingStream};
use std::{
    io,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
};

pub(crate) struct ResettableListener(pub(crate) TcpListener);

impl axum::serve::Listener for ResettableListener {
    type Io = ResettableStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, address)) => {
                    let stream = ResettableStream {
                        stream,
                        reset: Arc::default(),
                    };
                    return (stream, address);
                }
                // Out of file descriptors and the like: wait a little, as axum's own listener does.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

pub(crate) struct ResettableStream {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl ResettableStream {
    fn check(&self) -> io::Result<()> {
        if self.reset.load(Ordering::Relaxed) {
            // Dropped after this error; no linger means the close is a reset, not a goodbye.
            let _ = self.stream.set_zero_linger();
            return Err(io::ErrorKind::ConnectionReset.into());
        }
        Ok(())
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// A handle on the connection a request came in on.
#[derive(Clone)]
pub(crate) struct Connection {
    reset: Arc<AtomicBool>,
}

impl Connection {
    /// The connection is reset instead of answering.
    pub(crate) fn reset(&self) {
        self.reset.store(true, Ordering::Relaxed);
    }
}

impl Connected<IncomingStream<'_, ResettableListener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, ResettableListener>) -> Self {
        Self {
            reset: Arc::clone(&stream.io().reset),
        }
    }
}
