//! The server's clock: Unix seconds for the `at` columns of every table.

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
