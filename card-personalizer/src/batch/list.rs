//! The province's list as a batch reads it: any file [`asxh_sheet`] reads (XLSX, CSV in UTF-8,
//! UTF-16 or Windows-1258, comma, semicolon or tab), English or Vietnamese headers (compared
//! without diacritics; title rows above the header and a "STT" column are fine), dates as
//! offices write them, and every row checked before any card is touched. An SSN that Excel
//! mangled — the leading 0 lost in a number cell, or saved in scientific notation — gets a
//! message naming the cause and the fix. Each row keeps its cells as the file had them, so the
//! rows refused can go back to the commune in the file's own columns.

use std::collections::HashMap;
use std::path::Path;

use asxh_core::holder::fold_name;
use asxh_core::{Date, Ssn};
use asxh_sheet::{Cell, CellKind, RowProblem as SheetRowProblem, SheetError, Source};
use asxh_text::message::{fill, Args};
use asxh_text::problems::field_label;
use asxh_text::{Catalogued, Lang, Msg};
use sha2::{Digest, Sha256};

use crate::request::{CardRequest, FieldProblem, RawRequest};

/// The columns, each with the header names accepted for it, folded (lower case, without
/// diacritics, `_` read as a space).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "ssn",
        &[
            "ssn",
            "so dinh danh",
            "so dinh danh ca nhan",
            "so ddcn",
            "ma so dinh danh",
            "cccd",
            "so cccd",
        ],
    ),
    ("full_name", &["full name", "ho va ten", "ho ten"]),
    ("date_of_birth", &["date of birth", "ngay sinh", "nam sinh"]),
    ("sex", &["sex", "gioi tinh"]),
    ("area_code", &["area code", "ma dia ban", "dia ban"]),
    (
        "entitlements",
        &["entitlements", "che do", "chinh sach", "che do chinh sach"],
    ),
    (
        "recipient",
        &[
            "recipient",
            "nguoi nhan thay",
            "nguoi duoc uy quyen",
            "nguoi giam ho",
            "nguoi giam ho hoac nguoi duoc uy quyen",
        ],
    ),
];

/// Columns offices add that the batch does not use: a row number, notes, and the reason
/// column of a file of refused rows sent back corrected.
const IGNORED: &[&str] = &[
    "stt",
    "tt",
    "so thu tu",
    "ghi chu",
    "note",
    "notes",
    "ly do",
    "reason",
];

const REQUIRED: [&str; 5] = ["ssn", "full_name", "date_of_birth", "sex", "area_code"];

fn folded_header(h: &str) -> String {
    fold_name(&h.replace('_', " "))
        .trim_end_matches(':')
        .to_owned()
}

fn column(header: &str) -> Option<&'static str> {
    let h = folded_header(header);
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(name, _)| *name)
}

/// A problem with a row (or, on line 0, with the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub problem: FieldProblem,
}

/// A valid row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The row's number in the file (a spreadsheet's row, a CSV file's line).
    pub line: u64,
    pub request: CardRequest,
    /// What identifies the row's data whatever day and format it is read in: the SHA-256 of
    /// its canonical form with the defaults of a fixed day. A resumed job compares it.
    pub fingerprint: String,
    /// The cells as the file had them, under [`List::headers`].
    pub cells: Vec<String>,
}

/// A row of the file: valid, or refused with every problem it has.
#[derive(Debug, Clone)]
pub struct ListRow {
    pub line: u64,
    pub cells: Vec<String>,
    pub outcome: Result<Row, Vec<FieldProblem>>,
}

/// A list read whole.
#[derive(Debug, Clone)]
pub struct List {
    /// How the file was read.
    pub source: Source,
    /// The header row as the file has it.
    pub headers: Vec<String>,
    pub rows: Vec<ListRow>,
}

impl List {
    /// The valid rows, in file order.
    pub fn valid(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter_map(|r| r.outcome.as_ref().ok())
    }

    /// Every problem of every row, in file order.
    pub fn problems(&self) -> Vec<RowProblem> {
        self.rows
            .iter()
            .filter_map(|r| r.outcome.as_ref().err().map(|ps| (r.line, ps)))
            .flat_map(|(line, ps)| {
                ps.iter().map(move |p| RowProblem {
                    line,
                    problem: p.clone(),
                })
            })
            .collect()
    }
}

