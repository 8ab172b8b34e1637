//! The client's privacy policy as a document: its text, verbatim, given structure.
//!
//! The Dutch text is the client's (`content/privacy-policy.nl.txt`, a byte copy of the published
//! policy); the English text is our translation. Each is plain text: paragraphs separated by
//! blank lines, table rows with tab-separated cells. An outline per language says which
//! paragraphs are headings. Nothing is retyped, so the Dutch words on the page are the client's.

use domain::Lang;
use std::sync::OnceLock;

const NL: &str = include_str!("../../content/privacy-policy.nl.txt");
const EN: &str = include_str!("../../content/privacy-policy.en.txt");

/// The day the client last changed the policy (its final sentence says so in words).
pub const LAST_CHANGED: &str = "2019-07-30";

/// The contact address as the policy text writes it; rendered as the configured address.
const CONTACT_IN_TEXT: &str = "privacy@Cloud4Companies.nl";

struct Source {
    text: &'static str,
    /// Heading paragraphs and their level (1 is the title).
    outline: &'static [(&'static str, u8)],
    /// The authority's name as the text writes it; rendered as a link to its complaint page.
    authority: &'static str,
    /// The date of the last change as the text writes it; rendered as a `<time>`.
    last_changed: &'static str,
    /// The heading whose paragraph refers to the retention matrix; the matrix follows it.
    matrix_heading: &'static str,
    /// The cookies section; the portal's note on cookie settings and GPC ends it.
    cookies_heading: &'static str,
}

const SOURCE_NL: Source = Source {
    text: NL,
    outline: &[
        ("Privacybeleid & Security", 1),
        ("Jij beslist", 2),
        ("Wie is er verantwoordelijk voor jouw gegevens?", 2),
        ("Wat doen wij met jouw persoonsgegevens?", 2),
        ("Cookies", 2),
        ("Beveiliging", 2),
        ("Beveiligde verbinding", 3),
        ("Beveiligde interne infrastructuur", 3),
        ("Gegevensopslag binnen de EU", 3),
        ("Externe diensten", 2),
        ("Identiteit", 3),
        ("Bewaartermijnmatrix", 3),
        ("Subverwerkers", 3),
        ("Rechten betrokkenen", 2),
    ],
    authority: "Autoriteit Persoonsgegevens",
    last_changed: "30 juli 2019",
    matrix_heading: "Bewaartermijnmatrix",
    cookies_heading: "Cookies",
};

const SOURCE_EN: Source = Source {
    text: EN,
    outline: &[
        ("Privacy Policy & Security", 1),
        ("You decide", 2),
        ("Who is responsible for your data?", 2),
        ("What do we do with your personal data?", 2),
        ("Cookies", 2),
        ("Security", 2),
        ("Secure connection", 3),
        ("Secure internal infrastructure", 3),
        ("Data storage within the EU", 3),
        ("External services", 2),
        ("Identity", 3),
        ("Retention matrix", 3),
        ("Sub-processors", 3),
        ("Data subject rights", 2),
    ],
    authority: "Autoriteit Persoonsgegevens",
    last_changed: "30 July 2019",
    matrix_heading: "Retention matrix",
    cookies_heading: "Cookies",
};

/// The policy in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    pub blocks: Vec<Block>,
    /// The date of the last change in this language's words, e.g. "30 juli 2019".
    pub last_changed: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        id: String,
        text: &'static str,
    },
    Paragraph(Vec<Inline>),
    /// A table from the text (the rights table): a header row and body rows.
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<&'static str>>,
    },
    /// Where the portal shows the retention matrix from configuration (not part of the text).
    RetentionMatrix,
    /// The portal's note at the end of the cookies section: where to choose, and how Global
    /// Privacy Control is treated (not part of the text).
    CookieNotice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// The privacy contact address, from configuration.
    Contact,
    /// The supervisory authority, linked to its complaint page; holds the text's own words.
    Authority(&'static str),
    /// The date of the last change; holds the text's own words.
    LastChanged(&'static str),
}

impl PolicyDocument {
    /// The document for a language, parsed once.
    pub fn get(lang: Lang) -> &'static PolicyDocument {
        static DOCS: [OnceLock<PolicyDocument>; 2] = [OnceLock::new(), OnceLock::new()];
        match lang {
            Lang::Nl => DOCS[0].get_or_init(|| parse(&SOURCE_NL)),
            Lang::En => DOCS[1].get_or_init(|| parse(&SOURCE_EN)),
        }
    }

    /// The headings below the title, for the table of contents.
    pub fn sections(&self) -> impl Iterator<Item = (u8, &str, &'static str)> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Heading { level, id, text } if *level > 1 => Some((*level, id.as_str(), *text)),
            _ => None,
        })
    }

    /// The title (the level-1 heading).
    pub fn title(&self) -> &'static str {
        self.blocks
            .iter()
            .find_map(|block| match block {
                Block::Heading { level: 1, text, .. } => Some(*text),
                _ => None,
            })
            .unwrap_or_default()
    }
}

