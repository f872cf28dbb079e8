//! The printed card face: CR80 (85.60 × 53.98 mm), with the title, the holder's name, date of
//! birth, SSN, card serial, expiry and issuing office, and the QR fallback with its quiet zone.
//! PNG at 300 dpi, SVG (vector, with the font embedded) and PDF (the 300 dpi image on a page of
//! the card's size). The DejaVu Sans font is bundled (`fonts/`, its licence beside it) so
//! Vietnamese diacritics render the same on any machine.

use std::io::Write as _;
use std::path::Path;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use asxh_core::lists::TrustList;
use asxh_core::view::CredentialView;
use asxh_core::SignedCredential;
use asxh_text::{Lang, Msg};
use base64::Engine as _;
use image::{Rgb, RgbImage};
use qrcode::{EcLevel, QrCode};

use crate::error::{PersonalizerError, Result};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Pixels at 300 dpi: 85.60 mm × 53.98 mm.
pub const WIDTH: u32 = 1011;
pub const HEIGHT: u32 = 638;
const MARGIN: f32 = 30.0;
/// Side of the square the QR (quiet zone included) may take.
const QR_BOX: u32 = 390;
const BAND: u32 = 128;
const BAND_COLOUR: [u8; 3] = [0xA5, 0x0F, 0x15];
const INK: [u8; 3] = [0x11, 0x11, 0x11];
const LABEL: [u8; 3] = [0x55, 0x55, 0x55];

/// The QR code placed on the face, in pixels.
struct QrLayout {
    x: u32,
    y: u32,
    /// Side of the code with its quiet zone.
    size: u32,
    /// Side of one module.
    module: u32,
    code: QrCode,
}

impl QrLayout {
    /// The top-left corner of every dark module.
    fn dark_squares(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let width = self.code.width() as u32;
        self.code
            .to_colors()
            .into_iter()
            .enumerate()
            .filter(|(_, c)| *c == qrcode::Color::Dark)
            .map(move |(i, _)| {
                let (mx, my) = (i as u32 % width + 4, i as u32 / width + 4);
                (self.x + mx * self.module, self.y + my * self.module)
            })
    }
}

/// The name of the office whose issuer key is `key_id_hex` in the trust list (the key id
/// itself when the list does not hold it), as the face shows it.
pub fn office_name(trust: &TrustList, key_id_hex: &str) -> String {
    trust
        .issuers
        .iter()
        .find(|e| e.key_id.to_hex() == key_id_hex)
        .map(|e| e.office_name.clone())
        .unwrap_or_else(|| key_id_hex.to_owned())
}

/// What the face shows.
#[derive(Debug, Clone)]
pub struct Face {
    pub title: String,
    pub full_name: String,
    pub date_of_birth: String,
    pub sex: Option<String>,
    pub ssn: String,
    pub serial: String,
    pub expires: String,
    pub office: String,
    pub qr_text: String,
}

/// The face is printed in Vietnamese.
const FACE_LANG: Lang = Lang::Vi;

fn program_title(programs: &[String]) -> String {
    let name = |p: &str| FACE_LANG.program(p).unwrap_or(p).to_owned();
    match programs.first() {
        Some(p) if programs.len() == 1 => name(p),
        Some(p) => format!("{} và {} chế độ khác", name(p), programs.len() - 1),
        None => FACE_LANG.text(Msg::CardName).to_owned(),
    }
}

impl Face {
    /// The face of a card from its decoded credential, QR text and issuing office name.
    pub fn new(card: &CredentialView, qr_text: &str, office: &str) -> Face {
        let programs: Vec<String> = card
            .entitlements
            .iter()
            .map(|e| e.program.clone())
            .collect();
        Face {
            title: program_title(&programs),
            full_name: card.full_name.clone(),
            date_of_birth: card.date_of_birth.clone(),
            sex: card.sex.as_deref().map(|s| {
                FACE_LANG
                    .text(if s == "M" {
                        Msg::SexMale
                    } else {
                        Msg::SexFemale
                    })
                    .to_owned()
            }),
            ssn: card.ssn.clone(),
            serial: card.serial.clone(),
            expires: card.expires.clone(),
            office: office.to_owned(),
            qr_text: qr_text.to_owned(),
        }
    }

