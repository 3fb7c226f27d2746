use crate::api::admin::{list_organisations, CreateOrganisation, InviteUser};
use crate::error::AppError;
use crate::model::{OrganisationKind, OrganisationView, Role};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::{ActionMessage, FieldError, FieldErrors};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// The administration page's forms and list, started by the route (see `app.rs`).
#[derive(Clone, Copy)]
pub struct AdminData {
    create: ServerAction<CreateOrganisation>,
    invite: ServerAction<InviteUser>,
    organisations: Resource<Result<Vec<OrganisationView>, AppError>>,
}

impl AdminData {
    pub fn start() -> AdminData {
        let create = ServerAction::<CreateOrganisation>::new();
        let invite = ServerAction::<InviteUser>::new();
        let organisations = Resource::new(move || create.version().get(), |_| list_organisations());
        AdminData {
            create,
            invite,
            organisations,
        }
    }
}

#[component]
pub fn AdminPage(data: AdminData) -> impl IntoView {
    let AdminData {
        create,
        invite,
        organisations,
    } = data;
    let org_errors = FieldErrors::of(move || create.value().get());
    let invite_errors = FieldErrors::of(move || invite.value().get());
    view! {
        <Title text="Administration"/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let organisations = match organisations.await {
                    Ok(list) => list,
                    Err(error) => return view! { <ErrorPanel error/> }.into_any(),
                };
                let options = organisations.clone();
                view! {
                    <div class="page-intro"><h1>"Administration"</h1></div>
                    <section class="panel wide">
                        <h2>"Organisations"</h2>
                        <div class="table-scroll">
                        <table class="data-table">
                            <thead><tr><th>"Nom"</th><th>"Type"</th><th>"SIREN / SIRET"</th><th>"Département"</th><th>"PME"</th></tr></thead>
                            <tbody>
                                {organisations.into_iter().map(|o| view! {
                                    <tr>
                                        <td>{o.name}</td>
                                        <td>{o.kind.label_fr()}</td>
                                        <td>{o.siret.unwrap_or_default()}</td>
                                        <td>{o.departement.unwrap_or_default()}</td>
                                        <td>{if o.is_sme { "oui" } else { "" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    </section>
                    <div class="two-columns">
                        <section class="panel" aria-labelledby="new-organisation-title">
                            <h2 id="new-organisation-title">"Nouvelle organisation"</h2>
                            <ActionForm action=create>
                                <label for="kind">"Type"</label>
                                <select id="kind" name="kind">
                                    <option value="buyer">"Acheteur public"</option>
                                    <option value="company">"Entreprise"</option>
                                </select>
                                <label for="org-name">"Nom"</label>
                                <input id="org-name" name="name" required
                                    aria-invalid=org_errors.invalid("name") aria-describedby=org_errors.described_by("name", None)/>
                                <FieldError errors=org_errors field="name"/>
                                <label for="siret">"SIREN ou SIRET"</label>
                                <input id="siret" name="siret" inputmode="numeric" required
                                    aria-invalid=org_errors.invalid("siret") aria-describedby=org_errors.described_by("siret", None)/>
                                <FieldError errors=org_errors field="siret"/>
                                <label for="departement">"Département du siège"</label>
                                <input id="departement" name="departement" placeholder="77" required
                                    aria-invalid=org_errors.invalid("departement") aria-describedby=org_errors.described_by("departement", None)/>
                                <FieldError errors=org_errors field="departement"/>
                                <label for="cpv">"Codes CPV des domaines (entreprises)"</label>
                                <input id="cpv" name="cpv_codes" placeholder="72250000-2, 50312000-5"
                                    aria-invalid=org_errors.invalid("cpv_codes") aria-describedby=org_errors.described_by("cpv_codes", None)/>
                                <FieldError errors=org_errors field="cpv_codes"/>
                                <label for="served">"Départements desservis (entreprises)"</label>
                                <input id="served" name="departements_served" placeholder="77, 91"
                                    aria-invalid=org_errors.invalid("departements_served") aria-describedby=org_errors.described_by("departements_served", None)/>
                                <FieldError errors=org_errors field="departements_served"/>
                                <label class="checkbox"><input type="checkbox" name="is_sme" value="on"/>" PME"</label>
                                <ActionMessage value=move || create.value().get() success="Organisation créée."/>
                                <button type="submit" class="button">"Créer l'organisation"</button>
                            </ActionForm>
                        </section>
                        <section class="panel" aria-labelledby="invite-title">
                            <h2 id="invite-title">"Inviter une personne"</h2>
                            <ActionForm action=invite>
                                <label for="invite-email">"Adresse e-mail"</label>
                                <input id="invite-email" type="email" name="email" required
                                    aria-invalid=invite_errors.invalid("email") aria-describedby=invite_errors.described_by("email", None)/>
                                <FieldError errors=invite_errors field="email"/>
                                <label for="role">"Rôle"</label>
                                <select id="role" name="role">
                                    {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label_fr()}</option> }).collect_view()}
                                </select>
                                <label for="organisation">"Organisation"</label>
                                <select id="organisation" name="organisation_id"
                                    aria-invalid=invite_errors.invalid("organisation_id") aria-describedby=invite_errors.described_by("organisation_id", None)>
                                    <option value="">"Aucune (relecteur ou administrateur)"</option>
                                    // Chosen by default: the first buyer organisation, which fits the
                                    // default role (an acheteur), so that the form starts valid.
                                    {
                                        let first_buyer = options.iter().position(|o| o.kind == OrganisationKind::Buyer);
                                        options.into_iter().enumerate().map(|(i, o)| view! {
                                            <option value=o.id.to_string() selected=Some(i) == first_buyer>{format!("{} — {}", o.name, o.kind.label_fr())}</option>
                                        }).collect_view()
                                    }
                                </select>
                                <FieldError errors=invite_errors field="organisation_id"/>
                                <ActionMessage value=move || invite.value().get() success="Invitation envoyée : le lien, valable 7 jours, part par e-mail."/>
                                <button type="submit" class="button">"Envoyer l'invitation"</button>
                            </ActionForm>
                        </section>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}
