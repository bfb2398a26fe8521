//! The personal-data export: `data.json` (machine-readable) and `index.html` (for a
//! person), packed into one ZIP.

use std::io::{Cursor, Write};

use serde_json::{Map, Value};
use zip::write::SimpleFileOptions;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => escape(s),
        other => escape(&other.to_string()),
    }
}

fn section_title(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// The heading of a section, or with `column` the header of one of its columns, in
/// `locale`: the catalogue's `export-section-<name>` (its attribute `.<column>`) when there
/// is one, else the name itself.
fn label(locale: &str, section: &str, column: Option<&str>) -> String {
    use crate::i18n::{Args, SOURCE_LOCALE, lookup};
    let id = format!("export-section-{}", section.replace('_', "-"));
    let key = match column {
        Some(c) => format!("{id}.{c}"),
        None => id,
    };
    lookup(locale, &key, &Args::new())
        .or_else(|| lookup(SOURCE_LOCALE, &key, &Args::new()))
        .unwrap_or_else(|| match column {
            Some(c) => c.to_string(),
            None => section_title(section),
        })
}

/// A readable page of the same data in `locale`: the profile as a list, every other section
/// as a table.
pub fn index_html(
    locale: &str,
    store_name: &str,
    generated_at: &str,
    data: &Map<String, Value>,
) -> String {
    use crate::i18n::{Args, t};
    let locale = crate::i18n::canonical(locale).unwrap_or(crate::i18n::SOURCE_LOCALE);
    let title = t(
        locale,
        "export-title",
        &Args::new().text("store", store_name),
    );
    let at = crate::i18n::format::date(locale, generated_at);
    let intro = t(locale, "export-intro", &Args::new().text("at", at));
    let mut html = format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <title>{title}</title>\
         <style>body{{font-family:sans-serif;margin:2rem;max-width:70rem}}\
         table{{border-collapse:collapse;margin-bottom:2rem}}\
         td,th{{border:1px solid #ccc;padding:.25rem .5rem;text-align:start;vertical-align:top}}</style>\
         </head><body>\n<h1>{title}</h1>\n<p>{intro}</p>\n",
        lang = locale,
        dir = crate::i18n::dir(locale),
        title = escape(&title),
        intro = escape(&intro),
    );
    let none = escape(&t(locale, "export-none", &Args::new()));
    for (name, value) in data {
        html.push_str(&format!(
            "<h2>{}</h2>\n",
            escape(&label(locale, name, None))
        ));
        match value {
            Value::Object(fields) => {
                html.push_str("<dl>\n");
                for (key, v) in fields {
                    html.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(key), cell(v)));
                }
                html.push_str("</dl>\n");
            }
            Value::Array(rows) if rows.is_empty() => html.push_str(&format!("<p>{none}</p>\n")),
            Value::Array(rows) => {
                let columns: Vec<String> = match rows.first() {
                    Some(Value::Object(first)) => first.keys().cloned().collect(),
                    _ => Vec::new(),
                };
                html.push_str("<table><thead><tr>");
                for c in &columns {
                    html.push_str(&format!(
                        "<th>{}</th>",
                        escape(&label(locale, name, Some(c)))
                    ));
                }
                html.push_str("</tr></thead><tbody>\n");
                for row in rows {
                    html.push_str("<tr>");
                    for c in &columns {
                        html.push_str(&format!(
                            "<td>{}</td>",
                            cell(row.get(c).unwrap_or(&Value::Null))
                        ));
                    }
                    html.push_str("</tr>\n");
                }
                html.push_str("</tbody></table>\n");
            }
            other => html.push_str(&format!("<p>{}</p>\n", cell(other))),
        }
    }
    html.push_str("</body></html>\n");
    html
}

/// The ZIP holding `data.json` and `index.html`.
pub fn zip(data_json: &[u8], index_html: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    writer.start_file("data.json", options)?;
    writer.write_all(data_json)?;
    writer.start_file("index.html", options)?;
    writer.write_all(index_html.as_bytes())?;
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_page_escapes_what_users_typed() {
        let mut data = Map::new();
        data.insert(
            "profile".into(),
            serde_json::json!({"name": "<script>alert(1)</script>"}),
        );
        data.insert(
            "reviews".into(),
            serde_json::json!([{"comment": "a & b", "rating": 5}]),
        );
        data.insert("cart".into(), serde_json::json!([]));
        let html = index_html("en", "Shop & School", "2026-01-01T00:00:00Z", &data);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<td>a &amp; b</td><td>5</td>"));
        assert!(html.contains("<h2>Cart</h2>\n<p>None.</p>"));
        assert!(html.contains("Shop &amp; School"));
        let french = index_html("fr", "Shop & School", "2026-01-01T00:00:00Z", &data);
        assert!(
            french.contains("<h1>Vos données chez Shop &amp; School</h1>"),
            "{french}"
        );
        assert!(french.contains("Exporté le 1 janvier 2026."), "{french}");
        assert!(french.contains("<p>Aucune.</p>"), "{french}");
    }

    #[test]
    fn vat_evidence_is_headed_and_labelled_in_the_readers_language() {
        let mut data = Map::new();
        data.insert(
            "vat_evidence".into(),
            serde_json::json!([{"country": "FR", "vies_consultation": "WAPIAAAA"}]),
        );
        let english = index_html("en", "S", "2026-01-01T00:00:00Z", &data);
        assert!(english.contains("<h2>VAT evidence</h2>"), "{english}");
        assert!(
            english.contains("<th>Country taxed</th><th>VIES consultation number</th>"),
            "{english}"
        );
        let french = index_html("fr", "S", "2026-01-01T00:00:00Z", &data);
        assert!(french.contains("<h2>Preuves pour la TVA</h2>"), "{french}");
        assert!(
            french.contains("<th>Pays d’imposition</th><th>Numéro de consultation VIES</th>"),
            "{french}"
        );
        assert!(french.contains("<td>WAPIAAAA</td>"), "{french}");
    }

    #[test]
    fn the_zip_holds_both_files() {
        let bytes = zip(b"{\"a\":1}", "<p>hi</p>").unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name("data.json")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "{\"a\":1}");
        assert!(archive.by_name("index.html").is_ok());
    }
}
