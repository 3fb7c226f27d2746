use crate::error::AppError;
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Page introuvable"/>
        <ErrorPanel error=AppError::NotFound(
            "Cette adresse ne correspond à aucune page. Vérifiez le lien ou revenez à la liste des consultations.".into(),
        )/>
    }
}
