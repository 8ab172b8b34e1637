//! The export's file formats, one item at a time: a JSON line per item while the sources are
//! read, then CSV (RFC 4180, safe to open in a spreadsheet) and the rows of the human-readable
//! copy from those lines. Nothing here holds more than one item in memory.

use crate::my_data::Item;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize, ser::SerializeMap};
use sha2::{Digest, Sha256};
use std::{
    borrow::Cow,
    collections::BTreeMap,
    io::{self, BufRead, Write},
};

/// The CSV columns every category starts with; the item's fields follow.
pub const FIXED_COLUMNS: [&str; 3] = ["item_id", "recorded_at", "kept_until"];

/// What a spreadsheet would take for the start of a formula (OWASP's list, with the tab and
/// carriage return), and the apostrophe that marks a cell escaped.
const NEEDS_MARK: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A cell as written: a value a spreadsheet could run as a formula gets a leading apostrophe
/// (so does a value that starts with one, so that every cell reads back exactly).
pub fn escape_cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(NEEDS_MARK) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The value of a cell written by [`escape_cell`].
pub fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(NEEDS_MARK) => rest,
        _ => cell,
    }
}

/// An item as one line of JSON: `{"id", "recorded_at", "kept_until", "fields": {…}}`, the
/// fields in the item's own order.
pub struct ItemJson<'a>(pub &'a Item);

struct Fields<'a>(&'a [(String, String)]);

impl Serialize for Fields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl Serialize for ItemJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let item = self.0;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("id", &item.id)?;
        map.serialize_entry("recorded_at", &item.recorded)?;
        map.serialize_entry("kept_until", &item.kept_until)?;
        map.serialize_entry("fields", &Fields(&item.fields))?;
        map.end()
    }
}

/// An item read back from its JSON line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemRow {
    pub id: String,
    pub recorded_at: Option<DateTime<Utc>>,
    pub kept_until: Option<NaiveDate>,
    pub fields: BTreeMap<String, String>,
}

impl ItemRow {
    /// The item's cells under `columns` (the fixed ones, then field names); a field the item
    /// does not have is an empty cell.
    pub fn cells<'a>(&'a self, columns: &'a [String]) -> impl Iterator<Item = Cow<'a, str>> {
        let fixed = [
            Cow::Borrowed(self.id.as_str()),
            // As `data.json` writes it (chrono's serde form), so both files say the same.
            self.recorded_at
                .map(|at| Cow::Owned(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
                .unwrap_or_default(),
            self.kept_until
                .map(|day| Cow::Owned(day.to_string()))
                .unwrap_or_default(),
        ];
        fixed.into_iter().chain(
            columns
                .iter()
                .skip(FIXED_COLUMNS.len())
                .map(|name| Cow::Borrowed(self.fields.get(name).map_or("", String::as_str))),
        )
    }
}

/// Writes a category's items as JSON lines and notes its columns (in the order first seen) and
/// how many items there were.
pub struct LineWriter<W: Write> {
    out: W,
    columns: Vec<String>,
    pub count: u64,
}

impl<W: Write> LineWriter<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            columns: FIXED_COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
            count: 0,
        }
    }

    pub fn write(&mut self, item: &Item) -> io::Result<()> {
        for (name, _) in &item.fields {
            if !self.columns[FIXED_COLUMNS.len()..].contains(name) {
                self.columns.push(name.clone());
            }
        }
        serde_json::to_writer(&mut self.out, &ItemJson(item))?;
        self.out.write_all(b"\n")?;
        self.count += 1;
        Ok(())
    }

    /// The output, the columns, and the number of items.
    pub fn finish(mut self) -> io::Result<(W, Vec<String>, u64)> {
        self.out.flush()?;
        Ok((self.out, self.columns, self.count))
    }
}

/// Each JSON line of `lines`, read back.
pub fn read_lines(lines: impl BufRead) -> impl Iterator<Item = io::Result<ItemRow>> {
    lines.lines().map(|line| {
        serde_json::from_str(&line?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    })
}

/// The category as CSV: the header, then one record per item, CRLF line ends, fields quoted
/// where RFC 4180 needs it, every cell passed through [`escape_cell`].
pub fn write_csv(lines: impl BufRead, columns: &[String], out: impl Write) -> io::Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    csv.write_record(columns.iter().map(|c| escape_cell(c).into_owned()))?;
    for row in read_lines(lines) {
        let row = row?;
        csv.write_record(
            row.cells(columns)
                .map(|cell| escape_cell(&cell).into_owned()),
        )?;
    }
    csv.flush()
}

