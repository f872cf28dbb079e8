//! The printed card face, CR80 (85.60 × 53.98 mm): the national name with "Độc lập – Tự do –
//! Hạnh phúc" under it, the card's title, the holder's name in capitals with its diacritics,
//! date of birth, sex, personal ID number, commune of residence, card serial, "Ngày cấp", expiry
//! and "Nơi cấp" (the issuing office), and the QR fallback with its quiet zone.
//!
//! Nothing of the entitlements is printed: they change on the server while the card lasts ten
//! years, and a program's name on the face ("Hộ nghèo") would tell everyone who sees the card
//! that the holder is poor. The title is the card's own, "Thẻ an sinh xã hội".
//!
//! One layout (`face/layout.rs`) is drawn as a PNG at 300 dpi with its resolution recorded, as SVG, and
//! as PDF with selectable text; [`sheet_pdf`] lays many faces on A4 pages with crop marks for a
//! batch. Dates are written dd/mm/yyyy ([`asxh_core::Date::vi`]). The DejaVu Sans fonts are
//! bundled (asxh-pdf's `fonts/`, their licence beside them) so Vietnamese renders the same on
//! any machine.

mod layout;
mod pdf;
mod raster;
mod svg;

use std::path::Path;

use asxh_core::{
    AreaCode, CardSerial, CredentialBody, Date, PartialDate, Sex, SignedCredential, Ssn,
};
use asxh_text::usage::Usage;
use image::RgbImage;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{FaceInput, PersonalizerError, Result};
pub use layout::{HEIGHT, MIN_TEXT_PT, WIDTH};
pub use raster::DOTS_PER_METRE;

/// What the face shows.
#[derive(Debug, Clone)]
pub struct Face {
    /// As on the card (NFC); printed in capitals.
    pub full_name: String,
    pub date_of_birth: PartialDate,
    pub sex: Sex,
    pub ssn: Ssn,
    pub serial: CardSerial,
    pub issued: Date,
    pub expires: Date,
    pub residence: AreaCode,
    /// The commune's name ("Xã Nghĩa Hành, tỉnh Quảng Ngãi") when the area catalogue knows it;
    /// without it the face shows the area code.
    pub residence_name: Option<String>,
    /// "Nơi cấp": the issuing office's name, as the trust list gives it.
    pub issuer: String,
    pub qr_text: String,
}

/// A name in capitals, keeping its diacritics ("Nguyễn Thị Ánh" → "NGUYỄN THỊ ÁNH").
fn upper(name: &str) -> String {
    name.nfc()
        .collect::<String>()
        .to_uppercase()
        .nfc()
        .collect()
}

fn sex(s: Sex) -> &'static str {
    match s {
        Sex::Male => "Nam",
        Sex::Female => "Nữ",
    }
}

impl Face {
    /// The face of a card from its credential, its QR text and the issuing office's name.
    pub fn new(card: &CredentialBody, qr_text: &str, issuer: &str) -> Face {
        Face {
            full_name: card.holder.name().to_string(),
            date_of_birth: card.holder.date_of_birth(),
            sex: card.holder.sex(),
            ssn: card.holder.ssn(),
            serial: card.serial,
            issued: card.issued,
            expires: card.expires,
            residence: card.holder.area().clone(),
            residence_name: None,
            issuer: issuer.to_owned(),
            qr_text: qr_text.to_owned(),
        }
    }

    /// The face of the card whose signed credential is `credential_hex` (as the server returns
    /// it). The signature is not checked here: the card was verified when it was written.
    pub fn from_credential_hex(credential_hex: &str, qr_text: &str, issuer: &str) -> Result<Face> {
        let bytes = hex::decode(credential_hex.trim())
            .map_err(|_| PersonalizerError::Face(FaceInput::CredentialNotHex))?;
        let body = SignedCredential::parse(&bytes)
            .and_then(|c| c.unverified_body())
            .map_err(|e| {
                PersonalizerError::Face(FaceInput::CredentialUnreadable {
                    detail: e.to_string(),
                })
            })?;
        Ok(Face::new(&body, qr_text, issuer))
    }

    fn layout(&self) -> Result<layout::Layout> {
        layout::layout(self)
    }

    /// The face at 300 dpi, 1011 × 638 pixels.
    pub fn to_image(&self) -> Result<RgbImage> {
        Ok(raster::image(&self.layout()?))
    }

