//! Workbooks through calamine: the first visible worksheet that holds data, each cell as text
//! with its kind — a number written out in full (an SSN typed into a number cell reads as its
//! digits, never in scientific notation), a date cell as `YYYY-MM-DD`.

use std::io::Cursor;

use calamine::{Data, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};

use crate::{Cell, CellKind, Row, Sheet, SheetError, Source, WorkbookKind};

/// The kind of workbook `bytes` are, by their signature: a zip container (XLSX, or ODS when its
/// first entry is the OpenDocument mimetype) or an OLE compound file (XLS).
pub(crate) fn kind(bytes: &[u8]) -> Option<WorkbookKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        let ods = bytes
            .get(30..90)
            .is_some_and(|h| h.windows(11).any(|w| w == b"opendocumen"));
        return Some(if ods {
            WorkbookKind::Ods
        } else {
            WorkbookKind::Xlsx
        });
    }
    bytes
        .starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        .then_some(WorkbookKind::Xls)
}

pub(crate) fn read(bytes: &[u8], kind: WorkbookKind) -> Result<Sheet, SheetError> {
    // A file from outside must get an answer, even if the workbook parser trips over it.
    std::panic::catch_unwind(|| {
        let cursor = Cursor::new(bytes);
        let failed = |e: &dyn std::fmt::Display| SheetError::Workbook(e.to_string());
        match kind {
            WorkbookKind::Xlsx => first_worksheet(Xlsx::new(cursor).map_err(|e| failed(&e))?, kind),
            WorkbookKind::Xls => first_worksheet(Xls::new(cursor).map_err(|e| failed(&e))?, kind),
            WorkbookKind::Ods => first_worksheet(Ods::new(cursor).map_err(|e| failed(&e))?, kind),
        }
    })
    .unwrap_or_else(|_| {
        Err(SheetError::Workbook(
            "the workbook reader failed on it".into(),
        ))
    })
}

fn first_worksheet<RS, R>(mut book: R, kind: WorkbookKind) -> Result<Sheet, SheetError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| SheetError::Workbook(format!("worksheet {name:?}: {e}")))?;
        let Some((first_row, _)) = range.start() else {
            continue;
        };
        let rows: Vec<Row> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row {
                number: u64::from(first_row) + i as u64 + 1,
                cells: cells.iter().map(cell).collect(),
            })
            .filter(|r| !r.is_blank())
            .collect();
        if !rows.is_empty() {
            return Ok(Sheet {
                source: Source::Workbook {
                    kind,
                    worksheet: name,
                },
                rows,
            });
        }
    }
    Err(SheetError::NoWorksheet)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Int(i) => Cell::new(&i.to_string(), CellKind::Number),
        Data::Float(f) => Cell::new(&number(*f), CellKind::Number),
        Data::String(s) => Cell::new(s, CellKind::Text),
        Data::Bool(b) => Cell::new(if *b { "TRUE" } else { "FALSE" }, CellKind::Text),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            Cell::new(&format!("{y:04}-{m:02}-{day:02}"), CellKind::Date)
        }
        Data::DateTime(d) => Cell::new(&number(d.as_f64()), CellKind::Number),
        Data::DateTimeIso(s) => match s.get(..10) {
            Some(date) if s.len() == 10 || s[10..].starts_with('T') => {
                Cell::new(date, CellKind::Date)
            }
            _ => Cell::new(s, CellKind::Text),
        },
        Data::DurationIso(s) => Cell::new(s, CellKind::Text),
        Data::Error(e) => Cell::new(&e.to_string(), CellKind::Error),
        Data::Empty => Cell::new("", CellKind::Text),
    }
}

/// A number as its digits when it is whole (an SSN or an amount), else as Rust writes it.
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use asxh_testkit::lists::{xlsx, XlsxCell};

    use crate::{read, CellKind, Source, WorkbookKind};

    fn t(s: &str) -> XlsxCell {
        XlsxCell::Text(s.into())
    }

    #[test]
    fn an_xlsx_worksheet_reads_text_numbers_and_dates_with_their_row_numbers() {
        let bytes = xlsx(
            "Danh sách",
            &[
                vec![t("DANH SÁCH CHI TRẢ")],
                vec![],
                vec![t("Số định danh"), t("Họ và tên"), t("Ngày sinh"), t("Mức")],
                vec![
                    XlsxCell::Number(51146000301.0),
                    t("Trần Thị Lan"),
                    XlsxCell::Date(1946, 8, 19),
                    XlsxCell::Number(540000.0),
                ],
                vec![
                    t("051150000001"),
                    t("Lê Văn Tư"),
                    XlsxCell::Number(1950.0),
                    XlsxCell::Number(0.5),
                ],
            ],
        );
        let sheet = read(&bytes).unwrap();
        assert_eq!(
            sheet.source,
            Source::Workbook {
                kind: WorkbookKind::Xlsx,
                worksheet: "Danh sách".into()
            }
        );
        let rows: Vec<(u64, Vec<(&str, &CellKind)>)> = sheet
            .rows
            .iter()
            .map(|r| {
                (
                    r.number,
                    r.cells.iter().map(|c| (c.text.as_str(), &c.kind)).collect(),
                )
            })
            .collect();
        assert_eq!(rows[0].0, 1);
        assert_eq!(rows[1].0, 3, "the blank row 2 is left out");
        assert_eq!(
            rows[2],
            (
                4,
                vec![
                    ("51146000301", &CellKind::Number),
                    ("Trần Thị Lan", &CellKind::Text),
                    ("1946-08-19", &CellKind::Date),
                    ("540000", &CellKind::Number)
                ]
            )
        );
        assert_eq!(rows[3].1[0], ("051150000001", &CellKind::Text));
        assert_eq!(rows[3].1[2], ("1950", &CellKind::Number));
        assert_eq!(rows[3].1[3], ("0.5", &CellKind::Number));
    }

    #[test]
    fn a_broken_workbook_is_refused_with_what_to_do() {
        let mut bytes = xlsx("a", &[vec![t("x")]]);
        bytes.truncate(bytes.len() / 2);
        let e = read(&bytes).unwrap_err();
        assert!(e.to_string().contains("save it again"), "{e}");
        let e = read(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap_err();
        assert!(e.to_string().contains("workbook"), "{e}");
    }
}
