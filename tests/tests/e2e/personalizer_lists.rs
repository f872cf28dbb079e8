//! The lists communes send, through the batch: the same list saved as XLSX, Excel's "Unicode
//! Text" (UTF-16), Windows-1258, semicolon CSV and UTF-8 CSV is read alike by the real binary
//! (`batch --check`, which says how it read each) and issues the same cards; `--check` and
//! `--skip-invalid` with good and bad rows and the rejected rows sent back in CSV and XLSX; an
//! account that may not issue refused before any card; likely duplicates waiting for a clerk;
//! a permanent refusal not retried by `--resume`, and a corrected list carrying the job on;
//! Ctrl-C between cards.

use std::collections::HashMap;
use std::path::Path;

use asxh_core::credential::SignedCredential;
use asxh_core::view::CredentialView;
use asxh_e2e::server::{issue_body, issue_card, ssn, Province, RunningServer};
use asxh_personalizer::batch::BatchOptions;
use asxh_personalizer::server::Server;
use asxh_personalizer::PersonalizerError;
use asxh_sheet::OutTable;
use asxh_testkit::lists::{self, XlsxCell};
use asxh_testkit::{self as testkit, InProcessReader};

use super::personalizer::{
    batch_options, list_of, personalizer, run_in_process, statuses, token_file, Clerk,
};

const HEADER: [&str; 7] = [
    "STT",
    "Số định danh",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Mã địa bàn",
    "Chế độ",
];