fn parse(source: &Source) -> PolicyDocument {
    let mut blocks: Vec<Block> = Vec::new();
    let mut matrix_pending = false;
    let mut cookies_open = false;
    let mut previous_paragraph: Option<&str> = None;

    for chunk in source
        .text
        .split("\n\n")
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if chunk.lines().all(|line| line.contains('\t')) {
            let mut rows = chunk
                .lines()
                .map(|line| line.split('\t').map(str::trim).collect());
            match blocks.last_mut() {
                // A table the text interrupts with a blank line (a page break) goes on.
                Some(Block::Table { rows: body, .. }) => body.extend(rows),
                _ => {
                    let head = rows.next().unwrap_or_default();
                    blocks.push(Block::Table {
                        head,
                        rows: rows.collect(),
                    });
                }
            }
            previous_paragraph = None;
        } else if let Some(&(text, level)) = source.outline.iter().find(|(h, _)| *h == chunk) {
            if std::mem::take(&mut cookies_open) {
                blocks.push(Block::CookieNotice);
            }
            cookies_open = text == source.cookies_heading;
            matrix_pending = text == source.matrix_heading;
            blocks.push(Block::Heading {
                level,
                id: slug(text),
                text,
            });
            previous_paragraph = None;
        } else {
            // A paragraph cut in two by a page break in the published text is one paragraph.
            let continues = previous_paragraph.is_some_and(|p| !p.ends_with(['.', ':', '?', '!']))
                && chunk.starts_with(char::is_lowercase);
            let text = match (continues, previous_paragraph) {
                (true, Some(previous)) => {
                    blocks.pop();
                    format!("{previous} {chunk}")
                }
                _ => chunk.to_owned(),
            };
            blocks.push(Block::Paragraph(inlines(&text, source)));
            previous_paragraph = Some(chunk);
            if matrix_pending {
                blocks.push(Block::RetentionMatrix);
                matrix_pending = false;
            }
        }
    }
    if cookies_open {
        blocks.push(Block::CookieNotice);
    }
    PolicyDocument {
        blocks,
        last_changed: source.last_changed,
    }
}

/// The words in a paragraph that the portal renders specially.
#[derive(Clone, Copy)]
enum Mark {
    Contact,
    Authority,
    LastChanged,
}

/// Splits a paragraph around the words the portal renders specially.
fn inlines(text: &str, source: &Source) -> Vec<Inline> {
    let marks = [
        (CONTACT_IN_TEXT, Mark::Contact),
        (source.authority, Mark::Authority),
        (source.last_changed, Mark::LastChanged),
    ];
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = marks
            .iter()
            .filter_map(|&(word, mark)| rest.find(word).map(|at| (at, word, mark)))
            .min_by_key(|(at, ..)| *at);
        let Some((at, word, mark)) = next else {
            out.push(Inline::Text(rest.to_owned()));
            break;
        };
        if at > 0 {
            out.push(Inline::Text(rest[..at].to_owned()));
        }
        out.push(match mark {
            Mark::Contact => Inline::Contact,
            Mark::Authority => Inline::Authority(word),
            Mark::LastChanged => Inline::LastChanged(word),
        });
        rest = &rest[at + word.len()..];
    }
    out
}

