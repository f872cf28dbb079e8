//! Request bodies, API and console alike: at most [`MAX_BODY`] bytes; a longer one gets 413
//! after being read and thrown away, so the client sees the answer instead of a reset connection.

use axum::body::{Body, Bytes};

use crate::error::{Result, ServerError};

/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// How much of a too-large body is read and thrown away before answering 413.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// Reads a request body of at most [`MAX_BODY`] bytes. A longer one is still read (up to
/// [`DRAIN_LIMIT`]) and discarded before the 413 goes out, so the client, which is usually still
/// sending, reads the 413 instead of a reset connection.
pub(crate) async fn read_body(body: Body) -> Result<Bytes> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut data = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ServerError::MalformedJson(format!("request body could not be read: {e}"))
        })?;
        if let Ok(chunk) = frame.into_data() {
            seen += chunk.len();
            if seen > DRAIN_LIMIT {
                break;
            }
            if seen <= MAX_BODY {
                data.extend_from_slice(&chunk);
            }
        }
    }
    if seen > MAX_BODY {
        return Err(ServerError::TooLarge(MAX_BODY));
    }
    Ok(Bytes::from(data))
}
