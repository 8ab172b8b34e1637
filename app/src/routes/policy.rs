//! The privacy policy: the client's text with a table of contents, the rights table and the
//! retention matrix from configuration.

use crate::{
    api::PublicFacts,
    i18n::{Texts, texts, use_lang},
    layout::WithFacts,
    policy::{Block, Inline, LAST_CHANGED, PolicyDocument},
};
use domain::{Holder, Lang, RetentionRule};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PolicyPage() -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let doc = PolicyDocument::get(lang);
        let t = texts(lang);
        view! {
            <Title text=doc.title() />
            <div class="policy-layout">
                <TableOfContents doc t />
                <article class="policy" aria-labelledby="policy-title">
                    <WithFacts render=move |facts| view! { <PolicyBody doc facts lang t /> } />
                </article>
            </div>
        }
    }
}

/// A heading's fragment id and its text.
type Entry = (&'static str, &'static str);

#[component]
fn TableOfContents(doc: &'static PolicyDocument, t: &'static Texts) -> impl IntoView {
    // Sub-sections (h3) nest under the section (h2) before them.
    let mut sections: Vec<(Entry, Vec<Entry>)> = Vec::new();
    for (level, id, text) in doc.sections() {
        match sections.last_mut() {
            Some((_, subs)) if level > 2 => subs.push((id, text)),
            _ => sections.push(((id, text), Vec::new())),
        }
    }
    let link =
        |id: &str, text: &'static str| view! { <a href=format!("#{id}")>{text}</a> }.into_any();
    view! {
        <nav class="toc" aria-labelledby="toc-title" data-addition>
            <h2 id="toc-title">{t.contents}</h2>
            <ol>
                {sections
                    .into_iter()
                    .map(|((id, text), subs)| {
                        view! {
                            <li>
                                {link(id, text)}
                                {(!subs.is_empty()).then(|| view! {
                                    <ul>
                                        {subs.into_iter().map(|(id, text)| view! { <li>{link(id, text)}</li> }).collect_view()}
                                    </ul>
                                }.into_any())}
                            </li>
                        }
                        .into_any()
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

#[component]
fn PolicyBody(
    doc: &'static PolicyDocument,
    facts: PublicFacts,
    lang: Lang,
    t: &'static Texts,
) -> impl IntoView {
    // A table is a region named by the heading of the section it stands in (its id differs
    // per language).
    let mut section = String::new();
    let (mut heading_before, mut sections_seen, mut offered) = (false, 0_usize, false);
    doc.blocks
        .iter()
        .map(|block| match block {
            Block::Heading { level: 1, id, text } => view! {
                <header class="policy-header">
                    <h1 id="policy-title">
                        <a class="anchor" href=format!("#{id}") id=id.clone()>{*text}</a>
                    </h1>
                    <p class="policy-meta" data-addition>
                        {t.last_changed} ": "
                        <time datetime=LAST_CHANGED>{doc.last_changed}</time>
                    </p>
                    {(lang != Lang::Nl).then(|| view! {
                        <aside class="notice" data-addition>
                            <p>{t.translation_notice} " "
                                <a href="/nl" hreflang="nl" lang="nl">{t.translation_original}</a>
                            </p>
                        </aside>
                    })}
                </header>
            }
            .into_any(),
            Block::Heading { level, id, text } => {
                section.clone_from(id);
                heading_before = *level == 2;
                let anchor = view! { <a class="anchor" href=format!("#{id}")>{*text}</a> };
                if *level == 2 {
                    view! { <h2 id=id.clone()>{anchor}</h2> }.into_any()
                } else {
                    view! { <h3 id=id.clone()>{anchor}</h3> }.into_any()
                }
            }
            Block::Paragraph(inlines) => {
                let text = view! { <p>{inlines.iter().map(|i| inline(i, &facts)).collect_view()}</p> };
                // "Jij beslist", the first section, ends with a way to do what it promises.
                sections_seen += usize::from(std::mem::take(&mut heading_before));
                if sections_seen == 1 && !offered {
                    offered = true;
                    view! { {text} <DoItYourself lang id="do-it-yourself" /> }.into_any()
                } else {
                    text.into_any()
                }
            }
            Block::Table { head, rows } => view! {
                <div class="table-scroll" role="region" aria-labelledby=section.clone() tabindex="0">
                    <table class="rights">
                        <thead>
                            <tr>{head.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {rows
                                .iter()
                                .map(|row| {
                                    let (first, rest) = row.split_first().map_or(("", &[][..]), |(f, r)| (*f, r));
                                    view! {
                                        <tr>
                                            <th scope="row">{first}</th>
                                            {rest.iter().map(|cell| view! { <td>{*cell}</td> }).collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <DoItYourself lang id="use-your-rights" />
            }
            .into_any(),
            Block::CookieNotice => view! {
                <aside class="notice cookie-notice" id="cookie-choices" data-addition>
                    <p>
                        {t.cookie_notice} " "
                        <a href=format!("/{}/cookies", lang.code())>{t.cookie_settings}</a>
                        "."
                    </p>
                    <p id="gpc-policy">{crate::consent::gpc_policy(lang)}</p>
                </aside>
            }
            .into_any(),
            Block::RetentionMatrix => view! {
                <RetentionMatrix rules=facts.retention.clone() provider=facts.provider.clone() lang t />
            }
            .into_any(),
        })
        .collect_view()
}

/// After the rights table: the way from reading about a right to using it, in the portal.
#[component]
fn DoItYourself(lang: Lang, id: &'static str) -> impl IntoView {
    let page = move |p: &str| format!("/{}/{p}", lang.code());
    let tr = move |nl, en| crate::i18n::tr(lang, nl, en);
    view! {
        <aside class="notice notice-info do-it-yourself" id=id data-addition>
            <h3>{tr("Zelf regelen in het portaal", "Do it yourself in the portal")}</h3>
            <p>{tr(
                "Je gegevens inzien, corrigeren, downloaden of laten verwijderen, je cookiekeuze wijzigen of een ander verzoek indienen: dat doe je zelf, meteen, in dit portaal.",
                "See, correct, download or delete your data, change your cookie choice or file any other request: you do it yourself, at once, in this portal.",
            )}</p>
            <p class="actions-row">
                <a class="button" href=page("sign-in")>{tr("Inloggen", "Sign in")}</a>
                <a class="button secondary" href=page("register")>{tr("Account aanmaken", "Create an account")}</a>
            </p>
        </aside>
    }
}

fn inline(inline: &Inline, facts: &PublicFacts) -> AnyView {
    match inline {
        Inline::Text(text) => text.clone().into_any(),
        Inline::Contact => {
            let address = facts.privacy_contact.to_string();
            let mailto = format!("mailto:{address}");
            view! { <a href=mailto>{address}</a> }.into_any()
        }
        Inline::Authority(words) => {
            view! { <a href=facts.authority.complaint_url.to_string() rel="external">{*words}</a> }
                .into_any()
        }
        Inline::LastChanged(words) => {
            view! { <time datetime=LAST_CHANGED>{*words}</time> }.into_any()
        }
    }
}

/// The retention matrix as a table, with a filter once the page is interactive.
#[component]
fn RetentionMatrix(
    rules: Vec<RetentionRule>,
    provider: String,
    lang: Lang,
    t: &'static Texts,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    // The filter needs the app running in the browser; without JavaScript it stays hidden.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));

    let rows: Vec<MatrixRow> = rules
        .iter()
        .map(|rule| MatrixRow::new(rule, &provider, lang, t))
        .collect();
    let total = rows.len();
    let haystacks = StoredValue::new(rows.iter().map(|r| r.haystack()).collect::<Vec<_>>());
    let shown = move |i: usize| {
        let q = query.read().trim().to_lowercase();
        q.is_empty() || haystacks.with_value(|h| h[i].contains(&q))
    };
    let count = move || (0..total).filter(|i| shown(*i)).count();

    view! {
        <div class="matrix" data-addition>
            <div class="matrix-filter" hidden=move || !interactive.get()>
                <label for="matrix-filter">{t.matrix_filter}</label>
                <input
                    id="matrix-filter"
                    type="search"
                    autocomplete="off"
                    placeholder=t.matrix_filter_hint
                    prop:value=query
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <p class="matrix-count" role="status">{move || (t.matrix_shown)(count(), total)}</p>
            </div>
            <div class="table-scroll" role="region" aria-labelledby="matrix-caption" tabindex="0">
                <table class="retention">
                    <caption id="matrix-caption">{t.matrix_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.matrix_data}</th>
                            <th scope="col">{t.matrix_purpose}</th>
                            <th scope="col">{t.matrix_basis}</th>
                            <th scope="col">{t.matrix_period}</th>
                            <th scope="col">{t.matrix_held_by}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .enumerate()
                            .map(|(i, row)| {
                                view! {
                                    <tr id=format!("bewaartermijn-{}", row.id) hidden=move || !shown(i)>
                                        <th scope="row">{row.data}</th>
                                        <td>{row.purpose}</td>
                                        <td>{row.basis}<br /><span class="ground">{row.ground}</span></td>
                                        <td>{row.period}</td>
                                        <td>{row.held_by}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// One matrix row in one language.
struct MatrixRow {
    id: String,
    data: String,
    purpose: String,
    basis: &'static str,
    ground: String,
    period: String,
    held_by: String,
}

impl MatrixRow {
    fn new(rule: &RetentionRule, provider: &str, lang: Lang, t: &Texts) -> Self {
        Self {
            id: rule.id.clone(),
            data: rule.categories.get(lang).to_owned(),
            purpose: rule.purpose.get(lang).to_owned(),
            basis: rule.basis.describe(lang),
            ground: rule.ground.get(lang).to_owned(),
            period: rule.describe_period(lang),
            held_by: match rule.held_by {
                Holder::Portal => t.matrix_held_here.to_owned(),
                Holder::Provider => format!("{} ({provider})", t.matrix_held_at_provider),
            },
        }
    }

    fn haystack(&self) -> String {
        [
            &self.data,
            &self.purpose,
            self.basis,
            &self.ground,
            &self.period,
            &self.held_by,
        ]
        .map(|s| s.to_lowercase())
        .join(" ")
    }
}
