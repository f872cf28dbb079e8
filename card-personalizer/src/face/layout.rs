//! Where everything on the face goes, computed once and drawn by every output (PNG, SVG, PDF):
//! text runs with their font, size and baseline, and filled rectangles (bands, the motto's rule,
//! the QR's modules). Coordinates are pixels at 300 dpi from the top-left corner of the card.
//!
//! Sizes are in points so the printed card can be measured: no text is smaller than
//! [`MIN_TEXT_PT`]. A long name wraps onto a second line, its size stepping down from 10 pt but
//! never below 8 pt; fields flow beside the QR, a value too long for its line wrapping under
//! itself. A crowded face (the longest names with long commune and office names) tightens the
//! heading and sets the fields down to 7 pt; what still does not fit is refused, naming the
//! field, rather than printed smaller.

use ab_glyph::{Font, FontRef, PxScale};
pub use asxh_pdf::{place, units_per_em, Weight};

use super::Face;
use crate::error::{FaceInput, PersonalizerError, Result};

/// Pixels at 300 dpi: 85.60 mm × 53.98 mm (ISO/IEC 7810 ID-1, "CR80").
pub const WIDTH: u32 = 1011;
pub const HEIGHT: u32 = 638;
pub const DPI: f32 = 300.0;
/// The smallest text on the face, in points (1/72 inch): 29 px at 300 dpi.
pub const MIN_TEXT_PT: f32 = 7.0;
/// The name's largest and smallest sizes: it steps down between them before wrapping further.
const NAME_PT: [f32; 5] = [10.0, 9.5, 9.0, 8.5, 8.0];
/// How far a line's ink reaches above and below its baseline, in ems: the stacked marks of
/// Vietnamese capitals (Ễ, Ầ) reach 1.07 em in the bundled fonts, descenders and dots below
/// 0.22 em.
pub const ASCENT: f32 = 1.08;
pub const DESCENT: f32 = 0.25;
/// The name's baseline to baseline, in ems.
const NAME_LEADING: f32 = 1.16;

const SIDE: f32 = 40.0;
const BAND: f32 = 14.0;
/// The QR's side (quiet zone included) it is drawn at when its modules fit, the most it may
/// grow to for a long QR text, and the smallest module (0.34 mm) a payment point's scanner
/// reads reliably.
const QR_SIDE: u32 = 318;
const QR_MAX: u32 = 420;
const QR_MIN_MODULE: u32 = 4;
/// Between text and the QR's quiet zone, which text never enters.
const QR_GAP: f32 = 6.0;
/// From the quiet zone to the card's right edge.
const QR_EDGE: f32 = 16.0;

pub const RED: [u8; 3] = [0xB0, 0x12, 0x1B];
pub const INK: [u8; 3] = [0x10, 0x10, 0x10];
const LABEL: [u8; 3] = [0x4A, 0x4A, 0x4A];
pub const WHITE: [u8; 3] = [0xFF, 0xFF, 0xFF];

/// Pixels at 300 dpi for a size in points.
pub fn px(pt: f32) -> f32 {
    pt * DPI / 72.0
}

/// One line of text in one font and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub weight: Weight,
    /// The em size in pixels.
    pub em: f32,
    pub x: f32,
    pub baseline: f32,
    pub colour: [u8; 3],
    pub text: String,
}

/// A filled rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub colour: [u8; 3],
}

/// Everything drawn on one face.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub runs: Vec<Run>,
    pub rects: Vec<Rect>,
}

/// The font scale ab_glyph wants for an em size (ab_glyph scales by ascent − descent).
pub fn scale(font: &FontRef<'_>, em: f32) -> PxScale {
    PxScale::from(em * font.height_unscaled() / units_per_em(font))
}

fn width(font: &FontRef<'_>, em: f32, text: &str) -> f32 {
    place(font, em, text).1
}

