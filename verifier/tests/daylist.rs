//! The printed end-of-day list (bảng kê chi trả, `receipts --pdf`): the PDF parses, its text is
//! real text (extracted with poppler's `pdftotext`, installed by scripts/setup) carrying the
//! heading, every receipt's row, the totals and the signature blocks; a busy day of 300
//! receipts runs over several numbered pages, each with the table's header.

use std::path::Path;
use std::process::Command;

use asxh_text::Lang;
use asxh_verifier::daylist::{self, DayList};
use asxh_verifier::store::{ReceiptLine, ReceiptRow};

fn line(number: usize, program: &str, amount: u64) -> ReceiptLine {
    ReceiptLine {
        number,
        program: program.into(),
        category: None,
        kind: "monthly".into(),
        amount_vnd: amount,
        first_month: "2026-12".into(),
        last_month: "2026-12".into(),
    }
}

/// Receipt `n`: its number, the holder `name` (when journalled) and its lines.
fn row(n: u32, name: Option<&str>, lines: Vec<ReceiptLine>) -> ReceiptRow {
    ReceiptRow {
        id: format!("{n:024x}"),
        number: format!("A{n:03}-CDEF-GHJK-MNPQ-RSTV-WX{:02}", n % 100),
        bytes: Vec::new(),
        ssn: format!("051146{n:06}"),
        month: "2026-12".into(),
        total_vnd: lines.iter().map(|l| l.amount_vnd).sum(),
        lines,
        collector: "holder".into(),
        fallback: None,
        holder: name.map(str::to_owned),
        point: "BD-NGHIA-HANH".into(),
        // 02/12/2026 08:00 in Vietnam, a minute apart.
        paid_at: 1_796_173_200 + i64::from(n) * 60,
        outcome: None,
        outcome_detail: None,
        uploaded_at: None,
    }
}

fn print(rows: &[ReceiptRow], dir: &Path) -> (std::path::PathBuf, usize) {
    let printed = daylist::pdf(
        &DayList {
            day: "2026-12-02",
            point: "BD-NGHIA-HANH",
            area: Some("51.429.22903"),
            printed_at: 1_796_209_200,
            rows,
        },
        Lang::Vi,
    )
    .expect("the list prints");
    assert!(printed.bytes.starts_with(b"%PDF-"));
    let path = dir.join("bang-ke.pdf");
    std::fs::write(&path, &printed.bytes).unwrap();
    (path, printed.pages)
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (poppler-utils, scripts/setup): {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// The text of page `page` (from 1), or of all pages.
fn text(pdf: &Path, page: Option<usize>) -> String {
    let path = pdf.to_str().unwrap();
    match page {
        Some(p) => {
            let p = p.to_string();
            run("pdftotext", &["-layout", "-f", &p, "-l", &p, path, "-"])
        }
        None => run("pdftotext", &["-layout", path, "-"]),
    }
}

#[test]
fn the_days_list_prints_its_heading_each_receipt_the_totals_and_the_signature_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        row(1, Some("Trần Thị Lan"), vec![line(1, "TGXH", 750_000)]),
        row(2, None, vec![line(1, "TGXH", 500_000)]),
        row(
            3,
            Some("Hoàng Thị Mai"),
            vec![line(1, "NCC", 250_000), line(2, "HN", 120_000)],
        ),
    ];
    let (pdf, pages) = print(&rows, dir.path());
    assert_eq!(pages, 1);
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(field("Pages:"), "1", "{info}");
    assert_eq!(
        field("Page size:"),
        "841.89 x 595.28 pts (A4)",
        "A4 landscape"
    );
    let text = text(&pdf, None);
    for expected in [
        "BẢNG KÊ CHI TRẢ",
        "Ngày 02/12/2026 — Điểm chi trả BD-NGHIA-HANH",
        "Địa bàn chi trả: 51.429.22903 — Quảng Ngãi",
        "Số biên nhận",
        "Số ĐDCN",
        "Trần Thị Lan",
        "Hoàng Thị Mai",
        "051146000001",
        "08:01",
        "Trợ giúp xã hội (TGXH), trợ cấp hằng tháng 12/2026",
        "Người có công (NCC), trợ cấp hằng tháng 12/2026:",
        "250.000 đ",
        "Hộ nghèo (HN), trợ cấp hằng tháng 12/2026: 120.000 đ",
        "750.000 đ",
        "370.000 đ",
        "Tổng cộng: 3 biên nhận, 4 khoản, 1.620.000 đ",
        "Người lập bảng",
        "Kiểm soát",
        "(Ký, ghi rõ họ tên)",
        "Trang 1/1",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    for r in &rows {
        assert!(text.contains(&r.number), "{} in:\n{text}", r.number);
    }
}

#[test]
fn a_day_of_300_receipts_runs_over_numbered_pages_each_with_the_tables_header() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<ReceiptRow> = (1..=300)
        .map(|n| row(n, Some("Nguyễn Thị Hoa"), vec![line(1, "TGXH", 540_000)]))
        .collect();
    let (pdf, pages) = print(&rows, dir.path());
    assert!(pages >= 5, "{pages} pages");
    for page in 1..=pages {
        let text = text(&pdf, Some(page));
        assert!(
            text.contains(&format!("Trang {page}/{pages}")),
            "page {page}:\n{text}"
        );
        assert!(text.contains("Số biên nhận"), "the header on page {page}");
        assert_eq!(
            text.contains("Tổng cộng"),
            page == pages,
            "the totals on the last page only (page {page})"
        );
    }
    let all = text(&pdf, None);
    assert!(
        all.contains("Tổng cộng: 300 biên nhận, 300 khoản, 162.000.000 đ"),
        "{all}"
    );
    assert_eq!(all.matches("Nguyễn Thị Hoa").count(), 300);
    for n in [1, 150, 300] {
        assert!(all.contains(&format!("051146{n:06}")), "receipt {n}");
    }
}
