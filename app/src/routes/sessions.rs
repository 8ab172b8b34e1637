use super::SignedIn;
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::{
        AppError,
        account::{EndOtherSessions, SessionView, my_sessions},
    },
    forms::{FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn SessionsPage() -> impl IntoView {
    let lang = use_lang();
    // Made before any `Suspend` runs, so server and browser number it alike (see My data).
    let sessions = Resource::new(
        move || lang.get(),
        |lang| my_sessions(lang.code().to_owned()),
    );
    view! {
        <PageTitle nl="Waar ben ik ingelogd?" en="Where am I signed in?" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Waar ben ik ingelogd?", "Where am I signed in?")}</h1>
            <Notice />
            <SignedIn render=move |_| view! { <SessionList sessions /> } />
        </section>
    }
}

#[component]
fn SessionList(sessions: Resource<Result<Vec<SessionView>, AppError>>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<EndOtherSessions>::new();
    let error = error_of(action);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rows = sessions.await.unwrap_or_default();
                let others = rows.iter().filter(|s| !s.current).count();
                view! {
                    <TableRegion label=("Waar je bent ingelogd", "Where you are signed in")>
                    <table class="sessions">
                        <thead>
                            <tr>
                                <th scope="col">{move || tr(lang.get(), "Apparaat", "Device")}</th>
                                <th scope="col">{move || tr(lang.get(), "Ingelogd", "Signed in")}</th>
                                <th scope="col">{move || tr(lang.get(), "Laatst gebruikt", "Last used")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|s| view! {
                                <tr class:current=s.current>
                                    <td>
                                        {s.device}
                                        {s.current.then(|| view! { " " <strong>{move || tr(lang.get(), "(dit apparaat)", "(this device)")}</strong> })}
                                    </td>
                                    <td>{s.started}</td>
                                    <td>{s.last_used}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </TableRegion>
                    {(others > 0).then(|| view! {
                        <ActionForm action=action attr:class="form">
                            <LangField />
                            <FormError error />
                            <button type="submit">{move || tr(lang.get(), "Overal anders uitloggen", "Sign out everywhere else")}</button>
                        </ActionForm>
                    })}
                }
                .into_any()
            })}
        </Suspense>
    }
}
