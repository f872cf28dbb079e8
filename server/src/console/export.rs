//! A console table as a download: CSV (UTF-8 with a BOM, so that Excel reads the Vietnamese
//! right) or XLSX, named for the file a clerk saves.

use asxh_sheet::OutTable;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ServerError;

/// `table` as `format` (`csv`, the default, or `xlsx`), to be saved as `file` (without the
/// extension); an XLSX sheet is named `sheet` (cut to the 31 characters Excel allows).
pub(super) fn download(
    table: &OutTable,
    format: Option<&str>,
    sheet: &str,
    file: &str,
) -> Result<Response, ServerError> {
    let (bytes, kind, ext) = match format {
        Some("xlsx") => {
            let sheet: String = sheet.chars().take(31).collect();
            let bytes = table
                .to_xlsx(&sheet)
                .map_err(|e| ServerError::Setup(format!("cannot write the workbook: {e}")))?;
            (
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            )
        }
        Some("csv") | None => (table.to_csv(), "text/csv; charset=utf-8", "csv"),
        Some(other) => {
            return Err(ServerError::invalid(
                "format",
                format!("{other:?} is not csv or xlsx"),
            ))
        }
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
