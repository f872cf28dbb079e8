//! The face as SVG, drawn from the same layout as the PNG and the PDF, with the bundled fonts
//! embedded so it renders the same on any machine.

use base64::Engine as _;

use super::layout::{Layout, Weight, HEIGHT, WIDTH};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

pub fn svg(layout: &Layout) -> String {
    let b64 = |w: Weight| base64::engine::general_purpose::STANDARD.encode(w.data());
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="85.6mm" height="53.98mm" viewBox="0 0 {WIDTH} {HEIGHT}">
<style>@font-face {{ font-family: "ASXH DejaVu Sans"; font-weight: normal; src: url(data:font/ttf;base64,{}); }}
@font-face {{ font-family: "ASXH DejaVu Sans"; font-weight: bold; src: url(data:font/ttf;base64,{}); }}
text {{ font-family: "ASXH DejaVu Sans"; white-space: pre; }}</style>
<rect width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>
"##,
        b64(Weight::Regular),
        b64(Weight::Bold),
    );
    for r in &layout.rects {
        svg += &format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
            r.x,
            r.y,
            r.w,
            r.h,
            hex(r.colour)
        );
    }
    for run in &layout.runs {
        svg += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{:.2}\"{} fill=\"{}\">{}</text>\n",
            run.x,
            run.baseline,
            run.em,
            if run.weight == Weight::Bold {
                " font-weight=\"bold\""
            } else {
                ""
            },
            hex(run.colour),
            escape(&run.text)
        );
    }
    svg += "</svg>\n";
    svg
}