/// A writer that counts and hashes what passes through it: the manifest's size and SHA-256
/// of each file.
pub struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    pub bytes: u64,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The lowercase hex SHA-256 of everything written, and the byte count.
    pub fn finish(self) -> (W, String, u64) {
        let digest = self.hasher.finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        (self.inner, hex, self.bytes)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(id: &str, fields: Vec<(String, String)>) -> Item {
        Item {
            id: id.to_owned(),
            fields,
            recorded: None,
            kept_until: None,
        }
    }

    /// Awkward text: formula starts, quotes, separators, line breaks, and non-ASCII.
    fn awkward() -> impl Strategy<Value = String> {
        prop_oneof![
            "[=+\\-@'\t\r]?[a-zA-Z0-9 ,;\"'\r\n\t=+\\-@é€ß中文🙂\u{202e}\u{0}]{0,12}",
            Just(String::new()),
            Just("=HYPERLINK(\"http://x\",\"y\")".to_owned()),
            Just("'=1+1".to_owned()),
        ]
    }

    fn items() -> impl Strategy<Value = Vec<Item>> {
        let names = prop::sample::select(vec!["subject", "message", "number", "item_id", "é"]);
        let fields = prop::collection::btree_map(names, awkward(), 0..4).prop_map(|m| {
            m.into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect::<Vec<_>>()
        });
        prop::collection::vec((awkward(), fields), 0..8)
            .prop_map(|items| items.into_iter().map(|(id, f)| item(&id, f)).collect())
    }

    proptest! {
        #[test]
        fn every_csv_row_parses_back_to_the_items_json_line(items in items()) {
            let mut writer = LineWriter::new(Vec::new());
            for item in &items {
                writer.write(item).expect("written");
            }
            let (lines, columns, count) = writer.finish().expect("finished");
            prop_assert_eq!(count as usize, items.len());

            let mut csv_bytes = Vec::new();
            write_csv(lines.as_slice(), &columns, &mut csv_bytes).expect("csv");
            let text = String::from_utf8(csv_bytes).expect("UTF-8");

            let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
            let header: Vec<String> = reader
                .headers()
                .expect("a header")
                .iter()
                .map(|c| unescape_cell(c).to_owned())
                .collect();
            prop_assert_eq!(&header, &columns);
            let raw: Vec<csv::StringRecord> =
                reader.records().map(|r| r.expect("a record")).collect();
            for cell in raw.iter().flat_map(|r| r.iter()) {
                prop_assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "a cell a spreadsheet would run: {cell:?}"
                );
            }
            let parsed: Vec<Vec<String>> = raw
                .iter()
                .map(|r| r.iter().map(|c| unescape_cell(c).to_owned()).collect())
                .collect();
            let from_json: Vec<Vec<String>> = read_lines(lines.as_slice())
                .map(|row| row.expect("a line").cells(&columns).map(Cow::into_owned).collect())
                .collect();
            prop_assert_eq!(parsed, from_json);
        }
    }

    #[test]
    fn a_formula_gets_an_apostrophe_and_reads_back_unchanged() {
        for value in ["=SUM(A1:A9)", "+31 6 1234", "-5", "@cmd", "'quoted", "\tx"] {
            let escaped = escape_cell(value);
            assert!(escaped.starts_with('\''), "{value:?} not escaped");
            assert_eq!(unescape_cell(&escaped), value);
        }
        assert_eq!(escape_cell("Utrecht"), "Utrecht");
        assert_eq!(unescape_cell("it's"), "it's");
    }

    #[test]
    fn the_hash_is_the_sha256_of_what_was_written() {
        let mut hashing = Hashing::new(Vec::new());
        hashing.write_all(b"abc").expect("written");
        let (bytes, hex, count) = hashing.finish();
        assert_eq!(bytes, b"abc");
        assert_eq!(count, 3);
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
