use crate::{
    api::account::{AccountView, me},
    i18n::use_lang,
};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use std::sync::Arc;

/// Renders `children` for the signed-in account, or sends the visitor to sign in.
#[component]
pub fn SignedIn<F, IV>(render: F) -> impl IntoView
where
    F: Fn(AccountView) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let lang = use_lang();
    // The header's reading of who is signed in, shared; a page outside the frame reads its own.
    let me = use_context::<crate::layout::MeResource>()
        .map(|m| m.0)
        .unwrap_or_else(|| Resource::new(|| (), |_| me()));
    let render = Arc::new(render);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = Arc::clone(&render);
                Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => render(me).into_any(),
                        Ok(None) => {
                            let to = format!("/{}/sign-in", lang.get_untracked().code());
                            view! { <Redirect path=to /> }.into_any()
                        }
                        // Not "signed out": we could not tell (the database is away). Sending
                        // the visitor to sign in would only fail again; say what happened.
                        Err(_) => {
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
                            }
                            view! {
                            <p class="error" role="alert" id="unavailable">{move || crate::i18n::tr(lang.get(),
                                "Er ging aan onze kant iets mis; je gegevens zijn niet gewijzigd. Probeer het over een paar minuten opnieuw.",
                                "Something went wrong on our side; your data has not been changed. Please try again in a few minutes.")}</p>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// Renders `render` for a signed-in admin; anyone else signed in reads that the page is for
/// admins (the server functions behind it refuse them anyway).
#[component]
pub fn AdminOnly<F, IV>(render: F) -> impl IntoView
where
    F: Fn(AccountView) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let lang = use_lang();
    view! {
        <SignedIn render=move |me| {
            if me.role == domain::Role::Admin {
                render(me).into_any()
            } else {
                view! { <p>{move || crate::i18n::tr(lang.get(), "Alleen beheerders zien deze pagina.", "Only admins see this page.")}</p> }.into_any()
            }
        } />
    }
}