/// Breaks `text` into lines, line `n` (from 0) at most `room(n)` wide. A word wider than a whole
/// line is broken between letters.
fn wrap(font: &FontRef<'_>, em: f32, text: &str, room: impl Fn(usize) -> f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let limit = |lines: &Vec<String>| room(lines.len());
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(font, em, &candidate) <= limit(&lines) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if width(font, em, &line) > limit(&lines) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The QR placed on the face.
pub struct Qr {
    /// Top-left corner of the quiet zone.
    pub x: f32,
    pub y: f32,
    /// Side with the quiet zone.
    pub size: f32,
    pub module: u32,
    pub code: qrcode::QrCode,
}

impl Qr {
    fn new(text: &str) -> Result<Qr> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| {
                PersonalizerError::Face(FaceInput::QrDoesNotFit {
                    detail: e.to_string(),
                })
            })?;
        let modules = code.width() as u32 + 8;
        let module = (QR_SIDE / modules).max(QR_MIN_MODULE);
        if modules * module > QR_MAX {
            return Err(PersonalizerError::Face(FaceInput::QrTooDense {
                modules,
                max: QR_MAX / QR_MIN_MODULE,
            }));
        }
        let size = (modules * module) as f32;
        // Bottom right, the quiet zone on the white of the card, clear of the band.
        Ok(Qr {
            x: WIDTH as f32 - QR_EDGE - size,
            y: HEIGHT as f32 - BAND - size,
            size,
            module,
            code,
        })
    }

    /// Dark modules as rectangles, runs of a row merged.
    fn rects(&self) -> Vec<Rect> {
        let width = self.code.width();
        let colours = self.code.to_colors();
        let m = self.module as f32;
        let mut rects = Vec::new();
        for (row, line) in colours.chunks(width).enumerate() {
            let mut col = 0;
            while col < width {
                if line[col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < width && line[col] == qrcode::Color::Dark {
                    col += 1;
                }
                rects.push(Rect {
                    x: self.x + (start as f32 + 4.0) * m,
                    y: self.y + (row as f32 + 4.0) * m,
                    w: (col - start) as f32 * m,
                    h: m,
                    colour: [0, 0, 0],
                });
            }
        }
        rects
    }
}

/// Sizes of the fields block, tried from roomy to compact until the face holds everything.
#[derive(Clone, Copy)]
struct Style {
    label_pt: f32,
    value_pt: f32,
    /// Baseline to baseline, in ems of the value.
    leading: f32,
    /// Whether a wrapped value's further lines hang under its first (else they start under
    /// the label, which fits more on a crowded face).
    hang: bool,
    heading: Heading,
}

/// Sizes (points) and baselines (pixels) of the heading, and the name's first baseline.
#[derive(Clone, Copy)]
struct Heading {
    national: (f32, f32),
    motto: (f32, f32),
    rule: f32,
    title: (f32, f32),
    name: f32,
}

const HEADING: Heading = Heading {
    national: (7.5, 60.0),
    motto: (8.0, 99.0),
    rule: 109.0,
    title: (12.0, 172.0),
    name: 232.0,
};

/// For a crowded face: a line's height closer together.
const TIGHT_HEADING: Heading = Heading {
    national: (7.0, 50.0),
    motto: (7.5, 86.0),
    rule: 95.0,
    title: (10.5, 148.0),
    name: 200.0,
};

const STYLES: [Style; 3] = [
    Style {
        label_pt: 7.0,
        value_pt: 8.0,
        leading: 1.22,
        hang: true,
        heading: HEADING,
    },
    Style {
        label_pt: 7.0,
        value_pt: 7.5,
        leading: 1.18,
        hang: true,
        heading: HEADING,
    },
    Style {
        label_pt: 7.0,
        value_pt: 7.0,
        leading: 1.16,
        hang: false,
        heading: TIGHT_HEADING,
    },
];

/// The face laid out, or an error naming what does not fit.
pub fn layout(face: &Face) -> Result<Layout> {
    let qr = Qr::new(&face.qr_text)?;
    let mut last = None;
    for style in STYLES {
        match try_layout(face, &qr, style) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("at least one style"))
}

/// A line being filled from the left: where the next run goes.
struct Pen<'a> {
    layout: &'a mut Layout,
    qr: &'a Qr,
}

