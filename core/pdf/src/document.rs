//! A PDF of pages of text runs, filled rectangles and lines, in points (1/72 inch) from each
//! page's lower-left corner. The fonts of the text are embedded as subsets of the glyphs used
//! (CIDFontType2, Identity-H) with a ToUnicode map, so the text is real text: it can be
//! selected, searched and copied with every diacritic.

use std::collections::BTreeMap;
use std::io::Write as _;

use ab_glyph::{Font, GlyphId};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect as PdfRect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use crate::{place, units_per_em, PdfError, Result, Weight};

/// One line of text in one font and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub weight: Weight,
    /// The em size in points.
    pub size: f32,
    /// Where the run starts, and its baseline.
    pub x: f32,
    pub y: f32,
    pub colour: [u8; 3],
    pub text: String,
}

/// A filled rectangle, its lower-left corner at `x`, `y`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub colour: [u8; 3],
}

/// One page: its size, the rectangles (drawn first), the text, and thin black lines
/// (`[x0, y0, x1, y1]`, drawn `line_width` wide).
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub fills: Vec<Fill>,
    pub texts: Vec<Text>,
    pub lines: Vec<[f32; 4]>,
    pub line_width: f32,
}

/// The glyphs a document uses in one font, and their ids in its subset.
struct Subset {
    weight: Weight,
    /// Original glyph id → the character it draws (for ToUnicode).
    used: BTreeMap<u16, char>,
    remapper: subsetter::GlyphRemapper,
}

impl Subset {
    fn new(weight: Weight, pages: &[Page]) -> Subset {
        let font = weight.font();
        let mut used = BTreeMap::new();
        for run in pages
            .iter()
            .flat_map(|p| &p.texts)
            .filter(|r| r.weight == weight)
        {
            for c in run.text.chars() {
                used.entry(font.glyph_id(c).0).or_insert(c);
            }
        }
        let mut remapper = subsetter::GlyphRemapper::new();
        for gid in used.keys() {
            remapper.remap(*gid);
        }
        Subset {
            weight,
            used,
            remapper,
        }
    }

    fn cid(&self, id: GlyphId) -> u16 {
        self.remapper.get(id.0).unwrap_or(0)
    }

    /// A subset tag (six capitals) that changes with the glyphs in it.
    fn base_font(&self) -> String {
        let mut h = Sha256::new();
        for gid in self.used.keys() {
            h.update(gid.to_be_bytes());
        }
        let tag: String = h.finalize()[..6]
            .iter()
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let family = match self.weight {
            Weight::Regular => "DejaVuSans",
            Weight::Bold => "DejaVuSans-Bold",
        };
        format!("{tag}+{family}")
    }

    fn resource_name(&self) -> &'static [u8] {
        match self.weight {
            Weight::Regular => b"F0",
            Weight::Bold => b"F1",
        }
    }
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(bytes)
        .and_then(|()| z.finish())
        .map_err(|e| PdfError::Compression(e.to_string()))
}

fn rgb(c: [u8; 3]) -> (f32, f32, f32) {
    let f = |v: u8| f32::from(v) / 255.0;
    (f(c[0]), f(c[1]), f(c[2]))
}

/// Draws one page's rectangles, text and lines into its content.
fn draw(content: &mut Content, page: &Page, subsets: &[Subset]) {
    for r in &page.fills {
        let (cr, cg, cb) = rgb(r.colour);
        content
            .set_fill_rgb(cr, cg, cb)
            .rect(r.x, r.y, r.w, r.h)
            .fill_nonzero();
    }
    for run in &page.texts {
        let subset = subsets
            .iter()
            .find(|s| s.weight == run.weight)
            .expect("a subset for every weight in use");
        let font = run.weight.font();
        let upem = units_per_em(&font);
        let (cr, cg, cb) = rgb(run.colour);
        content.begin_text();
        content
            .set_font(Name(subset.resource_name()), run.size)
            .set_fill_rgb(cr, cg, cb)
            .set_text_matrix([1.0, 0.0, 0.0, 1.0, run.x, run.y]);
        let placed = place(&font, run.size, &run.text).0;
        let mut shown = content.show_positioned();
        let mut items = shown.items();
        let mut pending: Vec<u8> = Vec::new();
        for g in placed {
            if g.kern != 0.0 {
                if !pending.is_empty() {
                    items.show(Str(&pending));
                    pending.clear();
                }
                items.adjust(-g.kern * 1000.0 / upem);
            }
            pending.extend_from_slice(&subset.cid(g.id).to_be_bytes());
        }
        if !pending.is_empty() {
            items.show(Str(&pending));
        }
        items.finish();
        shown.finish();
        content.end_text();
    }
    if !page.lines.is_empty() {
        content
            .set_stroke_rgb(0.0, 0.0, 0.0)
            .set_line_width(page.line_width);
        for [x0, y0, x1, y1] in &page.lines {
            content.move_to(*x0, *y0).line_to(*x1, *y1);
        }
        content.stroke();
    }
}

