use crate::api::account::{current_user, SignOut};
use crate::ui::components::sign_in::{current_page, sign_in_link};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    // Asked again at each navigation: signing in or out redirects, and a session can expire.
    let location = leptos_router::hooks::use_location();
    let user = Resource::new(move || location.pathname.get(), |_| current_user());
    let sign_out = ServerAction::<SignOut>::new();
    let here = Memo::new(move |_| current_page(&location));
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"JSF"</span>
                    <span class="brand__name">"JeSaisFaire"</span>
                </a>
                <p class="brand__tagline">"Le sourcing des marchés publics, par écrit et à armes égales"</p>
                <nav class="site-nav" aria-label="Navigation principale">
                    <a href="/">"Consultations"</a>
                    <a href="/besoins">"Besoins à venir"</a>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match user.await {
                                Ok(Some(me)) => view! {
                                    <a href=me.role.home_path()>"Mon espace"</a>
                                    <a class="site-nav__bell" href="/notifications"
                                        aria-label=match me.unread_notifications {
                                            0 => "Notifications, aucune non lue".to_string(),
                                            1 => "Notifications, 1 non lue".to_string(),
                                            n => format!("Notifications, {n} non lues"),
                                        }>
                                        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2">
                                            <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 0 1-3.4 0"/>
                                        </svg>
                                        {(me.unread_notifications > 0).then(|| view! { <span class="site-nav__count">{me.unread_notifications}</span> })}
                                    </a>
                                    <a class="site-nav__user" href="/compte" title="Mon compte">
                                        {me.display_name.clone()}
                                        // Who the person acts for: their organisation, else their role.
                                        <span class="site-nav__role">{me.organisation_name.clone().unwrap_or_else(|| me.role.label_fr().to_string())}</span>
                                    </a>
                                    <ActionForm action=sign_out attr:class="inline-form">
                                        <button type="submit" class="link-button">"Se déconnecter"</button>
                                    </ActionForm>
                                }.into_any(),
                                _ => view! {
                                    <a href="/inscription">"Inscrire mon entreprise"</a>
                                    <a class="button button--small" href=move || here.with(|page| sign_in_link(page))>"Se connecter"</a>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "JeSaisFaire — dialogue avec les entreprises avant l'appel d'offres (article R2111-1 du code de la commande publique). "
                "Les contributions des entreprises sont anonymes entre elles. "
                <a href="/donnees">"Données ouvertes"</a>
            </p>
        </footer>
    }
}
