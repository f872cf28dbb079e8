//! The printable end-of-day list (bảng kê chi trả): the day's receipts of the payment point as
//! an A4 landscape PDF with selectable text in the shared fonts ([`asxh_pdf`]). The first page
//! carries the heading (the list's name, the day, the point's code, the area it pays in with its
//! province); every page the table's header, one row per receipt (time, receipt number, the
//! holder's SSN and name when the card or QR showed it, who collected, the lines and the
//! amount) and its page number; the last the totals (receipts, lines, amount; in red when the
//! server flagged or refused one of them) and the signature blocks of the clerk and the
//! supervisor.

use asxh_pdf::{Fill, Page, Text, Weight};
use asxh_text::message::fill;
use asxh_text::{Lang, Msg};

use crate::error::{Result, VerifierError};
use crate::render;
use crate::store::ReceiptRow;

/// A4 landscape, in points.
const WIDTH: f32 = 841.89;
const HEIGHT: f32 = 595.28;
const MARGIN: f32 = 36.0;
/// The table's text, its header's, and the room between lines of a cell, in points.
const BODY: f32 = 7.5;
const LEADING: f32 = 1.3;
const PAD: f32 = 3.0;
/// The page number's baseline.
const FOOTER: f32 = 20.0;
/// The lowest a row may reach.
const BOTTOM: f32 = MARGIN + 10.0;
/// What the totals and the signature blocks need below the last row.
const CLOSING: f32 = 120.0;

const INK: [u8; 3] = [0x10, 0x10, 0x10];
const GREY: [u8; 3] = [0x55, 0x55, 0x55];
const SHADE: [u8; 3] = [0xE6, 0xE6, 0xE6];
const WARN: [u8; 3] = [0xB0, 0x12, 0x1B];

/// The table's columns: heading and width in points; the last but one takes what is left.
const COLUMNS: [(Msg, f32); 8] = [
    (Msg::DayListColNo, 26.0),
    (Msg::DayListColTime, 34.0),
    (Msg::DayListColReceipt, 142.0),
    (Msg::DayListColSsn, 72.0),
    (Msg::DayListColName, 110.0),
    (Msg::DayListColCollector, 76.0),
    (Msg::DayListColLines, 0.0),
    (Msg::DayListColAmount, 76.0),
];

/// What the list is of.
pub struct DayList<'a> {
    /// The day, ISO (`2026-12-02`).
    pub day: &'a str,
    /// The payment point's code.
    pub point: &'a str,
    /// The area the point pays in, when set.
    pub area: Option<&'a str>,
    /// When it is printed (Unix time).
    pub printed_at: i64,
    pub rows: &'a [ReceiptRow],
}