    /// The face as PNG, 300 dpi recorded so it prints at the card's size.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        raster::png(&self.to_image()?)
    }

    /// The face as SVG, the fonts embedded.
    pub fn to_svg(&self) -> Result<String> {
        Ok(svg::svg(&self.layout()?))
    }

    /// The face as a one-page PDF of the card's size, its text selectable.
    pub fn to_pdf(&self) -> Result<Vec<u8>> {
        let layout = self.layout()?;
        pdf::document(
            &format!("Thẻ an sinh xã hội {}", self.serial),
            &[pdf::Page {
                width: CARD_PT.0,
                height: CARD_PT.1,
                faces: vec![pdf::Placement {
                    layout: &layout,
                    x: 0.0,
                    y: 0.0,
                }],
                lines: Vec::new(),
            }],
        )
    }

    /// Writes the face to `path` in the format its extension names (`.png`, `.svg`, `.pdf`).
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = match extension(path).as_deref() {
            Some("png") => self.to_png()?,
            Some("svg") => self.to_svg()?.into_bytes(),
            Some("pdf") => self.to_pdf()?,
            _ => {
                return Err(PersonalizerError::Usage(Usage::FaceFormat {
                    path: path.display().to_string(),
                }))
            }
        };
        write(path, &bytes)
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes)
        .map_err(|e| PersonalizerError::Io(format!("cannot write {}: {e}", path.display())))
}

const MM: f32 = 72.0 / 25.4;
/// The card in points.
const CARD_PT: (f32, f32) = (85.60 * MM, 53.98 * MM);
/// A4 in points.
const A4_PT: (f32, f32) = (210.0 * MM, 297.0 * MM);
/// Cards on one A4 sheet: two across, five down.
pub const SHEET_COLUMNS: usize = 2;
pub const SHEET_ROWS: usize = 5;
pub const CARDS_PER_SHEET: usize = SHEET_COLUMNS * SHEET_ROWS;
/// Space between the cards, across and down, for the cutter.
const GUTTER_PT: (f32, f32) = (6.0 * MM, 3.0 * MM);
/// Crop marks: how far from the corner they start, and how long they are.
const MARK_OFFSET_PT: f32 = 0.5 * MM;
const MARK_PT: f32 = 2.5 * MM;

/// The faces laid out on A4 pages, ten to a page (2 × 5), in order from the top left, each
/// card's corners marked for cutting. At least one face.
pub fn sheet_pdf(faces: &[Face]) -> Result<Vec<u8>> {
    if faces.is_empty() {
        return Err(PersonalizerError::Usage(Usage::SheetEmpty));
    }
    let layouts = faces.iter().map(Face::layout).collect::<Result<Vec<_>>>()?;
    let block = (
        SHEET_COLUMNS as f32 * CARD_PT.0 + (SHEET_COLUMNS - 1) as f32 * GUTTER_PT.0,
        SHEET_ROWS as f32 * CARD_PT.1 + (SHEET_ROWS - 1) as f32 * GUTTER_PT.1,
    );
    let left = (A4_PT.0 - block.0) / 2.0;
    let top = A4_PT.1 - (A4_PT.1 - block.1) / 2.0;
    let pages: Vec<pdf::Page<'_>> = layouts
        .chunks(CARDS_PER_SHEET)
        .map(|chunk| {
            let mut page = pdf::Page {
                width: A4_PT.0,
                height: A4_PT.1,
                faces: Vec::new(),
                lines: Vec::new(),
            };
            for (i, layout) in chunk.iter().enumerate() {
                let (col, row) = (i % SHEET_COLUMNS, i / SHEET_COLUMNS);
                let x = left + col as f32 * (CARD_PT.0 + GUTTER_PT.0);
                let y = top - (row + 1) as f32 * CARD_PT.1 - row as f32 * GUTTER_PT.1;
                page.faces.push(pdf::Placement { layout, x, y });
                page.lines.extend(crop_marks(x, y));
            }
            page
        })
        .collect();
    pdf::document(&format!("Thẻ an sinh xã hội: {} thẻ", faces.len()), &pages)
}

/// The eight marks around a card whose lower-left corner is (`x`, `y`): each edge's line
/// continued outside the card.
fn crop_marks(x: f32, y: f32) -> Vec<[f32; 4]> {
    let (w, h) = CARD_PT;
    let (a, b) = (MARK_OFFSET_PT, MARK_OFFSET_PT + MARK_PT);
    let mut lines = Vec::new();
    for cx in [x, x + w] {
        lines.push([cx, y - a, cx, y - b]);
        lines.push([cx, y + h + a, cx, y + h + b]);
    }
    for cy in [y, y + h] {
        lines.push([x - a, cy, x - b, cy]);
        lines.push([x + w + a, cy, x + w + b, cy]);
    }
    lines
}

