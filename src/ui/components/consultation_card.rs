//! A consultation as the catalogue and the home pages list it.

use crate::domain::format::{date_fr, period_fr};
use crate::model::ConsultationSummary;
use crate::ui::components::status::{ModeBadge, StatusBadge};
use leptos::prelude::*;

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