/// The list of the format test: dates as offices write them, entitlements with `;` between
/// them and an amount with a thousands dot.
fn rows() -> Vec<Vec<String>> {
    [
        [
            "1",
            &ssn(201, "F", 1946),
            "Trần Thị Lan",
            "19/08/1946",
            "Nữ",
            "51.22903",
            "TGXH:BTXH-80:540000;BHYT:BT",
        ],
        [
            "2",
            &ssn(202, "M", 1950),
            "Lê Văn Tư",
            "08/1950",
            "Nam",
            "51.22903",
            "TGXH:BTXH-80:540.000:01/01/2026:31/12/2030",
        ],
        [
            "3",
            &ssn(203, "F", 1938),
            "Phạm Thị Ánh",
            "1938",
            "Nữ",
            "51",
            "BHYT:BT",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect()
}

/// Delimited text as Excel writes it: a cell quoted when it holds the delimiter or a quote.
fn delimited(header: &[&str], rows: &[Vec<String>], delimiter: char) -> String {
    let cell = |c: &str| {
        if c.contains([delimiter, '"', '\n']) {
            format!("\"{}\"", c.replace('"', "\"\""))
        } else {
            c.to_owned()
        }
    };
    std::iter::once(header.iter().map(|h| cell(h)).collect::<Vec<_>>())
        .chain(rows.iter().map(|r| r.iter().map(|c| cell(c)).collect()))
        .map(|r| r.join(&delimiter.to_string()) + "\r\n")
        .collect()
}

/// The list of [`rows`] in each format, with how the batch must say it read it.
fn formats() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let rows = rows();
    let t = |s: &str| XlsxCell::Text(s.into());
    let mut sheet = vec![
        vec![t("DANH SÁCH ĐỀ NGHỊ CẤP THẺ AN SINH XÃ HỘI")],
        HEADER.iter().map(|h| t(h)).collect::<Vec<_>>(),
    ];
    for (n, r) in rows.iter().enumerate() {
        let dob = match n {
            0 => XlsxCell::Date(1946, 8, 19),
            2 => XlsxCell::Number(1938.0),
            _ => t(&r[3]),
        };
        sheet.push(vec![
            XlsxCell::Number(n as f64 + 1.0),
            t(&r[1]),
            t(&r[2]),
            dob,
            t(&r[4]),
            t(&r[5]),
            t(&r[6]),
        ]);
    }
    vec![
        (
            "list.xlsx",
            lists::xlsx("Danh sách", &sheet),
            "XLSX, worksheet \"Danh sách\"",
        ),
        (
            "list-unicode.txt",
            lists::utf16le_bom(&delimited(&HEADER, &rows, '\t')),
            "CSV, UTF-16 LE, tab-separated",
        ),
        (
            "list-1258.csv",
            lists::windows_1258(&delimited(&HEADER, &rows, ',')),
            "CSV, Windows-1258, comma-separated",
        ),
        (
            "list-semicolons.csv",
            lists::utf8_bom(&delimited(&HEADER, &rows, ';')),
            "CSV, UTF-8 (BOM), semicolon-separated",
        ),
        (
            "list-utf8.csv",
            delimited(&HEADER, &rows, ',').into_bytes(),
            "CSV, UTF-8, comma-separated",
        ),
    ]
}

/// The holder and entitlements of `ssn`'s one card, without what differs from card to card
/// (serial, keys).
fn card_data(server: &RunningServer, token: &str, ssn: &str) -> CredentialView {
    let cards = server
        .get(&format!("/v1/cards?ssn={ssn}"), Some(token))
        .json();
    let cards = cards["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{ssn}: {cards:?}");
    let credential = hex::decode(cards[0]["credential_hex"].as_str().unwrap()).unwrap();
    let body = SignedCredential::parse(&credential)
        .unwrap()
        .unverified_body()
        .unwrap();
    CredentialView {
        serial: String::new(),
        issuer_key_id_hex: String::new(),
        card_public_key_hex: None,
        ..CredentialView::from(&body)
    }
}

fn options_for(dir: &Path, input: &str) -> BatchOptions {
    BatchOptions {
        input: dir.join(input),
        ..batch_options(dir, "12345678", false)
    }
}

#[test]
fn the_same_list_as_xlsx_utf16_windows_1258_semicolons_and_utf8_is_read_alike_and_issues_the_same_cards(
) {
    let dir = tempfile::tempdir().unwrap();
    let mut issued: Vec<(String, Vec<CredentialView>)> = Vec::new();
    for (file, bytes, how) in formats() {
        std::fs::write(dir.path().join(file), &bytes).unwrap();

        // The real binary checks it with no server and no card, and says how it read it.
        let out = personalizer()
            .args(["--lang", "en", "batch", "--check", "--input"])
            .arg(dir.path().join(file))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("List read: {how}; 3 rows")),
            "{file}: {stdout}"
        );
        assert!(
            stdout.contains("The list is valid: 3 rows"),
            "{file}: {stdout}"
        );

        // Each format issues its cards on a register of its own.
        let p = Province::new();
        let server = p.dir.start();
        let work = dir.path().join(file.replace('.', "-"));
        std::fs::create_dir(&work).unwrap();
        std::fs::write(work.join(file), &bytes).unwrap();
        let office = Server::new(&server.url, &p.office_qng, None).unwrap();
        let cards = (0..3).map(|_| testkit::blank_card()).collect();
        let run = run_in_process(&office, &options_for(&work, file), cards).unwrap();
        assert_eq!(run.ended, (3, 0, 0), "{file}: {:?}", run.clerk);
        assert_eq!(run.clerk[0], format!("read {how} 3"));
        let data = rows()
            .iter()
            .map(|r| card_data(&server, &p.office_qng, &r[1]))
            .collect();
        issued.push((file.to_owned(), data));
    }
    let (first, cards) = &issued[0];
    assert_eq!(cards[0].full_name, "Trần Thị Lan");
    assert_eq!(cards[0].date_of_birth, "1946-08-19");
    assert_eq!(cards[1].date_of_birth, "1950-08");
    assert_eq!(cards[2].date_of_birth, "1938");
    assert_eq!(cards[0].entitlements.len(), 2);
    assert_eq!(cards[1].entitlements[0].monthly_amount_vnd, Some(540000));
    assert_eq!(
        cards[1].entitlements[0].valid_until.as_deref(),
        Some("2030-12-31")
    );
    for (file, other) in &issued[1..] {
        assert_eq!(other, cards, "{file} issued other cards than {first}");
    }
}

/// A list of one good row and four that Excel or a typist spoiled.
fn good_and_bad() -> String {
    let lost_zero = ssn(212, "F", 1946)[1..].to_owned();
    format!(
        "Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã địa bàn\n\
         {},Nguyễn Thị Hoa,1946,Nữ,51.22903\n\
         {lost_zero},Lê Thị Tư,1946,Nữ,51.22903\n\
         \"5,11146E+10\",Lê Thị Năm,1946,Nữ,51.22903\n\
         {},Lê Thị Sáu,30/02/1946,Nữ,51.22903\n\
         {},Lê Thị Bảy,1946,X,51.22903\n",
        ssn(211, "F", 1946),
        ssn(214, "F", 1946),
        ssn(215, "F", 1946),
    )
}

