//! asxh-sheet: the lists offices exchange, as files. [`read`] turns a file's bytes into rows of
//! cells with their row numbers, whatever the office saved: a workbook (`.xlsx`, `.xls`, `.ods`,
//! through calamine) or text — CSV in UTF-8 with or without a BOM, Excel's "Unicode Text"
//! (UTF-16 with a BOM, tab-separated) or the Vietnamese Windows code page 1258 — with the
//! delimiter (comma, semicolon, tab) detected and the text normalised to NFC. [`Sheet::table`]
//! then finds the header row (title rows above it are skipped) and gives records of header →
//! cell. [`Sheet::source`] says how the file was read, so a tool can tell the clerk.
//!
//! [`write`] goes the other way: a table written as CSV with a BOM (so Excel opens it as
//! UTF-8) or as XLSX with every column stored as text, for files sent back to an office.
//!
//! Nothing here knows what a column means: the personalizer's batch reads its list with it, and
//! so can any other import (the register of entitlements).
#![forbid(unsafe_code)]

mod text;
mod workbook;
pub mod write;

use std::fmt;

use unicode_normalization::UnicodeNormalization;

pub use write::OutTable;

/// Why a file could not be read as a sheet at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// A workbook (zip or OLE container) that calamine could not open.
    #[error("the workbook cannot be read ({0}); save it again from Excel as .xlsx or as CSV")]
    Workbook(String),
    #[error("the workbook has no worksheet with data")]
    NoWorksheet,
    /// Text with NUL characters: a binary file, or text in an encoding without a byte-order mark.
    #[error("not a list: the text holds NUL characters (a binary file, or text in an encoding without a byte-order mark); save the list from Excel as .xlsx or \"CSV UTF-8\"")]
    Binary,
    /// Text the CSV reader refused (the reader's words).
    #[error("not CSV: {0}")]
    NotCsv(String),
    /// Text that breaks off in the encoding its byte-order mark names.
    #[error("the file is not {0} text throughout (an odd number of bytes or a broken character)")]
    BrokenText(&'static str),
    /// A file with the UTF-8 byte-order mark whose byte at this offset is not UTF-8.
    #[error("the file starts as UTF-8 but byte {0} is not UTF-8")]
    BrokenUtf8(usize),
    #[error("the file is empty")]
    Empty,
}

/// Text encodings a CSV file is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode Text").
    Utf16Le,
    Utf16Be,
    /// Windows code page 1258 (Vietnamese), Excel's "CSV" on a Vietnamese Windows. Its
    /// diacritics are combining marks, composed to NFC when read.
    Windows1258,
}

impl Encoding {
    /// The encoding's usual name (the same in every language).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1258 => "Windows-1258",
        }
    }
}

/// The separator between the cells of a CSV line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub const ALL: [Delimiter; 3] = [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab];

    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }
}

/// The kinds of workbook calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    Xlsx,
    Xls,
    Ods,
}

impl WorkbookKind {
    pub fn name(self) -> &'static str {
        match self {
            WorkbookKind::Xlsx => "XLSX",
            WorkbookKind::Xls => "XLS",
            WorkbookKind::Ods => "ODS",
        }
    }
}

/// How a file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A workbook, from its first visible worksheet with data.
    Workbook {
        kind: WorkbookKind,
        worksheet: String,
    },
    /// Delimited text.
    Text {
        encoding: Encoding,
        delimiter: Delimiter,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Workbook { kind, worksheet } => {
                write!(f, "{}, worksheet {worksheet:?}", kind.name())
            }
            Source::Text {
                encoding,
                delimiter,
            } => write!(
                f,
                "CSV, {}, {}",
                encoding.name(),
                match delimiter {
                    Delimiter::Comma => "comma-separated",
                    Delimiter::Semicolon => "semicolon-separated",
                    Delimiter::Tab => "tab-separated",
                }
            ),
        }
    }
}

/// What a cell held, besides its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellKind {
    /// Text (every cell of a CSV file).
    Text,
    /// A number in a workbook cell; its text is the number written out in full (`51146000301`,
    /// never `5.11146E+10`), without the zeros a display format may have shown in front.
    Number,
    /// A date in a workbook cell; its text is `YYYY-MM-DD`.
    Date,
    /// A workbook cell holding an error (`#N/A`, `#VALUE!`, …), its text.
    Error,
}

/// One cell: its text (trimmed, NFC) and what kind of cell it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub kind: CellKind,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            kind: CellKind::Text,
        }
    }

    fn new(text: &str, kind: CellKind) -> Cell {
        Cell {
            text: text.trim().nfc().collect(),
            kind,
        }
    }
}

/// Why a row of a CSV file is not a well-formed row of its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// More or fewer cells than the header has (a broken quote, or a delimiter inside a cell
    /// that was not quoted).
    Width { cells: usize, header: usize },
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::Width { cells, header } => write!(
                f,
                "{cells} cells where the header has {header} (a quote not closed, or a delimiter inside a cell that is not quoted)"
            ),
        }
    }
}

