//! The personal-data export: `data.json` (machine-readable) and `index.html` (for a
//! person), written side by side a row at a time into one ZIP.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use serde_json::Value;
use zip::ZipWriter;
use zip::result::ZipResult;
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

/// The ZIP being written: each file is compressed as it goes, so memory holds one row and
/// the compressed bytes, however long the person's history is. `index.html` goes into an
/// archive of its own because a ZIP writes one file at a time; `finish` copies it over.
pub struct Export {
    json: ZipWriter<Cursor<Vec<u8>>>,
    html: ZipWriter<Cursor<Vec<u8>>>,
    locale: &'static str,
    /// The text of an empty section on the page.
    none: String,
    /// The list section being written: its name and how many rows it has so far.
    list: Option<(String, usize)>,
    /// One row's JSON and HTML, reused from row to row.
    row_json: Vec<u8>,
    row_html: String,
}

fn started(name: &str) -> ZipResult<ZipWriter<Cursor<Vec<u8>>>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    writer.start_file(name, options)?;
    Ok(writer)
}

fn json_value(out: &mut impl Write, value: &(impl serde::Serialize + ?Sized)) -> ZipResult<()> {
    serde_json::to_writer(out, value).map_err(|e| std::io::Error::from(e).into())
}

/// `{"column": value, ...}` in the query's column order.
fn json_object(out: &mut Vec<u8>, columns: &[String], values: &[Value]) {
    out.push(b'{');
    for (i, (column, value)) in columns.iter().zip(values).enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        // Writing JSON into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, column);
        out.extend_from_slice(b": ");
        let _ = serde_json::to_writer(&mut *out, value);
    }
    out.push(b'}');
}

impl Export {
    /// Starts both files: the page's title in `locale` and the time of the export.
    pub fn start(locale: &str, store_name: &str, generated_at: &str) -> ZipResult<Export> {
        use crate::i18n::{Args, t};
        let locale = crate::i18n::canonical(locale).unwrap_or(crate::i18n::SOURCE_LOCALE);
        let title = t(
            locale,
            "export-title",
            &Args::new().text("store", store_name),
        );
        let at = crate::i18n::format::date(locale, generated_at);
        let intro = t(locale, "export-intro", &Args::new().text("at", at));
        let mut export = Export {
            json: started("data.json")?,
            html: started("index.html")?,
            locale,
            none: escape(&t(locale, "export-none", &Args::new())),
            list: None,
            row_json: Vec::new(),
            row_html: String::new(),
        };
        write!(
            export.html,
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
        )?;
        export.json.write_all(b"{\n  \"generated_at\": ")?;
        json_value(&mut export.json, generated_at)?;
        Ok(export)
    }

    fn heading(&mut self, name: &str) -> ZipResult<()> {
        self.end_list()?;
        self.json.write_all(b",\n  ")?;
        json_value(&mut self.json, name)?;
        self.json.write_all(b": ")?;
        let heading = escape(&label(self.locale, name, None));
        writeln!(self.html, "<h2>{heading}</h2>")?;
        Ok(())
    }

    /// A section of one record (the profile): an object in `data.json`, a list of terms on
    /// the page.
    pub fn record(&mut self, name: &str, columns: &[String], values: &[Value]) -> ZipResult<()> {
        self.heading(name)?;
        self.row_json.clear();
        json_object(&mut self.row_json, columns, values);
        self.json.write_all(&self.row_json)?;
        self.row_html.clear();
        self.row_html.push_str("<dl>\n");
        for (column, value) in columns.iter().zip(values) {
            let (term, data) = (escape(column), cell(value));
            let _ = writeln!(self.row_html, "<dt>{term}</dt><dd>{data}</dd>");
        }
        self.row_html.push_str("</dl>\n");
        self.html.write_all(self.row_html.as_bytes())?;
        Ok(())
    }

    /// Starts a section of rows: an array in `data.json`, a table on the page.
    pub fn begin_list(&mut self, name: &str) -> ZipResult<()> {
        self.heading(name)?;
        self.json.write_all(b"[")?;
        self.list = Some((name.to_string(), 0));
        Ok(())
    }

    /// One row of the section begun last.
    pub fn row(&mut self, columns: &[String], values: &[Value]) -> ZipResult<()> {
        let Some((name, rows)) = self.list.as_mut() else {
            return Err(std::io::Error::other("a row outside a list section").into());
        };
        self.row_json.clear();
        self.row_json
            .extend_from_slice(if *rows == 0 { b"\n    " } else { b",\n    " });
        json_object(&mut self.row_json, columns, values);
        self.row_html.clear();
        if *rows == 0 {
            self.row_html.push_str("<table><thead><tr>");
            for column in columns {
                let header = escape(&label(self.locale, name, Some(column)));
                let _ = write!(self.row_html, "<th>{header}</th>");
            }
            self.row_html.push_str("</tr></thead><tbody>\n");
        }
        *rows += 1;
        self.row_html.push_str("<tr>");
        for value in values {
            let _ = write!(self.row_html, "<td>{}</td>", cell(value));
        }
        self.row_html.push_str("</tr>\n");
        self.json.write_all(&self.row_json)?;
        self.html.write_all(self.row_html.as_bytes())?;
        Ok(())
    }

