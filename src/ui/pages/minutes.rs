//! « Comptes rendus »: the minutes of oral exchanges of a consultation. The participants read
//! the published ones (live); the buyer records a meeting, publishes it, corrects it with a
//! reason (earlier wordings stay readable).

use crate::api::minutes::{get_minutes, PublishMinutes, SaveMinutes};
use crate::domain::calendar::paris_datetime;
use crate::domain::format::instant_fr;
use crate::domain::minutes::{MeetingMode, MinutesInput};
use crate::error::AppError;
use crate::model::{MinutesBoard, MinutesRevisionView, MinutesView, OutlineEntry};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::{on_success, ActionMessage};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The form being filled: new minutes, a draft, or the correction of published ones.
#[derive(Clone, Debug, Default, PartialEq)]
struct MinutesForm {
    editing: Option<i64>,
    correction: bool,
    input: MinutesInput,
}

/// The page's data, its actions and the form, started by the route (see `app.rs`). The form
/// lives here, outside what the board renders, so a live reload never loses what is typed.
#[derive(Clone, Copy)]
pub struct MinutesData {
    board: Resource<Result<MinutesBoard, AppError>>,
    save: ServerAction<SaveMinutes>,
    publish: ServerAction<PublishMinutes>,
    /// Bumped by live events: the board is read again.
    changed: RwSignal<u32>,
    form: RwSignal<Option<MinutesForm>>,
}

impl MinutesData {
    pub fn start() -> MinutesData {
        let params = use_params_map();
        let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
        let (save, publish) = (
            ServerAction::<SaveMinutes>::new(),
            ServerAction::<PublishMinutes>::new(),
        );
        let changed = RwSignal::new(0);
        let board = Resource::new(
            move || (id(), save.version().get(), publish.version().get(), changed.get()),
            |(id, ..)| async move {
                match id {
                    Some(id) => get_minutes(id).await,
                    None => Err(AppError::not_found("Cette consultation")),
                }
            },
        );
        let form = RwSignal::new(None);
        // A saved form closes; a refused one stays as typed, with the message.
        on_success(save, move || form.set(None));
        MinutesData {
            board,
            save,
            publish,
            changed,
            form,
        }
    }
}