    /// The face of the card whose signed credential is `credential_hex` (as the server sends
    /// it; the signature is the server's business here, not checked again).
    pub fn from_credential_hex(credential_hex: &str, qr_text: &str, office: &str) -> Result<Face> {
        let bytes = hex::decode(credential_hex.trim())
            .map_err(|_| PersonalizerError::InvalidInput("the credential is not hex".into()))?;
        let body = SignedCredential::parse(&bytes)
            .and_then(|c| c.unverified_body())
            .map_err(|e| {
                PersonalizerError::InvalidInput(format!("the credential does not parse: {e}"))
            })?;
        Ok(Face::new(&CredentialView::from(&body), qr_text, office))
    }

    fn lines(&self) -> Vec<(&'static str, String, bool)> {
        let mut lines = vec![
            ("Họ và tên", self.full_name.to_uppercase(), true),
            ("Ngày sinh", self.date_of_birth.clone(), false),
        ];
        if let Some(s) = &self.sex {
            lines.push(("Giới tính", s.clone(), false));
        }
        lines.extend([
            ("Số định danh", self.ssn.clone(), false),
            ("Số thẻ", self.serial.clone(), false),
            ("Có giá trị đến", self.expires.clone(), false),
            ("Nơi cấp", self.office.clone(), false),
        ]);
        lines
    }

    /// Where the QR goes: bottom right, as large as fits [`QR_BOX`], with a 4-module quiet zone.
    fn qr_layout(&self) -> Result<QrLayout> {
        let code = self.qr()?;
        let modules = code.width() as u32 + 8;
        let module = (QR_BOX / modules).max(1);
        let size = modules * module;
        Ok(QrLayout {
            x: WIDTH - MARGIN as u32 - size,
            y: HEIGHT - MARGIN as u32 / 2 - size,
            size,
            module,
            code,
        })
    }

    fn qr(&self) -> Result<QrCode> {
        QrCode::with_error_correction_level(self.qr_text.as_bytes(), EcLevel::M).map_err(|e| {
            PersonalizerError::InvalidInput(format!("the QR text does not fit a QR code: {e}"))
        })
    }

    /// Renders the face at 300 dpi.
    pub fn to_image(&self) -> Result<RgbImage> {
        let regular = FontRef::try_from_slice(REGULAR).expect("bundled font");
        let bold = FontRef::try_from_slice(BOLD).expect("bundled font");
        let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([255, 255, 255]));
        for y in 0..BAND {
            for x in 0..WIDTH {
                img.put_pixel(x, y, Rgb(BAND_COLOUR));
            }
        }
        draw_text(
            &mut img,
            &regular,
            24.0,
            MARGIN,
            42.0,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            [255, 255, 255],
            f32::MAX,
        );
        draw_text(
            &mut img,
            &bold,
            44.0,
            MARGIN,
            102.0,
            "THẺ AN SINH XÃ HỘI",
            [255, 255, 255],
            f32::MAX,
        );
        draw_text(
            &mut img,
            &bold,
            30.0,
            MARGIN,
            176.0,
            &self.title,
            BAND_COLOUR,
            (WIDTH - QR_BOX) as f32 - 2.0 * MARGIN,
        );

        let column = (WIDTH - QR_BOX) as f32 - 2.0 * MARGIN;
        let mut baseline = 228.0;
        for (label, value, strong) in self.lines() {
            let w = draw_text(
                &mut img,
                &regular,
                21.0,
                MARGIN,
                baseline,
                &format!("{label}: "),
                LABEL,
                column,
            );
            let font = if strong { &bold } else { &regular };
            draw_text(
                &mut img,
                font,
                if strong { 28.0 } else { 25.0 },
                MARGIN + w,
                baseline,
                &value,
                INK,
                column - w,
            );
            baseline += 56.0;
        }

