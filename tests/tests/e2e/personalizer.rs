//! The issuing office's personalizer end to end, through pcscd and the vpcd virtual readers with
//! the real server on loopback: one card issued and printed, a 50-row batch with a card pulled
//! mid-write and the process killed mid-row then resumed, and a list with bad rows; and the batch
//! run of the library in process, with in-process cards.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use asxh_card::vpcd::InsertedCard;
use asxh_card::{CardApp, MemoryStorage};
use asxh_core::card::{ins, AdminCode, CardApplication};
use asxh_e2e::server::{ssn, Province, RunningServer};
use asxh_e2e::verifier::Verifier;
use asxh_e2e::{binary, insert, VirtualReader};
use asxh_personalizer::batch::{self, BatchOptions, BatchUi, Duplicate, JobNote, RowProblem};
use asxh_personalizer::flow::Personalized;
use asxh_personalizer::server::Server;
use asxh_personalizer::PersonalizerError;
use asxh_sheet::Source;
use asxh_testkit::{self as testkit, InProcessReader};
use asxh_text::{Catalogued, Lang};

pub(super) fn personalizer() -> Command {
    let mut c = Command::new(binary("asxh-personalizer"));
    c.env("RUST_LOG", "warn");
    c
}

pub(super) fn token_file(dir: &std::path::Path, token: &str) -> String {
    let path = dir.join("office.token");
    std::fs::write(&path, token).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn one_card_is_issued_through_pcscd_printed_and_verifies_at_a_payment_point() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path(), &p.office_qng);
    let face = dir.path().join("card.png");
    let card = insert(testkit::blank_card(), reader);
    let out = personalizer()
        .args([
            "--lang",
            "en",
            "issue",
            "--server",
            &server.url,
            "--token-file",
            &token,
            "--reader",
            reader.name(),
        ])
        .args([
            "--ssn",
            &ssn(1, "F", 1938),
            "--name",
            "Hồ Thị Tư",
            "--dob",
            "1938",
            "--sex",
            "F",
            "--area",
            "51.22903",
        ])
        .args([
            "--entitlement",
            "TGXH:BTXH-80:540000:2026-01-01",
            "--recipient",
            "Phạm Thị Hoa:001175000222",
        ])
        .args(["--print", face.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let serial = stdout.split_whitespace().nth(2).unwrap().to_owned();
    let apdus: u32 = stdout
        .split('(')
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(apdus <= 12, "{stdout}");
    let record = server
        .get(&format!("/v1/cards/{serial}"), Some(&p.office_qng))
        .json();
    assert_eq!(record["status"], "active", "{record}");

    // The printed face's QR is exactly what the server signed.
    let img = image::open(&face).unwrap().to_luma8();
    assert_eq!((img.width(), img.height()), (1011, 638), "CR80 at 300 dpi");
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(
        grids[0].decode().unwrap().1,
        record["qr_text"].as_str().unwrap()
    );

    // The card, still in the reader, verifies at a payment point and is never overwritten.
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);
    let (code, verdict) = v.verdict(&["card", "--reader", reader.name()]);
    assert_eq!(code, 0, "{verdict}");
    assert_eq!(verdict["holder"]["date_of_birth"], "1938");
    let again = personalizer()
        .args([
            "issue",
            "--server",
            &server.url,
            "--token-file",
            &token,
            "--reader",
            reader.name(),
        ])
        .args([
            "--ssn",
            &ssn(2, "F", 1938),
            "--name",
            "Lan",
            "--dob",
            "1938",
            "--sex",
            "F",
            "--area",
            "51",
        ])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(4));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains(&serial),
        "the message names the card's serial"
    );
    drop(card.remove());

    // Printing again from the server's record gives the same QR.
    let svg = dir.path().join("again.svg");
    let out = personalizer()
        .args([
            "print",
            "--serial",
            &serial,
            "--server",
            &server.url,
            "--token-file",
            &token,
            "--out",
            svg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&svg).unwrap().contains("HỒ THỊ TƯ"));
}