/// Why a file is no list at all, for the clerk.
#[derive(Debug)]
pub struct Unreadable(pub SheetError);

impl Catalogued for Unreadable {
    fn message(&self, _: Lang) -> (Msg, Args) {
        match &self.0 {
            SheetError::Workbook(detail) => (Msg::SheetWorkbook, vec![("detail", detail.clone())]),
            SheetError::NoWorksheet => (Msg::SheetNoWorksheet, vec![]),
            SheetError::Binary => (Msg::SheetBinary, vec![]),
            SheetError::NotCsv(detail) => (Msg::SheetNotCsv, vec![("detail", detail.clone())]),
            SheetError::BrokenText(encoding) => (
                Msg::SheetBrokenText,
                vec![("encoding", (*encoding).to_owned())],
            ),
            SheetError::BrokenUtf8(byte) => {
                (Msg::SheetBrokenUtf8, vec![("byte", byte.to_string())])
            }
            SheetError::Empty => (Msg::SheetEmpty, vec![]),
        }
    }

    fn examples() -> Vec<Self> {
        [
            SheetError::Workbook("invalid zip header".into()),
            SheetError::NoWorksheet,
            SheetError::Binary,
            SheetError::NotCsv("invalid UTF-8".into()),
            SheetError::BrokenText("UTF-16LE"),
            SheetError::BrokenUtf8(7),
            SheetError::Empty,
        ]
        .into_iter()
        .map(Unreadable)
        .collect()
    }
}

/// Why a row of a text list is not a row of its table, for the clerk.
#[derive(Debug)]
pub struct BadRow(pub SheetRowProblem);

