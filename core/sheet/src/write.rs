//! Tables written for an office to open: CSV in UTF-8 with a byte-order mark (without it, Excel
//! reads UTF-8 as the Windows code page and mangles the diacritics) and XLSX with every column
//! formatted as text, so that an SSN keeps its leading zero there and in what the office types
//! into the file before sending it back.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A table to write: a header row and rows of text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Why a table could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {problem}")]
pub struct WriteError {
    pub path: String,
    pub problem: String,
}

fn failed(path: &Path, problem: impl std::fmt::Display) -> WriteError {
    WriteError {
        path: path.display().to_string(),
        problem: problem.to_string(),
    }
}

/// Widest column an XLSX file opens with, in pixels (about 60 characters).
const MAX_WIDTH_PX: u32 = 420;

impl OutTable {
    /// The CSV text with its byte-order mark, comma-separated.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        // Writing into memory cannot fail.
        let _ = w.write_record(&self.headers);
        for row in &self.rows {
            let _ = w.write_record(row);
        }
        w.into_inner().unwrap_or_default()
    }

    /// Writes the table as CSV with a byte-order mark.
    pub fn save_csv(&self, path: &Path) -> Result<(), WriteError> {
        std::fs::write(path, self.to_csv()).map_err(|e| failed(path, e))
    }

    /// The XLSX workbook: one worksheet `worksheet`, the header bold and frozen, every column
    /// formatted as text.
    pub fn to_xlsx(&self, worksheet: &str) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(worksheet)?;
        let text = Format::new().set_num_format("@");
        let bold = Format::new().set_num_format("@").set_bold();
        let width = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        for c in 0..width {
            sheet.set_column_format(c as u16, &text)?;
        }
        for (c, h) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string_with_format(r as u32 + 1, c as u16, cell, &text)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_autofit_max_width(MAX_WIDTH_PX).autofit();
        book.save_to_buffer()
    }

    /// Writes the table as an XLSX workbook (see [`OutTable::to_xlsx`]).
    pub fn save_xlsx(&self, path: &Path, worksheet: &str) -> Result<(), WriteError> {
        let bytes = self.to_xlsx(worksheet).map_err(|e| failed(path, e))?;
        std::fs::write(path, bytes).map_err(|e| failed(path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read, CellKind, Encoding, Source};

    fn table() -> OutTable {
        OutTable {
            headers: vec!["Số định danh".into(), "Họ và tên".into(), "Lý do".into()],
            rows: vec![vec![
                "051146000123".into(),
                "Trần Thị Lan".into(),
                "ngày sinh: \"1946-02-30\", không có ngày này".into(),
            ]],
        }
    }

    #[test]
    fn a_csv_table_has_a_bom_and_reads_back_as_written() {
        let bytes = table().to_csv();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let sheet = read(&bytes).unwrap();
        assert!(matches!(
            sheet.source,
            Source::Text {
                encoding: Encoding::Utf8Bom,
                ..
            }
        ));
        let t = sheet.table(|_| false);
        assert_eq!(t.headers, table().headers);
        assert_eq!(t.records[0].get(2).text, table().rows[0][2]);
    }

    #[test]
    fn an_xlsx_table_keeps_the_leading_zero_as_text_and_reads_back_as_written() {
        let bytes = table().to_xlsx("Bị từ chối").unwrap();
        let t = read(&bytes).unwrap().table(|_| false);
        assert_eq!(t.headers, table().headers);
        let ssn = t.records[0].get(0);
        assert_eq!(
            (ssn.text.as_str(), ssn.kind),
            ("051146000123", CellKind::Text)
        );
        assert_eq!(t.records[0].get(1).text, "Trần Thị Lan");
    }
}
