//! A company's retro-planning: from the submission date of a tender it targets (day J), the
//! phases and tasks of seed 002, computed in the browser by the calendar engine; tasks are ticked
//! and annotated, and the whole can be downloaded as an iCalendar file.

use crate::api::calendar::{my_retro_plans, save_retro_plan, set_retro_task, SaveRetroPlan};
#[cfg(not(feature = "ssr"))]
use crate::domain::calendar::paris_date;
use crate::domain::calendar::{retro_planning, Date, RetroPlanning};
use crate::error::AppError;
use crate::model::{RetroPlanView, RetroPlans};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::timeline::{Timeline, TimelineBar};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::task::spawn_local;
use leptos_meta::Title;

fn retro_bars(planning: &RetroPlanning) -> Vec<TimelineBar> {
    planning
        .phases
        .iter()
        .map(|p| TimelineBar {
            key: p.kind.key(),
            label: p.kind.period_fr().to_owned(),
            start: p.start,
            end: p.end,
        })
        .collect()
}

/// Today in Paris by the browser's clock, for the preview of a plan being typed; saved plans use
/// the server's date. The preview needs a typed date, so it is never drawn on the server.
fn browser_today() -> Date {
    #[cfg(not(feature = "ssr"))]
    return paris_date((js_sys::Date::now() / 1000.0) as i64);
    #[cfg(feature = "ssr")]
    Date::MIN
}

/// The plans, read again after one is created; started by the route (see `app.rs`).
#[derive(Clone, Copy)]
pub struct PlanningData {
    created: RwSignal<u32>,
    plans: Resource<Result<RetroPlans, AppError>>,
}

impl PlanningData {
    pub fn start() -> PlanningData {
        let created = RwSignal::new(0u32);
        let plans = Resource::new(move || created.get(), |_| my_retro_plans());
        PlanningData { created, plans }
    }
}