    fn end_list(&mut self) -> ZipResult<()> {
        match self.list.take() {
            None => {}
            Some((_, 0)) => {
                self.json.write_all(b"]")?;
                writeln!(self.html, "<p>{}</p>", self.none)?;
            }
            Some(_) => {
                self.json.write_all(b"\n  ]")?;
                self.html.write_all(b"</tbody></table>\n")?;
            }
        }
        Ok(())
    }

    /// Closes both files and returns the ZIP's bytes.
    pub fn finish(mut self) -> ZipResult<Vec<u8>> {
        self.end_list()?;
        self.json.write_all(b"\n}\n")?;
        self.html.write_all(b"</body></html>\n")?;
        let page = self.html.finish_into_readable()?;
        self.json.merge_archive(page)?;
        Ok(self.json.finish()?.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::io::Read;

    fn names(columns: &[&str]) -> Vec<String> {
        columns.iter().map(|c| c.to_string()).collect()
    }

    fn file(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    /// A profile with a script for a name, one review and an empty cart, in `locale`.
    fn small_export(locale: &str) -> Vec<u8> {
        let mut export = Export::start(locale, "Shop & School", "2026-01-01T00:00:00Z").unwrap();
        export
            .record(
                "profile",
                &names(&["name", "id"]),
                &[json!("<script>alert(1)</script>"), json!("u1")],
            )
            .unwrap();
        export.begin_list("reviews").unwrap();
        let columns = names(&["comment", "rating"]);
        export.row(&columns, &[json!("a & b"), json!(5)]).unwrap();
        export
            .row(&columns, &[json!("\"quoted\""), json!(4)])
            .unwrap();
        export.begin_list("cart").unwrap();
        export.finish().unwrap()
    }

    #[test]
    fn the_page_escapes_what_users_typed() {
        let html = file(&small_export("en"), "index.html");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<td>a &amp; b</td><td>5</td>"), "{html}");
        assert!(html.contains("<h2>Cart</h2>\n<p>None.</p>"), "{html}");
        assert!(html.contains("Shop &amp; School"));
        assert!(html.ends_with("</body></html>\n"));
        let french = file(&small_export("fr"), "index.html");
        assert!(
            french.contains("<h1>Vos données chez Shop &amp; School</h1>"),
            "{french}"
        );
        assert!(french.contains("Exporté le 1 janvier 2026."), "{french}");
        assert!(french.contains("<p>Aucune.</p>"), "{french}");
    }

    #[test]
    fn the_json_file_holds_every_section_in_the_order_written() {
        let text = file(&small_export("en"), "data.json");
        let data: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            data,
            json!({
                "generated_at": "2026-01-01T00:00:00Z",
                "profile": {"name": "<script>alert(1)</script>", "id": "u1"},
                "reviews": [{"comment": "a & b", "rating": 5}, {"comment": "\"quoted\"", "rating": 4}],
                "cart": [],
            })
        );
        let profile = text.find("\"profile\"").unwrap();
        assert!(text.find("\"generated_at\"").unwrap() < profile);
        assert!(profile < text.find("\"reviews\"").unwrap());
        assert!(text.find("\"reviews\"").unwrap() < text.find("\"cart\"").unwrap());
        // A row a line, its columns as the query named them.
        assert!(
            text.contains("\n    {\"comment\": \"a & b\", \"rating\": 5},\n"),
            "{text}"
        );
    }

    #[test]
    fn vat_evidence_is_headed_and_labelled_in_the_readers_language() {
        let page = |locale: &str| {
            let mut export = Export::start(locale, "S", "2026-01-01T00:00:00Z").unwrap();
            export.begin_list("vat_evidence").unwrap();
            let columns = names(&["country", "vies_consultation"]);
            export
                .row(&columns, &[json!("FR"), json!("WAPIAAAA")])
                .unwrap();
            file(&export.finish().unwrap(), "index.html")
        };
        let english = page("en");
        assert!(english.contains("<h2>VAT evidence</h2>"), "{english}");
        assert!(
            english.contains("<th>Country taxed</th><th>VIES consultation number</th>"),
            "{english}"
        );
        let french = page("fr");
        assert!(french.contains("<h2>Preuves pour la TVA</h2>"), "{french}");
        assert!(
            french.contains("<th>Pays d’imposition</th><th>Numéro de consultation VIES</th>"),
            "{french}"
        );
        assert!(french.contains("<td>WAPIAAAA</td>"), "{french}");
    }

    #[test]
    fn a_row_needs_a_list_section() {
        let mut export = Export::start("en", "S", "2026-01-01T00:00:00Z").unwrap();
        assert!(export.row(&names(&["a"]), &[json!(1)]).is_err());
    }
}
