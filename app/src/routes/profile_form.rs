//! Correcting one's profile in place (Art. 16 GDPR). The browser checks every field with the
//! same domain rules the server applies, so mistakes show at once; without JavaScript the form
//! is a plain POST and the server's answer shows the same messages. The form carries the
//! version it was made from, so a change made elsewhere meanwhile is reported, not overwritten.

use crate::{
    api::{
        AppError,
        my_data::{CorrectProfile, ProfileForm, invalid},
    },
    forms::{Field, FormError, LangField},
    i18n::{tr, use_lang},
};
use leptos::{form::FromFormData, prelude::*, server_fn::ServerFn};

#[component]
pub fn CorrectionForm(
    form: ProfileForm,
    /// Counted up when a correction was saved, so the page reads the data again.
    saved: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CorrectProfile>::new();
    crate::forms::reload_after(action, saved);
    // The browser's own check, with the domain's rules; the server checks again regardless.
    let checked = RwSignal::new(None::<AppError>);
    let answered = crate::forms::error_of(action);
    let error = Signal::derive(move || checked.get().or_else(|| answered.get()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(args) = CorrectProfile::from_event(&ev) else {
            return;
        };
        let input = domain::ProfileInput {
            name: args.name.clone(),
            phone: args.phone.clone(),
            company: args.company.clone(),
            job_title: args.job_title.clone(),
            street: args.street.clone(),
            postcode: args.postcode.clone(),
            city: args.city.clone(),
            country: args.country.clone(),
        };
        match domain::Profile::parse(&input) {
            Err(problems) => checked.set(Some(invalid(problems))),
            Ok(_) => {
                checked.set(None);
                action.dispatch(args);
            }
        }
    };
    let v = form.values;
    view! {
        <h3>{move || tr(lang.get(), "Gegevens corrigeren", "Correct your data")}</h3>
        <form method="post" action=CorrectProfile::url() class="form" novalidate=true on:submit=on_submit>
            <LangField />
            <input type="hidden" name="version" value=form.version.to_string() />
            <FormError error />
            <Field name="name" label=("Naam", "Name") autocomplete="name" value=v.name required=false error />
            <Field name="phone" label=("Telefoonnummer", "Phone number") kind="tel" autocomplete="tel" value=v.phone required=false hint=("Bijvoorbeeld 020 123 4567 of +44 20 7946 0958", "For example 020 123 4567 or +44 20 7946 0958") error />
            <Field name="company" label=("Bedrijf", "Company") autocomplete="organization" value=v.company required=false error />
            <Field name="job_title" label=("Functie", "Job title") autocomplete="organization-title" value=v.job_title required=false error />
            <Field name="street" label=("Straat en huisnummer", "Street and number") autocomplete="address-line1" value=v.street required=false error />
            <Field name="postcode" label=("Postcode", "Postcode") autocomplete="postal-code" value=v.postcode required=false error />
            <Field name="city" label=("Plaats", "Place") autocomplete="address-level2" value=v.city required=false error />
            <Field name="country" label=("Land", "Country") autocomplete="country-name" value=v.country required=false error />
            <p class="field-hint">{move || tr(lang.get(), "Je e-mailadres wijzig je via Mijn account, met een bevestiging op het nieuwe adres.", "You change your e-mail address under My account, confirmed at the new address.")}</p>
            <button type="submit">{move || tr(lang.get(), "Correcties opslaan", "Save corrections")}</button>
        </form>
    }
}
