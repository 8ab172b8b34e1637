//! One file per page.

mod account;
mod admin_analytics;
mod admin_audit;
mod admin_requests;
mod admin_retention;
mod admin_staff;
mod check_mail;
mod confirm_identity;
mod cookies;
mod delete_account;
mod deletion_status;
mod export;
mod forgot_password;
mod my_data;
mod my_rights;
mod not_found;
mod policy;
mod profile_form;
mod provider;
mod register;
mod requests;
mod reset_password;
mod sessions;
mod sign_in;
mod sign_in_code;
mod signed_in;
mod two_step;

pub use account::{AccountPage, SignOutForm};
pub use admin_analytics::AnalyticsPage;
pub use admin_audit::AuditPage;
pub use admin_requests::{AdminRequestPage, QueuePage};
pub use admin_retention::RetentionPage;
pub use admin_staff::StaffPage;
pub use check_mail::CheckMailPage;
pub use confirm_identity::ConfirmIdentityPage;
pub use cookies::CookiesPage;
pub use delete_account::DeleteAccountPage;
pub use deletion_status::DeletionStatusPage;
pub use export::ExportPage;
pub use forgot_password::ForgotPasswordPage;
pub use my_data::MyDataPage;
pub use not_found::NotFound;
pub use policy::PolicyPage;
pub use provider::ProviderPage;
pub use register::RegisterPage;
pub use requests::{RequestPage, RequestsPage};
pub use reset_password::ResetPasswordPage;
pub use sessions::SessionsPage;
pub use sign_in::SignInPage;
pub use sign_in_code::SignInCodePage;
pub use signed_in::{AdminOnly, SignedIn};
pub use two_step::TwoStepPage;

use domain::Lang;
use leptos::prelude::*;
use leptos_router::{components::Outlet, hooks::use_params_map};

/// The `/:lang` prefix: its pages for a known language, the 404 page for anything else.
#[component]
pub fn LangScope() -> impl IntoView {
    let params = use_params_map();
    let known = move || params.with(|p| p.get("lang").and_then(|c| Lang::from_code(&c)).is_some());
    view! {
        <Show when=known fallback=NotFound>
            <Outlet />
        </Show>
    }
}