/// A URL fragment for a heading: lower case ASCII letters and digits joined by hyphens.
pub fn slug(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The document's text as a reader sees it, with the configured values equal to the text's.
    fn flatten(doc: &PolicyDocument) -> String {
        let mut out = Vec::new();
        for block in &doc.blocks {
            match block {
                Block::Heading { text, .. } => out.push((*text).to_owned()),
                Block::Paragraph(inlines) => out.push(
                    inlines
                        .iter()
                        .map(|inline| match inline {
                            Inline::Text(t) => t.as_str(),
                            Inline::Contact => CONTACT_IN_TEXT,
                            Inline::Authority(t) | Inline::LastChanged(t) => t,
                        })
                        .collect(),
                ),
                Block::Table { head, rows } => {
                    out.push(head.join(" "));
                    out.extend(rows.iter().map(|row| row.join(" ")));
                }
                Block::RetentionMatrix | Block::CookieNotice => {}
            }
        }
        words(&out.join(" "))
    }

    #[test]
    fn the_dutch_document_holds_the_clients_text_word_for_word() {
        assert_eq!(flatten(PolicyDocument::get(Lang::Nl)), words(NL));
    }

    #[test]
    fn the_policy_copy_in_the_repository_equals_the_published_seed_when_it_is_beside_us() {
        let seed = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/seed/privacy-policy.nl.txt"
        );
        if let Ok(published) = std::fs::read_to_string(seed) {
            assert_eq!(
                NL, published,
                "app/content/privacy-policy.nl.txt drifted from the seed"
            );
        }
    }

    #[test]
    fn every_heading_in_each_outline_is_found_in_its_text() {
        for (lang, source) in [(Lang::Nl, &SOURCE_NL), (Lang::En, &SOURCE_EN)] {
            let doc = PolicyDocument::get(lang);
            let found = doc
                .blocks
                .iter()
                .filter(|b| matches!(b, Block::Heading { .. }))
                .count();
            assert_eq!(
                found,
                source.outline.len(),
                "{lang}: an outline heading is not in the text"
            );
        }
    }

    #[test]
    fn the_translation_has_the_shape_of_the_original() {
        let shape = |lang| -> Vec<String> {
            PolicyDocument::get(lang)
                .blocks
                .iter()
                .map(|block| match block {
                    Block::Heading { level, .. } => format!("h{level}"),
                    Block::Paragraph(inlines) => format!(
                        "p{}",
                        inlines
                            .iter()
                            .filter(|i| !matches!(i, Inline::Text(_)))
                            .count()
                    ),
                    Block::Table { head, rows } => format!("table {}x{}", head.len(), rows.len()),
                    Block::RetentionMatrix => "matrix".into(),
                    Block::CookieNotice => "cookies".into(),
                })
                .collect()
        };
        assert_eq!(shape(Lang::En), shape(Lang::Nl));
    }

    #[test]
    fn the_rights_table_has_six_rights_in_three_columns_and_the_matrix_follows_its_reference() {
        let doc = PolicyDocument::get(Lang::Nl);
        let (head, rows) = doc
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Table { head, rows } => Some((head, rows)),
                _ => None,
            })
            .expect("a table");
        assert_eq!(head, &["Het recht", "Onze actie", "Hoe?"]);
        assert_eq!(rows.len(), 6);
        assert!(rows.iter().all(|row| row.len() == 3));

        let matrix = doc.blocks.iter().position(|b| *b == Block::RetentionMatrix);
        let heading = doc.blocks.iter().position(
            |b| matches!(b, Block::Heading { text, .. } if *text == "Bewaartermijnmatrix"),
        );
        assert_eq!(matrix.zip(heading).map(|(m, h)| m - h), Some(2));
    }

    #[test]
    fn the_contact_address_the_authority_and_the_date_are_marked_in_both_languages() {
        for lang in Lang::ALL {
            let inlines: Vec<&Inline> = PolicyDocument::get(lang)
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph(inlines) => Some(inlines),
                    _ => None,
                })
                .flatten()
                .collect();
            let count = |f: fn(&Inline) -> bool| inlines.iter().filter(|i| f(i)).count();
            assert_eq!(count(|i| matches!(i, Inline::Contact)), 2, "{lang}");
            assert_eq!(count(|i| matches!(i, Inline::Authority(_))), 1, "{lang}");
            assert_eq!(count(|i| matches!(i, Inline::LastChanged(_))), 1, "{lang}");
        }
    }

    #[test]
    fn the_cookie_notice_ends_the_cookies_section_once_in_both_languages() {
        for lang in Lang::ALL {
            let blocks = &PolicyDocument::get(lang).blocks;
            let notices: Vec<usize> = (0..blocks.len())
                .filter(|&i| blocks[i] == Block::CookieNotice)
                .collect();
            assert_eq!(notices.len(), 1, "{lang:?}");
            let cookies = blocks
                .iter()
                .position(|b| {
                    matches!(
                        b,
                        Block::Heading {
                            text: "Cookies",
                            ..
                        }
                    )
                })
                .expect("a cookies heading");
            assert!(
                notices[0] > cookies + 1,
                "{lang:?}: after the section's text"
            );
            assert!(
                matches!(blocks.get(notices[0] + 1), Some(Block::Heading { .. })),
                "{lang:?}: the next section follows"
            );
        }
    }

    #[test]
    fn slugs_are_plain_ascii_fragments() {
        assert_eq!(slug("Privacybeleid & Security"), "privacybeleid-security");
        assert_eq!(
            slug("Wie is er verantwoordelijk voor jouw gegevens?"),
            "wie-is-er-verantwoordelijk-voor-jouw-gegevens"
        );
    }
}
