//! The printed card face read back as a person or a scanner reads it: faces printed by
//! `asxh-personalizer print` (one card as PNG and PDF, and an A4 sheet of several) are read by
//! OCR (tesseract with Debian's Vietnamese data, `tesseract-ocr-vie`), by `pdftotext` (poppler)
//! and by a QR decoder (rqrr), and the PNG's recorded resolution is checked. The files stay in
//! the target directory's `tmp/faces/` for a person to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use asxh_core::{Credential, QrBody, QrCredential};
use asxh_testkit as testkit;
use asxh_testkit::test_key;
use unicode_normalization::UnicodeNormalization;

const OFFICE: &str = "Phòng Lao động – Thương binh và Xã hội huyện Nghĩa Hành";
const LONG_NAME: &str = "Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bích Hạnh";

/// A signed credential (hex) and its QR text for a holder born 19/08/1946, with a card issued
/// 15/01/2026 and valid until 14/01/2036.
fn card(serial: u64, name: &str) -> (String, String) {
    let key = testkit::issuer_key();
    let holder = testkit::holder("051146000123", name, "1946-08-19", "F", "51.22903");
    let body = testkit::credential_body(
        serial,
        holder,
        test_key("card").verifying_key(),
        &key,
        testkit::entitlements(3),
    );
    let qr = QrCredential::issue(QrBody::for_card(&body), &key).unwrap();
    let credential = Credential::issue(body, &key).unwrap();
    (hex::encode(credential.to_bytes()), qr.text().to_owned())
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("faces");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn print(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_asxh-personalizer"))
        .arg("print")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "print {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn print_card(name: &str, out: &Path) -> String {
    let (credential, qr) = card(1, name);
    print(&[
        "--credential",
        &credential,
        "--qr",
        &qr,
        "--office-name",
        OFFICE,
        "--out",
        out.to_str().unwrap(),
    ]);
    qr
}

/// Runs a tool of the machine (installed by scripts/setup) and returns its standard output.
fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} cannot run ({e}): scripts/setup installs it"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One entry of `pdfinfo`'s report.
fn pdfinfo(pdf: &Path, key: &str) -> String {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("no {key} in {info}"))
        .trim()
        .to_owned()
}

