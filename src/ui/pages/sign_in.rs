use crate::api::account::{current_user, ChangePassword};
use crate::api::calendar::{current_calendar_feed, RenewCalendarFeed, RevokeCalendarFeed};
use crate::domain::format::instant_date_fr;
use crate::error::AppError;
use crate::model::{CalendarFeedStatus, SessionUser};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::{interactive, ActionMessage, NeedsJavaScript};
use crate::ui::components::sign_in::SignInForm;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let back_to = use_query_map().read_untracked().get("retour");
    view! {
        <Title text="Connexion"/>
        <section class="panel form-panel">
            <h1>"Connexion"</h1>
            <p class="muted">"Acheteurs, entreprises et relecteurs : connectez-vous avec l'adresse de votre invitation."</p>
            <SignInForm back_to/>
            <p class="muted small">
                "Pas encore de compte ? Entreprises : " <a href="/inscription">"inscrivez votre entreprise"</a>
                ". Acheteurs et relecteurs : l'administrateur de JeSaisFaire vous envoie une invitation par e-mail."
            </p>
        </section>
    }
}

/// The account page's forms and the state of the agenda link, started by the route (see
/// `app.rs`).
#[derive(Clone, Copy)]
pub struct AccountData {
    change: ServerAction<ChangePassword>,
    feed: ServerAction<RenewCalendarFeed>,
    revoke: ServerAction<RevokeCalendarFeed>,
    status: Resource<Result<Option<CalendarFeedStatus>, AppError>>,
    me: Resource<Result<Option<SessionUser>, AppError>>,
}

impl AccountData {
    pub fn start() -> AccountData {
        let change = ServerAction::<ChangePassword>::new();
        let feed = ServerAction::<RenewCalendarFeed>::new();
        let revoke = ServerAction::<RevokeCalendarFeed>::new();
        // The state of the link, read again after each action that changes it.
        let status = Resource::new(
            move || (change.version().get(), feed.version().get(), revoke.version().get()),
            |_| current_calendar_feed(),
        );
        AccountData {
            change,
            feed,
            revoke,
            status,
            me: Resource::new(|| (), |_| current_user()),
        }
    }
}

/// A signed-out visitor gets the sign-in form, and comes back here once signed in.
#[component]
pub fn AccountPage(data: AccountData) -> impl IntoView {
    view! {
        <Title text="Mon compte"/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match data.me.await {
                    Ok(Some(_)) => view! { <AccountForms data/> }.into_any(),
                    Ok(None) => view! { <SignInHere/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The account page of a signed-out visitor: the sign-in form, which reloads this page once
/// signed in (401, like every page that needs an account).
#[component]
fn SignInHere() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::UNAUTHORIZED);
    }
    view! {
        <section class="panel form-panel">
            <h1>"Connexion"</h1>
            <p class="muted">"Connectez-vous pour accéder à votre compte."</p>
            <SignInForm back_to=Some("/compte".to_string()) reload=true/>
        </section>
    }
}

#[component]
fn AccountForms(data: AccountData) -> impl IntoView {
    let AccountData {
        change,
        feed,
        revoke,
        status,
        ..
    } = data;
    let ready = interactive();
    view! {
        <div class="account-page">
        <h1>"Mon compte"</h1>
        // A company's members start with their company: its profile is what buyers look at.
        <super::company::CompanyAccount/>
        <section class="panel form-panel" aria-labelledby="password-title">
            <h2 id="password-title">"Changer de mot de passe"</h2>
            <p class="muted">"Au moins 12 caractères. Une courte phrase est facile à retenir et difficile à deviner. Vos autres sessions seront fermées et votre lien d'agenda désactivé."</p>
            <ActionForm action=change>
                <label for="current">"Mot de passe actuel"</label>
                <input id="current" type="password" name="current" autocomplete="current-password" required/>
                <label for="new">"Nouveau mot de passe"</label>
                <input id="new" type="password" name="new" autocomplete="new-password" minlength="12" required/>
                <label for="confirm">"Nouveau mot de passe, à nouveau"</label>
                <input id="confirm" type="password" name="confirm" autocomplete="new-password" minlength="12" required/>
                <ActionMessage value=move || change.value().get() success="Votre mot de passe a été changé."/>
                <button type="submit" class="button">"Changer le mot de passe"</button>
            </ActionForm>
        </section>
        <section class="panel form-panel agenda-panel" aria-labelledby="agenda-title">
            <h2 id="agenda-title">"Mon agenda"</h2>
            <p class="muted">
                "Un lien privé d'abonnement pour votre application d'agenda (Outlook, Thunderbird, Google Agenda…) : "
                "les calendriers des consultations que vous suivez et vos rétroplannings, tenus à jour. "
                "Ne le partagez pas ; en créer un nouveau désactive l'ancien. Il reste valable un an."
            </p>
            // The new link is shown once, by the page: without JavaScript it would be created and
            // never seen (and the old one disabled). The buttons wait for the page to run.
            <NeedsJavaScript what="La création d'un lien d'abonnement"/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(Some(link)) => view! {
                            <p class="agenda-status" id="agenda-status">
                                "Votre lien actuel, créé le " {instant_date_fr(link.created_at)}
                                ", fonctionne jusqu'au " {instant_date_fr(link.expires_at)} "."
                            </p>
                            <div class="agenda-actions">
                                <ActionForm action=feed>
                                    <button type="submit" class="button button--secondary" disabled=move || !ready.get()>"Créer un nouveau lien"</button>
                                </ActionForm>
                                <ActionForm action=revoke>
                                    <button type="submit" class="button button--secondary">"Désactiver mon lien"</button>
                                </ActionForm>
                            </div>
                        }.into_any(),
                        Ok(None) => view! {
                            <p class="agenda-status" id="agenda-status">"Vous n'avez pas de lien d'abonnement actif."</p>
                            <div class="agenda-actions">
                                <ActionForm action=feed>
                                    <button type="submit" class="button" disabled=move || !ready.get()>"Créer mon lien d'abonnement"</button>
                                </ActionForm>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            {move || feed.value().get().map(|result| match result {
                Ok(link) => view! {
                    <div class="agenda-link">
                        <label for="feed-url">"Votre lien (affiché une seule fois : copiez-le dans votre agenda)"</label>
                        <input id="feed-url" type="text" readonly value=link.url/>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <ActionMessage value=move || revoke.value().get() success="Votre lien d'abonnement est désactivé."/>
        </section>
        </div>
    }
}