/// A card that is pulled out while the personalizer waits for its answer to ACTIVATE: it raises
/// `pulled`, and the command never reaches the card (it stays PERSONALIZING).
struct PulledAtActivate {
    inner: CardApp<MemoryStorage>,
    pulled: Arc<AtomicBool>,
}

impl CardApplication for PulledAtActivate {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        if command.get(1) == Some(&ins::ACTIVATE_FILE) && !self.pulled.load(Ordering::SeqCst) {
            self.pulled.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(2));
            return vec![0x6F, 0x00];
        }
        self.inner.process(command)
    }
    fn power_cycle(&mut self) {
        self.inner.power_cycle()
    }
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
}

/// Inserts a blank [`PulledAtActivate`] card and returns once the personalizer has sent it
/// ACTIVATE (whose answer it will never get).
fn insert_and_wait_for_activate(reader: VirtualReader) -> InsertedCard<PulledAtActivate> {
    let pulled = Arc::new(AtomicBool::new(false));
    let card = insert(
        PulledAtActivate {
            inner: testkit::blank_card(),
            pulled: pulled.clone(),
        },
        reader,
    );
    while !pulled.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(10));
    }
    card
}

pub(super) fn list_of(rows: u32) -> String {
    let mut csv =
        String::from("\u{feff}Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã địa bàn,Chế độ\n");
    for n in 0..rows {
        const FAMILY: [&str; 5] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"];
        const GIVEN: [&str; 10] = [
            "Lan", "Hoa", "Mai", "Cúc", "Đào", "Huệ", "Hạnh", "Thư", "Yến", "Ánh",
        ];
        let name = format!(
            "{} Thị {}",
            FAMILY[(n / 10) as usize],
            GIVEN[(n % 10) as usize]
        );
        csv += &format!(
            "{},{name},1950-0{}-1{},Nữ,51.22903,TGXH:BTXH-80:540000;BHYT:BT\n",
            ssn(100 + n, "F", 1950),
            1 + n % 9,
            n % 10
        );
    }
    csv
}

/// The batch process with its stdout lines on a channel.
struct Batch {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Batch {
    fn start(
        server: &RunningServer,
        token: &str,
        input: &str,
        job: &str,
        reader: VirtualReader,
        resume: bool,
    ) -> Batch {
        let mut cmd = personalizer();
        cmd.args([
            "--lang",
            "en",
            "batch",
            "--server",
            &server.url,
            "--token-file",
            token,
            "--input",
            input,
            "--job",
            job,
            "--reader",
            reader.name(),
            "--card-timeout",
            "60s",
        ]);
        // Faces and their card files beside the job, and the A4 sheet of every card issued.
        cmd.args(["--print-dir", &format!("{job}.faces")])
            .args(["--sheet", &format!("{job}.sheet.pdf")]);
        if resume {
            cmd.arg("--resume");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Batch { child, lines }
    }

    /// The next `line N: ...` result.
    fn next_result(&self) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("a result line from the batch");
            if line.starts_with("line ") {
                return line;
            }
        }
    }
}