        let qr = self.qr_layout()?;
        for (x, y) in qr.dark_squares() {
            for dy in 0..qr.module {
                for dx in 0..qr.module {
                    img.put_pixel(x + dx, y + dy, Rgb([0, 0, 0]));
                }
            }
        }
        Ok(img)
    }

    /// The face as SVG, the font embedded so it renders the same anywhere.
    pub fn to_svg(&self) -> Result<String> {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        let mut svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="85.6mm" height="53.98mm" viewBox="0 0 {WIDTH} {HEIGHT}">
<style>@font-face {{ font-family: "ASXH DejaVu Sans"; font-weight: normal; src: url(data:font/ttf;base64,{}); }}
@font-face {{ font-family: "ASXH DejaVu Sans"; font-weight: bold; src: url(data:font/ttf;base64,{}); }}
text {{ font-family: "ASXH DejaVu Sans"; }}</style>
<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/><rect width="{WIDTH}" height="{BAND}" fill="#A50F15"/>
<text x="{MARGIN}" y="42" font-size="24" fill="#fff">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</text>
<text x="{MARGIN}" y="102" font-size="44" font-weight="bold" fill="#fff">THẺ AN SINH XÃ HỘI</text>
<text x="{MARGIN}" y="176" font-size="30" font-weight="bold" fill="#A50F15">{}</text>
"##,
            b64(REGULAR),
            b64(BOLD),
            esc(&self.title)
        );
        let mut baseline = 228.0;
        for (label, value, strong) in self.lines() {
            svg += &format!(
                "<text x=\"{MARGIN}\" y=\"{baseline}\" font-size=\"21\" fill=\"#555\">{}: <tspan font-size=\"{}\" fill=\"#111\"{}>{}</tspan></text>\n",
                esc(label),
                if strong { 28 } else { 25 },
                if strong { " font-weight=\"bold\"" } else { "" },
                esc(&value)
            );
            baseline += 56.0;
        }
        let qr = self.qr_layout()?;
        let (x0, y0, size, px) = (qr.x, qr.y, qr.size, qr.module);
        svg += &format!("<rect x=\"{x0}\" y=\"{y0}\" width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"");
        for (x, y) in qr.dark_squares() {
            svg += &format!("M{x} {y}h{px}v{px}h-{px}z");
        }
        svg += "\"/>\n</svg>\n";
        Ok(svg)
    }

    /// The face as a one-page PDF of the card's size holding the 300 dpi image.
    pub fn to_pdf(&self) -> Result<Vec<u8>> {
        let img = self.to_image()?;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(img.as_raw())
            .map_err(|e| PersonalizerError::Io(e.to_string()))?;
        let pixels = z
            .finish()
            .map_err(|e| PersonalizerError::Io(e.to_string()))?;
        // 85.60 mm × 53.98 mm in PDF points (1/72 inch).
        let (w, h) = (85.60 / 25.4 * 72.0, 53.98 / 25.4 * 72.0);
        let content = format!("q {w:.2} 0 0 {h:.2} 0 0 cm /Face Do Q");
        let mut pdf: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        let objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] /Resources << /XObject << /Face 4 0 R >> >> /Contents 5 0 R >>").into_bytes(),
            [
                format!(
                    "<< /Type /XObject /Subtype /Image /Width {WIDTH} /Height {HEIGHT} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>\nstream\n",
                    pixels.len()
                )
                .into_bytes(),
                pixels,
                b"\nendstream".to_vec(),
            ]
            .concat(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()).into_bytes(),
        ];
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            pdf.extend_from_slice(body);
            pdf.extend_from_slice(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        Ok(pdf)
    }

    /// Writes the face to `path` in the format its extension names (`.png`, `.svg`, `.pdf`).
    pub fn save(&self, path: &Path) -> Result<()> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let io = |e: std::io::Error| {
            PersonalizerError::Io(format!("cannot write {}: {e}", path.display()))
        };
        match ext.as_deref() {
            Some("png") => self.to_image()?.save(path).map_err(|e| {
                PersonalizerError::Io(format!("cannot write {}: {e}", path.display()))
            }),
            Some("svg") => std::fs::write(path, self.to_svg()?).map_err(io),
            Some("pdf") => std::fs::write(path, self.to_pdf()?).map_err(io),
            _ => Err(PersonalizerError::Usage(format!(
                "{}: the card face is printed as .png, .svg or .pdf",
                path.display()
            ))),
        }
    }
}

