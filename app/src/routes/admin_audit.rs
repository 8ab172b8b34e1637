//! The audit trail for admins: who did what, when, about which account.

use super::AdminOnly;
use crate::layout::PageTitle;
use crate::{
    api::requests::audit_log,
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let events = Resource::new(|| (), |_| audit_log());
    let (nl, en) = ("Auditlog", "Audit log");
    let title = move || tr(lang.get(), nl, en);
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <AdminOnly render=move |_| {
                view! {
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let rows = events.await.unwrap_or_default();
                            view! {
                                <table class="audit" id="audit">
                                    <thead><tr>
                                        <th scope="col">{move || tr(lang.get(), "Wanneer", "When")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Wie", "Who")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Wat", "What")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Over", "About")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|e| { let action = e.action.clone(); view! {
                                            <tr data-action=action>
                                                <td>{e.at}</td><td>{e.actor}</td><td><code>{e.action}</code></td><td>{e.subject}</td>
                                            </tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
                            }
                        })}
                    </Suspense>
                }
            } />
        </section>
    }
}