#[component]
pub fn MinutesPage(data: MinutesData) -> impl IntoView {
    provide_context(data);
    let params = use_params_map();
    if let Some(id) = params.read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()) {
        crate::ui::dialogue::follow_changes(id, move || data.changed.update(|n| *n += 1));
    }
    view! {
        <Transition fallback=|| view! { <p class="loading">"Chargement des comptes rendus…"</p> }>
            {move || Suspend::new(async move {
                match data.board.await {
                    Ok(board) => view! { <MinutesBoardView board/> }.into_any(),
                    Err(error) => view! { <Title text="Comptes rendus"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MinutesBoardView(board: MinutesBoard) -> impl IntoView {
    let data = expect_context::<MinutesData>();
    let MinutesBoard {
        consultation_id: id,
        title,
        can_write,
        participants,
        outline,
        minutes,
    } = board;
    let outline = StoredValue::new(outline);
    let participants = StoredValue::new(participants);
    view! {
        <Title text=format!("Comptes rendus — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Comptes rendus"</span>
        </nav>
        <div class="page-intro">
            <h1>"Comptes rendus des échanges oraux"</h1>
            <p class="lead">{title}</p>
            <p class="muted">
                "Toute réunion ou tout appel avec une entreprise fait l'objet d'un compte rendu publié à toutes les entreprises participantes, "
                "pour qu'elles disposent des mêmes informations. Un compte rendu publié n'est jamais modifié : une correction en publie une nouvelle version, avec son motif."
            </p>
        </div>
        {can_write.then(|| view! {
            <Show when=move || data.form.with(Option::is_none)>
                <p>
                    <button type="button" class="button" on:click=move |_| data.form.set(Some(MinutesForm::default()))>
                        "Nouveau compte rendu"
                    </button>
                </p>
            </Show>
            {move || data.form.with(|f| f.as_ref().is_some_and(|f| f.editing.is_none())).then(|| view! {
                <MinutesFormPanel id outline participants/>
            })}
        })}
        <ActionMessage value=move || data.publish.value().get() success="Compte rendu publié : toutes les entreprises participantes peuvent le lire."/>
        {if minutes.is_empty() {
            view! { <p class="empty">"Aucun compte rendu pour le moment."</p> }.into_any()
        } else {
            view! {
                <ol class="minutes-list" aria-label="Comptes rendus">
                    {minutes.into_iter().map(|m| view! { <MinutesItem id minutes=m can_write outline participants/> }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

#[component]
fn MinutesItem(
    id: i64,
    minutes: MinutesView,
    can_write: bool,
    outline: StoredValue<Vec<OutlineEntry>>,
    participants: StoredValue<Vec<String>>,
) -> impl IntoView {
    let data = expect_context::<MinutesData>();
    let MinutesView {
        id: minutes_id,
        published,
        draft,
        earlier,
        overdue,
    } = minutes;
    let shown = published.clone().or_else(|| draft.clone());
    let heading = shown
        .as_ref()
        .map(|r| {
            format!(
                "Réunion du {} ({})",
                instant_fr(r.held_at),
                r.mode.label_fr().to_lowercase()
            )
        })
        .unwrap_or_default();
    let editing_here = move || {
        data.form
            .with(|f| f.as_ref().is_some_and(|f| f.editing == Some(minutes_id)))
    };
    let start = move |from: &MinutesRevisionView, correction: bool| {
        data.form.set(Some(MinutesForm {
            editing: Some(minutes_id),
            correction,
            input: input_of(from),
        }))
    };
    let (draft_for_edit, published_for_fix) = (draft.clone(), published.clone());
    view! {
        <li class="panel minutes" id=format!("compte-rendu-{minutes_id}")>
            <h2 class="minutes__title">
                {heading} " "
                {match (&published, &draft) {
                    (Some(p), _) if p.revision > 1 => view! { <span class="badge badge--approved">"Publié · version " {p.revision}</span> }.into_any(),
                    (Some(_), _) => view! { <span class="badge badge--approved">"Publié"</span> }.into_any(),
                    (None, _) => view! { <span class="badge badge--drafting">"Brouillon — non publié"</span> }.into_any(),
                }}
            </h2>
            {overdue.then(|| view! {
                <p class="notice" role="status">"Trois jours ouvrés sont passés depuis cette réunion : publiez son compte rendu pour que toutes les entreprises en disposent."</p>
            })}
            {published.map(|p| view! { <RevisionBody id revision=p/> })}
            {draft.map(|d| view! {
                <div class="minutes__draft">
                    {published_for_fix.is_some().then(|| view! {
                        <h3>"Correction en préparation (non publiée)"</h3>
                    })}
                    <RevisionBody id revision=d/>
                    {can_write.then(|| view! {
                        <ActionForm action=data.publish attr:class="inline-form">
                            <input type="hidden" name="minutes" value=minutes_id.to_string()/>
                            <button type="submit" class="button">"Publier à toutes les entreprises participantes"</button>
                        </ActionForm>
                    })}
                </div>
            })}
            {can_write.then(|| view! {
                <Show when=move || !editing_here()>
                    <p class="minutes__actions">
                        {draft_for_edit.clone().map(|d| view! {
                            <button type="button" class="button button--secondary button--small" on:click=move |_| start(&d, false)>"Modifier le brouillon"</button>
                        })}
                        {published_for_fix.clone().filter(|_| draft_for_edit.is_none()).map(|p| view! {
                            <button type="button" class="button button--secondary button--small" on:click=move |_| start(&p, true)>"Corriger ce compte rendu"</button>
                        })}
                    </p>
                </Show>
                {move || editing_here().then(|| view! { <MinutesFormPanel id outline participants/> })}
            })}
            {(!earlier.is_empty()).then(|| view! {
                <details class="minutes__earlier">
                    <summary>"Versions précédentes (" {earlier.len()} ")"</summary>
                    {earlier.into_iter().map(|r| view! { <RevisionBody id revision=r/> }).collect_view()}
                </details>
            })}
        </li>
    }
}

/// One wording: when, how, who, what was said, the clauses discussed.
#[component]
fn RevisionBody(id: i64, revision: MinutesRevisionView) -> impl IntoView {
    view! {
        <div class="minutes__revision">
            <dl class="facts">
                <div><dt>"Date"</dt><dd>{instant_fr(revision.held_at)} " · " {revision.duration_minutes} " min"</dd></div>
                <div><dt>"Modalité"</dt><dd>{revision.mode.label_fr()}</dd></div>
                <div><dt>"Entreprises"</dt><dd>{revision.companies.join(", ")}</dd></div>
                <div><dt>"Pour l'acheteur"</dt><dd>{revision.agents}</dd></div>
                {revision.published_at.map(|at| view! {
                    <div><dt>"Publié le"</dt><dd>{instant_fr(at)}</dd></div>
                })}
            </dl>
            {(!revision.reason.is_empty()).then(|| view! {
                <p class="minutes__reason"><strong>"Motif de la correction (version " {revision.revision} ") : "</strong>{revision.reason}</p>
            })}
            // Rendered and sanitised on the server (shared renderer + ammonia): safe to insert.
            <div class="prose" inner_html=revision.body_html></div>
            {(!revision.clauses.is_empty()).then(|| view! {
                <p class="minutes__clauses">"Clauses discutées : "
                    {revision.clauses.into_iter().map(|c| if c.present {
                        view! { <a class="chip" href=format!("/consultations/{id}#{}", c.clause_id)>{c.label}</a> }.into_any()
                    } else {
                        view! { <span class="chip chip--gone">{c.label}</span> }.into_any()
                    }).collect_view()}
                </p>
            })}
        </div>
    }
}

fn input_of(r: &MinutesRevisionView) -> MinutesInput {
    let t = paris_datetime(r.held_at);
    MinutesInput {
        date: t.date.to_string(),
        time: format!("{:02}:{:02}", t.hour, t.minute),
        duration_minutes: r.duration_minutes,
        mode: Some(r.mode),
        companies: r.companies.clone(),
        agents: r.agents.clone(),
        body: r.body.clone(),
        clause_ids: r.clauses.iter().map(|c| c.clause_id.clone()).collect(),
        reason: String::new(),
    }
}

/// The form of the minutes: fields bound to the page's form signal.
#[component]
fn MinutesFormPanel(
    id: i64,
    outline: StoredValue<Vec<OutlineEntry>>,
    participants: StoredValue<Vec<String>>,
) -> impl IntoView {
    let data = expect_context::<MinutesData>();
    let form = data.form;
    let get = move |f: fn(&MinutesInput) -> String| {
        move || form.with(|m| m.as_ref().map(|m| f(&m.input)).unwrap_or_default())
    };
    let set = move |f: fn(&mut MinutesInput, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            form.update(|m| {
                if let Some(m) = m {
                    f(&mut m.input, value)
                }
            })
        }
    };
    let correction = move || form.with(|m| m.as_ref().is_some_and(|m| m.correction));
    let title = move || match form.with(|m| m.as_ref().map(|m| (m.editing.is_some(), m.correction))) {
        Some((_, true)) => "Corriger le compte rendu",
        Some((true, false)) => "Modifier le brouillon",
        _ => "Nouveau compte rendu",
    };
    let query = RwSignal::new(String::new());
    let label = |e: &OutlineEntry| match &e.number {
        Some(n) => format!("{n} {}", e.title),
        None => e.title.clone(),
    };
    let matches = move || {
        let q = query.get().trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let chosen = form.with(|m| m.as_ref().map(|m| m.input.clause_ids.clone()).unwrap_or_default());
        outline.with_value(|o| {
            o.iter()
                .filter(|e| !chosen.contains(&e.clause_id) && label(e).to_lowercase().contains(&q))
                .take(12)
                .map(|e| (e.clause_id.clone(), label(e)))
                .collect::<Vec<_>>()
        })
    };
    let chosen = move || {
        let ids = form.with(|m| m.as_ref().map(|m| m.input.clause_ids.clone()).unwrap_or_default());
        outline.with_value(|o| {
            ids.into_iter()
                .map(|id| {
                    let shown = o
                        .iter()
                        .find(|e| e.clause_id == id)
                        .map(label)
                        .unwrap_or_else(|| id.clone());
                    (id, shown)
                })
                .collect::<Vec<_>>()
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(m) = form.get_untracked() {
            data.save.dispatch(SaveMinutes {
                id,
                minutes: m.editing,
                input: m.input,
            });
        }
    };
    view! {
        <section class="panel minutes-form" aria-labelledby="minutes-form-title">
            <h2 id="minutes-form-title">{title}</h2>
            <form class="stacked-form" on:submit=submit>
                <div class="two-columns">
                    <div>
                        <label for="minutes-date">"Date de la réunion"</label>
                        <input id="minutes-date" type="date" required prop:value=get(|i| i.date.clone()) on:input=set(|i, v| i.date = v)/>
                    </div>
                    <div>
                        <label for="minutes-time">"Heure de début"</label>
                        <input id="minutes-time" type="time" required prop:value=get(|i| i.time.clone()) on:input=set(|i, v| i.time = v)/>
                    </div>
                </div>
                <label for="minutes-duration">"Durée (minutes)"</label>
                <input id="minutes-duration" type="number" min="1" max="600" required
                    prop:value=get(|i| if i.duration_minutes == 0 { String::new() } else { i.duration_minutes.to_string() })
                    on:input=set(|i, v| i.duration_minutes = v.trim().parse().unwrap_or(0))/>
                <fieldset class="choice">
                    <legend>"Modalité"</legend>
                    {MeetingMode::ALL.iter().copied().map(|mode| view! {
                        <label class="checkbox">
                            <input type="radio" name="minutes-mode" value=mode.as_str()
                                prop:checked=move || form.with(|m| m.as_ref().is_some_and(|m| m.input.mode == Some(mode)))
                                on:change=move |_| form.update(|m| if let Some(m) = m { m.input.mode = Some(mode) })/>
                            {mode.label_fr()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="choice">
                    <legend>"Entreprises présentes"</legend>
                    {participants.get_value().into_iter().map(|name| {
                        let (a, b) = (name.clone(), name.clone());
                        view! {
                            <label class="checkbox">
                                <input type="checkbox" value=name.clone()
                                    prop:checked=move || form.with(|m| m.as_ref().is_some_and(|m| m.input.companies.contains(&a)))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        form.update(|m| if let Some(m) = m {
                                            m.input.companies.retain(|c| *c != b);
                                            if on { m.input.companies.push(b.clone()); }
                                        })
                                    }/>
                                {name}
                            </label>
                        }
                    }).collect_view()}
                    {participants.with_value(Vec::is_empty).then(|| view! {
                        <p class="muted">"Aucune entreprise ne participe encore à ce sourcing."</p>
                    })}
                </fieldset>
                <label for="minutes-agents">"Agents présents pour l'acheteur"</label>
                <input id="minutes-agents" type="text" required maxlength="500" placeholder="Mme Martin (acheteuse), M. Roy (services techniques)"
                    prop:value=get(|i| i.agents.clone()) on:input=set(|i, v| i.agents = v)/>
                <label for="minutes-body">"Compte rendu (Markdown)"</label>
                <textarea id="minutes-body" rows="8" required prop:value=get(|i| i.body.clone()) on:input=set(|i, v| i.body = v)></textarea>
                <label for="minutes-clause-search">"Clauses et critères discutés"</label>
                <div class="chips" aria-live="polite">
                    {move || chosen().into_iter().map(|(clause, shown)| {
                        let remove = clause.clone();
                        view! {
                            <span class="chip">{shown.clone()}
                                <button type="button" class="chip__remove" aria-label=format!("Retirer {shown}")
                                    on:click=move |_| form.update(|m| if let Some(m) = m { m.input.clause_ids.retain(|c| *c != remove) })>"×"</button>
                            </span>
                        }
                    }).collect_view()}
                </div>
                <input id="minutes-clause-search" type="search" placeholder="Chercher une clause par son numéro ou son titre"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <ul class="clause-picker">
                    {move || matches().into_iter().map(|(clause, shown)| view! {
                        <li>
                            <button type="button" class="link-button" on:click=move |_| {
                                form.update(|m| if let Some(m) = m { m.input.clause_ids.push(clause.clone()) });
                                query.set(String::new());
                            }>"+ " {shown}</button>
                        </li>
                    }).collect_view()}
                </ul>
                <Show when=correction>
                    <label for="minutes-reason">"Motif de la correction"</label>
                    <input id="minutes-reason" type="text" required maxlength="1000" placeholder="Ce qui était inexact dans la version publiée"
                        prop:value=get(|i| i.reason.clone()) on:input=set(|i, v| i.reason = v)/>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="button">"Enregistrer le brouillon"</button>
                    <button type="button" class="button button--ghost" on:click=move |_| form.set(None)>"Annuler"</button>
                </div>
                <ActionMessage value=move || data.save.value().get()/>
                <p class="muted small">"Le brouillon n'est lu que par votre organisation et vos relecteurs, jusqu'à sa publication."</p>
            </form>
        </section>
    }
}
