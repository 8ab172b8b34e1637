//! The e-mails the account workflows send, in the recipient's language, as plain text and HTML.
//!
//! A handful of short fixed texts: a template engine would add more than it saves. Everything
//! put into the HTML is escaped.

use super::Site;
use domain::Lang;

pub(crate) enum Notice {
    /// Confirm the address of a new account.
    ConfirmAddress {
        token: String,
    },
    /// Someone registered again with an address that has a confirmed account.
    AlreadyRegistered,
    ResetPassword {
        token: String,
    },
    PasswordChanged,
    /// Confirm a new address (sent to the new address).
    ConfirmNewAddress {
        token: String,
    },
    /// A change of address was asked for (sent to the current address).
    AddressChangeRequested,
    /// Someone asked to move another account to this address, which has an account.
    AddressInUse,
    /// The address was changed (sent to the previous address).
    AddressChanged,
    TotpEnabled,
    TotpDisabled,
    /// A download of the holder's data is ready; `provider_pending` when the provider's part
    /// follows later.
    ExportReady {
        provider_pending: bool,
    },
    /// The provider's part of a download arrived: the download is complete now.
    ExportCompleted,
    /// The account is deactivated and will be erased on `on` (a date in words), or at once;
    /// the link shows how far the erasure is.
    ErasureScheduled {
        on: Option<String>,
        status_link: String,
    },
    /// The holder signed in during the cool-off: the account stays.
    ErasureCancelled,
    /// Every system has erased the data; `kept` says what the law keeps, one line each. The
    /// provider (its name) when it erased its part, the directory listing when there was one,
    /// the recipients when some were asked to erase.
    ErasureCompleted {
        kept: Vec<String>,
        provider: Option<String>,
        directory: bool,
        recipients: bool,
    },
    /// Staff did something on the holder's request; the details are in the portal.
    RequestNews {
        news: RequestNews,
        link: String,
    },
    /// The holder wrote on request `id` (sent to staff).
    RequestMessage {
        id: i64,
        link: String,
    },
}

/// What staff did on a request, for the mail that tells the holder.
pub(crate) enum RequestNews {
    Reply,
    InfoRequested,
    /// The deadline moved to `due`.
    Extended {
        due: chrono::NaiveDate,
    },
    Completed,
    Refused,
}

pub(crate) struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A mail's parts: paragraphs, and at most one link with its label.
struct Parts {
    subject: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
}

impl Notice {
    /// Renders the notice in `lang` and queues it for `to` in the transaction of its cause;
    /// the queued message's id.
    pub(crate) async fn queue(
        &self,
        tx: &mut dyn store::Transaction,
        to: &str,
        lang: Lang,
        site: &Site,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64, store::StoreError> {
        let rendered = self.render(lang, site);
        tx.enqueue_mail(&store::outbox::NewMail {
            recipient: to.to_owned(),
            subject: rendered.subject,
            body_text: rendered.text,
            body_html: rendered.html,
            created_at: at,
        })
        .await
    }

    pub(crate) fn render(&self, lang: Lang, site: &Site) -> Rendered {
        let parts = self.parts(lang, site);
        let greeting = match lang {
            Lang::Nl => "Hallo,",
            Lang::En => "Hello,",
        };
        let closing = self.closing(lang, site);
        let signature = match lang {
            Lang::Nl => format!("Met vriendelijke groet,\n{}", site.organisation),
            Lang::En => format!("Kind regards,\n{}", site.organisation),
        };

        let mut text = format!("{greeting}\n\n");
        let mut html = format!("<p>{}</p>\n", escape(greeting));
        for paragraph in &parts.paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>\n", escape(paragraph)));
        }
        if let Some((label, url)) = &parts.link {
            text.push_str(&format!("{label}:\n{url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>\n",
                escape(url),
                escape(label)
            ));
        }
        if let Some(closing) = &closing {
            text.push_str(&format!("{closing}\n\n"));
            html.push_str(&format!("<p>{}</p>\n", escape(closing)));
        }
        text.push_str(&format!("{signature}\n"));
        html.push_str(&format!(
            "<p>{}</p>\n",
            escape(&signature).replace('\n', "<br>")
        ));
        Rendered {
            subject: parts.subject,
            text,
            html,
        }
    }

