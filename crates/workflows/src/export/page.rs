//! `index.html`: the export as a person reads it, in their language, in one self-contained file
//! (no scripts, no outside styles or images): per category the facts Art. 15(1)(a)–(h) GDPR
//! entitles them to and the items themselves, then their rights and where to complain.

use super::build::{Collected, Head, Part, ProviderPart};
use super::format::read_lines;
use crate::accounts::notices::escape;
use crate::my_data::words;
use domain::{ClientFacts, Holder, Lang};
use std::io::{self, Write};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#1a1a1a}h1,h2{line-height:1.2}section{margin:2.5rem 0}\
dl{display:grid;grid-template-columns:minmax(10rem,16rem) 1fr;gap:.25rem 1rem}dt{font-weight:600}\
dd{margin:0}table{border-collapse:collapse;width:100%;font-size:.9rem;overflow-wrap:anywhere}\
th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#eee}td{white-space:pre-wrap}.note{background:#fff4d6;padding:.5rem 1rem;\
border-left:4px solid #d49b00}";

struct Words {
    title: &'static str,
    made: &'static str,
    pending: &'static str,
    failed: &'static str,
    contents: &'static str,
    items: fn(u64) -> String,
    none: &'static str,
    what: &'static str,
    purpose: &'static str,
    basis: &'static str,
    recipients: &'static str,
    nobody: &'static str,
    retention: &'static str,
    source: &'static str,
    held: &'static str,
    here: &'static str,
    automated: &'static str,
    rights: &'static str,
    rights_list: [&'static str; 6],
    ask: &'static str,
    complain: &'static str,
    court: &'static str,
    files: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Nl => Words {
            title: "Jouw gegevens bij",
            made: "Deze kopie is gemaakt op",
            pending: "Het deel dat onze leverancier bewaart kon nog niet worden opgehaald. We proberen het automatisch opnieuw en sturen je een e-mail zodra je kopie compleet is.",
            failed: "Het deel dat onze leverancier bewaart kon niet worden opgehaald. Een medewerker neemt dit op; je hoort van ons.",
            contents: "Inhoud",
            items: |n| {
                if n == 1 {
                    "1 item".into()
                } else {
                    format!("{n} items")
                }
            },
            none: "Hiervan bewaren we niets over jou.",
            what: "Wat het is",
            purpose: "Waarvoor we het gebruiken",
            basis: "Grondslag",
            recipients: "Wie het ontvangt",
            nobody: "Niemand buiten ons bedrijf.",
            retention: "Hoe lang we het bewaren",
            source: "Waar het vandaan komt",
            held: "Waar het staat",
            here: "Bij ons",
            automated: "Geautomatiseerde besluitvorming",
            rights: "Je rechten",
            rights_list: [
                "Inzage in je gegevens (art. 15 AVG) — zoals deze kopie.",
                "Correctie van onjuiste gegevens (art. 16 AVG).",
                "Verwijdering van je gegevens (art. 17 AVG).",
                "Beperking van de verwerking (art. 18 AVG).",
                "Overdracht van je gegevens (art. 20 AVG) — data.json en de CSV-bestanden in deze kopie.",
                "Bezwaar tegen de verwerking, zoals tegen direct marketing (art. 21 AVG).",
            ],
            ask: "Je oefent deze rechten uit in het privacyportaal onder ‘Mijn gegevens’, of per e-mail aan",
            complain: "Ben je het niet eens met hoe wij met je gegevens omgaan? Dan kun je een klacht indienen bij de",
            court: "Je kunt ook naar de rechter stappen.",
            files: "In deze kopie: data.json (alle gegevens, machineleesbaar, beschreven door schema.json), een CSV-bestand per categorie in de map csv, en manifest.json met per bron de status en per bestand de SHA-256.",
        },
        Lang::En => Words {
            title: "Your data at",
            made: "This copy was made on",
            pending: "The part our provider holds could not be fetched yet. We keep trying automatically and will e-mail you once your copy is complete.",
            failed: "The part our provider holds could not be fetched. A member of staff is looking into it; you will hear from us.",
            contents: "Contents",
            items: |n| {
                if n == 1 {
                    "1 item".into()
                } else {
                    format!("{n} items")
                }
            },
            none: "We hold nothing of this about you.",
            what: "What it is",
            purpose: "What we use it for",
            basis: "Legal basis",
            recipients: "Who receives it",
            nobody: "Nobody outside our company.",
            retention: "How long we keep it",
            source: "Where it comes from",
            held: "Where it is held",
            here: "With us",
            automated: "Automated decision-making",
            rights: "Your rights",
            rights_list: [
                "Access to your data (Art. 15 GDPR) — such as this copy.",
                "Correction of inaccurate data (Art. 16 GDPR).",
                "Erasure of your data (Art. 17 GDPR).",
                "Restriction of processing (Art. 18 GDPR).",
                "Portability of your data (Art. 20 GDPR) — data.json and the CSV files in this copy.",
                "Objection to processing, such as to direct marketing (Art. 21 GDPR).",
            ],
            ask: "You exercise these rights in the privacy portal under ‘My data’, or by e-mail to",
            complain: "If you disagree with how we handle your data, you can complain to the",
            court: "You can also go to court.",
            files: "In this copy: data.json (all data, machine-readable, described by schema.json), a CSV file per category in the csv folder, and manifest.json with each source's state and each file's SHA-256.",
        },
    }
}

