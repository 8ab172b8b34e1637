use super::AdminOnly;
use crate::layout::PageTitle;
use crate::layout::TableRegion;
use crate::{
    api::account::{CreateStaffAccount, staff_accounts},
    forms::{Field, FormError, LangField, Notice, error_of},
    i18n::{tr, use_lang},
};
use leptos::prelude::*;

#[component]
pub fn StaffPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle nl="Medewerkers" en="Staff" />
        <section class="narrow">
            <h1>{move || tr(lang.get(), "Medewerkers", "Staff")}</h1>
            <Notice />
            <AdminOnly render=|me| view! { <StaffList /> <NewStaffForm recent=me.recently_authenticated /> } />
        </section>
    }
}

#[component]
fn StaffList() -> impl IntoView {
    let lang = use_lang();
    let staff = Resource::new(|| (), |_| staff_accounts());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rows = staff.await.unwrap_or_default();
                view! {
                    <TableRegion label=("Medewerkers", "Staff")>
                    <table class="staff">
                        <thead>
                            <tr>
                                <th scope="col">{move || tr(lang.get(), "E-mailadres", "E-mail address")}</th>
                                <th scope="col">{move || tr(lang.get(), "Rol", "Role")}</th>
                                <th scope="col">{move || tr(lang.get(), "Twee stappen", "Two-step")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|s| view! {
                                <tr>
                                    <td>{s.email}</td>
                                    <td>{s.role.as_str()}</td>
                                    <td>{move || if s.two_step { tr(lang.get(), "ingesteld", "set up") } else { tr(lang.get(), "nog niet", "not yet") }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </TableRegion>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn NewStaffForm(recent: bool) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CreateStaffAccount>::new();
    let error = error_of(action);
    let confirm = move || {
        let code = lang.get().code();
        format!("/{code}/account/confirm-identity?next=/{code}/admin/staff")
    };
    view! {
        <h2>{move || tr(lang.get(), "Medewerker toevoegen", "Add a staff member")}</h2>
        {if recent {
            view! {
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <LangField />
                    <FormError error />
                    <Field name="email" kind="email" autocomplete="off" label=("E-mailadres", "E-mail address") error />
                    <div class="field">
                        <label for="field-role">{move || tr(lang.get(), "Rol", "Role")}</label>
                        <select id="field-role" name="role">
                            <option value="support">"support"</option>
                            <option value="admin">{move || tr(lang.get(), "beheerder", "admin")}</option>
                        </select>
                    </div>
                    <Field name="password" kind="password" autocomplete="new-password" label=("Eerste wachtwoord", "First password") hint=("Geef het veilig door; de medewerker stelt bij de eerste keer inloggen inloggen in twee stappen in.", "Pass it on safely; at their first sign-in they set up two-step sign-in.") error />
                    <button type="submit">{move || tr(lang.get(), "Toevoegen", "Add")}</button>
                </ActionForm>
            }
            .into_any()
        } else {
            view! {
                <p>
                    {move || tr(lang.get(), "Hiervoor vragen we eerst je wachtwoord opnieuw.", "For this we ask for your password again first.")} " "
                    <a href=confirm>{move || tr(lang.get(), "Bevestig dat jij het bent", "Confirm it is you")}</a>
                </p>
            }
            .into_any()
        }}
    }
    .into_any()
}
