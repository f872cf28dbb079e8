//! Delimited text: the encoding from the byte-order mark, else UTF-8 when the bytes are UTF-8,
//! else UTF-16 when every other byte is zero, else Windows-1258 (the Vietnamese code page Excel
//! writes "CSV" in on a Vietnamese Windows); then the delimiter from the first lines.

use crate::{Cell, CellKind, Delimiter, Encoding, Row, Sheet, SheetError, Source};

/// How many lines the delimiter is guessed from.
const SAMPLE_LINES: usize = 20;

pub(crate) fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let (encoding, text) = decode(bytes)?;
    if text.contains('\0') {
        return Err(SheetError::Binary);
    }
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter.byte())
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The line a record starts on, counted here: the reader's own count skips blank lines.
    let (mut line, mut counted_to) = (1u64, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // The reader's position may be on the blank lines before the record.
                let mut start = record.position().map_or(counted_to, |p| p.byte() as usize);
                while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
                    start += 1;
                }
                line += text.as_bytes()[counted_to..start.max(counted_to)]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count() as u64;
                counted_to = start.max(counted_to);
                let row = Row {
                    number: line,
                    cells: record
                        .iter()
                        .map(|c| Cell::new(c, CellKind::Text))
                        .collect(),
                };
                if !row.is_blank() {
                    rows.push(row);
                }
            }
            // The text is valid UTF-8 and the reader flexible: nothing else can fail, but a
            // failure is still an answer, not a panic.
            Err(e) => {
                return Err(SheetError::NotCsv(e.to_string()));
            }
        }
    }
    Ok(Sheet {
        source: Source::Text {
            encoding,
            delimiter,
        },
        rows,
    })
}

/// The text of the file and the encoding it was read in.
fn decode(bytes: &[u8]) -> Result<(Encoding, String), SheetError> {
    let utf16 = |encoding: Encoding, body: &[u8]| {
        let codec = match encoding {
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            _ => encoding_rs::UTF_16LE,
        };
        codec
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| (encoding, t.into_owned()))
            .ok_or_else(|| SheetError::BrokenText(encoding.name()))
    };
    if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(body.to_vec())
            .map(|t| (Encoding::Utf8Bom, t))
            .map_err(|e| SheetError::BrokenUtf8(e.utf8_error().valid_up_to() + 3));
    }
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(Encoding::Utf16Le, body);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(Encoding::Utf16Be, body);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        // Text of ASCII letters in UTF-16 without a mark is valid UTF-8 full of NULs.
        if let Some(encoding) = bare_utf16(bytes) {
            return utf16(encoding, bytes);
        }
        return Ok((Encoding::Utf8, text.to_owned()));
    }
    if let Some(encoding) = bare_utf16(bytes) {
        return utf16(encoding, bytes);
    }
    let (text, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
    Ok((Encoding::Windows1258, text.into_owned()))
}

/// UTF-16 without a byte-order mark: an even length and zeros in most high bytes.
fn bare_utf16(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let pairs = bytes.len() / 2;
    let zeros_at = |i: usize| bytes.iter().skip(i).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 7 && even == 0 {
        Some(Encoding::Utf16Le)
    } else if even * 10 >= pairs * 7 && odd == 0 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The delimiter of `text`: the candidate that splits the most of the first lines into the
/// same number of cells (more than one), preferring more cells, then comma, semicolon, tab.
/// Delimiters inside quotes do not count.
fn delimiter(text: &str) -> Delimiter {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLE_LINES)
        .collect();
    let mut best = (Delimiter::Comma, 0usize, 0usize);
    for d in Delimiter::ALL {
        let counts: Vec<usize> = lines.iter().map(|l| unquoted(l, d.byte())).collect();
        // The most frequent non-zero count, and how many lines have it.
        let mut modal = (0usize, 0usize);
        for &c in counts.iter().filter(|c| **c > 0) {
            let lines_with = counts.iter().filter(|x| **x == c).count();
            if (lines_with, c) > (modal.1, modal.0) {
                modal = (c, lines_with);
            }
        }
        if (modal.1, modal.0) > (best.1, best.2) {
            best = (d, modal.1, modal.0);
        }
    }
    best.0
}

