//! A buyer creates a consultation: the facts first, then the editor opens.

use crate::api::drafting::CreateConsultation;
use crate::model::SourcingMode;
use crate::ui::components::form::{ActionMessage, FieldError, FieldErrors};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewConsultationPage() -> impl IntoView {
    let create = ServerAction::<CreateConsultation>::new();
    let errors = FieldErrors::of(move || create.value().get());
    view! {
        <Title text="Nouvelle consultation"/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/acheteur">"Mes consultations"</a>" › "<span>"Nouvelle consultation"</span>
        </nav>
        <section class="panel form-panel">
            <h1>"Nouvelle consultation"</h1>
            <p class="muted">
                "La consultation reste un brouillon, visible de votre organisation et de vos relecteurs seulement, "
                "jusqu'à ce que vous l'annonciez. Vous rédigerez ensuite le cahier des charges."
            </p>
            <ActionForm action=create>
                <label for="title">"Intitulé"</label>
                <input id="title" name="title" type="text" required minlength="5" maxlength="200"
                    aria-invalid=errors.invalid("title") aria-describedby=errors.described_by("title", None)
                    placeholder="Entretien des espaces verts des sites de la DDT"/>
                <FieldError errors field="title"/>
                <label for="object">"Objet du besoin"</label>
                <textarea id="object" name="object" rows="4" required maxlength="4000"
                    aria-invalid=errors.invalid("object") aria-describedby=errors.described_by("object", None)
                    placeholder="Ce que vous voulez acheter, pour qui, où et pour combien de temps."></textarea>
                <FieldError errors field="object"/>
                <label for="cpv_codes">"Codes CPV"</label>
                <input id="cpv_codes" name="cpv_codes" type="text" required
                    aria-invalid=errors.invalid("cpv_codes") aria-describedby=errors.described_by("cpv_codes", Some("cpv-help"))
                    placeholder="77310000-6, 77311000-3"/>
                <p class="muted small" id="cpv-help">"Un ou plusieurs codes, séparés par des virgules."</p>
                <FieldError errors field="cpv_codes"/>
                <label for="departements">"Départements"</label>
                <input id="departements" name="departements" type="text" required placeholder="77"
                    aria-invalid=errors.invalid("departements") aria-describedby=errors.described_by("departements", Some("dep-help"))/>
                <p class="muted small" id="dep-help">"Numéros séparés par des virgules (77, 2A, 974…)."</p>
                <FieldError errors field="departements"/>
                <fieldset class="choice" aria-describedby=errors.described_by("mode", None)>
                    <legend>"Mode de sourcing"</legend>
                    <label class="checkbox">
                        <input type="radio" name="mode" value=SourcingMode::Open.as_str() checked/>
                        <span><strong>"Ouvert"</strong>" — appel à participation public, toute entreprise peut s'inscrire."</span>
                    </label>
                    <label class="checkbox">
                        <input type="radio" name="mode" value=SourcingMode::Restricted.as_str()/>
                        <span><strong>"Restreint"</strong>" — seules les entreprises que vous invitez participent."</span>
                    </label>
                    <FieldError errors field="mode"/>
                </fieldset>
                <label for="expected_tender">"Date prévue de l'appel d'offres (facultatif)"</label>
                <input id="expected_tender" name="expected_tender" type="date"
                    aria-invalid=errors.invalid("expected_tender") aria-describedby=errors.described_by("expected_tender", None)/>
                <FieldError errors field="expected_tender"/>
                <ActionMessage value=move || create.value().get()/>
                <button type="submit" class="button">"Créer et rédiger le cahier des charges"</button>
            </ActionForm>
        </section>
    }
}
