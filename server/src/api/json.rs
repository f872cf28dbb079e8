//! Reading a JSON request body into an `asxh-api` type.

use serde::de::DeserializeOwned;

use crate::error::{Result, ServerError};

/// Parses a JSON request body: a body that is not JSON is `malformed_json`, one whose fields
/// do not fit `T` is `invalid` naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            let message = e.to_string();
            let field = message.split('`').nth(1).map(str::to_owned);
            ServerError::Invalid { field, message }
        }
        _ => ServerError::MalformedJson(e.to_string()),
    })
}
