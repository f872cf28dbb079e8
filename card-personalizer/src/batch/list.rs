//! The province's list as a batch reads it: CSV in UTF-8 (BOM tolerated), English or Vietnamese
//! headers, and every row checked before any card is touched — either every row is valid, or
//! every problem comes back with its line and field.

use std::collections::HashMap;
use std::path::Path;

use asxh_core::Date;
use unicode_normalization::UnicodeNormalization;

use crate::error::Result;
use crate::request::{CardRequest, FieldProblem, RawRequest};

/// The columns, each with the header names accepted for it (compared lower-case, NFC, with `_`
/// and spaces treated alike).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "ssn",
        &[
            "ssn",
            "số định danh",
            "so dinh danh",
            "số định danh cá nhân",
            "cccd",
        ],
    ),
    (
        "full_name",
        &["full name", "họ và tên", "ho va ten", "họ tên"],
    ),
    (
        "date_of_birth",
        &["date of birth", "ngày sinh", "ngay sinh"],
    ),
    ("sex", &["sex", "giới tính", "gioi tinh"]),
    (
        "area_code",
        &["area code", "mã địa bàn", "ma dia ban", "địa bàn"],
    ),
    ("entitlements", &["entitlements", "chế độ", "che do"]),
    (
        "recipient",
        &["recipient", "người nhận thay", "nguoi nhan thay"],
    ),
];

fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .trim()
        .nfc()
        .collect::<String>()
        .to_lowercase()
        .replace('_', " ")
}

/// One row of the input that is not valid, with its line number in the file.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub line: u64,
    pub problem: FieldProblem,
}

/// A valid input row.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    pub request: CardRequest,
}

/// A problem with the file as a whole (line 0).
fn file_problem(message: String) -> Vec<RowProblem> {
    vec![RowProblem {
        line: 0,
        problem: FieldProblem {
            field: "file".into(),
            message,
        },
    }]
}

/// Reads and checks the whole list. Either every row is valid, or every problem is returned.
pub fn read_list(path: &Path, today: Date) -> Result<Vec<Row>, Vec<RowProblem>> {
    let bytes = std::fs::read(path)
        .map_err(|e| file_problem(format!("cannot read {}: {e}", path.display())))?;
    read_list_bytes(bytes, today)
}

/// [`read_list`] on the bytes of a list already read (the fuzz targets feed it any bytes).
pub fn read_list_bytes(bytes: Vec<u8>, today: Date) -> Result<Vec<Row>, Vec<RowProblem>> {
    let text = String::from_utf8(bytes)
        .map_err(|e| file_problem(format!("not UTF-8 (save the list as CSV UTF-8): {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| file_problem(format!("no header row: {e}")))?
        .clone();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = normalise_header(h);
        match COLUMNS.iter().find(|(_, names)| names.iter().any(|n| *n == h)) {
            Some((name, _)) => {
                index.insert(name, i);
            }
            None => return Err(file_problem(format!("unknown column {h:?}; the columns are ssn, full_name, date_of_birth, sex, area_code, entitlements, recipient (or their Vietnamese names)"))),
        }
    }
    for required in ["ssn", "full_name", "date_of_birth", "sex", "area_code"] {
        if !index.contains_key(required) {
            return Err(file_problem(format!("the column {required} is missing")));
        }
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(RowProblem {
                    line,
                    problem: FieldProblem {
                        field: "row".into(),
                        message: format!("not a well-formed CSV row: {e}"),
                    },
                });
                continue;
            }
        };
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|i| record.get(*i))
                .unwrap_or("")
                .to_owned()
        };
        let raw = RawRequest {
            ssn: get("ssn"),
            full_name: get("full_name"),
            date_of_birth: get("date_of_birth"),
            sex: get("sex"),
            area_code: get("area_code"),
            entitlements: get("entitlements")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            recipient: Some(get("recipient")).filter(|r| !r.is_empty()),
            replaces: None,
        };
        match CardRequest::parse(&raw, today) {
            Ok(request) => {
                let ssn = request.holder().ssn().to_string();
                if let Some(first) = seen.insert(ssn.clone(), line) {
                    problems.push(RowProblem {
                        line,
                        problem: FieldProblem {
                            field: "ssn".into(),
                            message: format!("SSN {ssn} is already on line {first}"),
                        },
                    });
                }
                rows.push(Row { line, request });
            }
            Err(ps) => problems.extend(ps.into_iter().map(|problem| RowProblem { line, problem })),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        return Err(file_problem("the list has no rows".into()));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> Result<Vec<Row>, Vec<RowProblem>> {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        read_list(f.path(), Date::today())
    }

    #[test]
    fn vietnamese_headers_and_a_bom_are_accepted() {
        let rows = list("\u{feff}Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã địa bàn,Chế độ\n051146000123,Trần Thị Lan,1946-08-19,Nữ,51.22903,TGXH:BTXH-80:540000;BHYT:BT\n").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].request.holder().name().as_str(), "Trần Thị Lan");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_field_and_nothing_is_returned() {
        let problems = list(
            "ssn,full_name,date_of_birth,sex,area_code,entitlements\n\
             051146000123,Trần Thị Lan,1946-08-19,F,51,TGXH:A\n\
             05114600012,Lan,1946,F,51,\n\
             051146000124,Lan 2,1946,F,51\n\
             051146000123,Trần Thị Lan,1946-08-19,F,51,\n\
             051146000125,Lan',1946,X,51,NOPE\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.problem.field.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "ssn"),
                (4, "row"),
                (5, "ssn"),
                (6, "sex"),
                (6, "entitlements[0]")
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        #[test]
        fn any_file_is_read_or_refused_without_panicking(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let f = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(f.path(), &bytes).unwrap();
            let _ = read_list(f.path(), Date::today());
        }

        #[test]
        fn any_row_under_valid_headers_is_read_or_refused_with_its_line(row in "[0-9A-Za-zàáảãạăâđêôơưÀ-ỹ ,:;\"'.-]{0,120}") {
            let text = format!("ssn,full_name,date_of_birth,sex,area_code,entitlements\n{row}\n");
            if let Err(problems) = list(&text) {
                proptest::prop_assert!(problems.iter().all(|p| p.line <= 2), "{problems:?}");
            }
        }
    }
}