    /// The line before the signature: "not you?" where the mail is about something done with
    /// the account, a way to answer where staff wrote, nothing in a mail to staff.
    fn closing(&self, lang: Lang, site: &Site) -> Option<String> {
        let org = &site.organisation;
        match self {
            Notice::RequestNews { .. } => Some(match lang {
                Lang::Nl => "Heb je nog een vraag? Stuur ons een bericht bij je verzoek in het privacyportaal.".to_owned(),
                Lang::En => "Any questions? Send us a message with your request in the privacy portal.".to_owned(),
            }),
            Notice::RequestMessage { .. } => None,
            _ => Some(match lang {
                Lang::Nl => format!("Heb je dit niet zelf gedaan? Neem dan contact op met {org}."),
                Lang::En => format!("If this was not you, please contact {org}."),
            }),
        }
    }

    fn parts(&self, lang: Lang, site: &Site) -> Parts {
        let org = &site.organisation;
        let nl = lang == Lang::Nl;
        let pick = |nl_text: &str, en_text: &str| {
            if nl {
                nl_text.to_owned()
            } else {
                en_text.to_owned()
            }
        };
        match self {
            Notice::ConfirmAddress { token } => Parts {
                subject: pick("Bevestig je e-mailadres", "Confirm your e-mail address"),
                paragraphs: vec![if nl {
                    format!(
                        "Je hebt een account aangemaakt in het privacyportaal van {org}. Bevestig je e-mailadres met de link hieronder; hij werkt één keer en 24 uur lang."
                    )
                } else {
                    format!(
                        "You created an account in the {org} privacy portal. Please confirm your e-mail address with the link below; it works once, for 24 hours."
                    )
                }],
                link: Some((
                    pick("Bevestig je e-mailadres", "Confirm your e-mail address"),
                    site.link(lang, "link/confirm", token),
                )),
            },
            Notice::AlreadyRegistered => Parts {
                subject: pick("Je hebt al een account", "You already have an account"),
                paragraphs: vec![pick(
                    "Iemand probeerde een account aan te maken met dit e-mailadres, maar er is al een account mee. Weet je je wachtwoord niet meer? Vraag dan een nieuw wachtwoord aan.",
                    "Someone tried to create an account with this e-mail address, but it already has one. Forgot your password? Ask for a new one.",
                )],
                link: Some((
                    pick("Nieuw wachtwoord aanvragen", "Reset your password"),
                    site.page(lang, "forgot-password"),
                )),
            },
            Notice::ResetPassword { token } => Parts {
                subject: pick("Nieuw wachtwoord instellen", "Set a new password"),
                paragraphs: vec![pick(
                    "Je hebt gevraagd om een nieuw wachtwoord. Stel het in met de link hieronder; hij werkt één keer en 30 minuten lang.",
                    "You asked for a new password. Set it with the link below; it works once, for 30 minutes.",
                )],
                link: Some((
                    pick("Nieuw wachtwoord instellen", "Set a new password"),
                    site.link(lang, "link/reset", token),
                )),
            },
            Notice::PasswordChanged => Parts {
                subject: pick("Je wachtwoord is gewijzigd", "Your password was changed"),
                paragraphs: vec![pick(
                    "Het wachtwoord van je account is zojuist gewijzigd. Op alle andere apparaten ben je uitgelogd.",
                    "Your account's password was just changed. You have been signed out on every other device.",
                )],
                link: None,
            },
            Notice::ConfirmNewAddress { token } => Parts {
                subject: pick(
                    "Bevestig je nieuwe e-mailadres",
                    "Confirm your new e-mail address",
                ),
                paragraphs: vec![pick(
                    "Je wilt dit e-mailadres voortaan voor je account gebruiken. Bevestig het met de link hieronder; hij werkt één keer en 24 uur lang.",
                    "You want to use this e-mail address for your account from now on. Please confirm it with the link below; it works once, for 24 hours.",
                )],
                link: Some((
                    pick(
                        "Bevestig je nieuwe e-mailadres",
                        "Confirm your new e-mail address",
                    ),
                    site.link(lang, "link/email", token),
                )),
            },
            Notice::AddressChangeRequested => Parts {
                subject: pick(
                    "Wijziging van je e-mailadres aangevraagd",
                    "A change of your e-mail address was requested",
                ),
                paragraphs: vec![pick(
                    "Er is gevraagd om het e-mailadres van je account te wijzigen. De wijziging gaat pas in als het nieuwe adres is bevestigd.",
                    "A change of your account's e-mail address was requested. It takes effect only once the new address is confirmed.",
                )],
                link: None,
            },
            Notice::AddressInUse => Parts {
                subject: pick(
                    "Je e-mailadres is al in gebruik",
                    "Your e-mail address is in use already",
                ),
                paragraphs: vec![pick(
                    "Iemand wilde dit e-mailadres koppelen aan een account, maar er is al een account met dit adres. Er is niets gewijzigd.",
                    "Someone wanted to use this e-mail address for an account, but an account with this address exists already. Nothing was changed.",
                )],
                link: None,
            },
            Notice::AddressChanged => Parts {
                subject: pick(
                    "Je e-mailadres is gewijzigd",
                    "Your e-mail address was changed",
                ),
                paragraphs: vec![pick(
                    "Het e-mailadres van je account is gewijzigd. Berichten over je account gaan voortaan naar het nieuwe adres.",
                    "Your account's e-mail address was changed. Messages about your account now go to the new address.",
                )],
                link: None,
            },
            Notice::TotpEnabled => Parts {
                subject: pick(
                    "Inloggen in twee stappen staat aan",
                    "Two-step sign-in is on",
                ),
                paragraphs: vec![pick(
                    "Voor je account is inloggen in twee stappen ingesteld: voortaan vragen we bij het inloggen ook een code uit je authenticator-app.",
                    "Two-step sign-in was set up for your account: from now on, signing in also asks for a code from your authenticator app.",
                )],
                link: None,
            },
            Notice::ExportReady { provider_pending } => Parts {
                subject: pick(
                    "Je gegevens staan klaar om te downloaden",
                    "Your data is ready to download",
                ),
                paragraphs: {
                    let mut paragraphs = vec![pick(
                        "De kopie van je gegevens die je hebt aangevraagd staat klaar. Je kunt hem zeven dagen downloaden nadat je je wachtwoord opnieuw hebt ingevoerd; daarna wordt het bestand verwijderd.",
                        "The copy of your data you asked for is ready. You can download it for seven days after entering your password again; then the file is deleted.",
                    )];
                    if *provider_pending {
                        paragraphs.push(pick(
                            "Het deel dat onze leverancier bewaart kon nog niet worden opgehaald. We proberen het automatisch opnieuw en laten het je weten zodra de kopie compleet is.",
                            "The part our provider holds could not be fetched yet. We keep trying automatically and will let you know once the copy is complete.",
                        ));
                    }
                    paragraphs
                },
                link: Some((
                    pick("Naar je download", "Go to your download"),
                    site.page(lang, "my-data/export"),
                )),
            },
            Notice::ErasureScheduled { on, status_link } => Parts {
                subject: pick("We verwijderen je account", "We are deleting your account"),
                paragraphs: match on {
                    Some(on) => vec![
                        if nl {
                            format!(
                                "Je hebt gevraagd je account bij {org} te verwijderen. Je account is nu gedeactiveerd; op {on} wissen we je gegevens bij ons en bij onze leverancier."
                            )
                        } else {
                            format!(
                                "You asked us to delete your account with {org}. Your account is deactivated now; on {on} we erase your data with us and with our provider."
                            )
                        },
                        pick(
                            "Bedacht? Log tot die dag gewoon in: dan wordt de verwijdering ingetrokken en blijft je account bestaan.",
                            "Changed your mind? Simply sign in before that day: the deletion is then called off and your account stays.",
                        ),
                    ],
                    None => vec![if nl {
                        format!(
                            "Je hebt gevraagd je account bij {org} meteen te verwijderen. We wissen je gegevens nu bij ons en bij onze leverancier."
                        )
                    } else {
                        format!(
                            "You asked us to delete your account with {org} at once. We are erasing your data with us and with our provider now."
                        )
                    }],
                },
                link: Some((
                    pick(
                        "Zie hoe ver de verwijdering is",
                        "See how far the deletion is",
                    ),
                    status_link.clone(),
                )),
            },
            Notice::ErasureCancelled => Parts {
                subject: pick(
                    "De verwijdering van je account is ingetrokken",
                    "The deletion of your account is called off",
                ),
                paragraphs: vec![pick(
                    "Je hebt ingelogd voordat je account werd verwijderd. Daarmee is de verwijdering ingetrokken: je account en je gegevens blijven bestaan.",
                    "You signed in before your account was deleted. That called the deletion off: your account and your data stay.",
                )],
                link: None,
            },
            Notice::ErasureCompleted {
                kept,
                provider,
                directory,
                recipients,
            } => Parts {
                subject: pick("Je account is verwijderd", "Your account has been deleted"),
                paragraphs: {
                    let mut places = vec![pick("bij ons", "with us")];
                    if let Some(name) = provider {
                        places.push(match lang {
                            Lang::Nl => format!("bij onze leverancier {name}"),
                            Lang::En => format!("with our provider {name}"),
                        });
                    }
                    if *directory {
                        places.push(pick("uit de telefoongids", "from the telephone directory"));
                    }
                    let places = match places.split_last() {
                        Some((last, [])) => last.clone(),
                        Some((last, rest)) => {
                            format!("{} {} {last}", rest.join(", "), pick("en", "and"))
                        }
                        None => String::new(),
                    };
                    let mut erased = match lang {
                        Lang::Nl => format!("Je account en je gegevens zijn gewist: {places}."),
                        Lang::En => {
                            format!("Your account and your data have been erased: {places}.")
                        }
                    };
                    if *recipients {
                        erased.push(' ');
                        erased.push_str(&pick(
                            "Wie je gegevens van ons ontving, hebben we gevraagd ze ook te wissen.",
                            "We asked everyone who received your data from us to erase it too.",
                        ));
                    }
                    let mut paragraphs = vec![erased];
                    if !kept.is_empty() {
                        paragraphs.push(format!(
                            "{}\n{}",
                            pick(
                                "Wat de wet ons verplicht te bewaren, bewaren we zonder koppeling aan jou, en niet langer dan nodig:",
                                "What the law obliges us to keep, we keep without a link to you, and no longer than needed:",
                            ),
                            kept.iter().map(|k| format!("- {k}")).collect::<Vec<_>>().join("\n")
                        ));
                    }
                    paragraphs.push(pick(
                        "Dit is ons laatste bericht: je e-mailadres wordt na deze mail gewist.",
                        "This is our last message: your e-mail address is erased after this mail.",
                    ));
                    paragraphs
                },
                link: None,
            },
            Notice::RequestNews { news, link } => Parts {
                subject: pick("Nieuws over je verzoek", "News about your request"),
                paragraphs: vec![match news {
                    RequestNews::Reply => pick(
                        "Een medewerker heeft gereageerd op je verzoek.",
                        "A member of staff has answered on your request.",
                    ),
                    RequestNews::InfoRequested => pick(
                        "Om je verzoek af te handelen hebben we iets van je nodig. Tot je antwoordt, staat de termijn stil.",
                        "To handle your request we need something from you. Until you answer, the deadline stands still.",
                    ),
                    RequestNews::Extended { due } => match (lang, domain::time::date(*due, lang)) {
                        (Lang::Nl, due) => format!(
                            "We hebben meer tijd nodig voor je verzoek. We antwoorden uiterlijk op {due}; waarom lees je bij je verzoek."
                        ),
                        (Lang::En, due) => format!(
                            "We need more time for your request. We will answer by {due} at the latest; you can read why with your request."
                        ),
                    },
                    RequestNews::Completed => pick(
                        "We hebben je verzoek afgehandeld.",
                        "We have handled your request.",
                    ),
                    RequestNews::Refused => pick(
                        "We kunnen je verzoek niet (helemaal) inwilligen. Bij je verzoek lees je waarom, en wat je daartegen kunt doen.",
                        "We cannot grant your request (in full). With your request you can read why, and what you can do about it.",
                    ),
                }],
                link: Some((pick("Naar je verzoek", "Go to your request"), link.clone())),
            },
            Notice::RequestMessage { id, link } => Parts {
                subject: match lang {
                    Lang::Nl => format!("Nieuw bericht bij verzoek {id}"),
                    Lang::En => format!("New message on request {id}"),
                },
                paragraphs: vec![pick(
                    "De indiener heeft een bericht toegevoegd aan het verzoek.",
                    "The person who filed the request has added a message.",
                )],
                link: Some((pick("Naar het verzoek", "Go to the request"), link.clone())),
            },
            Notice::ExportCompleted => Parts {
                subject: pick("Je gegevens zijn compleet", "Your data is complete"),
                paragraphs: vec![pick(
                    "Het deel van je gegevens dat onze leverancier bewaart is nu ook opgehaald. De kopie die voor je klaarstaat is compleet.",
                    "The part of your data our provider holds has now been fetched as well. The copy waiting for you is complete.",
                )],
                link: Some((
                    pick("Naar je download", "Go to your download"),
                    site.page(lang, "my-data/export"),
                )),
            },
            Notice::TotpDisabled => Parts {
                subject: pick(
                    "Inloggen in twee stappen staat uit",
                    "Two-step sign-in is off",
                ),
                paragraphs: vec![pick(
                    "Inloggen in twee stappen is voor je account uitgezet.",
                    "Two-step sign-in was turned off for your account.",
                )],
                link: None,
            },
        }
    }
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site {
            public_url: "https://portaal.example.nl/".parse().expect("url"),
            organisation: "Tom & Co <BV>".into(),
        }
    }

    #[test]
    fn a_confirmation_mail_holds_its_link_in_both_parts_in_the_recipients_language() {
        let notice = Notice::ConfirmAddress {
            token: "ab12".into(),
        };
        let nl = notice.render(Lang::Nl, &site());
        let en = notice.render(Lang::En, &site());
        let link = "https://portaal.example.nl/nl/link/confirm?token=ab12";
        assert!(nl.text.contains(link) && nl.html.contains(link));
        assert_eq!(nl.subject, "Bevestig je e-mailadres");
        assert_eq!(en.subject, "Confirm your e-mail address");
        assert!(en.text.contains("/en/link/confirm?token=ab12"));
    }

    #[test]
    fn a_mail_about_staffs_work_on_a_request_ends_with_a_way_to_answer_not_with_was_this_you() {
        let news = Notice::RequestNews {
            news: RequestNews::Reply,
            link: "https://portaal.example.nl/nl/requests/7".into(),
        };
        let nl = news.render(Lang::Nl, &site());
        assert!(!nl.text.contains("niet zelf gedaan"), "{}", nl.text);
        assert!(
            nl.text.contains("Stuur ons een bericht bij je verzoek"),
            "{}",
            nl.text
        );
        let en = news.render(Lang::En, &site());
        assert!(!en.html.contains("not you"), "{}", en.html);
        // A mail about the account itself still asks.
        let changed = Notice::PasswordChanged.render(Lang::Nl, &site());
        assert!(changed.text.contains("Heb je dit niet zelf gedaan?"));
    }

    #[test]
    fn a_deletion_confirmation_names_only_the_places_that_held_the_account() {
        let plain = Notice::ErasureCompleted {
            kept: vec![],
            provider: None,
            directory: false,
            recipients: false,
        }
        .render(Lang::Nl, &site());
        assert!(
            plain
                .text
                .contains("Je account en je gegevens zijn gewist: bij ons.\n"),
            "{}",
            plain.text
        );
        assert!(!plain.text.contains("leverancier") && !plain.text.contains("telefoongids"));
        let subscriber = Notice::ErasureCompleted {
            kept: vec![],
            provider: Some("Operator Online".into()),
            directory: true,
            recipients: true,
        }
        .render(Lang::En, &site());
        assert!(
            subscriber.text.contains(
                "erased: with us, with our provider Operator Online and from the telephone directory. We asked everyone"
            ),
            "{}",
            subscriber.text
        );
    }

    #[test]
    fn everything_put_into_the_html_is_escaped() {
        let mail = Notice::PasswordChanged.render(Lang::En, &site());
        assert!(mail.html.contains("Tom &amp; Co &lt;BV&gt;"));
        assert!(!mail.html.contains("<BV>"));
        assert!(
            mail.text.contains("Tom & Co <BV>"),
            "plain text is not escaped"
        );
    }
}