/// Writes [`sheet_pdf`] of `faces` to `path`, which must name a `.pdf`.
pub fn save_sheet(faces: &[Face], path: &Path) -> Result<()> {
    if extension(path).as_deref() != Some("pdf") {
        return Err(PersonalizerError::Usage(Usage::SheetFormat {
            path: path.display().to_string(),
        }));
    }
    write(path, &sheet_pdf(faces)?)
}

/// A card as kept for printing its face again: the server's answer when it was issued (or its
/// record, `GET /v1/cards/{serial}`; other fields are ignored), and the issuing office's name.
/// `batch --print-dir` writes one beside each face.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardFile {
    pub credential_hex: String,
    pub qr_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_name: Option<String>,
}

impl CardFile {
    pub fn read(path: &Path) -> Result<CardFile> {
        let bytes = std::fs::read(path).map_err(|e| {
            PersonalizerError::Usage(Usage::CannotRead {
                path: path.display().to_string(),
                detail: e.to_string(),
            })
        })?;
        serde_json::from_slice(&bytes).map_err(|e| {
            PersonalizerError::Face(FaceInput::NotACardFile {
                path: path.display().to_string(),
                detail: e.to_string(),
            })
        })
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("a card file serialises");
        write(path, &json)
    }
}

/// The name of the office whose issuer key is `key_id_hex` in the trust list (the key id
/// itself when the list does not hold it), as the face shows it under "Nơi cấp".
pub fn office_name(trust: &asxh_core::lists::TrustList, key_id_hex: &str) -> String {
    trust
        .issuers
        .iter()
        .find(|e| e.key_id.to_hex() == key_id_hex)
        .map(|e| e.office_name.clone())
        .unwrap_or_else(|| key_id_hex.to_owned())
}

/// The face of card `serial` as the server holds it, "Nơi cấp" from `office` or else the name
/// the trust list gives the card's issuer key.
pub fn from_server(
    server: &crate::server::Server,
    trust: &asxh_core::lists::TrustList,
    serial: &str,
    office: Option<&str>,
) -> Result<Face> {
    let card = server.card(serial)?;
    let key_id = hex::decode(&card.credential_hex)
        .ok()
        .and_then(|b| asxh_core::SignedCredential::parse(&b).ok())
        .and_then(|c| c.issuer_key_id().ok())
        .map(|k| k.to_hex())
        .unwrap_or_default();
    let office = office.map_or_else(|| office_name(trust, &key_id), str::to_owned);
    Ok(Face::from_credential_hex(&card.credential_hex, &card.qr_text, &office)?.named_by(server))
}

impl Face {
    /// The face with the residence's name from the server's catalogue, as it was on the issue
    /// day. The card is written by then: when the server has no name for it (or cannot be
    /// asked), the face shows the area code, as before.
    pub fn named_by(mut self, server: &crate::server::Server) -> Face {
        self.residence_name = server
            .area_name(self.residence.as_str(), &self.issued.to_string())
            .ok()
            .map(|a| a.name)
            .filter(|n| !n.is_empty());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::layout::{px, Weight};
    use super::*;
    use ab_glyph::Font;
    use asxh_core::{QrBody, QrCredential};
    use asxh_testkit as testkit;

    pub(super) const LONG_NAME: &str = "Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bích Hạnh";

    fn face_of(name: &str, entitlements: usize) -> Face {
        let key = testkit::issuer_key();
        let holder = testkit::holder("051146000123", name, "1946-08-19", "F", "51.22903");
        let body = testkit::credential_body(
            1,
            holder,
            asxh_testkit::test_key("card").verifying_key(),
            &key,
            testkit::entitlements(entitlements),
        );
        let qr = QrCredential::issue(QrBody::for_card(&body), &key).unwrap();
        Face::new(
            &body,
            qr.text(),
            "Phòng Lao động – Thương binh và Xã hội huyện Nghĩa Hành",
        )
    }

    fn texts(face: &Face) -> Vec<String> {
        face.layout()
            .unwrap()
            .runs
            .into_iter()
            .map(|r| r.text)
            .collect()
    }

    /// The pages' sizes in millimetres, rounded to 0.01 mm.
    fn media_boxes(pdf: &str) -> Vec<(f32, f32)> {
        pdf.split("/MediaBox [")
            .skip(1)
            .map(|rest| {
                let n: Vec<f32> = rest
                    .split(']')
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .map(|v| v.parse().unwrap())
                    .collect();
                let mm = |pt: f32| (pt / MM * 100.0).round() / 100.0;
                (mm(n[2] - n[0]), mm(n[3] - n[1]))
            })
            .collect()
    }

    #[test]
    fn every_letter_on_the_face_has_a_glyph_in_the_bundled_fonts() {
        let f = face_of(LONG_NAME, 3);
        for run in f.layout().unwrap().runs {
            let font = run.weight.font();
            for c in run.text.chars() {
                assert_ne!(
                    font.glyph_id(c).0,
                    0,
                    "no glyph for {c:?} in {:?}",
                    run.text
                );
            }
        }
    }

    #[test]
    fn the_face_has_the_national_name_motto_issue_date_and_place_and_dates_day_first() {
        let all = texts(&face_of("Trần Thị Lan", 1)).join("\n");
        for expected in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập – Tự do – Hạnh phúc",
            "THẺ AN SINH XÃ HỘI",
            "TRẦN THỊ LAN",
            "Ngày sinh: ",
            "19/08/1946",
            "Ngày cấp: ",
            "15/01/2026",
            "14/01/2036",
            "Nơi cấp: ",
            "Số định danh cá nhân: ",
            "051146000123",
        ] {
            assert!(all.contains(expected), "{expected:?} missing from\n{all}");
        }
        assert!(!all.contains("1946-08-19"), "no ISO dates on the face");
    }

