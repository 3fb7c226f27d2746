//! The sign-in form, on the sign-in page and wherever a signed-out visitor opens a page that
//! needs an account: once signed in, the person comes back to that page.

use crate::api::account::SignIn;
use crate::ui::components::form::{on_success, ActionMessage};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// `back_to`: the page to open after signing in (checked again by the server, which goes to the
/// role's home page when it is missing or not a path of this site). `reload`: the form is on
/// that very page (in place of what needed an account), which is loaded again once signed in —
/// going to the address one is already at would change nothing.
#[component]
pub fn SignInForm(back_to: Option<String>, #[prop(optional)] reload: bool) -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    if reload {
        on_success(sign_in, || {
            let _ = window().location().reload();
        });
    }
    view! {
        <ActionForm action=sign_in attr:class="sign-in-form">
            {back_to.map(|path| view! { <input type="hidden" name="back_to" value=path/> })}
            <label for="email">"Adresse e-mail"</label>
            <input id="email" type="email" name="email" autocomplete="username" required/>
            <label for="password">"Mot de passe"</label>
            <input id="password" type="password" name="password" autocomplete="current-password" required/>
            <ActionMessage value=move || sign_in.value().get()/>
            <button type="submit" class="button">"Se connecter"</button>
        </ActionForm>
    }
}

/// The page being read, path and query (what signing in comes back to).
pub fn current_page(location: &leptos_router::location::Location) -> String {
    let path = location.pathname.get();
    let search = location.search.get();
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

/// The address of the sign-in page that comes back to `path` (the page being read).
pub fn sign_in_link(path: &str) -> String {
    match path {
        "" | "/" | "/connexion" => "/connexion".to_string(),
        _ => format!("/connexion?retour={}", super::pager::urlencode(path)),
    }
}
