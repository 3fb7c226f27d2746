//! The company part of « Mon compte »: its profile as buyers see it, and the requests of people
//! who registered with its SIRET to join it.

use crate::api::account::current_user;
use crate::api::registration::{join_requests, own_company_profile, DecideJoinRequest, SaveCompanyProfile};
use crate::domain::format::instant_date_fr;
use crate::model::Role;
use crate::ui::components::form::ActionMessage;
use crate::ui::escape::raw_text;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn CompanyAccount() -> impl IntoView {
    let save = ServerAction::<SaveCompanyProfile>::new();
    let decide = ServerAction::<DecideJoinRequest>::new();
    let me = Resource::new(|| (), |_| current_user());
    let profile = Resource::new(move || save.version().get(), |_| own_company_profile());
    let requests = Resource::new(move || decide.version().get(), |_| join_requests());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(me)) = me.await else { return ().into_any() };
                if me.role != Role::Supplier {
                    return ().into_any();
                }
                if me.organisation_name.is_none() {
                    return view! {
                        <section class="panel form-panel" id="entreprise">
                            <h2>"Votre entreprise"</h2>
                            <p role="status">
                                "Votre demande pour rejoindre votre entreprise attend l'accord d'un de ses membres : "
                                "ils ont été prévenus par e-mail. D'ici là, vous pouvez lire les consultations publiées "
                                "mais pas y contribuer."
                            </p>
                        </section>
                    }.into_any();
                }
                let (profile, requests) = (profile.await, requests.await);
                view! {
                    {match requests {
                        Ok(list) if !list.is_empty() => view! {
                            <section class="panel form-panel" aria-labelledby="join-title">
                                <h2 id="join-title">"Demandes pour rejoindre votre entreprise"</h2>
                                <p class="muted">"Acceptez seulement les personnes que vous connaissez : elles pourront contribuer au nom de l'entreprise."</p>
                                <ul class="join-requests">
                                    {list.into_iter().map(|r| view! {
                                        <li>
                                            <strong>{r.display_name}</strong> " — " {r.email}
                                            <span class="muted">" (le " {instant_date_fr(r.requested_at)} ")"</span>
                                            <ActionForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="request_id" value=r.id/>
                                                <button type="submit" name="decision" value="accept" class="button button--small">"Accepter"</button>
                                                <button type="submit" name="decision" value="refuse" class="button button--small button--secondary">"Refuser"</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <ActionMessage value=move || decide.value().get()/>
                            </section>
                        }.into_any(),
                        Ok(_) => view! { <ActionMessage value=move || decide.value().get() success="La demande est traitée ; la personne est prévenue par e-mail."/> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }}
                    {match profile {
                        Ok(p) => view! {
                            <section class="panel form-panel" id="entreprise" aria-labelledby="profile-title">
                                <h2 id="profile-title">{format!("Profil de {}", p.name)}</h2>
                                <p class="muted">
                                    "Ce que les acheteurs et les relecteurs voient de votre entreprise quand ils cherchent qui inviter. "
                                    "Les autres entreprises ne le voient pas."
                                </p>
                                <ActionForm action=save>
                                    <label for="departement">"Département du siège (facultatif)"</label>
                                    <input id="departement" name="departement" value=p.departement.clone().unwrap_or_default() maxlength="3"/>
                                    <label for="cpv_codes">"Codes CPV de vos activités"</label>
                                    <input id="cpv_codes" name="cpv_codes" value=p.cpv_codes.join(" ") aria-describedby="cpv-help"/>
                                    <p class="field-help" id="cpv-help">"Séparés par des espaces, par exemple 72250000-2 50312000-5."</p>
                                    <label for="departements_served">"Départements où vous intervenez"</label>
                                    <input id="departements_served" name="departements_served" value=p.departements_served.join(" ") aria-describedby="served-help"/>
                                    <p class="field-help" id="served-help">"Séparés par des espaces, par exemple 77 91 94."</p>
                                    <label class="checkbox"><input type="checkbox" name="is_sme" value="on" checked=p.is_sme/>" PME (moins de 250 salariés)"</label>
                                    <label for="website">"Site web"</label>
                                    <input id="website" name="website" type="url" value=p.website.clone() placeholder="https://"/>
                                    <label for="presentation">"Présentation (Markdown, 5 000 caractères au plus)"</label>
                                    <textarea id="presentation" name="presentation" rows="8">{raw_text(p.presentation.clone())}</textarea>
                                    <ActionMessage value=move || save.value().get() success="Le profil est enregistré."/>
                                    <button type="submit" class="button">"Enregistrer le profil"</button>
                                </ActionForm>
                                {(!p.presentation_html.is_empty()).then(|| view! {
                                    <h3>"Aperçu de la présentation"</h3>
                                    <div class="prose company-presentation" inner_html=p.presentation_html.clone()></div>
                                })}
                            </section>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}

/// The invitations waiting for one's company's answer, on the company's home page.
#[component]
pub fn CompanyInvitations() -> impl IntoView {
    use crate::api::invitations::{my_invitations, AnswerInvitation};
    let answer = ServerAction::<AnswerInvitation>::new();
    let pending = Resource::new(move || answer.version().get(), |_| my_invitations());
    // The consultation just accepted, to open it at once.
    let last_accepted = RwSignal::new(None::<i64>);
    Effect::new(move || {
        if let Some(a) = answer.input().get().filter(|a| a.decision == "accept") {
            last_accepted.set(Some(a.consultation_id));
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="panel wide invitations-panel" aria-labelledby="invitations-title">
                            <h2 id="invitations-title">"Invitations à répondre"</h2>
                            <ul class="join-requests">
                                {list.into_iter().map(|i| view! {
                                    <li>
                                        <span><strong>{i.title}</strong> " — " {i.buyer_name}
                                        <span class="muted">" (invitation du " {instant_date_fr(i.invited_at)} ")"</span></span>
                                        <ActionForm action=answer attr:class="inline-form">
                                            <input type="hidden" name="consultation_id" value=i.consultation_id/>
                                            <button type="submit" name="decision" value="accept" class="button button--small">"Accepter"</button>
                                            <button type="submit" name="decision" value="decline" class="button button--small button--secondary">"Décliner"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Ok(_) => ().into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <ActionMessage value=move || answer.value().get()/>
        {move || matches!(answer.value().get(), Some(Ok(_))).then(|| last_accepted.get()).flatten().map(|id| view! {
            <p class="notice notice--ok" role="status">
                "Invitation acceptée. " <a href=format!("/consultations/{id}")>"Ouvrir la consultation"</a>
            </p>
        })}
    }
}