    #[test]
    fn no_program_name_is_printed_on_the_face() {
        // Eight entitlements, poor household (HN) among them.
        let all = texts(&face_of("Trần Thị Lan", 8)).join("\n").to_lowercase();
        for program in [
            "nghèo",
            "trợ giúp",
            "người có công",
            "bảo hiểm",
            "tgxh",
            "hn-2026",
        ] {
            assert!(!all.contains(program), "{program:?} on the face:\n{all}");
        }
    }

    #[test]
    fn the_commune_is_shown_by_name_when_known_and_by_code_otherwise() {
        let mut f = face_of("Trần Thị Lan", 1);
        assert!(texts(&f).contains(&"51.22903".to_owned()));
        f.residence_name = Some("Xã Nghĩa Hành, tỉnh Quảng Ngãi".into());
        let all = texts(&f).join(" ");
        assert!(all.contains("Xã Nghĩa Hành, tỉnh Quảng Ngãi") && !all.contains("51.22903"));
    }

    /// Checks that no text is below the minimum size, off the card or in the QR's quiet zone.
    fn assert_legible(face: &Face) -> layout::Layout {
        let layout = face.layout().unwrap();
        let qr = layout
            .rects
            .iter()
            .find(|r| r.colour == layout::WHITE)
            .expect("the QR's quiet zone");
        for run in &layout.runs {
            assert!(
                run.em >= px(MIN_TEXT_PT) - 0.01,
                "{run:?} is below {MIN_TEXT_PT} pt"
            );
            let w = layout::place(&run.weight.font(), run.em, &run.text).1;
            let (top, bottom) = (
                run.baseline - layout::ASCENT * run.em,
                run.baseline + layout::DESCENT * run.em,
            );
            assert!(
                run.x >= 0.0 && run.x + w <= WIDTH as f32 && top >= 0.0 && bottom <= HEIGHT as f32,
                "{run:?} leaves the card"
            );
            let apart =
                run.x + w <= qr.x || run.x >= qr.x + qr.w || bottom <= qr.y || top >= qr.y + qr.h;
            assert!(apart, "{run:?} enters the QR's quiet zone {qr:?}");
        }
        layout
    }

    #[test]
    fn a_long_name_wraps_onto_two_lines_and_no_text_is_below_seven_points_or_off_the_card() {
        for name in [LONG_NAME, "Lan", &"Nguyễn Văn An ".repeat(4)] {
            let layout = assert_legible(&face_of(name.trim(), 8));
            let name_lines: Vec<_> = layout
                .runs
                .iter()
                .filter(|r| r.weight == Weight::Bold && r.em >= px(8.0) - 0.01)
                .filter(|r| r.baseline > 200.0 && !r.text.starts_with(char::is_numeric))
                .collect();
            assert!(
                (1..=2).contains(&name_lines.len()),
                "{name}: {name_lines:?}"
            );
            let joined: Vec<&str> = name_lines.iter().map(|r| r.text.as_str()).collect();
            assert_eq!(joined.join(" "), upper(name.trim()));
        }
        assert!(LONG_NAME.chars().count() > 45);
    }