/// A row of the file: its number as the office sees it (a spreadsheet's row number, a CSV
/// file's line) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u64,
    pub cells: Vec<Cell>,
}

impl Row {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.is_empty())
    }
}

/// A file read into rows: blank rows left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub source: Source,
    pub rows: Vec<Row>,
}

/// A record of a [`Table`]: a row under the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub number: u64,
    pub cells: Vec<Cell>,
    /// Set when the row does not fit the header (CSV only: a workbook's rows always fit).
    pub problem: Option<RowProblem>,
}

impl Record {
    /// The cell in column `index`; an empty text cell past the row's end.
    pub fn get(&self, index: usize) -> Cell {
        self.cells
            .get(index)
            .cloned()
            .unwrap_or_else(|| Cell::text(""))
    }
}

/// A sheet as a table: the header row and the records below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub source: Source,
    /// The header row's number.
    pub header_row: u64,
    /// The header cells' texts.
    pub headers: Vec<String>,
    pub records: Vec<Record>,
}

/// Reads a file's bytes: a workbook by its signature (zip: XLSX or ODS; OLE: XLS), anything
/// else as delimited text.
pub fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    if bytes.is_empty() {
        return Err(SheetError::Empty);
    }
    if let Some(kind) = workbook::kind(bytes) {
        return workbook::read(bytes, kind);
    }
    text::read(bytes)
}

impl Sheet {
    /// The table of this sheet. The header is the first row in which at least two cells are
    /// names `is_header` knows (so a title or a date above the header is skipped), or the
    /// first row when none is; the rows above it are left out.
    pub fn table(self, is_header: impl Fn(&str) -> bool) -> Table {
        let header_at = self
            .rows
            .iter()
            .position(|r| r.cells.iter().filter(|c| is_header(&c.text)).count() >= 2)
            .unwrap_or(0);
        let mut rows = self.rows.into_iter().skip(header_at);
        let Some(header) = rows.next() else {
            return Table {
                source: self.source,
                header_row: 0,
                headers: Vec::new(),
                records: Vec::new(),
            };
        };
        let mut headers: Vec<String> = header.cells.into_iter().map(|c| c.text).collect();
        while headers.last().is_some_and(String::is_empty) {
            headers.pop();
        }
        let text = matches!(self.source, Source::Text { .. });
        let records = rows
            .map(|r| {
                let used = r
                    .cells
                    .iter()
                    .rposition(|c| !c.text.is_empty())
                    .map_or(0, |i| i + 1);
                // A CSV row has every cell of the header (Excel writes them all), a workbook's
                // row may end early; neither has data under no header.
                let short = text && r.cells.len() < headers.len();
                let problem = (short || used > headers.len()).then_some(RowProblem::Width {
                    cells: if short { r.cells.len() } else { used },
                    header: headers.len(),
                });
                Record {
                    number: r.number,
                    cells: r.cells,
                    problem,
                }
            })
            .collect();
        Table {
            source: self.source,
            header_row: header.number,
            headers,
            records,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(records: &[Record]) -> Vec<Vec<String>> {
        records
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn the_header_is_the_first_row_with_two_known_names_and_titles_above_it_are_skipped() {
        let sheet = read(
            "DANH SÁCH ĐỐI TƯỢNG,,\nXã Tịnh Khê,,\n\nSTT,Họ và tên,Ngày sinh\n1,Trần Thị Lan,1946\n,,\n2,Lê Văn Tư,1950\n"
                .as_bytes(),
        )
        .unwrap();
        let table =
            sheet.table(|h| ["họ và tên", "ngày sinh"].contains(&h.to_lowercase().as_str()));
        assert_eq!(table.header_row, 4);
        assert_eq!(table.headers, ["STT", "Họ và tên", "Ngày sinh"]);
        assert_eq!(
            texts(&table.records),
            [["1", "Trần Thị Lan", "1946"], ["2", "Lê Văn Tư", "1950"]]
        );
        assert_eq!(
            table.records.iter().map(|r| r.number).collect::<Vec<_>>(),
            [5, 7]
        );
    }

    #[test]
    fn a_csv_row_that_does_not_fit_the_header_says_so() {
        let table = read(b"a,b,c\n1,2,3\n1,\"2,3\n").unwrap().table(|_| false);
        assert_eq!(table.records[0].problem, None);
        assert_eq!(
            table.records[1].problem,
            Some(RowProblem::Width {
                cells: 2,
                header: 3
            })
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(read(b""), Err(SheetError::Empty));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

        #[test]
        fn any_bytes_are_read_or_refused_without_panicking(
            prefix in proptest::sample::select(vec![&b""[..], b"PK\x03\x04", b"\xFF\xFE", b"\xEF\xBB\xBF"]),
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        ) {
            let bytes = [prefix, &bytes].concat();
            if let Ok(sheet) = read(&bytes) {
                let rows = sheet.rows.len();
                let table = sheet.table(|h| h.len() == 1);
                proptest::prop_assert!(table.records.len() < rows.max(1));
            }
        }
    }
}
