use domain::{Lang, PasswordProblem, ProfileProblem, StatementProblem};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// The one error type at the Leptos boundary. It carries no internal detail and no personal
/// data (a no-JS form's error travels in the address it is redirected to): what went wrong
/// inside is logged on the server; the browser hears which kind of failure it was and, for a
/// form, which field to fix and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Something failed on our side; details are in the server log, never in the response.
    #[error("internal error")]
    Internal,
    /// The request could not reach the server or its answer could not be read.
    #[error("the server could not be reached")]
    Unreachable,
    /// The request itself could not be read (missing or malformed arguments); nothing changed.
    #[error("the request could not be read")]
    BadRequest,
    #[error("sign in first")]
    SignInRequired,
    #[error("not allowed")]
    Forbidden,
    /// A sensitive action needs the password (and code) again.
    #[error("confirm who you are first")]
    ReauthRequired,
    #[error("the e-mail address or password is not right")]
    InvalidCredentials,
    /// Too many failed attempts; `retry_at` is UTC, RFC 3339; `clock` the same moment's time
    /// of day in the company's zone ("05:17"), as the message shows it.
    #[error("too many attempts")]
    Throttled { retry_at: String, clock: String },
    /// Asked again too soon (a mail sent again); `clock` is when it may be asked, as the
    /// message shows it.
    #[error("too soon")]
    TooSoon { clock: String },
    #[error("the address is not confirmed yet")]
    Unconfirmed,
    #[error("the code is not right")]
    InvalidCode,
    #[error("the link is unknown, used or expired")]
    InvalidLink,
    /// Field-level problems with a form.
    #[error("the form has problems")]
    Invalid(Vec<FieldError>),
    /// The data changed elsewhere since the form was made; nothing was saved.
    #[error("changed in the meantime")]
    Stale,
    /// The same work is under way already (an export being built); ask again once it is done.
    #[error("under way already")]
    InProgress,
    /// The account's deletion is scheduled or under way already.
    #[error("the account's deletion is pending already")]
    DeletionPending,
    /// No such thing, or not yours (the same answer, so an id reveals nothing).
    #[error("not found")]
    NotFound,
    /// The request is closed already; nothing changed.
    #[error("the request is closed")]
    Closed,
}

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    EmailInvalid,
    Password(PasswordProblem),
    WrongPassword,
    SameAddress,
    AddressTaken,
    CodeInvalid,
    RoleInvalid,
    Profile(ProfileProblem),
    Statement(StatementProblem),
    /// A text staff write to the customer (an answer, a question, a reason).
    StaffText(StatementProblem),
    /// A choice that was not among those offered.
    ChoiceInvalid,
    /// The box that says "yes, delete my account" was not ticked.
    DeletionNotConfirmed,
    /// A deadline cannot move this way.
    Deadline(domain::DeadlineError),
}

impl AppError {
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            problem,
        }])
    }

    /// The problem with `field`, if this error names one.
    pub fn problem_with(&self, field: &str) -> Option<Problem> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.problem)
            }
            _ => None,
        }
    }
}