    #[test]
    fn the_longest_name_or_a_long_commune_and_office_still_fit_legibly() {
        // 100 bytes, the most a name may have: 77 letters.
        let longest =
            "Công Tằng Tôn Nữ Thị Hoàng Hạnh Phương Nguyễn Ngọc Bích Thảo Trần Lê Minh Anh";
        assert_eq!(longest.len(), 100);
        for (name, commune, office) in [
            (
                longest,
                "Xã Hành Thiện, tỉnh Quảng Ngãi",
                "Phòng Lao động – Thương binh và Xã hội huyện Nghĩa Hành",
            ),
            (
                LONG_NAME,
                "Phường Trương Quang Trọng, tỉnh Quảng Ngãi",
                "Trung tâm Dịch vụ việc làm và An sinh xã hội tỉnh Quảng Ngãi",
            ),
        ] {
            let mut f = face_of(name, 8);
            f.residence_name = Some(commune.into());
            f.issuer = office.into();
            let layout = assert_legible(&f);
            let all: Vec<&str> = layout.runs.iter().map(|r| r.text.as_str()).collect();
            let all = all.join(" ");
            let last = upper(name.rsplit(' ').next().unwrap());
            for word in ["Quảng Ngãi", "14/01/2036", "0000000001-8", &last] {
                assert!(all.contains(word), "{word}: {all}");
            }
        }
    }

    #[test]
    fn an_issuer_name_too_long_for_the_face_is_refused_naming_the_field() {
        let mut f = face_of(LONG_NAME, 1);
        f.issuer = "Phòng Lao động – Thương binh và Xã hội ".repeat(12);
        let e = f.to_png().unwrap_err();
        assert!(e.to_string().contains("Nơi cấp"), "{e}");
    }

    #[test]
    fn the_printed_qr_reads_back_to_the_same_text() {
        let f = face_of(LONG_NAME, 8);
        let img = image::DynamicImage::ImageRgb8(f.to_image().unwrap()).to_luma8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, f.qr_text);
    }

    #[test]
    fn the_png_records_300_dpi() {
        let png = face_of("Lan", 1).to_png().unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        let dims = info.pixel_dims.expect("a pHYs chunk");
        assert_eq!(
            (dims.xppu, dims.yppu, dims.unit),
            (11_811, 11_811, png::Unit::Meter)
        );
        // 1011 px at 11,811 px/m is 85.6 mm.
        assert!((f64::from(WIDTH) / 11_811.0 * 1000.0 - 85.6).abs() < 0.05);
    }

    #[test]
    fn svg_and_pdf_are_documents_of_the_card_size() {
        let f = face_of("Công Tằng Tôn Nữ Thị Hoàng Hạnh Phương", 2);
        let svg = f.to_svg().unwrap();
        assert!(
            svg.starts_with("<svg")
                && svg.contains("width=\"85.6mm\"")
                && svg.contains("CÔNG TẰNG TÔN NỮ")
        );
        let pdf = f.to_pdf().unwrap();
        assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF"));
        let text = String::from_utf8_lossy(&pdf);
        assert_eq!(media_boxes(&text), [(85.6, 53.98)], "CR80");
        assert!(text.contains("/Identity-H") && text.contains("/FontFile2"));
        assert!(pdf.len() < 120_000, "fonts are subset: {} bytes", pdf.len());
    }

    #[test]
    fn a_sheet_holds_ten_cards_a_page_with_eight_crop_marks_each() {
        let faces: Vec<Face> = (0..11).map(|_| face_of("Trần Thị Lan", 1)).collect();
        let pdf = String::from_utf8_lossy(&sheet_pdf(&faces).unwrap()).into_owned();
        assert!(pdf.contains("/Count 2"), "11 cards on 2 pages");
        assert_eq!(media_boxes(&pdf), [(210.0, 297.0); 2], "A4");
        assert!(sheet_pdf(&[]).is_err());
        let marks = crop_marks(100.0, 100.0);
        assert_eq!(marks.len(), 8);
        for [x0, y0, x1, y1] in marks {
            let inside = |x: f32, y: f32| {
                x > 100.0 && x < 100.0 + CARD_PT.0 && y > 100.0 && y < 100.0 + CARD_PT.1
            };
            assert!(
                !inside(x0, y0) && !inside(x1, y1),
                "marks stay off the card"
            );
        }
        // The block of cards is centred and within the sheet, with room for the marks.
        let block_h = SHEET_ROWS as f32 * CARD_PT.1 + 4.0 * GUTTER_PT.1;
        assert!((A4_PT.1 - block_h) / 2.0 > MARK_OFFSET_PT + MARK_PT + 4.0 * MM);
    }

    #[test]
    fn names_in_capitals_keep_their_diacritics() {
        assert_eq!(upper("Nguyễn Thị Ánh Đào"), "NGUYỄN THỊ ÁNH ĐÀO");
        // Decomposed input comes out composed.
        assert_eq!(upper("Nguye\u{302}\u{303}n"), "NGUYỄN");
    }
}
