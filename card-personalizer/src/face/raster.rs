//! The face as a 300 dpi image, and its PNG with the resolution recorded (pHYs) so a printer or
//! an image viewer sizes it to the card: 1011 × 638 px at 11,811 px/m.

use ab_glyph::{point, Font};
use image::{Rgb, RgbImage};

use super::layout::{place, scale, Layout, HEIGHT, WHITE, WIDTH};
use crate::error::{PersonalizerError, Result};

/// 300 dots per inch in the PNG's unit, dots per metre.
pub const DOTS_PER_METRE: u32 = 11_811;

pub fn image(layout: &Layout) -> RgbImage {
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb(WHITE));
    for r in &layout.rects {
        let (x0, y0) = (r.x.round().max(0.0) as u32, r.y.round().max(0.0) as u32);
        let x1 = ((r.x + r.w).round() as u32).min(WIDTH);
        let y1 = ((r.y + r.h).round() as u32).min(HEIGHT);
        for y in y0..y1 {
            for x in x0..x1 {
                img.put_pixel(x, y, Rgb(r.colour));
            }
        }
    }
    for run in &layout.runs {
        let font = run.weight.font();
        let px_scale = scale(&font, run.em);
        for g in place(&font, run.em, &run.text).0 {
            let glyph =
                g.id.with_scale_and_position(px_scale, point(run.x + g.x, run.baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let (px, py) = (
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                );
                if px < 0 || py < 0 || px as u32 >= WIDTH || py as u32 >= HEIGHT {
                    return;
                }
                let p = img.get_pixel_mut(px as u32, py as u32);
                for (channel, ink) in p.0.iter_mut().zip(run.colour) {
                    *channel = (f32::from(*channel) * (1.0 - coverage) + f32::from(ink) * coverage)
                        .round() as u8;
                }
            });
        }
    }
    img
}

/// PNG bytes of an image, its 300 dpi recorded.
pub fn png(img: &RgbImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, img.width(), img.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: DOTS_PER_METRE,
        yppu: DOTS_PER_METRE,
        unit: png::Unit::Meter,
    }));
    let failed = |e: png::EncodingError| PersonalizerError::Io(format!("PNG encoding: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(img.as_raw()).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}
