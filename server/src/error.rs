//! The server's one error type. Each variant maps to an HTTP status and a stable error code, and
//! renders as the API's [`ErrorBody`], `{"error": {"code", "message", "field"}}`.

use asxh_api::{ErrorBody, ErrorCode, ErrorDetail};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Everything a request or command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    /// A value refused with its reason already written in the reader's language (the console
    /// words its forms' values and a bank's result file from the catalogue): 422 as
    /// [`ServerError::Invalid`], but shown to the reader as it is, not as technical detail.
    #[error("{message}")]
    Worded {
        field: Option<String>,
        message: String,
    },
    /// A request the route refuses as a whole, with 400 (the payments' routes: a bad point
    /// code or key, a batch over the limit); `field` names what was wrong.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    #[error("missing or invalid bearer token")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A delta was asked from a version this server did not publish (or no longer keeps):
    /// the client takes the full list.
    #[error("{0}")]
    UnknownBaseVersion(String),
    #[error("request body larger than {0} bytes")]
    TooLarge(usize),
    /// The body did not arrive within the body timeout.
    #[error("the request body did not arrive within {} s; send it at once after the header", .0.as_secs())]
    BodyTimeout(std::time::Duration),
    #[error("{0}")]
    AuditBroken(String),
    #[error("storage: {0}")]
    Storage(String),
    /// The filesystem of the data directory is full (SQLITE_FULL, from ENOSPC): nothing of the
    /// request was written; it can be retried once space is freed.
    #[error("disk full, nothing was written (free space, then retry): {0}")]
    StorageFull(String),
    #[error("{0}")]
    Setup(String),
}

impl ServerError {
    /// [`ServerError::Worded`] naming `field`.
    pub fn worded(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServerError::Worded {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// [`ServerError::BadRequest`] naming `field`.
    pub fn bad_request(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServerError::BadRequest {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServerError::Invalid {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            ServerError::Invalid { .. } | ServerError::Worded { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ServerError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ServerError::Unauthorized => StatusCode::UNAUTHORIZED,
            ServerError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServerError::NotFound(_) => StatusCode::NOT_FOUND,
            ServerError::Conflict(_) | ServerError::UnknownBaseVersion(_) => StatusCode::CONFLICT,
            ServerError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ServerError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
            ServerError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            ServerError::AuditBroken(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ServerError::Setup(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ServerError::MalformedJson(_) => ErrorCode::MalformedJson,
            ServerError::Invalid { .. }
            | ServerError::Worded { .. }
            | ServerError::BadRequest { .. } => ErrorCode::InvalidField,
            ServerError::Unauthorized => ErrorCode::Unauthorized,
            ServerError::Forbidden(_) => ErrorCode::Forbidden,
            ServerError::NotFound(_) => ErrorCode::NotFound,
            ServerError::Conflict(_) => ErrorCode::Conflict,
            ServerError::UnknownBaseVersion(_) => ErrorCode::UnknownBaseVersion,
            ServerError::TooLarge(_) => ErrorCode::TooLarge,
            ServerError::BodyTimeout(_) => ErrorCode::RequestTimeout,
            ServerError::Storage(_) => ErrorCode::StorageUnavailable,
            ServerError::StorageFull(_) => ErrorCode::StorageFull,
            ServerError::AuditBroken(_) => ErrorCode::AuditChainBroken,
            ServerError::Setup(_) => ErrorCode::ServerError,
        }
    }
}

/// A value of a request that does not parse (an SSN, a serial, an area or office code, a
/// reason): 422 naming the field. Only the format errors convert; the card transport errors of
/// asxh-core have no mapping because the server never talks to a card.
impl From<asxh_core::FormatError> for ServerError {
    fn from(e: asxh_core::FormatError) -> Self {
        ServerError::Invalid {
            field: e.field_name().map(str::to_owned),
            message: e.to_string(),
        }
    }
}

impl ServerError {
    /// The error a write gets when the commit of its batch failed with `self`: a full disk stays
    /// a full disk, anything else is a storage failure.
    pub fn commit_failed(&self) -> ServerError {
        match self {
            ServerError::StorageFull(m) => ServerError::StorageFull(m.clone()),
            other => ServerError::Storage(format!("commit failed: {other}")),
        }
    }
}

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            ServerError::StorageFull(e.to_string())
        } else {
            ServerError::Storage(e.to_string())
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let field = match &self {
            ServerError::Invalid { field, .. }
            | ServerError::Worded { field, .. }
            | ServerError::BadRequest { field, .. } => field.clone(),
            _ => None,
        };
        if matches!(
            self,
            ServerError::Storage(_)
                | ServerError::StorageFull(_)
                | ServerError::Setup(_)
                | ServerError::AuditBroken(_)
        ) {
            tracing::error!(error = %self, "{}", asxh_text::logs::text(asxh_text::Msg::LogRequestFailed));
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                field,
            },
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        if matches!(self, ServerError::BodyTimeout(_)) {
            // The rest of a late body is not waited for: the connection ends with the answer.
            response.headers_mut().insert(
                axum::http::header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
        }
        response
    }
}

pub type Result<T, E = ServerError> = std::result::Result<T, E>;
