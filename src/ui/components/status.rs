use crate::model::{ConsultationStatus, SourcingMode};
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: ConsultationStatus) -> impl IntoView {
    view! { <span class=format!("badge badge--{}", status.as_str())>{status.label_fr()}</span> }
}

#[component]
pub fn ModeBadge(mode: SourcingMode) -> impl IntoView {
    view! { <span class="badge badge--mode">{mode.label_fr()}</span> }
}
