//! The account's server functions: one module per action, each a few lines that parse the form,
//! check who is asking, and call the account workflows.

mod change_email;
mod change_password;
mod check_mail;
mod confirm_identity;
mod create_staff;
mod end_other_sessions;
mod forgot_password;
mod me;
mod register;
mod reset_password;
mod sessions;
mod sign_in;
mod sign_in_code;
mod sign_out;
mod staff;
mod two_step;

pub use change_email::ChangeEmail;
pub use change_password::ChangePassword;
#[cfg(feature = "ssr")]
pub use check_mail::ADDRESS_KEY;
pub use check_mail::{ResendConfirmation, known_address};
pub use confirm_identity::ConfirmIdentity;
pub use create_staff::CreateStaffAccount;
pub use end_other_sessions::EndOtherSessions;
pub use forgot_password::ForgotPassword;
pub use me::{AccountView, me};
pub use register::Register;
pub use reset_password::ResetPassword;
pub use sessions::{SessionView, my_sessions};
pub use sign_in::SignIn;
pub use sign_in_code::SignInCode;
pub use sign_out::SignOut;
pub use staff::{StaffView, staff_accounts};
pub use two_step::{DisableTwoStep, EnableTwoStep, TwoStepSetupView, two_step_setup};

/// How the account's server functions read their arguments. Public so the fuzz target
/// `server_fn_bodies` (fuzz/) drives these very functions.
#[cfg(feature = "ssr")]
pub mod parse {
    use crate::api::{AppError, Problem};
    use domain::{EmailAddress, Lang, Password};

    pub fn lang(code: &str) -> Lang {
        Lang::from_code(code).unwrap_or_default()
    }

    pub fn email(input: &str) -> Result<EmailAddress, AppError> {
        if input.trim().is_empty() {
            return Err(AppError::field("email", Problem::Required));
        }
        EmailAddress::parse(input).map_err(|_| AppError::field("email", Problem::EmailInvalid))
    }

    pub fn new_password(input: String) -> Result<Password, AppError> {
        Password::parse(input).map_err(|p| AppError::field("password", Problem::Password(p)))
    }

    /// A page of this portal to go to next: a local path only (no open redirect). A browser
    /// drops tabs and line breaks anywhere in a URL and reads `\` as `/`, so `/\t/evil.example`
    /// is `//evil.example`, another site: no control characters either.
    pub fn next_page(next: &str, lang: Lang) -> String {
        let local = next.starts_with('/')
            && !next.starts_with("//")
            && !next.contains('\\')
            && !next.chars().any(char::is_control);
        if local {
            next.to_owned()
        } else {
            format!("/{}/account", lang.code())
        }
    }

    /// Two fields parsed together: every field's problem is reported at once.
    pub fn both<A, B>(a: Result<A, AppError>, b: Result<B, AppError>) -> Result<(A, B), AppError> {
        match (a, b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (Err(AppError::Invalid(mut first)), Err(AppError::Invalid(second))) => {
                first.extend(second);
                Err(invalid(AppError::Invalid(first)))
            }
            (Err(error), _) | (_, Err(error)) => Err(invalid(error)),
        }
    }

    /// A failed parse, with its status.
    pub fn invalid(error: AppError) -> AppError {
        crate::auth::fail(error)
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::parse::next_page;
    use domain::Lang;

    #[test]
    fn a_tab_or_line_break_between_the_slashes_of_the_page_to_return_to_does_not_lead_off_the_portal()
     {
        // Found by the fuzz target `server_fn_bodies` (confirm_identity's `next`): a browser
        // reads "/\t/evil.example" as "//evil.example".
        for next in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
        ] {
            assert_eq!(next_page(next, Lang::En), "/en/account", "{next:?}");
        }
        for next in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "evil",
        ] {
            assert_eq!(next_page(next, Lang::Nl), "/nl/account", "{next:?}");
        }
        assert_eq!(
            next_page("/nl/my-data/delete", Lang::Nl),
            "/nl/my-data/delete"
        );
        assert_eq!(
            next_page("/en/account?tab=x", Lang::En),
            "/en/account?tab=x"
        );
    }
}