impl Pen<'_> {
    /// The right edge available to a line whose text spans `top..bottom`.
    fn right(&self, top: f32, bottom: f32) -> f32 {
        let beside_qr = bottom > self.qr.y && top < self.qr.y + self.qr.size;
        if beside_qr {
            self.qr.x - QR_GAP
        } else {
            WIDTH as f32 - SIDE
        }
    }

    fn text(
        &mut self,
        weight: Weight,
        pt: f32,
        x: f32,
        baseline: f32,
        colour: [u8; 3],
        text: &str,
    ) {
        self.layout.runs.push(Run {
            weight,
            em: px(pt),
            x,
            baseline,
            colour,
            text: text.to_owned(),
        });
    }

    fn centred(
        &mut self,
        weight: Weight,
        pt: f32,
        baseline: f32,
        colour: [u8; 3],
        text: &str,
    ) -> f32 {
        let w = width(&weight.font(), px(pt), text);
        self.text(weight, pt, (WIDTH as f32 - w) / 2.0, baseline, colour, text);
        w
    }
}

/// One "Label: value" of the fields block.
struct Field<'a> {
    label: &'a str,
    value: String,
    weight: Weight,
}

fn try_layout(face: &Face, qr: &Qr, style: Style) -> Result<Layout> {
    let mut layout = Layout::default();
    let mut pen = Pen {
        layout: &mut layout,
        qr,
    };
    pen.heading(style.heading);
    let baseline = pen.name(&super::upper(&face.full_name), style);
    pen.fields(&fields(face), baseline, style)?;
    Ok(layout)
}

/// The fields under the name, a row's fields side by side when they fit.
fn fields(face: &Face) -> Vec<Vec<Field<'static>>> {
    let field = |label, value: String, weight| Field {
        label,
        value,
        weight,
    };
    let residence = match &face.residence_name {
        Some(name) => name.clone(),
        None => face.residence.to_string(),
    };
    vec![
        vec![
            field("Ngày sinh", face.date_of_birth.vi(), Weight::Regular),
            field(
                "Giới tính",
                super::sex(face.sex).to_owned(),
                Weight::Regular,
            ),
        ],
        vec![field(
            "Số định danh cá nhân",
            face.ssn.to_string(),
            Weight::Bold,
        )],
        vec![field("Nơi cư trú", residence, Weight::Regular)],
        vec![field("Số thẻ", face.serial.to_string(), Weight::Regular)],
        vec![
            field("Ngày cấp", face.issued.vi(), Weight::Regular),
            field("Có giá trị đến", face.expires.vi(), Weight::Regular),
        ],
        vec![field("Nơi cấp", face.issuer.clone(), Weight::Regular)],
    ]
}

