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
    let me = Resource::new(|| (), |_| me());
    let render = Arc::new(render);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = Arc::clone(&render);
                Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => render(me).into_any(),
                        Ok(None) | Err(_) => {
                            let to = format!("/{}/sign-in", lang.get_untracked().code());
                            view! { <Redirect path=to /> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