#[component]
pub fn PlanningPage(data: PlanningData) -> impl IntoView {
    let PlanningData { created, plans } = data;
    view! {
        <Title text="Mon rétroplanning"/>
        <div class="page-intro">
            <h1>"Mon rétroplanning"</h1>
            <p class="lead">"Partez de la date de remise des offres d'un appel d'offres que vous visez (le jour J) : les étapes et les tâches à prévoir se placent d'elles-mêmes, de J-12 mois à J."</p>
        </div>
        <NewPlan created/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match plans.await {
                    Ok(list) if list.plans.is_empty() => view! { <p class="empty">"Aucun rétroplanning pour le moment."</p> }.into_any(),
                    Ok(list) => {
                        let today = list.today;
                        list.plans.into_iter().map(|plan| view! { <PlanView plan today/> }).collect_view().into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form of a new retro-planning, with a live preview of its phases.
#[component]
fn NewPlan(created: RwSignal<u32>) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let submission = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let preview = Memo::new(move |_| Date::parse_iso(&submission.get()).ok().map(retro_planning));
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (t, s) = (title.get_untracked(), submission.get_untracked());
        spawn_local(async move {
            match save_retro_plan(None, t, s).await {
                Ok(_) => {
                    title.set(String::new());
                    submission.set(String::new());
                    message.set(None);
                    created.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="panel wide" aria-labelledby="new-plan-title">
            <h2 id="new-plan-title">"Nouveau rétroplanning"</h2>
            // A plain form post too: without JavaScript the server creates the plan and sends the
            // page back (the browser checks the required fields first).
            <form class="new-plan" method="post" action=SaveRetroPlan::url() on:submit=create>
                <div>
                    <label for="plan-title">"Appel d'offres visé"</label>
                    <input id="plan-title" name="title" type="text" required maxlength="200" placeholder="Maintenance informatique — préfecture de Seine-et-Marne"
                        prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="plan-date">"Date de remise des offres (J)"</label>
                    <input id="plan-date" name="submission" type="date" required
                        prop:value=move || submission.get() on:input=move |ev| submission.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button">"Créer le rétroplanning"</button>
            </form>
            {move || message.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            {move || preview.get().map(|planning| view! {
                <div class="plan-preview">
                    <Timeline bars=retro_bars(&planning) today=browser_today() title="Aperçu des étapes"/>
                </div>
            })}
        </section>
    }
}

#[component]
fn PlanView(plan: RetroPlanView, today: Date) -> impl IntoView {
    let planning = retro_planning(plan.submission);
    let id = plan.id;
    let states = plan.tasks;
    let heading = format!("plan-{id}");
    let labelled_by = heading.clone();
    view! {
        <section class="panel wide retro-plan" aria-labelledby=labelled_by>
            <div class="retro-plan__head">
                <div>
                    <h2 id=heading>{plan.title.clone()}</h2>
                    <p class="muted">"Remise des offres (J) : " {plan.submission.format_fr_long()}</p>
                </div>
                <a class="button button--secondary button--small" href=format!("/entreprise/planning/{id}/calendrier.ics") download="">
                    "Télécharger le calendrier (.ics)"
                </a>
            </div>
            <Timeline bars=retro_bars(&planning) today=today title=format!("Rétroplanning — {}", plan.title)/>
            <div class="retro-phases">
                {planning.phases.into_iter().map(|phase| view! {
                    <div class=format!("retro-phase retro-phase--{}", phase.kind.key())>
                        <h3>{phase.kind.label_fr()}</h3>
                        <p class="muted small">{phase.kind.period_fr()}</p>
                        <ul class="retro-tasks">
                            {phase.tasks.into_iter().map(|task| {
                                let state = states.iter().find(|s| s.key == task.key).cloned();
                                view! { <TaskItem plan=id key_=task.key label=task.label details=task.details
                                    done=state.as_ref().is_some_and(|s| s.done)
                                    note=state.map(|s| s.note).unwrap_or_default()/> }
                            }).collect_view()}
                        </ul>
                    </div>
                }).collect_view()}
            </div>
        </section>
    }
}

/// A task: its box ticks and its note saves at once.
#[component]
fn TaskItem(plan: i64, key_: String, label: String, details: Vec<String>, done: bool, note: String) -> impl IntoView {
    let done = RwSignal::new(done);
    let note = RwSignal::new(note);
    let status = RwSignal::new(None::<Result<(), String>>);
    let key = StoredValue::new(key_.clone());
    let save = move || {
        let (k, d, n) = (key.get_value(), done.get_untracked(), note.get_untracked());
        spawn_local(async move {
            status.set(Some(set_retro_task(plan, k, d, n).await.map_err(|e| e.to_string())));
        });
    };
    let box_id = format!("task-{plan}-{key_}");
    let note_id = format!("note-{plan}-{key_}");
    let (box_for, note_for) = (box_id.clone(), note_id.clone());
    view! {
        <li class="retro-task">
            <label class="checkbox" for=box_for>
                <input id=box_id type="checkbox" prop:checked=move || done.get()
                    on:change=move |ev| { done.set(event_target_checked(&ev)); save(); }/>
                <span class:done=move || done.get()>{label.clone()}</span>
            </label>
            {(!details.is_empty()).then(|| view! {
                <ul class="retro-task__details">{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            })}
            <label class="visually-hidden" for=note_for>{format!("Note : {label}")}</label>
            <textarea id=note_id class="retro-task__note" rows="1" maxlength="4000" placeholder="Note…"
                prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))
                on:change=move |_| save()></textarea>
            <span class="retro-task__status" aria-live="polite">
                {move || status.get().map(|r| match r {
                    Ok(()) => view! { <span class="save-state__ok">"Enregistré"</span> }.into_any(),
                    Err(m) => view! { <span class="save-state__error">{m}</span> }.into_any(),
                })}
            </span>
        </li>
    }
}
