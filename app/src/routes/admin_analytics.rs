//! The aggregate page views for admins: a count per page and day, nothing about anyone.

use super::AdminOnly;
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::consent::page_views,
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let lang = use_lang();
    // Made before any Suspend, so the server and the browser number it alike.
    let views = Resource::new(|| (), |_| page_views());
    view! {
        <PageTitle nl="Bezoekcijfers" en="Page views" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Bezoekcijfers", "Page views")}</h1>
            <p>{move || tr(lang.get(),
                "Paginaweergaven per dag over de laatste 30 dagen, zonder IP-adres, zonder nummer en zonder cookie geteld. Bezoekers tellen alleen wie analytische cookies toestond, één keer per dag.",
                "Page views per day over the last 30 days, counted without IP address, identifier or cookie. Visitors counts only those who allowed analytical cookies, once a day.")}</p>
            <AdminOnly render=move |_| {
                    view! {
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let rows = views.await.unwrap_or_default();
                                view! {
                                    <TableRegion label=("Bezoekcijfers per dag", "Page views per day")>
                                    <table class="page-views" id="page-views">
                                        <thead>
                                            <tr>
                                                <th scope="col">{move || tr(lang.get(), "Dag", "Day")}</th>
                                                <th scope="col">{move || tr(lang.get(), "Pagina", "Page")}</th>
                                                <th scope="col">{move || tr(lang.get(), "Weergaven", "Views")}</th>
                                                <th scope="col">{move || tr(lang.get(), "Bezoekers", "Visitors")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows.into_iter().map(|r| { let path = r.path.clone(); view! {
                                                <tr data-path=path>
                                                    <td>{r.day}</td>
                                                    <td><code>{r.path}</code></td>
                                                    <td class="views">{r.views}</td>
                                                    <td class="visitors">{r.visitors}</td>
                                                </tr>
                                            }}).collect_view()}
                                        </tbody>
                                    </table>
                                    </TableRegion>
                                }
                            })}
                        </Suspense>
                    }
            } />
        </section>
    }
}
