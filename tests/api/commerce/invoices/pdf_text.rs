//! The text of a PDF page as a reader sees it, decoded through each font's ToUnicode map
//! (lopdf's own `extract_text` cannot read the CMaps krilla writes).

use std::collections::HashMap;

use lopdf::{Document, Object};

/// Every page's text, pages in order, one line per text object.
pub fn pdf_text(pdf: &[u8]) -> String {
    let doc = Document::load_mem(pdf).expect("a readable PDF");
    let mut out = String::new();
    for (_, page) in doc.get_pages() {
        out.push_str(&page_text(&doc, page));
    }
    out
}

fn page_text(doc: &Document, page: lopdf::ObjectId) -> String {
    let maps: HashMap<Vec<u8>, HashMap<u16, String>> = doc
        .get_page_fonts(page)
        .expect("page fonts")
        .into_iter()
        .map(|(name, font)| (name, to_unicode(doc, font)))
        .collect();
    let content = doc.get_page_content(page).expect("page content");
    let content = lopdf::content::Content::decode(&content).expect("content stream");
    let mut out = String::new();
    let mut map = None;
    for op in content.operations {
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok());
                map = name.and_then(|n| maps.get(n));
            }
            "Tj" | "TJ" => {
                let map = map.expect("a font is selected before text is shown");
                let mut strings = Vec::new();
                for operand in &op.operands {
                    match operand {
                        Object::String(bytes, _) => strings.push(bytes.clone()),
                        Object::Array(items) => strings.extend(
                            items
                                .iter()
                                .filter_map(|i| i.as_str().ok().map(<[u8]>::to_vec)),
                        ),
                        _ => {}
                    }
                }
                for code in strings.concat().chunks(2) {
                    let code = u16::from_be_bytes([code[0], *code.get(1).unwrap_or(&0)]);
                    out.push_str(map.get(&code).map_or("\u{fffd}", String::as_str));
                }
            }
            "ET" => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn to_unicode(doc: &Document, font: &lopdf::Dictionary) -> HashMap<u16, String> {
    let stream = font
        .get(b"ToUnicode")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_object(r))
        .and_then(|o| o.as_stream())
        .expect("font has a ToUnicode map");
    let cmap = stream.decompressed_content().expect("ToUnicode stream");
    let cmap = String::from_utf8_lossy(&cmap);
    let hex = |s: &str| s.trim_matches(|c| c == '<' || c == '>').to_owned();
    let mut map = HashMap::new();
    for block in cmap.split("beginbfchar").skip(1) {
        let block = block.split("endbfchar").next().unwrap_or_default();
        for line in block.lines() {
            let mut parts = line.split_whitespace();
            let (Some(code), Some(dest)) = (parts.next(), parts.next()) else {
                continue;
            };
            let code = u16::from_str_radix(&hex(code), 16).expect("hex code");
            let units: Vec<u16> = hex(dest)
                .as_bytes()
                .chunks(4)
                .map(|c| u16::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
                .collect();
            map.insert(code, String::from_utf16(&units).expect("UTF-16 text"));
        }
    }
    map
}
