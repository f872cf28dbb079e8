//! Request bodies, API and console alike: at most [`MAX_BODY`] bytes (an upload of receipts
//! [`MAX_PAYMENTS_BODY`], a bank's result file [`MAX_RESULTS_BODY`]); a longer one gets 413
//! after being read and thrown away, so the client sees the answer instead of a reset connection.
//! A body must arrive within the body timeout from the end of its request's header
//! ([`Deadline`], put around every body by the accept loop); a slower one gets 408.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use http_body::Frame;

use crate::error::{Result, ServerError};

/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// Largest body of an upload of receipts (`POST /v1/payments`): 100 receipts of the largest
/// size, 512 bytes each, in hex.
pub const MAX_PAYMENTS_BODY: usize = 128 * 1024;

/// Largest body of an upload of the bank's transfer result file (`POST /v1/transfers/results`,
/// the console's upload form): the file of at most 1 MiB, and a form's framing.
pub const MAX_RESULTS_BODY: usize = 1024 * 1024 + 16 * 1024;

/// The largest body a request to `path` may carry.
pub fn limit_for(path: &str) -> usize {
    if path == "/v1/payments" {
        MAX_PAYMENTS_BODY
    } else if path == "/v1/transfers/results"
        || (path.starts_with("/console/transfers/") && path.ends_with("/results"))
    {
        MAX_RESULTS_BODY
    } else {
        MAX_BODY
    }
}
/// How much of a too-large body is read and thrown away before answering 413.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// The body of a request that did not arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
pub struct BodyTimedOut(pub Duration);

/// A request body that fails with [`BodyTimedOut`] once its time is up.
pub struct Deadline<B> {
    inner: B,
    limit: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl<B> Deadline<B> {
    /// `inner`, due within `limit` from now.
    pub fn new(inner: B, limit: Duration) -> Self {
        Deadline {
            inner,
            limit,
            sleep: Box::pin(tokio::time::sleep(limit)),
        }
    }
}

impl<B> http_body::Body for Deadline<B>
where
    B: http_body::Body + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = B::Data;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimedOut(self.limit)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Reads a request body of at most `max` bytes ([`limit_for`] the request's path). A longer one
/// is still read (up to [`DRAIN_LIMIT`]) and discarded before the 413 goes out, so the client,
/// which is usually still sending, reads the 413 instead of a reset connection.
pub(crate) async fn read_body(body: Body, max: usize) -> Result<Bytes> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut data = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            let e = e.into_inner();
            match e.downcast_ref::<BodyTimedOut>() {
                Some(BodyTimedOut(limit)) => ServerError::BodyTimeout(*limit),
                None => ServerError::MalformedJson(format!("request body could not be read: {e}")),
            }
        })?;
        if let Ok(chunk) = frame.into_data() {
            seen += chunk.len();
            if seen > DRAIN_LIMIT {
                break;
            }
            if seen <= max {
                data.extend_from_slice(&chunk);
            }
        }
    }
    if seen > max {
        return Err(ServerError::TooLarge(max));
    }
    Ok(Bytes::from(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body whose client sends one frame and then nothing.
    struct Stalls(bool);

    impl http_body::Body for Stalls {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            if self.0 {
                return Poll::Pending;
            }
            self.0 = true;
            Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"{\"ssn\":")))))
        }
    }

    #[tokio::test]
    async fn a_body_that_stops_arriving_gets_the_timeout_error() {
        let err = read_body(
            Body::new(Deadline::new(Stalls(false), Duration::from_millis(50))),
            MAX_BODY,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, ServerError::BodyTimeout(_)), "{err:?}");
        assert_eq!(err.status(), axum::http::StatusCode::REQUEST_TIMEOUT);
    }

    #[test]
    fn an_upload_of_receipts_may_carry_a_hundred_of_the_largest_and_other_routes_64_kib() {
        let largest =
            asxh_api::payments::MAX_RECEIPTS * (2 * asxh_core::receipt::MAX_RECEIPT_LEN + 3);
        assert!(limit_for("/v1/payments") > largest + 20);
        assert_eq!(limit_for("/v1/cards"), MAX_BODY);
    }

    #[tokio::test]
    async fn a_body_in_time_is_read_whole() {
        let body = Body::from("{}");
        let bytes = read_body(
            Body::new(Deadline::new(body, Duration::from_secs(5))),
            MAX_BODY,
        )
        .await
        .unwrap();
        assert_eq!(&bytes[..], b"{}");
    }
}
