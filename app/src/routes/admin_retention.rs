//! The retention purge's history for admins: each run, and what it deleted per category of the
//! retention matrix (counts only).

use super::AdminOnly;
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::retention::retention_runs,
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn RetentionPage() -> impl IntoView {
    let lang = use_lang();
    let runs = Resource::new(move || lang.get(), |lang| retention_runs(lang.to_string()));
    let (nl, en) = ("Opschoonrondes", "Purge runs");
    let title = move || tr(lang.get(), nl, en);
    view! {
        <PageTitle nl en />
        <section class="wide">
            <h1>{title}</h1>
            <p>{move || tr(lang.get(),
                "Elke nacht verwijdert de portal wat de bewaartermijnmatrix niet langer toestaat. Per ronde staat hier hoeveel er per categorie verdween; wat verdween staat nergens.",
                "Every night the portal deletes what the retention matrix no longer allows it to keep. For each run this shows how many items of each category went; what went is recorded nowhere.")}</p>
            <AdminOnly render=move |_| {
                view! {
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let rows = runs.await.unwrap_or_default();
                            if rows.is_empty() {
                                return view! { <p id="no-runs">{move || tr(lang.get(), "Er is nog niet opgeschoond.", "Nothing has been purged yet.")}</p> }.into_any();
                            }
                            view! {
                                <TableRegion label=("Opschoonrondes", "Purge runs")>
                                <table class="retention-runs" id="retention-runs">
                                    <thead><tr>
                                        <th scope="col">{move || tr(lang.get(), "Gepland", "Scheduled")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Klaar", "Finished")}</th>
                                        <th scope="col">{move || tr(lang.get(), "Verwijderd", "Deleted")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|run| view! {
                                            <tr>
                                                <td>{run.slot}</td>
                                                <td>{run.finished}</td>
                                                <td><ul>
                                                    {run.counts.into_iter().map(|(category, count)| view! {
                                                        <li><span class="count">{count}</span>" · "{category}</li>
                                                    }).collect_view()}
                                                    {run.provider_job.map(|job| view! {
                                                        <li>{move || tr(lang.get(), "Operator Online: verbruiksgegevens verwijderen (taak ", "Operator Online: deleting usage records (job ")}{job}")"</li>
                                                    })}
                                                </ul></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </TableRegion>
                            }.into_any()
                        })}
                    </Suspense>
                }
            } />
        </section>
    }
}
