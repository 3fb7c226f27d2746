use crate::api::consultations::list_consultations;
use crate::model::ConsultationSummary;
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::status::{ModeBadge, StatusBadge};
use crate::ui::format::{date_fr, period_fr};
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

#[component]
pub fn ConsultationCard(consultation: ConsultationSummary) -> impl IntoView {
    let ConsultationSummary {
        id,
        title,
        buyer_name,
        status,
        mode,
        departements,
        dates,
        latest_version,
    } = consultation;
    let exchanges = match (dates.exchanges_start, dates.exchanges_end) {
        (Some(start), Some(end)) => Some(format!("Échanges {}", period_fr(&start, &end))),
        _ => None,
    };
    let tender = dates
        .expected_tender
        .map(|d| format!("Appel d'offres prévu le {}", date_fr(&d)));
    let territory = (!departements.is_empty()).then(|| format!("Département {}", departements.join(", ")));
    let version = match latest_version {
        Some(n) => format!("Version {n} du cahier des charges"),
        None => "Cahier des charges à venir".to_string(),
    };
    view! {
        <li class="consultation-card">
            <div class="consultation-card__badges">
                <StatusBadge status/>
                <ModeBadge mode/>
            </div>
            <h2 class="consultation-card__title">
                <a href=format!("/consultations/{id}")>{title}</a>
            </h2>
            <p class="consultation-card__buyer">{buyer_name}</p>
            <ul class="facts">
                {exchanges.map(|t| view! { <li>{t}</li> })}
                {tender.map(|t| view! { <li>{t}</li> })}
                {territory.map(|t| view! { <li>{t}</li> })}
                <li>{version}</li>
            </ul>
        </li>
    }
}