#[test]
fn a_fifty_row_batch_survives_a_pulled_card_and_a_killed_process_without_issuing_an_ssn_twice() {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path(), &p.office_qng);
    let input = dir.path().join("list.csv");
    std::fs::write(&input, list_of(50)).unwrap();
    let (input, job) = (
        input.to_str().unwrap().to_owned(),
        dir.path().join("job.sqlite").to_str().unwrap().to_owned(),
    );

    let batch = Batch::start(&server, &token, &input, &job, reader, false);
    let mut results = Vec::new();
    while results.len() < 30 {
        if results.len() == 10 {
            // Pulled mid-personalization: the row fails, its server card is voided, and the same
            // card is then personalized from scratch for the next row.
            let card = insert_and_wait_for_activate(reader);
            let (app, _) = card.remove();
            let result = batch.next_result();
            assert!(result.contains("failed"), "{result}");
            results.push(result);
            let card = insert(app.inner, reader);
            let result = batch.next_result();
            assert!(
                result.contains("done"),
                "the pulled card is personalized again: {result}"
            );
            results.push(result);
            drop(card.remove());
            continue;
        }
        let card = insert(testkit::blank_card(), reader);
        let result = batch.next_result();
        assert!(result.contains("done"), "{result}");
        results.push(result);
        drop(card.remove());
    }
    // Killed in the middle of a row: after the server signed, before the card was locked.
    let card = insert_and_wait_for_activate(reader);
    let mut child = batch.child;
    child.kill().unwrap();
    child.wait().unwrap();
    let (app, _) = card.remove();

    // Resume: the interrupted row's PENDING card is voided and the row is done again.
    let batch = Batch::start(&server, &token, &input, &job, reader, true);
    let mut next_card = Some(app.inner);
    while results.iter().filter(|r| r.contains("done")).count() < 50 {
        let card = insert(next_card.take().unwrap_or_else(testkit::blank_card), reader);
        let result = batch.next_result();
        drop(card.remove());
        assert!(result.contains("done"), "{result}");
        results.push(result);
    }
    let mut child = batch.child;
    assert!(child.wait().unwrap().success());

    // Every SSN has exactly one active card, and no card is left PENDING.
    for n in 0..50 {
        let cards = server
            .get(
                &format!("/v1/cards?ssn={}", ssn(100 + n, "F", 1950)),
                Some(&p.office_qng),
            )
            .json();
        let statuses: Vec<&str> = cards["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == "active").count(),
            1,
            "SSN {n}: {statuses:?}"
        );
        assert!(!statuses.contains(&"pending"), "SSN {n}: {statuses:?}");
    }
    let results_csv = std::fs::read_to_string(dir.path().join("job.results.csv")).unwrap();
    assert_eq!(
        results_csv.lines().filter(|l| l.contains(",done,")).count(),
        50,
        "{results_csv}"
    );

    // The resumed run's sheet holds all 50 cards, the first run's fetched from the server: ten
    // to an A4 page, each name selectable text with its diacritics.
    let sheet = format!("{job}.sheet.pdf");
    let text = Command::new("pdftotext")
        .args([&sheet, "-"])
        .output()
        .unwrap();
    assert!(text.status.success(), "pdftotext {sheet}");
    let text = String::from_utf8(text.stdout).unwrap();
    assert_eq!(text.matches('\u{c}').count(), 5, "five pages");
    let list = list_of(50);
    for name in list.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()) {
        assert!(
            text.contains(&name.to_uppercase()),
            "{name} not on the sheet"
        );
    }
    // Each card issued has its face and its card file; the pulled card's failed row has none.
    let faces: Vec<_> = std::fs::read_dir(format!("{job}.faces"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(faces.iter().filter(|f| f.ends_with(".png")).count(), 50);
    assert_eq!(faces.iter().filter(|f| f.ends_with(".json")).count(), 50);
}

#[test]
fn a_list_with_bad_rows_is_refused_whole_with_every_line_and_field_named() {
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path(), &p.office_qng);
    let input = dir.path().join("list.csv");
    std::fs::write(
        &input,
        "ssn,full_name,date_of_birth,sex,area_code,entitlements\n\
         051150000001,Good Row,1950,F,51,TGXH:A\n\
         051150000002,Bad Date,1950-02-30,F,51,\n\
         051150000003,\"Broken, quote,1950,F,51,\n",
    )
    .unwrap();
    let out = personalizer()
        .args([
            "--lang",
            "en",
            "batch",
            "--server",
            &server.url,
            "--token-file",
            &token,
            "--input",
            input.to_str().unwrap(),
        ])
        .args(["--job", dir.path().join("job.sqlite").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 3: Date of birth: 30/02/1950 is not a calendar date"),
        "{stderr}"
    );
    assert!(stderr.contains("no card was touched"), "{stderr}");
    assert!(
        !dir.path().join("job.sqlite").exists(),
        "no job starts on a bad list"
    );
    let cards = server
        .get(
            &format!("/v1/cards?ssn={}", "051150000001"),
            Some(&p.office_qng),
        )
        .json();
    assert_eq!(
        cards["cards"].as_array().unwrap().len(),
        0,
        "nothing was issued"
    );
}

/// What the in-process batch run told the clerk, one entry per event; with `stop_after`, the
/// clerk presses Ctrl-C once that many cards are done.
#[derive(Default)]
pub(super) struct Clerk {
    pub(super) events: Vec<String>,
    pub(super) stop_after: Option<usize>,
    pub(super) done: usize,
}

impl BatchUi for Clerk {
    fn list_read(&mut self, source: &Source, rows: usize) {
        self.events.push(format!("read {source} {rows}"));
    }
    fn list_refused(&mut self, problems: &[RowProblem]) {
        for p in problems {
            self.events
                .push(format!("refused line {}: {}", p.line, p.problem));
        }
    }
    fn rows_skipped(&mut self, problems: &[RowProblem]) {
        for p in problems {
            self.events
                .push(format!("skipped line {}: {}", p.line, p.problem));
        }
    }
    fn duplicates_found(&mut self, duplicates: &[Duplicate], _: &[PathBuf]) {
        for d in duplicates {
            self.events.push(format!("duplicate {}", d.text(Lang::En)));
        }
    }
    fn recovered(&mut self, note: &JobNote) {
        self.events
            .push(format!("recovered {}", note.text(Lang::En)));
    }
    fn started(&mut self, rows: usize, done: usize) {
        self.events.push(format!("started {done}/{rows}"));
    }
    fn insert_card(&mut self, line: u64, holder: &str) {
        self.events.push(format!("insert {line} {holder}"));
    }
    fn not_blank(&mut self, _: &PersonalizerError) {
        self.events.push("not blank".into());
    }
    fn row_done(&mut self, line: u64, _: &Personalized) {
        self.events.push(format!("done {line}"));
        self.done += 1;
    }
    fn row_failed(&mut self, line: u64, _: &PersonalizerError) {
        self.events.push(format!("failed {line}"));
    }
    fn row_rejected(&mut self, line: u64, _: &PersonalizerError) {
        self.events.push(format!("rejected {line}"));
    }
    fn remove_card(&mut self) {
        self.events.push("remove".into());
    }
    fn finished(&mut self) {
        self.events.push("finished".into());
    }
    fn rejected_written(&mut self, _: &[PathBuf], rows: usize) {
        self.events.push(format!("rejected rows {rows}"));
    }
    fn sheet_written(&mut self, _: &std::path::Path, cards: usize) {
        self.events.push(format!("sheet {cards}"));
    }
    fn stop_requested(&mut self) -> bool {
        self.stop_after.is_some_and(|n| self.done >= n)
    }
}

pub(super) fn batch_options(dir: &std::path::Path, admin_code: &str, resume: bool) -> BatchOptions {
    BatchOptions {
        input: dir.join("list.csv"),
        job: dir.join("job.sqlite"),
        resume,
        admin_code: AdminCode::parse(admin_code).unwrap(),
        print_dir: Some(dir.join("faces")),
        sheet: None,
        results: dir.join("results.csv"),
        card_timeout: Duration::from_secs(1),
        lang: Lang::En,
        skip_invalid: false,
        retry_rejected: false,
        accept_duplicates: None,
        rejected: vec![dir.join("rejected.csv")],
        duplicates: vec![dir.join("duplicates.csv")],
    }
}

/// The states of `ssn`'s cards on the server.
pub(super) fn statuses(server: &RunningServer, token: &str, ssn: &str) -> Vec<String> {
    server
        .get(&format!("/v1/cards?ssn={ssn}"), Some(token))
        .json()["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap().to_owned())
        .collect()
}

/// How an in-process batch ended: rows done, rows failed and the exit code, what the clerk was
/// told, and the cards in the order they were inserted.
pub(super) struct InProcessRun {
    pub(super) ended: (usize, usize, u8),
    pub(super) clerk: Vec<String>,
    pub(super) cards: Vec<CardApp<MemoryStorage>>,
}

/// Runs a batch in process over `cards`, the server signing.
pub(super) fn run_in_process(
    office: &Server,
    options: &BatchOptions,
    cards: Vec<CardApp<MemoryStorage>>,
) -> Result<InProcessRun, PersonalizerError> {
    let mut reader = InProcessReader::new(cards);
    let mut clerk = Clerk::default();
    let summary = batch::run(office, &mut reader, options, &mut clerk)?;
    Ok(InProcessRun {
        ended: (summary.done, summary.failed, summary.exit_code()),
        clerk: clerk.events,
        cards: reader.into_cards(),
    })
}

#[test]
fn a_batch_run_in_process_skips_a_card_that_is_not_blank_issues_every_row_and_prints_each_face() {
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("list.csv"), list_of(2)).unwrap();
    let office = Server::new(&server.url, &p.office_qng, None).unwrap();
    let not_blank = testkit::issued_card(99, vec![], None);
    let options = batch_options(dir.path(), "12345678", false);
    let run = run_in_process(
        &office,
        &options,
        vec![not_blank, testkit::blank_card(), testkit::blank_card()],
    )
    .unwrap();
    assert_eq!(run.ended, (2, 0, 0));
    assert_eq!(
        run.clerk,
        [
            "read CSV, UTF-8 (BOM), comma-separated 2",
            "started 0/2",
            "insert 2 Nguyễn Thị Lan",
            "not blank",
            "insert 2 Nguyễn Thị Lan",
            "done 2",
            "remove",
            "insert 3 Nguyễn Thị Hoa",
            "done 3",
            "remove",
            "finished"
        ]
    );
    let life_cycles: Vec<&str> = run.cards.iter().map(|c| c.life_cycle().name()).collect();
    assert_eq!(life_cycles, ["ISSUED", "ISSUED", "ISSUED"]);
    for n in 0..2 {
        assert_eq!(
            statuses(&server, &p.office_qng, &ssn(100 + n, "F", 1950)),
            ["active"]
        );
    }
    let results = std::fs::read_to_string(&options.results).unwrap();
    assert_eq!(
        results.lines().filter(|l| l.contains(",done,")).count(),
        2,
        "{results}"
    );
    let printed: Vec<_> = std::fs::read_dir(dir.path().join("faces"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let with_extension = |ext: &str| {
        printed
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .count()
    };
    assert_eq!(
        (with_extension("png"), with_extension("json"), printed.len()),
        (2, 2, 4),
        "one face and one card file per issued card: {printed:?}"
    );
}

#[test]
fn a_failed_row_of_an_in_process_batch_is_retried_on_resume_without_issuing_its_ssn_twice() {
    let p = Province::new();
    let server = p.dir.start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("list.csv"), list_of(1)).unwrap();
    let office = Server::new(&server.url, &p.office_qng, None).unwrap();

    // The cards were delivered with another administrative code than the one given.
    let options = batch_options(dir.path(), "87654321", false);
    let run = run_in_process(&office, &options, vec![testkit::blank_card()]).unwrap();
    assert_eq!(run.ended, (0, 1, 8));
    assert_eq!(
        run.clerk,
        [
            "read CSV, UTF-8 (BOM), comma-separated 1",
            "started 0/1",
            "insert 2 Nguyễn Thị Lan",
            "failed 2",
            "remove",
            "finished"
        ]
    );
    let ssn = ssn(100, "F", 1950);
    assert!(
        statuses(&server, &p.office_qng, &ssn).is_empty(),
        "nothing issued"
    );

    // Without --resume the job file is not touched again.
    let Err(e) = run_in_process(&office, &options, vec![]) else {
        panic!("a second run without --resume must be refused");
    };
    assert_eq!(e.exit_code(), 2, "{e}");

    let options = batch_options(dir.path(), "12345678", true);
    let run = run_in_process(&office, &options, vec![testkit::blank_card()]).unwrap();
    assert_eq!(run.ended, (1, 0, 0));
    assert_eq!(
        run.clerk,
        [
            "read CSV, UTF-8 (BOM), comma-separated 1",
            "started 0/1",
            "insert 2 Nguyễn Thị Lan",
            "done 2",
            "remove",
            "finished"
        ]
    );
    assert_eq!(statuses(&server, &p.office_qng, &ssn), ["active"]);
}
