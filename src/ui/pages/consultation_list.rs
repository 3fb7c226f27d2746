use crate::api::consultations::list_consultations;
use crate::ui::components::consultation_card::ConsultationCard;
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ConsultationListPage() -> impl IntoView {
    let consultations = Resource::new(|| (), |_| list_consultations());
    view! {
        <Title text="Consultations de sourcing"/>
        <div class="page-intro">
            <h1>"Consultations de sourcing"</h1>
            <p class="lead">
                "Les acheteurs publics soumettent leurs projets de cahier des charges aux entreprises avant l'appel d'offres. "
                "Lisez les projets, posez vos questions et proposez vos solutions, clause par clause."
            </p>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"Chargement des consultations…"</p> }>
            {move || Suspend::new(async move {
                match consultations.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"Aucune consultation n'est ouverte pour le moment."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="consultation-list" aria-label="Consultations">
                            {list.into_iter().map(|c| view! { <ConsultationCard consultation=c/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