/// Text as compared: NFC, whitespace runs made one space.
fn normal(text: &str) -> String {
    text.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn upper(name: &str) -> String {
    name.to_uppercase()
}

/// Scales, from 300 dpi, at which the face is read by OCR, in the order tried.
const OCR_SCALES: [u32; 7] = [150, 125, 175, 140, 160, 200, 100];

/// OCR of a 300 dpi PNG scaled by `percent`.
fn ocr(png: &Path, percent: u32) -> String {
    let img = image::open(png).unwrap();
    let scaled = img.resize(
        img.width() * percent / 100,
        img.height() * percent / 100,
        image::imageops::FilterType::Lanczos3,
    );
    let file = png.with_extension(format!("{percent}.png"));
    scaled.save(&file).unwrap();
    let dpi = (300 * percent / 100).to_string();
    normal(&run(
        "tesseract",
        &[file.to_str().unwrap(), "stdout", "-l", "vie", "--dpi", &dpi],
    ))
}

/// Reads the face at one scale after another until every one of `expected` has been read
/// exactly (after NFC) in some reading; returns what was not, with every reading.
///
/// Debian's Vietnamese model is fast, not best: on the stacked marks of capitals it sometimes
/// drops one (NGUYỄN read NGUYÊN, ĐẶNG read ĐĂNG, TRẦN read TRẤN), and which word it misses
/// changes with the scale of the very same image. A clerk looks twice; so does the test. A mark
/// that is not on the face (no glyph, a decomposed name drawn badly, a mark clipped by the line
/// above) is read at no scale, and a date printed ISO never reads as dd/mm/yyyy.
fn read_until_all_found(png: &Path, expected: &[String]) -> Result<(), String> {
    let mut readings = Vec::new();
    for percent in OCR_SCALES {
        readings.push((percent, ocr(png, percent)));
        let missing: Vec<&String> = expected
            .iter()
            .filter(|e| !readings.iter().any(|(_, r)| r.contains(e.as_str())))
            .collect();
        if missing.is_empty() {
            eprintln!("{}: read after {} readings", png.display(), readings.len());
            return Ok(());
        }
        if readings.len() == OCR_SCALES.len() {
            return Err(format!(
                "never read {missing:?} in:\n{}",
                readings
                    .iter()
                    .map(|(p, r)| format!("{p}%: {r}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    Ok(())
}

#[test]
fn ocr_reads_the_name_with_its_diacritics_and_the_dates_day_first_from_the_png() {
    let dir = out_dir();
    for (i, name) in [
        LONG_NAME,
        "Hồ Thị Tư",
        "Trần Văn Được",
        "Đặng Văn Lộc",
        "Huỳnh Thị Kiều Oanh",
        "Dương Văn Ấn",
    ]
    .into_iter()
    .enumerate()
    {
        let png = dir.join(format!("name-{i}.png"));
        let qr = print_card(name, &png);
        let expected: Vec<String> = [
            upper(name).as_str(),
            "Ngày sinh: 19/08/1946",
            "Ngày cấp: 15/01/2026",
            "Có giá trị đến: 14/01/2036",
            "Số định danh cá nhân: 051146000123",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            // OCR reads the motto's en dashes as hyphens.
            "Độc lập - Tự do - Hạnh phúc",
            "THẺ AN SINH XÃ HỘI",
            "Nơi cấp: Phòng Lao động",
        ]
        .iter()
        .map(|e| normal(e))
        .collect();
        if let Err(e) = read_until_all_found(&png, &expected) {
            panic!("{name}: OCR {e}");
        }

        let gray = image::open(&png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(gray);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "{name}: one QR");
        assert_eq!(grids[0].decode().unwrap().1, qr, "{name}: the QR's text");
    }
}

#[test]
fn the_png_prints_at_the_card_size_from_its_recorded_300_dpi() {
    let png = out_dir().join("dpi.png");
    print_card("Trần Thị Lan", &png);
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    let dims = info.pixel_dims.expect("a pHYs chunk");
    assert_eq!(dims.unit, png::Unit::Meter);
    let mm = |px: u32, ppm: u32| f64::from(px) / f64::from(ppm) * 1000.0;
    assert!((mm(info.width, dims.xppu) - 85.60).abs() < 0.1, "width");
    assert!((mm(info.height, dims.yppu) - 53.98).abs() < 0.1, "height");
}

#[test]
fn the_pdf_text_is_selectable_with_every_diacritic() {
    let pdf = out_dir().join("long.pdf");
    print_card(LONG_NAME, &pdf);
    let text = normal(&run("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "THẺ AN SINH XÃ HỘI",
        "Ngày sinh: 19/08/1946",
        "Ngày cấp: 15/01/2026",
        "Có giá trị đến: 14/01/2036",
        "Số định danh cá nhân: 051146000123",
        "Nơi cấp:",
        "Nghĩa Hành",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // The name may be wrapped: its words in order.
    let words: Vec<&str> = text.split(' ').collect();
    let name = upper(LONG_NAME);
    let name_words: Vec<&str> = name.split(' ').collect();
    assert!(
        words
            .windows(name_words.len())
            .any(|w| w == name_words.as_slice()),
        "{name} not in:\n{text}"
    );
    assert_eq!(pdfinfo(&pdf, "Page size"), "242.646 x 153.014 pts", "CR80");
    // Both fonts embedded as subsets, CID TrueType with Identity-H and a ToUnicode map.
    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    let embedded: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| l.contains("CID TrueType") && l.contains("Identity-H"))
        .filter(|l| {
            l.split_whitespace()
                .rev()
                .skip(2)
                .take(3)
                .all(|v| v == "yes")
        })
        .collect();
    assert_eq!(embedded.len(), 2, "{fonts}");
}

#[test]
fn several_cards_print_on_a4_sheets_of_ten_with_their_text_selectable() {
    let dir = out_dir();
    let names = [
        "Nguyễn Thị Ánh",
        "Trần Văn Bảy",
        "Lê Thị Cúc",
        "Phạm Văn Đức",
        "Hoàng Thị Én",
        "Huỳnh Văn Giỏi",
        "Võ Thị Hường",
        "Đặng Văn Khải",
        "Bùi Thị Liễu",
        "Đỗ Văn Mừng",
        "Hồ Thị Nở",
        "Ngô Văn Ổn",
    ];
    let mut files = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let (credential, qr) = card(i as u64 + 1, name);
        let file = dir.join(format!("card-{i}.json"));
        std::fs::write(
            &file,
            serde_json::json!({"credential_hex": credential, "qr_text": qr, "office_name": OFFICE})
                .to_string(),
        )
        .unwrap();
        files.push(file);
    }
    let sheet = dir.join("sheet.pdf");
    let mut args: Vec<&str> = vec!["--sheet", "--out", sheet.to_str().unwrap()];
    for f in &files {
        args.extend(["--card-file", f.to_str().unwrap()]);
    }
    print(&args);
    assert_eq!(pdfinfo(&sheet, "Pages"), "2");
    assert_eq!(pdfinfo(&sheet, "Page size"), "595.276 x 841.89 pts (A4)");
    for page in ["1", "2"] {
        let text = normal(&run(
            "pdftotext",
            &["-f", page, "-l", page, sheet.to_str().unwrap(), "-"],
        ));
        let on_page: Vec<_> = names.iter().filter(|n| text.contains(&upper(n))).collect();
        assert_eq!(
            on_page.len(),
            if page == "1" { 10 } else { 2 },
            "page {page}:\n{text}"
        );
    }

    // Several cards without --sheet are refused, naming the option.
    let out = Command::new(env!("CARGO_BIN_EXE_asxh-personalizer"))
        .args(["print", "--out", dir.join("x.pdf").to_str().unwrap()])
        .args(["--card-file", files[0].to_str().unwrap()])
        .args(["--card-file", files[1].to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sheet"));
}