impl Problem {
    pub fn message(self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        let text = match self {
            Problem::Required => {
                if nl {
                    "Vul dit veld in."
                } else {
                    "Please fill in this field."
                }
            }
            Problem::EmailInvalid => {
                if nl {
                    "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl."
                } else {
                    "Enter a valid e-mail address, such as name@company.com."
                }
            }
            Problem::Password(problem) => return problem.message(lang),
            Problem::Profile(problem) => match (problem, nl) {
                (ProfileProblem::TooLong { max }, true) => {
                    return format!("Gebruik hooguit {max} tekens.");
                }
                (ProfileProblem::TooLong { max }, false) => {
                    return format!("Use at most {max} characters.");
                }
                (ProfileProblem::Control, true) => "Hierin staan tekens die we niet kunnen tonen.",
                (ProfileProblem::Control, false) => "This holds characters that cannot be shown.",
                (ProfileProblem::NotAName, true) => {
                    "Gebruik letters (in elk schrift), spaties, koppeltekens, apostroffen en punten."
                }
                (ProfileProblem::NotAName, false) => {
                    "Use letters (of any script), spaces, hyphens, apostrophes and full stops."
                }
                (ProfileProblem::NotAPhoneNumber, true) => {
                    "Vul een telefoonnummer in, zoals 020 123 4567, 06 12345678 of +44 20 7946 0958."
                }
                (ProfileProblem::NotAPhoneNumber, false) => {
                    "Enter a phone number, such as 020 123 4567, 06 12345678 or +44 20 7946 0958."
                }
                (ProfileProblem::NotAPostcode, true) => {
                    "Vul een Nederlandse postcode in, zoals 1234 AB."
                }
                (ProfileProblem::NotAPostcode, false) => "Enter a Dutch postcode, such as 1234 AB.",
            },
            Problem::StaffText(StatementProblem::Empty) => {
                if nl {
                    "Schrijf hier de tekst voor de klant; die ziet hem bij het verzoek en krijgt hem per e-mail."
                } else {
                    "Write the text for the customer here; they see it with the request and get it by e-mail."
                }
            }
            Problem::Statement(problem) | Problem::StaffText(problem) => match (problem, nl) {
                (StatementProblem::Empty, true) => {
                    "Schrijf hier wat je ons wilt vragen of laten weten."
                }
                (StatementProblem::Empty, false) => "Write here what you want to ask or tell us.",
                (StatementProblem::TooLong { max }, true) => {
                    return format!("Gebruik hooguit {max} tekens.");
                }
                (StatementProblem::TooLong { max }, false) => {
                    return format!("Use at most {max} characters.");
                }
                (StatementProblem::Control, true) => {
                    "Hierin staan tekens die we niet kunnen tonen."
                }
                (StatementProblem::Control, false) => "This holds characters that cannot be shown.",
            },
            Problem::ChoiceInvalid => {
                if nl {
                    "Kies een van de mogelijkheden."
                } else {
                    "Choose one of the options."
                }
            }
            Problem::Deadline(problem) => match (problem, nl) {
                (domain::DeadlineError::TooLate, true) => {
                    "De oorspronkelijke termijn is verstreken: verlengen kan alleen binnen de eerste maand (artikel 12, lid 3, AVG)."
                }
                (domain::DeadlineError::TooLate, false) => {
                    "The original deadline has passed: an extension is only possible within the first month (Article 12(3) GDPR)."
                }
                (domain::DeadlineError::TooLong | domain::DeadlineError::Nothing, true) => {
                    "In totaal kan de termijn met hooguit twee maanden worden verlengd."
                }
                (domain::DeadlineError::TooLong | domain::DeadlineError::Nothing, false) => {
                    "In all, the deadline can be extended by at most two months."
                }
                (domain::DeadlineError::AlreadyPaused, true) => {
                    "We wachten al op een antwoord: de termijn staat al stil."
                }
                (domain::DeadlineError::AlreadyPaused, false) => {
                    "We are waiting for an answer already: the deadline stands still already."
                }
            },
            Problem::DeletionNotConfirmed => {
                if nl {
                    "Vink aan dat je je account en je gegevens wilt laten verwijderen."
                } else {
                    "Tick the box to say you want your account and your data deleted."
                }
            }
            Problem::WrongPassword => {
                if nl {
                    "Dit is niet je huidige wachtwoord."
                } else {
                    "This is not your current password."
                }
            }
            Problem::SameAddress => {
                if nl {
                    "Dit is al het e-mailadres van je account."
                } else {
                    "This is your account's address already."
                }
            }
            Problem::AddressTaken => {
                if nl {
                    "Er is al een account met dit e-mailadres."
                } else {
                    "An account with this address exists already."
                }
            }
            Problem::CodeInvalid => {
                if nl {
                    "Deze code klopt niet. Gebruik de code die je app nu toont (6 cijfers)."
                } else {
                    "This code is not right. Use the code your app shows now (6 digits)."
                }
            }
            Problem::RoleInvalid => {
                if nl {
                    "Kies support of beheerder."
                } else {
                    "Choose support or admin."
                }
            }
        };
        text.to_owned()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unreachable,
            // On the server: arguments that are missing or do not parse, a body that is not
            // UTF-8. The client's own request is at fault, not the server (400, not an opaque
            // 500), and nothing was done.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                crate::auth::fail(AppError::BadRequest)
            }
            _ => AppError::Internal,
        }
    }
}