impl Catalogued for BadRow {
    fn message(&self, _: Lang) -> (Msg, Args) {
        match &self.0 {
            SheetRowProblem::Width { cells, header } => (
                Msg::SheetRowWidth,
                vec![("cells", cells.to_string()), ("header", header.to_string())],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        vec![BadRow(SheetRowProblem::Width {
            cells: 2,
            header: 5,
        })]
    }
}

/// A problem with the file as a whole (line 0).
fn file_problem(lang: Lang, message: String) -> Vec<RowProblem> {
    vec![RowProblem {
        line: 0,
        problem: FieldProblem::new("file", lang, message),
    }]
}

/// Reads the list at `path`; a list that is not a table of the known columns is refused whole
/// (line 0), otherwise every row comes back valid or with its problems.
pub fn read_list(path: &Path, today: Date, lang: Lang) -> Result<List, Vec<RowProblem>> {
    let bytes = std::fs::read(path).map_err(|e| {
        file_problem(
            lang,
            fill(
                lang.text(Msg::FileCannotRead),
                &[
                    ("path", path.display().to_string()),
                    ("detail", e.to_string()),
                ],
            ),
        )
    })?;
    read_list_bytes(&bytes, today, lang)
}

/// [`read_list`] on the bytes of a list already read (the fuzz targets feed it any bytes).
pub fn read_list_bytes(bytes: &[u8], today: Date, lang: Lang) -> Result<List, Vec<RowProblem>> {
    let sheet =
        asxh_sheet::read(bytes).map_err(|e| file_problem(lang, Unreadable(e).text(lang)))?;
    let table = sheet.table(|h| column(h).is_some());
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, h) in table.headers.iter().enumerate() {
        if h.is_empty() || IGNORED.contains(&folded_header(h).as_str()) {
            continue;
        }
        match column(h) {
            Some(name) if index.contains_key(name) => {
                return Err(file_problem(
                    lang,
                    lang.text(Msg::ListColumnTwice)
                        .replace("{name}", name)
                        .replace("{header}", &format!("{h:?}"))
                        .replace("{column}", &(i + 1).to_string()),
                ))
            }
            Some(name) => {
                index.insert(name, i);
            }
            None => {
                return Err(file_problem(
                    lang,
                    lang.text(Msg::ListColumnUnknown)
                        .replace("{header}", &format!("{h:?}"))
                        .replace("{row}", &table.header_row.to_string()),
                ))
            }
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|c| !index.contains_key(*c)) {
        return Err(file_problem(
            lang,
            lang.text(Msg::ListColumnMissing)
                .replace(
                    "{name}",
                    &match lang {
                        Lang::Vi => field_label(missing, lang),
                        Lang::En => (*missing).to_owned(),
                    },
                )
                .replace("{row}", &table.header_row.to_string())
                .replace("{headers}", &format!("{:?}", table.headers)),
        ));
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<Ssn, u64> = HashMap::new();
    for record in &table.records {
        let line = record.number;
        let cells: Vec<String> = (0..table.headers.len().max(record.cells.len()))
            .map(|i| record.get(i).text)
            .collect();
        if let Some(p) = &record.problem {
            rows.push(ListRow {
                line,
                cells,
                outcome: Err(vec![FieldProblem::new(
                    "row",
                    lang,
                    format!(
                        "{} {}",
                        lang.text(Msg::ListRowMalformed),
                        BadRow(p.clone()).text(lang)
                    ),
                )]),
            });
            continue;
        }
        let get = |name: &str| index.get(name).map(|i| record.get(*i));
        let text = |name: &str| get(name).map(|c| c.text).unwrap_or_default();
        let mut problems = Vec::new();
        let ssn = match get("ssn").map(|c| ssn_text(&c, lang)) {
            Some(Err(message)) => {
                problems.push(FieldProblem::new("ssn", lang, message));
                String::new()
            }
            Some(Ok(ssn)) => ssn,
            None => String::new(),
        };
        if let Some(c) =
            get("area_code").filter(|c| c.kind == CellKind::Number && c.text.contains('.'))
        {
            problems.push(FieldProblem::new(
                "area_code",
                lang,
                format!("\"{}\" {}", c.text, lang.text(Msg::AreaCodeNumberCell)),
            ));
        }
        let raw = RawRequest {
            ssn,
            full_name: text("full_name"),
            date_of_birth: text("date_of_birth"),
            sex: text("sex"),
            area_code: text("area_code"),
            entitlements: text("entitlements")
                .split([';', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            recipient: Some(text("recipient")).filter(|r| !r.is_empty()),
            replaces: None,
        };
        let outcome = match CardRequest::parse(&raw, today, lang) {
            // The SSN's own message (from a mangled cell) replaces the generic one.
            Err(mut ps) => {
                if problems.iter().any(|p| p.field == "ssn") {
                    ps.retain(|p| p.field != "ssn");
                }
                problems.extend(ps);
                Err(problems)
            }
            Ok(_) if !problems.is_empty() => Err(problems),
            Ok(request) => {
                let ssn = request.holder().ssn();
                match seen.get(&ssn) {
                    Some(first) => Err(vec![FieldProblem::new(
                        "ssn",
                        lang,
                        lang.text(Msg::SsnAlreadyOnLine)
                            .replace("{ssn}", &ssn.to_string())
                            .replace("{line}", &first.to_string()),
                    )]),
                    None => {
                        seen.insert(ssn, line);
                        Ok(Row {
                            line,
                            fingerprint: fingerprint(&raw),
                            request,
                            cells: cells.clone(),
                        })
                    }
                }
            }
        };
        rows.push(ListRow {
            line,
            cells,
            outcome,
        });
    }
    if rows.is_empty() {
        return Err(file_problem(lang, lang.text(Msg::ListNoRows).to_owned()));
    }
    Ok(List {
        source: table.source,
        headers: table.headers,
        rows,
    })
}

/// The SHA-256 of a row's data as typed, in canonical form with the defaults of a fixed day
/// (an entitlement without a start date starts the day its row is read), so the same row has
/// the same fingerprint from CSV or XLSX, read today or next week.
pub fn fingerprint(typed: &RawRequest) -> String {
    let canonical = CardRequest::parse(typed, Date::epoch(), Lang::En)
        .map(|r| r.raw())
        .unwrap_or_else(|_| typed.clone());
    hex::encode(Sha256::digest(
        serde_json::to_vec(&canonical).unwrap_or_default(),
    ))
}

/// The SSN of a cell, or the message for an SSN Excel mangled: a number cell or text that lost
/// its leading 0 (11 digits), or scientific notation (`5.11146E+10`, its digits lost).
fn ssn_text(cell: &Cell, lang: Lang) -> Result<String, String> {
    let t = cell.text.trim();
    let digits = t.bytes().all(|b| b.is_ascii_digit());
    if digits && t.len() == 11 && Ssn::parse(&format!("0{t}")).is_ok() {
        return Err(lang.text(Msg::SsnLeadingZeroLost).replace("{ssn}", t));
    }
    if scientific(t) {
        return Err(lang.text(Msg::SsnScientific).replace("{ssn}", t));
    }
    if cell.kind == CellKind::Number {
        if let Err(e) = Ssn::parse(t) {
            let problem = e.problem().map_or_else(|| e.text(lang), |p| p.text(lang));
            return Err(format!("{problem} {}", lang.text(Msg::SsnNumberCell)));
        }
    }
    Ok(t.to_owned())
}

/// `5.11146E+10`, `5,11146E+10` (a Vietnamese Excel writes a decimal comma), `5E10`.
fn scientific(t: &str) -> bool {
    let Some((mantissa, exponent)) = t.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let mut parts = mantissa.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or("0");
    [whole, fraction, exponent]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use asxh_testkit::lists::{self, XlsxCell};

    fn list(text: &str) -> Result<List, Vec<RowProblem>> {
        read_list_bytes(text.as_bytes(), Date::today(), Lang::En)
    }

    fn fields(list: &List) -> Vec<(u64, String)> {
        list.problems()
            .into_iter()
            .map(|p| (p.line, p.problem.field))
            .collect()
    }

    #[test]
    fn vietnamese_headers_with_or_without_diacritics_title_rows_and_an_stt_column_are_accepted() {
        let l = list("DANH SÁCH ĐỀ NGHỊ CẤP THẺ,,,,,,\nSTT,Số định danh,Ho va ten,Ngày sinh,GIỚI TÍNH,Mã địa bàn,Chế độ\n1,051146000123,Trần Thị Lan,19/08/1946,Nữ,51.22903,TGXH:BTXH-80:540000;BHYT:BT\n").unwrap();
        let rows: Vec<&Row> = l.valid().collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].request.holder().name().as_str(), "Trần Thị Lan");
        assert_eq!(
            rows[0].request.holder().date_of_birth().to_string(),
            "1946-08-19"
        );
        assert_eq!(rows[0].cells[0], "1");
    }

    #[test]
    fn every_reason_a_file_or_row_is_no_list_has_its_vietnamese_text() {
        asxh_text::message::check_catalogued::<Unreadable>().unwrap();
        asxh_text::message::check_catalogued::<BadRow>().unwrap();
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_field_and_the_good_rows_stay_usable() {
        let l = list(
            "ssn,full_name,date_of_birth,sex,area_code,entitlements\n\
             051146000123,Trần Thị Lan,1946-08-19,F,51,TGXH:A\n\
             05114600012,Lan,1946,F,51,\n\
             051146000124,Lan 2,1946,F,51\n\
             051146000123,Trần Thị Lan,1946-08-19,F,51,\n\
             051146000125,Lan',1946,X,51,NOPE\n",
        )
        .unwrap();
        assert_eq!(
            fields(&l),
            [
                (3, "ssn".into()),
                (4, "row".into()),
                (5, "ssn".into()),
                (6, "sex".into()),
                (6, "entitlements[0]".into())
            ]
        );
        assert_eq!(l.valid().map(|r| r.line).collect::<Vec<_>>(), [2]);
        assert_eq!(
            l.rows[1].cells,
            ["05114600012", "Lan", "1946", "F", "51", ""]
        );
    }

    #[test]
    fn ssns_excel_mangled_name_the_cause_and_the_fix() {
        let l = list(
            "ssn,full_name,date_of_birth,sex,area_code\n\
             51146000301,Lan,1946,F,51\n\
             5.11146E+10,Lan,1946,F,51\n\
             5,11146E+10,Lan,1946,F,51\n",
        );
        // A Vietnamese Excel's "5,11146E+10" splits into two comma cells: quote it as Excel does.
        assert!(l.is_ok());
        let l = list(
            "ssn;full_name;date_of_birth;sex;area_code\n\
             51146000301;Lan;1946;F;51\n\
             5.11146E+10;Lan;1946;F;51\n\
             5,11146E+10;Lan;1946;F;51\n",
        )
        .unwrap();
        let messages: Vec<String> = l
            .problems()
            .into_iter()
            .map(|p| p.problem.message)
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].contains("leading 0") && messages[0].contains("051146000301"),
            "{}",
            messages[0]
        );
        assert!(messages[1].contains("scientific") && messages[2].contains("scientific"));
        for m in &messages {
            assert!(m.contains("Format the column as Text"), "{m}");
        }
        let vi = read_list_bytes(
            b"ssn;full_name;date_of_birth;sex;area_code\n51146000301;Lan;1946;F;51\n",
            Date::today(),
            Lang::Vi,
        )
        .unwrap();
        assert!(
            vi.problems()[0].problem.message.contains("Văn bản"),
            "{:?}",
            vi.problems()
        );
    }

    #[test]
    fn an_xlsx_list_reads_number_and_date_cells_and_flags_a_number_cell_that_lost_its_zero() {
        let t = |s: &str| XlsxCell::Text(s.into());
        let bytes = lists::xlsx(
            "Sheet1",
            &[
                vec![
                    t("Số định danh"),
                    t("Họ và tên"),
                    t("Ngày sinh"),
                    t("Giới tính"),
                    t("Mã địa bàn"),
                ],
                vec![
                    t("051146000123"),
                    t("Trần Thị Lan"),
                    XlsxCell::Date(1946, 8, 19),
                    t("Nữ"),
                    XlsxCell::Number(51.0),
                ],
                vec![
                    XlsxCell::Number(51146000301.0),
                    t("Lê Thị Tư"),
                    XlsxCell::Number(1946.0),
                    t("Nữ"),
                    t("51"),
                ],
                vec![
                    t("051146000124"),
                    t("Lê Thị Năm"),
                    t("08/1946"),
                    t("Nữ"),
                    XlsxCell::Number(51.229),
                ],
            ],
        );
        let l = read_list_bytes(&bytes, Date::today(), Lang::En).unwrap();
        let row = l.valid().next().unwrap();
        assert_eq!(row.line, 2);
        assert_eq!(
            row.request.holder().date_of_birth().to_string(),
            "1946-08-19"
        );
        let problems = l.problems();
        assert_eq!(
            problems
                .iter()
                .map(|p| (p.line, p.problem.field.as_str()))
                .collect::<Vec<_>>(),
            [(3, "ssn"), (4, "area_code")]
        );
        assert!(problems[0].problem.message.contains("leading 0"));
        assert!(
            problems[1].problem.message.contains("Text"),
            "{:?}",
            problems[1]
        );
    }

    #[test]
    fn the_fingerprint_of_a_row_is_the_same_in_any_format_and_on_any_day() {
        let csv = "ssn,full_name,date_of_birth,sex,area_code,entitlements\n051146000123,Trần  Thị Lan,19/08/1946,Nữ,51,TGXH:BTXH-80:540.000\n";
        let iso = "ssn,full_name,date_of_birth,sex,area_code,entitlements\n051146000123,Trần Thị Lan,1946-08-19,F,51,TGXH:BTXH-80:540000\n";
        let day = |d: &str| Date::parse("d", d).unwrap();
        let a = read_list_bytes(csv.as_bytes(), day("2026-11-25"), Lang::En).unwrap();
        let b = read_list_bytes(iso.as_bytes(), day("2026-12-01"), Lang::En).unwrap();
        let fp = |l: &List| l.valid().next().unwrap().fingerprint.clone();
        assert_eq!(fp(&a), fp(&b));
        let changed = iso.replace("51\n", "79\n").replace(",51,", ",79,");
        let c = read_list_bytes(changed.as_bytes(), day("2026-12-01"), Lang::En).unwrap();
        assert_ne!(fp(&a), fp(&c));
    }

    #[test]
    fn a_file_that_is_not_a_list_is_refused_whole_with_what_was_expected() {
        let e = list("name,age\nLan,80\n").unwrap_err();
        assert_eq!(e[0].line, 0);
        assert!(e[0].problem.message.contains("unknown column"), "{e:?}");
        let e = list("ssn,full_name\n051146000123,Lan\n").unwrap_err();
        assert!(
            e[0].problem.message.contains("date_of_birth is missing"),
            "{e:?}"
        );
        assert!(list("").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        #[test]
        fn any_file_is_read_or_refused_without_panicking(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = read_list_bytes(&bytes, Date::today(), Lang::Vi);
        }

        #[test]
        fn any_row_under_valid_headers_is_read_or_refused_with_its_line(row in "[0-9A-Za-zàáảãạăâđêôơưÀ-ỹ ,:;\"'./-]{0,120}") {
            let text = format!("ssn,full_name,date_of_birth,sex,area_code,entitlements\n{row}\n");
            if let Ok(l) = list(&text) {
                proptest::prop_assert!(l.rows.iter().all(|r| r.line == 2), "{:?}", l.rows);
            }
        }
    }
}
