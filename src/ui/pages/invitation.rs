use crate::api::account::{invitation_details, AcceptInvitation, InvitationView};
use crate::error::AppError;
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::ActionMessage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Started by the route before the page's code has arrived (see `app.rs`).
pub fn invitation_data() -> Resource<Result<InvitationView, AppError>> {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    Resource::new(token, invitation_details)
}

#[component]
pub fn InvitationPage(details: Resource<Result<InvitationView, AppError>>) -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let accept = ServerAction::<AcceptInvitation>::new();
    view! {
        <Title text="Invitation"/>
        <Suspense fallback=|| view! { <p class="loading">"Vérification de l'invitation…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(invitation) => view! {
                        <section class="panel form-panel">
                            <h1>"Bienvenue sur JeSaisFaire"</h1>
                            <p>
                                "Invitation pour " <strong>{invitation.email.clone()}</strong>
                                ", en tant que " {invitation.role.label_fr().to_lowercase()}
                                {invitation.organisation_name.map(|o| format!(" ({o})"))} "."
                            </p>
                            <ActionForm action=accept>
                                <input type="hidden" name="token" value=token()/>
                                <label for="display_name">"Prénom et nom"</label>
                                <input id="display_name" name="display_name" autocomplete="name" required/>
                                <label for="password">"Mot de passe (au moins 12 caractères)"</label>
                                <input id="password" type="password" name="password" autocomplete="new-password" minlength="12" required/>
                                <label for="confirm">"Mot de passe, à nouveau"</label>
                                <input id="confirm" type="password" name="confirm" autocomplete="new-password" minlength="12" required/>
                                <ActionMessage value=move || accept.value().get()/>
                                <button type="submit" class="button">"Créer mon compte"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