/// The PDF and its number of pages.
pub struct Printed {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

fn widths() -> [f32; 8] {
    let fixed: f32 = COLUMNS.iter().map(|c| c.1).sum();
    let mut w = COLUMNS.map(|c| c.1);
    w[6] = WIDTH - 2.0 * MARGIN - fixed;
    w
}

/// `text` broken into lines no wider than `room` at `size`: at spaces, then after hyphens, then
/// anywhere, for a word that does not fit alone.
fn wrap(weight: Weight, size: f32, text: &str, room: f32) -> Vec<String> {
    let fits = |t: &str| asxh_pdf::width(weight, size, t) <= room;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for piece in word.split_inclusive('-') {
            let candidate = format!("{line}{piece}");
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in piece.chars() {
                if !line.is_empty() && !fits(&format!("{line}{c}")) {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One cell: its lines, how they are set, and where (`right`-aligned or not).
struct Cell {
    lines: Vec<String>,
    weight: Weight,
    colour: [u8; 3],
    right: bool,
}

fn cells(n: usize, row: &ReceiptRow, lang: Lang, widths: &[f32; 8]) -> Vec<Cell> {
    let room = |i: usize| widths[i] - 2.0 * PAD;
    let plain = |i: usize, text: &str| Cell {
        lines: wrap(Weight::Regular, BODY, text, room(i)),
        weight: Weight::Regular,
        colour: INK,
        right: false,
    };
    let local = asxh_text::local_time(row.paid_at);
    let time = local.split_once(' ').map_or(local.as_str(), |(_, t)| t);
    let collector = lang.text(match row.collector.as_str() {
        "guardian" => Msg::PayCollectorGuardian,
        "authorised" => Msg::PayCollectorAuthorised,
        _ => Msg::PayCollectorHolder,
    });
    let mut receipt = plain(2, &row.number);
    if row.fallback.is_some() {
        receipt.lines.extend(wrap(
            Weight::Regular,
            BODY,
            &format!("({})", lang.text(Msg::DayListSignedByPoint)),
            room(2),
        ));
    }
    let lines = Cell {
        lines: row
            .lines
            .iter()
            .flat_map(|l| {
                let what = render::paid_line(l, lang);
                if row.lines.len() == 1 {
                    return wrap(Weight::Regular, BODY, &what, room(6));
                }
                // Each line's own amount, never split from its đ.
                let mut lines = wrap(Weight::Regular, BODY, &format!("{what}:"), room(6));
                let amount = lang.money(l.amount_vnd);
                let last = lines.last_mut().expect("wrap gives a line");
                let joined = format!("{last} {amount}");
                if asxh_pdf::width(Weight::Regular, BODY, &joined) <= room(6) {
                    *last = joined;
                } else {
                    lines.push(amount);
                }
                lines
            })
            .collect(),
        weight: Weight::Regular,
        colour: INK,
        right: false,
    };
    vec![
        plain(0, &n.to_string()),
        plain(1, time),
        receipt,
        plain(3, &row.ssn),
        plain(4, row.holder.as_deref().unwrap_or("—")),
        plain(5, collector),
        lines,
        Cell {
            lines: vec![lang.money(row.total_vnd)],
            weight: Weight::Bold,
            colour: INK,
            right: true,
        },
    ]
}

fn line_height() -> f32 {
    BODY * LEADING
}

fn row_height(cells: &[Cell]) -> f32 {
    let most = cells.iter().map(|c| c.lines.len()).max().unwrap_or(1);
    most as f32 * line_height() + 2.0 * PAD
}

/// The pages as they are filled, top to bottom.
struct Pages {
    done: Vec<Page>,
    page: Page,
    /// The top of what is drawn next.
    y: f32,
    widths: [f32; 8],
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            page: blank(),
            y: HEIGHT - MARGIN,
            widths: widths(),
        }
    }

    fn text(&mut self, weight: Weight, size: f32, x: f32, y: f32, colour: [u8; 3], text: &str) {
        self.page.texts.push(Text {
            weight,
            size,
            x,
            y,
            colour,
            text: text.to_owned(),
        });
    }

    fn centred(&mut self, weight: Weight, size: f32, centre: f32, y: f32, text: &str) {
        let w = asxh_pdf::width(weight, size, text);
        self.text(weight, size, centre - w / 2.0, y, INK, text);
    }

    fn rule(&mut self, y: f32) {
        self.page.lines.push([MARGIN, y, WIDTH - MARGIN, y]);
    }

    /// Draws a row of cells whose top is at `self.y`, shaded or not.
    fn row(&mut self, cells: &[Cell], shade: bool) {
        let h = row_height(cells);
        let top = self.y;
        if shade {
            self.page.fills.push(Fill {
                x: MARGIN,
                y: top - h,
                w: WIDTH - 2.0 * MARGIN,
                h,
                colour: SHADE,
            });
        }
        let mut x = MARGIN;
        for (cell, w) in cells.iter().zip(self.widths) {
            for (i, line) in cell.lines.iter().enumerate() {
                let baseline = top - PAD - BODY * 0.95 - i as f32 * line_height();
                let at = if cell.right {
                    x + w - PAD - asxh_pdf::width(cell.weight, BODY, line)
                } else {
                    x + PAD
                };
                self.text(cell.weight, BODY, at, baseline, cell.colour, line);
            }
            x += w;
        }
        self.y -= h;
        self.rule(self.y);
    }

    fn header_row(&mut self, lang: Lang) {
        let widths = self.widths;
        let cells: Vec<Cell> = COLUMNS
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, ((msg, _), w))| Cell {
                lines: wrap(Weight::Bold, BODY, lang.text(*msg), w - 2.0 * PAD),
                weight: Weight::Bold,
                colour: INK,
                right: i == 7,
            })
            .collect();
        self.rule(self.y);
        self.row(&cells, true);
    }

    /// A new page whose table starts with its header row.
    fn next_page(&mut self, lang: Lang, running: &str) {
        let page = std::mem::replace(&mut self.page, blank());
        self.done.push(page);
        self.y = HEIGHT - MARGIN;
        self.text(Weight::Regular, 8.0, MARGIN, self.y - 8.0, GREY, running);
        self.y -= 16.0;
        self.header_row(lang);
    }

    fn finish(mut self, lang: Lang, printed: &str) -> Vec<Page> {
        self.done.push(self.page);
        let count = self.done.len();
        for (i, page) in self.done.iter_mut().enumerate() {
            let number = fill(
                lang.text(Msg::DayListPage),
                &[("page", (i + 1).to_string()), ("pages", count.to_string())],
            );
            let w = asxh_pdf::width(Weight::Regular, 8.0, &number);
            for (x, text) in [
                (WIDTH / 2.0 - w / 2.0, number),
                (MARGIN, printed.to_owned()),
            ] {
                page.texts.push(Text {
                    weight: Weight::Regular,
                    size: 8.0,
                    x,
                    y: FOOTER,
                    colour: GREY,
                    text,
                });
            }
        }
        self.done
    }
}

fn blank() -> Page {
    Page {
        width: WIDTH,
        height: HEIGHT,
        line_width: 0.4,
        ..Page::default()
    }
}

/// The list as a PDF.
pub fn pdf(list: &DayList<'_>, lang: Lang) -> Result<Printed> {
    let day = asxh_text::format::date(list.day);
    let title = lang.text(Msg::DayListTitle);
    let day_point = fill(
        lang.text(Msg::DayListDayPoint),
        &[("day", day.clone()), ("point", list.point.to_owned())],
    );
    let area = match list.area {
        Some(a) => fill(lang.text(Msg::DayListArea), &[("area", lang.area(a, None))]),
        None => lang.text(Msg::DayListNoArea).to_owned(),
    };
    let running = format!("{title} — {day_point}");
    let printed = fill(
        lang.text(Msg::DayListPrinted),
        &[("at", asxh_text::local_time(list.printed_at))],
    );

    let mut pages = Pages::new();
    let centre = WIDTH / 2.0;
    pages.centred(Weight::Bold, 15.0, centre, HEIGHT - MARGIN - 15.0, title);
    pages.centred(
        Weight::Regular,
        10.0,
        centre,
        HEIGHT - MARGIN - 32.0,
        &day_point,
    );
    pages.centred(Weight::Regular, 9.0, centre, HEIGHT - MARGIN - 46.0, &area);
    pages.y = HEIGHT - MARGIN - 60.0;
    pages.header_row(lang);
    let widths = pages.widths;
    for (i, row) in list.rows.iter().enumerate() {
        let cells = cells(i + 1, row, lang, &widths);
        if pages.y - row_height(&cells) < BOTTOM {
            pages.next_page(lang, &running);
        }
        pages.row(&cells, false);
    }
    if list.rows.is_empty() {
        let y = pages.y - PAD - BODY;
        pages.text(
            Weight::Regular,
            BODY,
            MARGIN + PAD,
            y,
            GREY,
            lang.text(Msg::DayListNone),
        );
        pages.y -= line_height() + 2.0 * PAD;
    }
    if pages.y - CLOSING < BOTTOM {
        pages.next_page(lang, &running);
    }
    let lines: usize = list.rows.iter().map(|r| r.lines.len()).sum();
    let flagged = list.rows.iter().any(|r| {
        r.outcome
            .as_deref()
            .is_some_and(|o| o == "flagged" || o == "refused")
    });
    let totals = fill(
        lang.text(Msg::DayListTotals),
        &[
            ("count", lang.count(list.rows.len() as u64)),
            ("lines", lang.count(lines as u64)),
            (
                "total",
                lang.money(list.rows.iter().map(|r| r.total_vnd).sum()),
            ),
        ],
    );
    let y = pages.y - 16.0;
    let w = asxh_pdf::width(Weight::Bold, 9.5, &totals);
    pages.text(
        Weight::Bold,
        9.5,
        WIDTH - MARGIN - PAD - w,
        y,
        if flagged { WARN } else { INK },
        &totals,
    );
    let y = y - 30.0;
    let columns = [
        MARGIN + (WIDTH - 2.0 * MARGIN) / 4.0,
        MARGIN + 3.0 * (WIDTH - 2.0 * MARGIN) / 4.0,
    ];
    for (centre, who) in columns
        .into_iter()
        .zip([Msg::DayListClerk, Msg::DayListSupervisor])
    {
        pages.centred(Weight::Bold, 10.0, centre, y, lang.text(who));
        pages.centred(
            Weight::Regular,
            8.0,
            centre,
            y - 12.0,
            lang.text(Msg::DayListSignHint),
        );
    }
    let pages = pages.finish(lang, &printed);
    let count = pages.len();
    let bytes = asxh_pdf::document(
        &format!("{title} {day} {}", list.point),
        "asxh-verifier",
        &pages,
    )
    .map_err(|e| VerifierError::Storage(format!("the end-of-day list: {e}")))?;
    Ok(Printed {
        bytes,
        pages: count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_receipt_number_wraps_after_its_hyphens_and_a_short_text_stays_whole() {
        let number = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ";
        let room = asxh_pdf::width(Weight::Regular, BODY, "ABCD-EFGH-JKLM-");
        let lines = wrap(Weight::Regular, BODY, number, room + 0.1);
        assert_eq!(lines, ["ABCD-EFGH-JKLM-", "NPQR-STUV-WXYZ"]);
        assert_eq!(
            wrap(Weight::Regular, BODY, "Trần Thị Lan", 200.0),
            ["Trần Thị Lan"]
        );
        let narrow = wrap(Weight::Regular, BODY, "Nguyễn Thị Hoa", 30.0);
        assert!(narrow.len() > 1);
        assert!(narrow
            .iter()
            .all(|l| asxh_pdf::width(Weight::Regular, BODY, l) <= 30.0 || l.chars().count() == 1));
        assert_eq!(narrow.concat().replace(' ', ""), "NguyễnThịHoa");
    }

    #[test]
    fn the_columns_fill_the_page_between_its_margins() {
        let w = widths();
        assert!(w[6] > 150.0, "room for the lines: {w:?}");
        assert!((w.iter().sum::<f32>() - (WIDTH - 2.0 * MARGIN)).abs() < 0.01);
    }
}
