use crate::{
    api::{AppError, PublicFacts, get_public_facts},
    consent::{ConsentBanner, provide_consent},
    i18n::{provide_lang, texts},
    layout::{Footer, Header, TitleFormat},
    routes::{
        AccountPage, AdminRequestPage, AnalyticsPage, AuditPage, CheckMailPage,
        ConfirmIdentityPage, CookiesPage, DeleteAccountPage, DeletionStatusPage, ExportPage,
        ForgotPasswordPage, LangScope, MyDataPage, NotFound, PolicyPage, ProviderPage, QueuePage,
        RegisterPage, RequestPage, RequestsPage, ResetPasswordPage, RetentionPage, SessionsPage,
        SignInCodePage, SignInPage, StaffPage, TwoStepPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="stylesheet" href="/pkg/portal.css" />
                <link rel="icon" href="/favicon.ico" sizes="any" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content Security Policy, with this response's nonce for the hydration scripts.
/// Responses that are not pages get a stricter one from the server's middleware.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    );
    match HeaderValue::from_str(&policy) {
        Ok(value) => response.insert_header(CONTENT_SECURITY_POLICY, value),
        Err(_) => tracing::error!("the content security policy is not a valid header value"),
    }
}

/// The facts every page may show, loaded once per page view and written into the HTML.
pub type FactsResource = OnceResource<Result<PublicFacts, AppError>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Frame />
        </Router>
    }
}

/// Header, main content and footer, shared by every page.
#[component]
fn Frame() -> impl IntoView {
    let lang = provide_lang();
    provide_context::<FactsResource>(OnceResource::new(get_public_facts()));
    provide_consent();
    crate::forms::provide_form_flash();
    crate::layout::provide_me();
    let t = move || texts(lang.get());
    // Set once the wasm app has taken over the page (effects run only in the browser), so
    // browser tests can tell a hydrated page from a server-rendered one.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    view! {
        <Html {..} lang=move || lang.get().code() />
        <TitleFormat />
        <a class="skip-link" href="#main">{move || t().skip_to_content}</a>
        <ConsentBanner />
        <Header />
        <main id="main" tabindex="-1" data-hydrated=move || hydrated.get().then_some("true")>
            <div class="wrap">
            <Routes fallback=NotFound>
                <ParentRoute path=path!("/:lang") view=LangScope>
                    <Route path=path!("") view=PolicyPage ssr=SsrMode::Async />
                    <Route path=path!("sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("sign-in/code") view=SignInCodePage />
                    <Route path=path!("register") view=RegisterPage />
                    <Route path=path!("check-mail") view=CheckMailPage ssr=SsrMode::Async />
                    <Route path=path!("forgot-password") view=ForgotPasswordPage />
                    <Route path=path!("reset-password") view=ResetPasswordPage />
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("account/sessions") view=SessionsPage ssr=SsrMode::Async />
                    <Route path=path!("account/provider") view=ProviderPage ssr=SsrMode::Async />
                    <Route path=path!("my-data") view=MyDataPage ssr=SsrMode::Async />
                    <Route path=path!("my-data/export") view=ExportPage ssr=SsrMode::Async />
                    <Route path=path!("my-data/delete") view=DeleteAccountPage ssr=SsrMode::Async />
                    <Route path=path!("account-deletion/:token") view=DeletionStatusPage ssr=SsrMode::Async />
                    <Route path=path!("account/two-step") view=TwoStepPage ssr=SsrMode::Async />
                    <Route path=path!("account/confirm-identity") view=ConfirmIdentityPage ssr=SsrMode::Async />
                    <Route path=path!("admin/staff") view=StaffPage ssr=SsrMode::Async />
                    <Route path=path!("admin/analytics") view=AnalyticsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("admin/retention") view=RetentionPage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=QueuePage ssr=SsrMode::Async />
                    <Route path=path!("admin/requests/:id") view=AdminRequestPage ssr=SsrMode::Async />
                    <Route path=path!("requests") view=RequestsPage ssr=SsrMode::Async />
                    <Route path=path!("requests/:id") view=RequestPage ssr=SsrMode::Async />
                    <Route path=path!("cookies") view=CookiesPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
            </div>
        </main>
        <Footer />
    }
}