pub(super) fn write_index(
    out: &mut dyn Write,
    collected: &Collected,
    head: &Head,
    facts: &ClientFacts,
) -> io::Result<()> {
    let lang = head.lang;
    let w = words(lang);
    let org = escape(&facts.organisation.name);
    write!(
        out,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} {org}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n\
         <h1>{} {org}</h1>\n<p>{} {}.</p>\n<p>{}</p>\n",
        lang.code(),
        w.title,
        w.title,
        w.made,
        facts.local_time().moment(head.generated_at, lang),
        w.files,
    )?;
    match &collected.provider {
        ProviderPart::Pending { .. } => {
            writeln!(out, "<p class=\"note\" id=\"pending\">{}</p>", w.pending)?
        }
        ProviderPart::Failed { .. } => {
            writeln!(out, "<p class=\"note\" id=\"failed\">{}</p>", w.failed)?
        }
        _ => {}
    }
    writeln!(out, "</header>\n<nav>\n<h2>{}</h2>\n<ul>", w.contents)?;
    for part in &collected.parts {
        writeln!(
            out,
            "<li><a href=\"#{id}\">{}</a> ({})</li>",
            escape(part.described(facts)?.category.title.get(lang)),
            (w.items)(part.count),
            id = escape(part.id()),
        )?;
    }
    writeln!(
        out,
        "<li><a href=\"#rights\">{}</a></li>\n</ul>\n</nav>",
        w.rights
    )?;
    for part in &collected.parts {
        write_category(out, part, collected, facts, lang, &w)?;
    }
    write!(
        out,
        "<section id=\"rights\">\n<h2>{}</h2>\n<ul>\n",
        w.rights
    )?;
    for right in w.rights_list {
        writeln!(out, "<li>{right}</li>")?;
    }
    let contact = escape(facts.privacy_contact.as_str());
    write!(
        out,
        "</ul>\n<p>{} <a href=\"mailto:{contact}\">{contact}</a>.</p>\n\
         <p>{} <a href=\"{}\">{}</a>. {}</p>\n<h3>{}</h3>\n<p>{}</p>\n</section>\n</body>\n</html>\n",
        w.ask,
        w.complain,
        escape(facts.authority.complaint_url.as_str()),
        escape(&facts.authority.name),
        w.court,
        w.automated,
        escape(facts.automated_decisions.get(lang)),
    )
}

fn write_category(
    out: &mut dyn Write,
    part: &Part,
    collected: &Collected,
    facts: &ClientFacts,
    lang: Lang,
    w: &Words,
) -> io::Result<()> {
    let described = part.described(facts)?;
    let local = facts.local_time();
    let category = described.category;
    let rule = described.rule;
    let recipients = if category.recipients.is_empty() {
        w.nobody.to_owned()
    } else {
        category
            .recipients
            .iter()
            .map(|r| escape(r.get(lang)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let held = match part.held_by {
        Holder::Portal => w.here.to_owned(),
        Holder::Provider => escape(&facts.provider.display_name),
    };
    write!(
        out,
        "<section id=\"{}\" data-state=\"{}\">\n<h2>{}</h2>\n<dl>\n\
         <dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n\
         <dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{} ({})</dd>\n<dt>{}</dt><dd>{}</dd>\n\
         <dt>{}</dt><dd>{}</dd>\n</dl>\n",
        escape(part.id()),
        part.state(&collected.provider),
        escape(category.title.get(lang)),
        w.what,
        escape(category.fields.get(lang)),
        w.purpose,
        escape(rule.purpose.get(lang)),
        w.basis,
        rule.basis.describe(lang),
        w.recipients,
        recipients,
        w.retention,
        escape(&rule.describe_period(lang)),
        escape(rule.ground.get(lang)),
        w.source,
        escape(category.source.get(lang)),
        w.held,
        held,
    )?;
    if part.count == 0 {
        writeln!(out, "<p>{}</p>\n</section>", w.none)?;
        return Ok(());
    }
    out.write_all(b"<table>\n<thead><tr>")?;
    for column in &part.columns {
        write!(
            out,
            "<th scope=\"col\">{}</th>",
            escape(&words::label(column, lang))
        )?;
    }
    out.write_all(b"</tr></thead>\n<tbody>\n")?;
    for row in read_lines(part.lines()?) {
        let row = row?;
        out.write_all(b"<tr>")?;
        for (column, cell) in part.columns.iter().zip(row.cells(&part.columns)) {
            let shown = words::value(column, &cell, lang, &local);
            write!(out, "<td>{}</td>", escape(&shown))?;
        }
        out.write_all(b"</tr>\n")?;
    }
    out.write_all(b"</tbody>\n</table>\n</section>\n")
}