/// The rows of a written table, read back as the commune's Excel would.
fn read_back(path: &Path) -> Vec<Vec<String>> {
    let sheet = asxh_sheet::read(&std::fs::read(path).unwrap()).unwrap();
    sheet
        .rows
        .into_iter()
        .map(|r| r.cells.into_iter().map(|c| c.text).collect())
        .collect()
}

#[test]
fn output_piped_into_a_reader_that_has_gone_does_not_crash_the_tool() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("xa.csv");
    std::fs::write(&input, good_and_bad()).unwrap();
    // `asxh-personalizer batch --check … | head -1`: the reader of standard output goes away
    // before the tool writes to it.
    let out = asxh_e2e::output_with_stdout_gone(
        personalizer()
            .args(["batch", "--check", "--input"])
            .arg(&input),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "the check's own exit code: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        dir.path().join("xa.rejected.csv").exists(),
        "the rejected rows are still written"
    );
}

#[test]
fn batch_check_names_every_bad_row_and_its_fix_and_writes_them_back_in_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("xa.csv");
    std::fs::write(&input, good_and_bad()).unwrap();
    // Vietnamese, the default.
    let out = personalizer()
        .args(["batch", "--check", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let lost_zero = &ssn(212, "F", 1946)[1..];
    for line in 3..=6 {
        assert!(stderr.contains(&format!("dòng {line}:")), "{stderr}");
    }
    assert!(!stderr.contains("dòng 2:"), "{stderr}");
    assert!(
        stderr.contains(&format!("{lost_zero} có 11 chữ số"))
            && stderr.contains(&format!("0{lost_zero}")),
        "{stderr}"
    );
    assert!(stderr.contains("số mũ"), "{stderr}");
    assert!(
        stderr.contains("dòng 5: Ngày sinh: ngày 30/02/1946 không có trên lịch")
            && stderr.contains("dòng 6: Giới tính: \"X\" không phải giới tính"),
        "{stderr}"
    );
    for english in ["invalid", " is not ", "date_of_birth", "expected"] {
        assert!(!stderr.contains(english), "{english:?} in {stderr}");
    }
    assert_eq!(stderr.matches("Văn bản (Text)").count(), 2, "{stderr}");
    for file in ["xa.rejected.csv", "xa.rejected.xlsx"] {
        let rows = read_back(&dir.path().join(file));
        assert_eq!(rows.len(), 5, "{file}: {rows:?}");
        assert_eq!(rows[0].last().unwrap(), "Lý do", "{file}");
        assert_eq!(
            rows[1][0], lost_zero,
            "{file}: the cells as the list had them"
        );
        assert!(rows[1][5].contains("Văn bản"), "{file}: {:?}", rows[1]);
        assert_eq!(
            rows[3][5], "Ngày sinh: ngày 30/02/1946 không có trên lịch",
            "{file}: the field by its label, the date day first"
        );
        assert_eq!(
            rows[4][5], "Giới tính: \"X\" không phải giới tính (ghi Nam hoặc Nữ)",
            "{file}"
        );
    }
}

#[test]
fn skip_invalid_issues_the_good_rows_a_refusal_is_not_retried_and_a_corrected_list_goes_on() {
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    let office = Server::new(&server.url, &p.office_qng, None).unwrap();
    // One more good row, and one the account may not issue (area 79 is another province's).
    let list = good_and_bad()
        + &format!(
            "{},Trần Thị Tám,1946,Nữ,51.22903\n{},Trần Thị Chín,1946,Nữ,79.26734\n",
            ssn(216, "F", 1946),
            ssn(217, "F", 1946)
        );
    std::fs::write(dir.path().join("list.csv"), &list).unwrap();
    let mut options = batch_options(dir.path(), "12345678", false);
    options.skip_invalid = true;
    options.rejected = vec![dir.path().join("back.csv"), dir.path().join("back.xlsx")];

    // Without --skip-invalid the list is refused and nothing starts.
    let refused = BatchOptions {
        skip_invalid: false,
        ..options.clone()
    };
    let Err(e) = run_in_process(&office, &refused, vec![testkit::blank_card()]) else {
        panic!("a list with bad rows is refused");
    };
    assert_eq!(e.exit_code(), 3, "{e}");
    assert!(!options.job.exists());

    let run = run_in_process(
        &office,
        &options,
        vec![testkit::blank_card(), testkit::blank_card()],
    )
    .unwrap();
    assert_eq!(run.ended, (2, 0, 10), "{:?}", run.clerk);
    assert!(
        run.clerk
            .iter()
            .any(|e| e.starts_with("skipped line 8: Area code: area 79.26734 is outside")),
        "{:?}",
        run.clerk
    );
    assert!(run.clerk.contains(&"rejected rows 5".to_owned()));
    for n in [211, 216] {
        assert_eq!(
            statuses(&server, &p.office_qng, &ssn(n, "F", 1946)),
            ["active"]
        );
    }
    for file in ["back.csv", "back.xlsx"] {
        let rows = read_back(&dir.path().join(file));
        let names: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(
            names,
            [
                "Lê Thị Tư",
                "Lê Thị Năm",
                "Lê Thị Sáu",
                "Lê Thị Bảy",
                "Trần Thị Chín"
            ],
            "{file}"
        );
        assert!(rows[5][5].contains("outside the account's area"), "{file}");
    }

    // --resume with the same list: the refusal is not tried again, no card is asked for.
    let resume = BatchOptions {
        resume: true,
        ..options.clone()
    };
    let run = run_in_process(&office, &resume, vec![]).unwrap();
    assert_eq!(run.ended, (2, 0, 10), "{:?}", run.clerk);
    assert!(
        !run.clerk.iter().any(|e| e.starts_with("insert")),
        "{:?}",
        run.clerk
    );

    // The commune corrects the SSN Excel dropped a zero from and the area, and sends back only
    // those rows: they are issued, the job's other rows keep their state.
    let corrected = format!(
        "Số định danh;Họ và tên;Ngày sinh;Giới tính;Mã địa bàn;Lý do\n\
         {};Lê Thị Tư;1946;Nữ;51.22903;old reason\n\
         {};Trần Thị Chín;1946;Nữ;51.22903;\n",
        ssn(212, "F", 1946),
        ssn(217, "F", 1946)
    );
    std::fs::write(
        dir.path().join("corrected.csv"),
        lists::utf8_bom(&corrected),
    )
    .unwrap();
    let carry_on = BatchOptions {
        input: dir.path().join("corrected.csv"),
        ..resume.clone()
    };
    let run = run_in_process(
        &office,
        &carry_on,
        vec![testkit::blank_card(), testkit::blank_card()],
    )
    .unwrap();
    assert_eq!(run.ended, (4, 0, 0), "{:?}", run.clerk);
    assert!(
        run.clerk
            .iter()
            .any(|e| e.contains("the rejected row was corrected")),
        "{:?}",
        run.clerk
    );
    for n in [211, 212, 216, 217] {
        assert_eq!(
            statuses(&server, &p.office_qng, &ssn(n, "F", 1946)),
            ["active"],
            "{n}"
        );
    }
}

#[test]
fn an_account_that_may_not_issue_is_refused_before_any_card_or_job_is_touched() {
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("list.csv"), list_of(2)).unwrap();
    let job = dir.path().join("job.sqlite");
    // Through the binary: no reader is opened before the account is checked.
    let out = personalizer()
        .args(["--lang", "en", "batch", "--server", &server.url])
        .args(["--token-file", &token_file(dir.path(), &p.admin_51)])
        .arg("--input")
        .arg(dir.path().join("list.csv"))
        .arg("--job")
        .arg(&job)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains("may not issue cards") && stderr.contains("No card was touched"),
        "{stderr}"
    );
    assert!(!job.exists(), "no job starts");

    // In process: the inserted card stays blank.
    let admin = Server::new(&server.url, &p.admin_51, None).unwrap();
    let mut reader = InProcessReader::new(vec![testkit::blank_card()]);
    let e = asxh_personalizer::batch::run(
        &admin,
        &mut reader,
        &batch_options(dir.path(), "12345678", false),
        &mut Clerk::default(),
    )
    .unwrap_err();
    assert!(matches!(e, PersonalizerError::Account(_)), "{e}");
    assert_eq!(reader.connections(), 0, "the card was not touched");
    assert!(!job.exists());
}

