//! Faces as PDF, drawn as vectors from the same layout as the PNG: text is real text in the
//! bundled fonts, embedded as subsets with a ToUnicode map by the shared PDF writer
//! ([`asxh_pdf::document`]), so the name and every diacritic can be selected, searched and
//! copied; the QR is filled rectangles, sharp at any printer resolution. One page of the card's
//! size, or A4 sheets of several cards with crop marks ([`super::sheet`]).

use super::layout::{Layout, DPI, HEIGHT};
use crate::error::{PersonalizerError, Result};

/// Points (1/72 inch) per pixel of the layout.
const PT: f32 = 72.0 / DPI;

/// One face on a page, its lower-left corner in points.
pub struct Placement<'a> {
    pub layout: &'a Layout,
    pub x: f32,
    pub y: f32,
}

/// One page: its size in points, the faces on it and thin black lines (crop marks).
pub struct Page<'a> {
    pub width: f32,
    pub height: f32,
    pub faces: Vec<Placement<'a>>,
    pub lines: Vec<[f32; 4]>,
}

/// The faces of `page` in points from the page's lower-left corner.
fn in_points(page: &Page<'_>) -> asxh_pdf::Page {
    let mut out = asxh_pdf::Page {
        width: page.width,
        height: page.height,
        lines: page.lines.clone(),
        line_width: 0.25,
        ..asxh_pdf::Page::default()
    };
    for face in &page.faces {
        let x = |px: f32| face.x + px * PT;
        let y = |px: f32| face.y + (HEIGHT as f32 - px) * PT;
        out.fills
            .extend(face.layout.rects.iter().map(|r| asxh_pdf::Fill {
                x: x(r.x),
                y: y(r.y + r.h),
                w: r.w * PT,
                h: r.h * PT,
                colour: r.colour,
            }));
        out.texts
            .extend(face.layout.runs.iter().map(|run| asxh_pdf::Text {
                weight: run.weight,
                size: run.em * PT,
                x: x(run.x),
                y: y(run.baseline),
                colour: run.colour,
                text: run.text.clone(),
            }));
    }
    out
}

/// A PDF of `pages`, titled `title`.
pub fn document(title: &str, pages: &[Page<'_>]) -> Result<Vec<u8>> {
    let pages: Vec<asxh_pdf::Page> = pages.iter().map(in_points).collect();
    asxh_pdf::document(title, "asxh-personalizer", &pages)
        .map_err(|e| PersonalizerError::Io(e.to_string()))
}