impl Pen<'_> {
    /// The bands, the QR, the national name and motto, the card's title.
    fn heading(&mut self, h: Heading) {
        let qr = self.qr;
        for y in [0.0, HEIGHT as f32 - BAND] {
            self.layout.rects.push(Rect {
                x: 0.0,
                y,
                w: WIDTH as f32,
                h: BAND,
                colour: RED,
            });
        }
        self.layout.rects.push(Rect {
            x: qr.x,
            y: qr.y,
            w: qr.size,
            h: qr.size,
            colour: WHITE,
        });
        self.layout.rects.extend(qr.rects());
        let (pt, at) = h.national;
        self.centred(
            Weight::Bold,
            pt,
            at,
            INK,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        );
        let (pt, at) = h.motto;
        let motto = self.centred(Weight::Bold, pt, at, INK, "Độc lập – Tự do – Hạnh phúc");
        self.layout.rects.push(Rect {
            x: (WIDTH as f32 - motto) / 2.0,
            y: h.rule,
            w: motto,
            h: 2.5,
            colour: INK,
        });
        let (pt, at) = h.title;
        self.centred(Weight::Bold, pt, at, RED, "THẺ AN SINH XÃ HỘI");
    }

    /// The name in capitals after its label: at the largest size that keeps it to two lines,
    /// or on more lines at the smallest. Returns the first fields baseline.
    fn name(&mut self, name: &str, style: Style) -> f32 {
        let mut baseline = style.heading.name;
        let label = "Họ và tên: ";
        let label_w = width(&Weight::Regular.font(), px(style.label_pt), label);
        self.text(
            Weight::Regular,
            style.label_pt,
            SIDE,
            baseline,
            LABEL,
            label,
        );
        let bold = Weight::Bold.font();
        let x = SIDE + label_w;
        let smallest = NAME_PT[NAME_PT.len() - 1];
        let (pt, lines) = NAME_PT
            .iter()
            .map(|pt| {
                let em = px(*pt);
                // A third line and further may be beside the QR.
                let room = |n: usize| {
                    let line = baseline + n as f32 * em * NAME_LEADING;
                    self.right(line - ASCENT * em, line + DESCENT * em) - x
                };
                (*pt, wrap(&bold, em, name, room))
            })
            .find(|(pt, lines)| lines.len() <= 2 || *pt == smallest)
            .expect("the smallest size is always taken");
        for line in &lines {
            self.text(Weight::Bold, pt, x, baseline, INK, line);
            baseline += px(pt) * NAME_LEADING;
        }
        baseline + px(style.value_pt) * (style.leading - 1.0) + 6.0
    }

    /// The fields from `baseline` down, each "Label: value", a long value wrapped under itself.
    fn fields(&mut self, rows: &[Vec<Field<'_>>], mut baseline: f32, style: Style) -> Result<()> {
        let regular = Weight::Regular.font();
        let label_em = px(style.label_pt);
        let value_em = px(style.value_pt);
        let ascent = value_em * ASCENT;
        let descent = value_em * DESCENT;
        let pitch = value_em * style.leading;
        let bottom = HEIGHT as f32 - BAND - 10.0;
        for row in rows {
            let mut x = SIDE;
            for (i, f) in row.iter().enumerate() {
                let label = format!("{}: ", f.label);
                let label_w = width(&regular, label_em, &label);
                let font = f.weight.font();
                let gap = if i > 0 { px(9.0) } else { 0.0 };
                let right = self.right(baseline - ascent, baseline + descent);
                if i > 0 && x + gap + label_w + width(&font, value_em, &f.value) > right {
                    baseline += pitch;
                    x = SIDE;
                } else {
                    x += gap;
                }
                let right = self.right(baseline - ascent, baseline + descent);
                self.text(Weight::Regular, style.label_pt, x, baseline, LABEL, &label);
                let indent = x + label_w;
                let first = right - indent;
                // Continuation lines hang under the value unless that leaves too little room.
                let hang = if style.hang && first > 0.45 * (right - SIDE) {
                    indent
                } else {
                    SIDE
                };
                let room = |n: usize| {
                    let line = baseline + n as f32 * pitch;
                    match n {
                        0 => first,
                        _ => self.right(line - ascent, line + descent) - hang,
                    }
                };
                let lines = wrap(&font, value_em, &f.value, room);
                for (n, line) in lines.iter().enumerate() {
                    if n > 0 {
                        baseline += pitch;
                    }
                    let at = if n == 0 { indent } else { hang };
                    self.text(f.weight, style.value_pt, at, baseline, INK, line);
                }
                x = match lines.as_slice() {
                    [one] => indent + width(&font, value_em, one),
                    // Nothing goes beside a wrapped value.
                    _ => WIDTH as f32,
                };
                if baseline + descent > bottom {
                    return Err(PersonalizerError::Face(FaceInput::NoRoom {
                        label: f.label.to_owned(),
                        value: f.value.clone(),
                        min_pt: MIN_TEXT_PT.to_string(),
                    }));
                }
            }
            baseline += pitch;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_inside_a_word_longer_than_a_line() {
        let font = Weight::Regular.font();
        let em = px(8.0);
        let w = width(&font, em, "Nguyễn Văn");
        assert_eq!(
            wrap(&font, em, "Nguyễn Văn An", |_| w + 1.0),
            ["Nguyễn Văn", "An"]
        );
        let long = "A".repeat(60);
        let lines = wrap(&font, em, &long, |n| if n == 0 { 100.0 } else { 200.0 });
        assert!(width(&font, em, &lines[0]) <= 100.0 && lines.len() > 2);
        assert!(lines.iter().all(|l| width(&font, em, l) <= 200.0));
        assert_eq!(lines.concat(), long);
    }
}