#[test]
fn likely_duplicates_in_the_list_and_in_the_register_wait_for_a_clerks_decision() {
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    let office = Server::new(&server.url, &p.office_qng, None).unwrap();
    // The register has Trần Thị Lan, born 19/08/1946 in 51.22903, under SSN 300.
    let (_, card) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(300, "51.22903"),
    );
    let list = format!(
        "Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã địa bàn\n\
         {},TRAN THI LAN,1946,Nữ,51.22903\n\
         {},Lê Thị Tư,1940,Nữ,51.22903\n\
         {},Le Thi Tu,03/1940,Nữ,51.22903\n\
         {},Phạm Thị Ánh,1941,Nữ,51.22903\n",
        ssn(301, "F", 1946),
        ssn(302, "F", 1940),
        ssn(303, "F", 1940),
        ssn(304, "F", 1941),
    );
    std::fs::write(dir.path().join("list.csv"), list).unwrap();
    let options = batch_options(dir.path(), "12345678", false);

    let mut reader = InProcessReader::new(vec![testkit::blank_card()]);
    let e = asxh_personalizer::batch::run(&office, &mut reader, &options, &mut Clerk::default())
        .unwrap_err();
    assert!(matches!(e, PersonalizerError::Duplicates(3)), "{e}");
    assert_eq!(e.exit_code(), 9);
    assert_eq!(reader.connections(), 0, "no card was touched");
    assert!(!options.job.exists(), "no job starts");
    let found = read_back(&options.duplicates[0]);
    assert_eq!(found.len(), 4, "{found:?}");
    let by_line: HashMap<&str, &Vec<String>> =
        found[1..].iter().map(|r| (r[1].as_str(), r)).collect();
    assert!(
        by_line["2"][6].contains(card["serial"].as_str().unwrap()),
        "{:?}",
        by_line["2"]
    );
    assert!(by_line["3"][6].contains("line 4"), "{:?}", by_line["3"]);
    assert!(by_line["4"][6].contains("line 3"), "{:?}", by_line["4"]);

    // The clerk decides: line 2 is the registered person (skip), lines 3 and 4 are one person
    // (issue the first, skip the second).
    let decided = OutTable {
        headers: found[0].clone(),
        rows: found[1..]
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r[0] = if r[1] == "3" { "Cấp" } else { "bỏ" }.into();
                r
            })
            .collect(),
    };
    let decisions = dir.path().join("decided.xlsx");
    decided.save_xlsx(&decisions, "Trung nguoi").unwrap();
    let options = BatchOptions {
        accept_duplicates: Some(decisions),
        ..options
    };
    let run = run_in_process(
        &office,
        &options,
        vec![testkit::blank_card(), testkit::blank_card()],
    )
    .unwrap();
    assert_eq!(run.ended, (2, 0, 10), "{:?}", run.clerk);
    assert_eq!(
        statuses(&server, &p.office_qng, &ssn(302, "F", 1940)),
        ["active"]
    );
    assert_eq!(
        statuses(&server, &p.office_qng, &ssn(304, "F", 1941)),
        ["active"]
    );
    for n in [(301, 1946), (303, 1940)] {
        assert!(statuses(&server, &p.office_qng, &ssn(n.0, "F", n.1)).is_empty());
    }
    let back = read_back(&options.rejected[0]);
    assert_eq!(back.len(), 3, "{back:?}");
    assert!(back[1][5].contains("likely duplicate"), "{:?}", back[1]);
}

