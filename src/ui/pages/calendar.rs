//! The buyer plans the sourcing calendar of a consultation. Every change is checked and drawn in
//! the browser by the calendar engine (WebAssembly), with no server round trip; saving checks it
//! again on the server.

use crate::api::calendar::save_calendar;
use crate::api::consultations::consultation_overview;
use crate::domain::calendar::{
    propose, PhaseKind, Region, SourcingSettings, DEFAULT_MIN_BUSINESS_DAYS_AFTER_NEW_VERSION,
};
use crate::error::{AppError, FieldProblem};
use crate::model::ConsultationDetail;
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::{interactive, FieldError, FieldErrors, NeedsJavaScript};
use crate::ui::components::timeline::{sourcing_bars, Timeline};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Started by the route before the page's code has arrived (see `app.rs`).
pub fn calendar_data() -> Resource<Result<ConsultationDetail, AppError>> {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    Resource::new(id, |id| async move {
        match id {
            Some(id) => consultation_overview(id).await,
            None => Err(AppError::not_found("Cette consultation")),
        }
    })
}

#[component]
pub fn CalendarPage(detail: Resource<Result<ConsultationDetail, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) if detail.can_edit => view! { <CalendarForm detail/> }.into_any(),
                    Ok(_) => view! { <Title text="Calendrier"/><ErrorPanel error=AppError::Forbidden(
                        "Seuls les acheteurs de l'organisation planifient le calendrier de cette consultation.".into())/> }.into_any(),
                    Err(error) => view! { <Title text="Calendrier"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CalendarForm(detail: ConsultationDetail) -> impl IntoView {
    let id = detail.summary.id;
    let mode = detail.summary.mode;
    let today = detail.today;
    let initial = detail.calendar.map(|c| c.settings).unwrap_or_else(|| {
        // The holidays of the consultation's départements when they all share one region
        // (Alsace-Moselle, an overseas département), else the metropolitan ones.
        let mut regions = detail.summary.departements.iter().map(|d| Region::of_departement(d));
        let region = match regions.next() {
            Some(first) if regions.all(|r| r == first) => first,
            _ => Region::Metropole,
        };
        propose(mode, today.add_days(7), region)
    });
    let start = RwSignal::new(initial.start.to_string());
    let call_days = RwSignal::new(initial.call_days.to_string());
    let exchange_days = RwSignal::new(initial.exchange_days.to_string());
    let drafting_days = RwSignal::new(initial.drafting_days.to_string());
    let region = RwSignal::new(initial.region);
    let delay = RwSignal::new(initial.min_business_days_after_new_version.to_string());
    // Recorded by the server when a version came late in the exchanges: shown, not editable.
    let extension_days = initial.extension_days;
    let saved = RwSignal::new(None::<Result<(), String>>);

    // The settings as typed; a field that is not a number is reported rather than guessed.
    let settings = Memo::new(move |_| -> Result<SourcingSettings, FieldProblem> {
        let number = |value: String, field: &str, what: &str| {
            value
                .trim()
                .parse::<u32>()
                .map_err(|_| FieldProblem::new(field, format!("{what} : saisissez un nombre de jours.")))
        };
        Ok(SourcingSettings {
            mode,
            start: crate::domain::calendar::Date::parse_iso(&start.get())
                .map_err(|e| FieldProblem::new("start", e.to_string()))?,
            call_days: if mode == crate::model::SourcingMode::Open {
                number(call_days.get(), "call_days", "Durée de l'appel à participation")?
            } else {
                0
            },
            exchange_days: number(exchange_days.get(), "exchange_days", "Durée des échanges")?,
            drafting_days: number(drafting_days.get(), "drafting_days", "Durée de la rédaction")?,
            region: region.get(),
            min_business_days_after_new_version: delay
                .get()
                .trim()
                .parse()
                .unwrap_or(DEFAULT_MIN_BUSINESS_DAYS_AFTER_NEW_VERSION),
            extension_days,
        })
    });
    let problems = Memo::new(move |_| match settings.get() {
        Ok(s) => s
            .validate()
            .into_iter()
            .map(|v| FieldProblem::new(v.rule.field(), v.message))
            .collect::<Vec<_>>(),
        Err(problem) => vec![problem],
    });
    let errors = FieldErrors::of_problems(move || problems.get());
    let phases = Memo::new(move |_| settings.get().map(|s| s.calendar().phases).unwrap_or_default());
    let save = move |_| {
        let Ok(chosen) = settings.get_untracked() else { return };
        saved.set(None);
        spawn_local(async move {
            saved.set(Some(
                save_calendar(id, chosen).await.map(|_| ()).map_err(|e| e.to_string()),
            ));
        });
    };
    let changed = move || saved.set(None);
    // The calendar is computed and saved by WebAssembly: without it, the values show and the
    // button stays disabled, with the reason.
    let ready = interactive();
    let title = detail.summary.title.clone();
    view! {
        <Title text=format!("Calendrier — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/acheteur">"Mes consultations"</a>" › "
            <a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Calendrier"</span>
        </nav>
        <div class="page-intro">
            <h1>"Calendrier du sourcing"</h1>
            <p class="lead">{title.clone()} " — " {mode.label_fr().to_lowercase()}
                ". Les phases s'ouvrent et se ferment d'elles-mêmes aux dates prévues ; une échéance qui tombe un week-end ou un jour férié passe au jour ouvré suivant."</p>
        </div>
        <div class="calendar-layout">
            <form class="panel calendar-form" on:submit=|ev| ev.prevent_default()>
                <label for="start">"Début du sourcing"</label>
                <input id="start" type="date" value=start.get_untracked() prop:value=move || start.get()
                    aria-invalid=errors.invalid("start") aria-describedby=errors.described_by("start", None)
                    on:input=move |ev| { start.set(event_target_value(&ev)); changed(); }/>
                <FieldError errors field="start"/>
                {(mode == crate::model::SourcingMode::Open).then(|| view! {
                    <label for="call_days">"Durée de l'appel à participation (jours)"</label>
                    <input id="call_days" type="number" min="1" inputmode="numeric" value=call_days.get_untracked() prop:value=move || call_days.get()
                        aria-invalid=errors.invalid("call_days") aria-describedby=errors.described_by("call_days", Some("call_days-help"))
                        on:input=move |ev| { call_days.set(event_target_value(&ev)); changed(); }/>
                    <p class="muted small" id="call_days-help">"Au moins 2 semaines (14 jours)."</p>
                    <FieldError errors field="call_days"/>
                })}
                <label for="exchange_days">"Durée des échanges (jours)"</label>
                <input id="exchange_days" type="number" min="1" inputmode="numeric" value=exchange_days.get_untracked() prop:value=move || exchange_days.get()
                    aria-invalid=errors.invalid("exchange_days") aria-describedby=errors.described_by("exchange_days", Some("exchange_days-help"))
                    on:input=move |ev| { exchange_days.set(event_target_value(&ev)); changed(); }/>
                <p class="muted small" id="exchange_days-help">"De 1 à 2 semaines (7 à 14 jours)."</p>
                <FieldError errors field="exchange_days"/>
                {(extension_days > 0).then(|| view! {
                    <p class="notice small" id="extension-note">
                        "Les échanges ont été prolongés de " {extension_days} {if extension_days > 1 { " jours" } else { " jour" }}
                        " parce qu'une nouvelle version a été publiée pendant les échanges : les entreprises gardent le délai de lecture garanti ci-dessous. "
                        "Cette prolongation s'ajoute à la durée prévue et reste acquise quand vous enregistrez le calendrier."
                    </p>
                })}
                <label for="drafting_days">"Rédaction du CCTP final (jours)"</label>
                <input id="drafting_days" type="number" min="1" inputmode="numeric" value=drafting_days.get_untracked() prop:value=move || drafting_days.get()
                    aria-invalid=errors.invalid("drafting_days") aria-describedby=errors.described_by("drafting_days", None)
                    on:input=move |ev| { drafting_days.set(event_target_value(&ev)); changed(); }/>
                <FieldError errors field="drafting_days"/>
                <label for="delay">"Jours ouvrés d'échanges garantis après une nouvelle version"</label>
                <input id="delay" type="number" min="1" inputmode="numeric" value=delay.get_untracked() prop:value=move || delay.get()
                    aria-invalid=errors.invalid("delay") aria-describedby=errors.described_by("delay", None)
                    on:input=move |ev| { delay.set(event_target_value(&ev)); changed(); }/>
                <FieldError errors field="delay"/>
                <label for="region">"Jours fériés appliqués"</label>
                <select id="region" on:change=move |ev| {
                    region.set(Region::from_key(&event_target_value(&ev)).unwrap_or_default());
                    changed();
                }>
                    {Region::ALL.into_iter().map(|r| view! {
                        <option value=r.key() selected=r == region.get_untracked()>{r.label_fr()}</option>
                    }).collect_view()}
                </select>
                <p class="muted small">"Par défaut, ceux des départements de la consultation."</p>
                <div aria-live="polite">
                    {move || {
                        let list = problems.get();
                        (!list.is_empty()).then(|| view! {
                            // The alert role on the list itself would hide that it is a list.
                            <div role="alert">
                                <ul class="form-error calendar-problems">
                                    {list.into_iter().map(|p| view! { <li>{p.message}</li> }).collect_view()}
                                </ul>
                            </div>
                        })
                    }}
                    {move || saved.get().map(|r| match r {
                        Ok(()) => view! { <p class="form-success" role="status">"Calendrier enregistré."</p> }.into_any(),
                        Err(m) => view! { <p class="form-error" role="alert">{m}</p> }.into_any(),
                    })}
                </div>
                <NeedsJavaScript what="L'enregistrement du calendrier"/>
                <button type="button" class="button" disabled=move || !ready.get() || !problems.with(Vec::is_empty) on:click=save>
                    "Enregistrer le calendrier"
                </button>
            </form>
            <section class="panel calendar-preview" aria-labelledby="calendar-preview-title">
                <h2 id="calendar-preview-title">"Aperçu"</h2>
                {move || view! {
                    <Timeline bars=sourcing_bars(&phases.get()) today title="Phases du sourcing"/>
                }}
                <div class="table-scroll">
                <table class="data-table phase-table">
                    <thead><tr><th scope="col">"Phase"</th><th scope="col">"Ouverture"</th><th scope="col">"Clôture"</th></tr></thead>
                    <tbody>
                        {move || phases.get().into_iter().map(|p| view! {
                            <tr data-phase=p.kind.key()>
                                <th scope="row">{p.kind.label_fr()}</th>
                                <td data-date=p.start.to_string()>{p.start.format_fr_long()}</td>
                                <td data-date=p.end.to_string()>{p.end.format_fr_long()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                {move || phases.get().iter().find(|p| p.kind == PhaseKind::Exchanges).map(|p| view! {
                    <p class="muted small">"Les contributions seront reçues jusqu'au " {p.end.format_fr_long()} " à 23 h 59."</p>
                })}
            </section>
        </div>
    }
}
