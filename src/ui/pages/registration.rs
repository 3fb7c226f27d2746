//! A company registers itself: the form, the « check your mail » page, the confirmation link.

use crate::api::registration::{registration_details, ConfirmRegistration, Register};
use crate::error::AppError;
use crate::model::RegistrationView;
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::ActionMessage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RegistrationPage() -> impl IntoView {
    let register = ServerAction::<Register>::new();
    // Came by a buyer's invitation link: say to what, and carry the link with the form.
    let query = leptos_router::hooks::use_query_map();
    let invitation = move || query.read().get("invitation").unwrap_or_default();
    let link = Resource::new(invitation, |token| async move {
        if token.is_empty() {
            None
        } else {
            Some(crate::api::invitations::invitation_link(token).await)
        }
    });
    view! {
        <Title text="Inscrire mon entreprise"/>
        <section class="panel form-panel">
            <h1>"Inscrire mon entreprise"</h1>
            <p class="muted">
                "Gratuit et sans engagement : lisez les projets de cahiers des charges et annotez-les avant l'appel "
                "d'offres. Les autres entreprises ne voient jamais votre nom, seulement un pseudonyme."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match link.await {
                        Some(Ok(link)) => view! {
                            <p class="notice notice--ok" role="status">
                                {link.buyer_name} " invite votre entreprise à participer au sourcing « " <strong>{link.title}</strong>
                                " ». Inscrivez-la : elle y sera invitée dès votre adresse confirmée."
                            </p>
                        }.into_any(),
                        Some(Err(error)) => view! { <p class="notice" role="status">{error.to_string()}</p> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=register>
                <input type="hidden" name="invitation" value=invitation/>
                <label for="siret">"SIRET de l'établissement"</label>
                <input id="siret" name="siret" inputmode="numeric" autocomplete="off" required aria-describedby="siret-help"/>
                <p class="field-help" id="siret-help">"14 chiffres, sur l'avis de situation INSEE ou un extrait Kbis. Si votre entreprise est déjà inscrite, un de ses membres acceptera votre demande."</p>
                <label for="company_name">"Raison sociale"</label>
                <input id="company_name" name="company_name" autocomplete="organization" required maxlength="200"/>
                <label for="display_name">"Vos prénom et nom"</label>
                <input id="display_name" name="display_name" autocomplete="name" required maxlength="100"/>
                <label for="email">"Votre adresse e-mail professionnelle"</label>
                <input id="email" type="email" name="email" autocomplete="email" required/>
                <label for="password">"Mot de passe (au moins 12 caractères)"</label>
                <input id="password" type="password" name="password" autocomplete="new-password" minlength="12" required/>
                <label for="confirm">"Mot de passe, à nouveau"</label>
                <input id="confirm" type="password" name="confirm" autocomplete="new-password" minlength="12" required/>
                <ActionMessage value=move || register.value().get()/>
                <button type="submit" class="button">"Recevoir le lien de confirmation"</button>
            </ActionForm>
            <p class="muted small">
                "Déjà inscrit ? " <a href="/connexion">"Se connecter"</a>
                ". Les acheteurs publics et les relecteurs sont invités par l'administrateur de JeSaisFaire."
            </p>
        </section>
    }
}

/// Where the registration form leads: the same words whatever was known (no enumeration).
#[component]
pub fn RegistrationSentPage() -> impl IntoView {
    view! {
        <Title text="Vérifiez votre messagerie"/>
        <section class="panel form-panel">
            <h1>"Vérifiez votre messagerie"</h1>
            <p role="status">
                "Un message vient d'être envoyé à l'adresse indiquée. Ouvrez le lien qu'il contient dans les 24 heures "
                "pour confirmer votre adresse : votre compte sera créé à ce moment-là."
            </p>
            <p class="muted">
                "Rien reçu après quelques minutes ? Regardez dans les courriers indésirables, puis "
                <a href="/inscription">"recommencez l'inscription"</a> "."
            </p>
        </section>
    }
}

/// Started by the route before the page's code has arrived (see `app.rs`).
pub fn registration_data() -> Resource<Result<RegistrationView, AppError>> {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    Resource::new(token, registration_details)
}

/// The confirmation link opens this page; the button confirms (a mail scanner that follows the
/// link creates nothing).
#[component]
pub fn ConfirmRegistrationPage(details: Resource<Result<RegistrationView, AppError>>) -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmRegistration>::new();
    view! {
        <Title text="Confirmer mon inscription"/>
        <Suspense fallback=|| view! { <p class="loading">"Vérification du lien…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(registration) => view! {
                        <section class="panel form-panel">
                            <h1>"Confirmer mon inscription"</h1>
                            <p>
                                "Adresse : " <strong>{registration.email.clone()}</strong> <br/>
                                "Entreprise : " <strong>{registration.company_name.clone()}</strong>
                            </p>
                            <ActionForm action=confirm>
                                <input type="hidden" name="token" value=token()/>
                                <ActionMessage value=move || confirm.value().get()/>
                                <button type="submit" class="button">"Confirmer et créer mon compte"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
