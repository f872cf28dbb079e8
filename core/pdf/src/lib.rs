//! Printable documents with selectable Vietnamese text, shared by the card face (personalizer)
//! and the payment point's end-of-day list (verifier): the bundled fonts (DejaVu Sans, regular
//! and bold, `fonts/` with their licence), text placement with kerning ([`place`], [`width`]),
//! and PDF pages of text, filled rectangles and lines ([`document`]) whose fonts are embedded as
//! subsets (CIDFontType2, Identity-H) with a ToUnicode map, so every diacritic can be selected,
//! searched and copied.

mod document;

use ab_glyph::{Font, FontRef, GlyphId};

pub use document::{document, Fill, Page, Text};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// What went wrong writing a document.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("PDF compression: {0}")]
    Compression(String),
    #[error("font subset for the PDF: {0}")]
    Subset(String),
}

pub type Result<T> = std::result::Result<T, PdfError>;

/// One of the bundled fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];

    /// The bundled font file.
    pub fn data(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR,
            Weight::Bold => BOLD,
        }
    }

    pub fn font(self) -> FontRef<'static> {
        FontRef::try_from_slice(self.data()).expect("the bundled fonts parse")
    }
}

/// A glyph of a run: its id and its pen position from the run's start.
pub struct Placed {
    pub id: GlyphId,
    pub x: f32,
    /// Kerning before this glyph, in font units.
    pub kern: f32,
}

pub fn units_per_em(font: &FontRef<'_>) -> f32 {
    font.units_per_em().unwrap_or(2048.0)
}

/// The glyphs of `text` at `em` (pixels, points: any unit), kerned; and the width of the whole
/// run in that unit.
pub fn place(font: &FontRef<'_>, em: f32, text: &str) -> (Vec<Placed>, f32) {
    let per_unit = em / units_per_em(font);
    let mut caret = 0.0;
    let mut previous = None;
    let mut placed = Vec::new();
    for c in text.chars() {
        let id = font.glyph_id(c);
        let kern = previous.map_or(0.0, |p| font.kern_unscaled(p, id));
        caret += kern * per_unit;
        placed.push(Placed { id, x: caret, kern });
        caret += font.h_advance_unscaled(id) * per_unit;
        previous = Some(id);
    }
    (placed, caret)
}

/// The width of `text` in `weight` at `em`.
pub fn width(weight: Weight, em: f32, text: &str) -> f32 {
    place(&weight.font(), em, text).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_has_a_glyph_in_both_fonts() {
        let letters = "ĂÂĐÊÔƠƯăâđêôơư ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ";
        for w in Weight::ALL {
            let font = w.font();
            for c in letters.chars().filter(|c| !c.is_whitespace()) {
                assert_ne!(font.glyph_id(c).0, 0, "{c} in {w:?}");
            }
        }
    }

    #[test]
    fn a_run_is_as_wide_as_its_advances_and_scales_with_its_size() {
        let w10 = width(Weight::Regular, 10.0, "Nguyễn Thị Lan");
        let w20 = width(Weight::Regular, 20.0, "Nguyễn Thị Lan");
        assert!(w10 > 50.0 && w10 < 90.0, "{w10}");
        assert!((w20 - 2.0 * w10).abs() < 0.01);
        assert!(width(Weight::Bold, 10.0, "ABC") > width(Weight::Regular, 10.0, "ABC"));
    }
}
