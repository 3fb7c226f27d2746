use crate::error::AppError;
use crate::ui::components::sign_in::{current_page, sign_in_link};
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
        AppError::Invalid(_) | AppError::InvalidFields(_) => "Demande incorrecte",
        AppError::Conflict(_) => "Modification concurrente",
        AppError::Busy(_) => "Service très sollicité",
        AppError::Internal | AppError::Transport(_) => "Un problème est survenu",
    };
    // A signed-out visitor signs in and comes back to this very page. A link, not the form
    // itself: this panel is part of the first download (the catalogue uses it), the form is not.
    let sign_in = matches!(error, AppError::Unauthenticated(_)).then(|| {
        let here = untrack(|| current_page(&leptos_router::hooks::use_location()));
        view! { <p><a class="button" href=sign_in_link(&here)>"Se connecter"</a></p> }
    });
    view! {
        <section class="panel panel--error" role="alert">
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            {sign_in}
            <p><a href="/">"Revenir à la liste des consultations"</a></p>
        </section>
    }
}