/// Writes the font objects of one subset; the Type 0 font's id is `ids[0]`.
fn write_font(pdf: &mut Pdf, subset: &Subset, ids: [Ref; 5]) -> Result<()> {
    let [type0, cid, descriptor, cmap, file] = ids;
    let font = subset.weight.font();
    let upem = units_per_em(&font);
    let per_mille = |v: f32| v * 1000.0 / upem;
    let base_font = subset.base_font();
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(type0)
        .base_font(Name(base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);

    let old_ids: Vec<u16> = subset.remapper.remapped_gids().collect();
    let widths: Vec<f32> = old_ids
        .iter()
        .map(|gid| per_mille(font.h_advance_unscaled(GlyphId(*gid))))
        .collect();
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(Name(base_font.as_bytes()))
        .system_info(system_info)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font.widths().consecutive(0, widths);
    cid_font.finish();

    // The bounding box of the glyphs in the subset, and the capitals' height.
    let (mut x0, mut y0, mut x1, mut y1) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for gid in &old_ids {
        if let Some(o) = font.outline(GlyphId(*gid)) {
            x0 = x0.min(o.bounds.min.x);
            x1 = x1.max(o.bounds.max.x);
            y1 = y1.max(o.bounds.min.y);
            y0 = y0.min(o.bounds.max.y);
        }
    }
    let cap_height = font
        .outline(font.glyph_id('H'))
        .map_or(font.ascent_unscaled(), |o| o.bounds.min.y);
    pdf.font_descriptor(descriptor)
        .name(Name(base_font.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(PdfRect::new(
            per_mille(x0),
            per_mille(y0),
            per_mille(x1),
            per_mille(y1),
        ))
        .italic_angle(0.0)
        .ascent(per_mille(font.ascent_unscaled()))
        .descent(per_mille(font.descent_unscaled()))
        .cap_height(per_mille(cap_height))
        .stem_v(if subset.weight == Weight::Bold {
            140.0
        } else {
            80.0
        })
        .font_file2(file);

    let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system_info);
    for (gid, c) in &subset.used {
        unicode.pair(subset.cid(GlyphId(*gid)), *c);
    }
    let cmap_bytes = deflate(&unicode.finish())?;
    pdf.cmap(cmap, &cmap_bytes).filter(Filter::FlateDecode);

    let data = subsetter::subset(subset.weight.data(), 0, &subset.remapper)
        .map_err(|e| PdfError::Subset(e.to_string()))?;
    let compressed = deflate(&data)?;
    pdf.stream(file, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), data.len() as i32);
    Ok(())
}

/// A PDF of `pages`, titled `title`, naming `producer` as the tool that made it.
pub fn document(title: &str, producer: &str, pages: &[Page]) -> Result<Vec<u8>> {
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let info = alloc();
    let subsets: Vec<Subset> = Weight::ALL
        .into_iter()
        .map(|w| Subset::new(w, pages))
        .filter(|s| !s.used.is_empty())
        .collect();
    let font_ids: Vec<[Ref; 5]> = subsets
        .iter()
        .map(|_| [alloc(), alloc(), alloc(), alloc(), alloc()])
        .collect();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(pages.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr(producer));
    for (subset, ids) in subsets.iter().zip(&font_ids) {
        write_font(&mut pdf, subset, *ids)?;
    }
    for (page, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut content = Content::new();
        draw(&mut content, page, &subsets);
        let stream = deflate(&content.finish())?;
        pdf.stream(*content_id, &stream).filter(Filter::FlateDecode);
        let mut p = pdf.page(*page_id);
        p.parent(tree)
            .media_box(PdfRect::new(0.0, 0.0, page.width, page.height))
            .contents(*content_id);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        for (subset, ids) in subsets.iter().zip(&font_ids) {
            fonts.pair(Name(subset.resource_name()), ids[0]);
        }
        fonts.finish();
        resources.finish();
        p.finish();
    }
    Ok(pdf.finish())
}