#[test]
fn ctrl_c_between_cards_stops_the_batch_with_its_results_written_and_resume_finishes_it() {
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("list.csv"), list_of(3)).unwrap();
    let office = Server::new(&server.url, &p.office_qng, None).unwrap();
    let options = batch_options(dir.path(), "12345678", false);
    let mut clerk = Clerk {
        stop_after: Some(1),
        ..Clerk::default()
    };
    let mut reader = InProcessReader::new((0..3).map(|_| testkit::blank_card()));
    let summary =
        asxh_personalizer::batch::run(&office, &mut reader, &options, &mut clerk).unwrap();
    assert!(summary.stopped);
    assert_eq!(
        (summary.done, summary.left, summary.exit_code()),
        (1, 2, 130)
    );
    assert_eq!(reader.connections(), 1, "no card after the stop");
    let results = std::fs::read_to_string(&options.results).unwrap();
    assert_eq!(results.matches(",done,").count(), 1, "{results}");
    assert_eq!(results.matches(",todo,").count(), 2, "{results}");

    let resume = BatchOptions {
        resume: true,
        ..options
    };
    let run = run_in_process(
        &office,
        &resume,
        vec![testkit::blank_card(), testkit::blank_card()],
    )
    .unwrap();
    assert_eq!(run.ended, (3, 0, 0), "{:?}", run.clerk);
    assert!(
        run.clerk.contains(&"started 1/3".to_owned()),
        "{:?}",
        run.clerk
    );
}