/// Draws `text` with its baseline at `baseline`, shrinking it to fit `max_width`; returns the
/// width drawn.
#[allow(clippy::too_many_arguments)]
fn draw_text(
    img: &mut RgbImage,
    font: &FontRef<'_>,
    size: f32,
    x: f32,
    baseline: f32,
    text: &str,
    colour: [u8; 3],
    max_width: f32,
) -> f32 {
    let natural = text_width(font, size, text);
    let size = if natural > max_width {
        size * max_width / natural
    } else {
        size
    };
    let scaled = font.as_scaled(PxScale::from(size));
    let mut caret = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(size, ab_glyph::point(caret, baseline));
        caret += scaled.h_advance(id);
        previous = Some(id);
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let (px, py) = (
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                );
                if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                    let p = img.get_pixel_mut(px as u32, py as u32);
                    for (channel, ink) in p.0.iter_mut().zip(colour) {
                        *channel = (f32::from(*channel) * (1.0 - coverage)
                            + f32::from(ink) * coverage)
                            .round() as u8;
                    }
                }
            });
        }
    }
    caret - x
}

fn text_width(font: &FontRef<'_>, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> Face {
        Face {
            title: program_title(&["TGXH".into(), "BHYT".into()]),
            full_name: "Công Tằng Tôn Nữ Thị Hoàng Hạnh Phương".into(),
            date_of_birth: "1946".into(),
            sex: Some("Nữ".into()),
            ssn: "051146000123".into(),
            serial: "0000000001-8".into(),
            expires: "2036-11-24".into(),
            office: "Phòng Lao động – Thương binh và Xã hội huyện Nghĩa Hành".into(),
            qr_text: format!("ASXH1:{}", "ABC123".repeat(45)),
        }
    }

    #[test]
    fn every_vietnamese_letter_of_the_face_has_a_glyph_in_the_bundled_fonts() {
        let f = face();
        for font in [REGULAR, BOLD] {
            let font = FontRef::try_from_slice(font).unwrap();
            for line in f
                .lines()
                .into_iter()
                .map(|(l, v, _)| format!("{l}{v}"))
                .chain([
                    f.title.clone(),
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM THẺ AN SINH XÃ HỘI".into(),
                ])
            {
                for c in line.chars() {
                    assert_ne!(font.glyph_id(c).0, 0, "no glyph for {c:?} in {line:?}");
                }
            }
        }
    }

    #[test]
    fn the_printed_qr_reads_back_to_the_same_text() {
        let f = face();
        let img = image::DynamicImage::ImageRgb8(f.to_image().unwrap()).to_luma8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, f.qr_text);
    }

    #[test]
    fn svg_and_pdf_are_well_formed_documents_of_the_card_size() {
        let f = face();
        let svg = f.to_svg().unwrap();
        assert!(
            svg.starts_with("<svg")
                && svg.contains("width=\"85.6mm\"")
                && svg.contains("CÔNG TẰNG TÔN NỮ")
        );
        let pdf = f.to_pdf().unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/MediaBox [0 0 242.65 153.01]"),
            "CR80 in points"
        );
    }
}
