use crate::error::AppError;
use crate::ui::components::sign_in::{current_page, SignInForm};
use leptos::prelude::*;

/// Shows an error as a person can act on it, and on the server gives the page the matching
/// HTTP status (a missing consultation answers 404, not 200).
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    let title = match &error {
        AppError::NotFound(_) => "Page introuvable",
        AppError::Forbidden(_) | AppError::Unauthenticated(_) => "Accès refusé",
        AppError::Invalid(_) => "Demande incorrecte",
        AppError::Conflict(_) => "Modification concurrente",
        AppError::Busy(_) => "Service très sollicité",
        AppError::Internal | AppError::Transport(_) => "Un problème est survenu",
    };
    // A signed-out visitor signs in right here and comes back to this very page.
    let sign_in = matches!(error, AppError::Unauthenticated(_)).then(|| {
        let here = untrack(|| current_page(&leptos_router::hooks::use_location()));
        view! {
            <section class="panel form-panel" aria-labelledby="sign-in-title">
                <h2 id="sign-in-title">"Se connecter"</h2>
                <SignInForm back_to=Some(here) reload=true/>
            </section>
        }
    });
    view! {
        <section class="panel panel--error" role="alert">
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Revenir à la liste des consultations"</a></p>
        </section>
        {sign_in}
    }
}
