//! CSV output of reports: RFC 4180 quoting (csv crate), spreadsheet-formula defusing, and
//! the download response.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::http::AppError;

/// A table ready to be written as CSV.
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers
/// (including negative ones) are left alone.
pub fn defuse(cell: &str) -> String {
    let risky = match cell.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => cell.parse::<f64>().is_err(),
        _ => false,
    };
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

pub fn to_bytes(table: &Table) -> Result<Vec<u8>, csv::Error> {
    rows_to_bytes(Some(&table.header), table.rows.iter().map(Vec::as_slice))
}

/// `rows` as CSV, after `header` when given: one page of a streamed table, or a whole one.
pub fn rows_to_bytes<'a>(
    header: Option<&[&str]>,
    rows: impl Iterator<Item = &'a [String]>,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Some(header) = header {
        writer.write_record(header)?;
    }
    for row in rows {
        writer.write_record(row.iter().map(|c| defuse(c)))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// `text/csv` as an attachment named `filename`.
pub fn response(filename: &str, table: &Table) -> Result<Response, AppError> {
    let bytes = to_bytes(table).map_err(|e| AppError::Internal(e.into()))?;
    as_attachment(bytes.into_response(), filename)
}

/// A CSV download written while the client reads it: `pages` yields its bytes page after
/// page, so a table of any length holds one page in memory. A failure after the first page
/// ends the connection early (the status was already sent), which clients see as a broken
/// download rather than a short file.
pub fn streamed_response(
    filename: &str,
    pages: impl futures::Stream<Item = Result<Vec<u8>, AppError>> + Send + 'static,
) -> Result<Response, AppError> {
    use futures::TryStreamExt;
    let body = axum::body::Body::from_stream(pages.map_err(std::io::Error::other));
    as_attachment(Response::new(body), filename)
}

fn as_attachment(mut response: Response, filename: &str) -> Result<Response, AppError> {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(|e| AppError::Internal(e.into()))?;
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_with_commas_quotes_and_newlines_are_quoted_and_parse_back() {
        let mut table = Table::new(&["name", "cents"]);
        table.push(vec![
            "Rust, \"the\" book\nsecond line".into(),
            "-150".into(),
        ]);
        let bytes = to_bytes(&table).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "Rust, \"the\" book\nsecond line");
        assert_eq!(&rows[0][1], "-150");
    }

    #[test]
    fn formulas_are_defused_but_numbers_are_not() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-2+3"), "'-2+3");
        assert_eq!(defuse("-42"), "-42");
        assert_eq!(defuse("Intro"), "Intro");
    }
}