/// How many times `delimiter` appears in `line` outside double quotes.
fn unquoted(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read;

    const LIST: &str = "Số định danh,Họ và tên,Ngày sinh,Chế độ\n051146000123,Trần Thị Lan,19/08/1946,\"TGXH:BTXH-80:540000;BHYT:BT\"\n051150000001,\"Nguyễn Văn Đào, con\",1950,HN:HN\n";

    fn cells(sheet: &Sheet) -> Vec<Vec<&str>> {
        sheet
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    fn in_encoding(text: &str, encoding: Encoding) -> Vec<u8> {
        use asxh_testkit::lists;
        match encoding {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => lists::utf8_bom(text),
            Encoding::Utf16Le => lists::utf16le_bom(text),
            Encoding::Utf16Be => lists::utf16be_bom(text),
            Encoding::Windows1258 => lists::windows_1258(text),
        }
    }

    #[test]
    fn every_encoding_reads_to_the_same_nfc_cells_and_says_which_it_was() {
        let expected = read(LIST.as_bytes()).unwrap();
        for encoding in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1258,
        ] {
            let sheet = read(&in_encoding(LIST, encoding)).unwrap();
            assert_eq!(
                sheet.source,
                Source::Text {
                    encoding,
                    delimiter: Delimiter::Comma
                },
                "{encoding:?}"
            );
            assert_eq!(cells(&sheet), cells(&expected), "{encoding:?}");
        }
        assert_eq!(cells(&expected)[1][1], "Trần Thị Lan");
    }

    #[test]
    fn windows_1258_combining_marks_are_composed_to_nfc() {
        // "ầ" is "â" (0xE2) then a combining grave (0xCC); "ị" is "i" then a dot below (0xF2).
        let bytes = b"Ho\xf2 t\xean\nTr\xe2\xccn Thi\xf2 Lan\n";
        assert_eq!(
            asxh_testkit::lists::windows_1258("Họ tên\nTrần Thị Lan\n"),
            bytes
        );
        let sheet = read(bytes).unwrap();
        assert_eq!(
            sheet.source,
            Source::Text {
                encoding: Encoding::Windows1258,
                delimiter: Delimiter::Comma
            }
        );
        assert_eq!(sheet.rows[0].cells[0].text, "Họ tên");
        let name = &sheet.rows[1].cells[0].text;
        assert_eq!(name, "Trần Thị Lan");
        assert_eq!(name.chars().count(), 12, "composed: {name:?}");
    }

    #[test]
    fn the_delimiter_is_the_one_that_splits_the_lines_alike() {
        let semicolons = LIST
            .replace(',', ";")
            .replace(
                "\"TGXH:BTXH-80:540000;BHYT:BT\"",
                "\"TGXH:BTXH-80:540.000;BHYT:BT\"",
            )
            .replace("Đào; con", "Đào, con");
        let sheet = read(semicolons.as_bytes()).unwrap();
        assert_eq!(
            sheet.source,
            Source::Text {
                encoding: Encoding::Utf8,
                delimiter: Delimiter::Semicolon
            }
        );
        assert_eq!(cells(&sheet)[1][3], "TGXH:BTXH-80:540.000;BHYT:BT");
        assert_eq!(cells(&sheet)[2][1], "Nguyễn Văn Đào, con");
        let tabs = read(LIST.replace(',', "\t").as_bytes()).unwrap();
        assert!(matches!(
            tabs.source,
            Source::Text {
                delimiter: Delimiter::Tab,
                ..
            }
        ));
        // One column: nothing splits it, and it reads as comma-separated.
        let one = read(b"name\nLan\n").unwrap();
        assert_eq!(cells(&one), [["name"], ["Lan"]]);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognised() {
        let bytes: Vec<u8> = "a\tb\n1\t2\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let sheet = read(&bytes).unwrap();
        assert_eq!(
            sheet.source,
            Source::Text {
                encoding: Encoding::Utf16Le,
                delimiter: Delimiter::Tab
            }
        );
    }

    #[test]
    fn binary_and_broken_text_are_refused_with_what_to_do() {
        let e = read(b"\x01\x00\x02\x03\x00\x00\x05").unwrap_err();
        assert!(e.to_string().contains("NUL"), "{e}");
        let e = read(b"\xEF\xBB\xBFok,\xff\n").unwrap_err();
        assert!(e.to_string().contains("byte 6"), "{e}");
        assert!(read(b"\xFF\xFEa").is_err(), "odd UTF-16");
    }
}
