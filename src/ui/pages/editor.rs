//! The buyer's editor: the draft of the next version in Markdown, its live preview and outline
//! (the same Rust renderer and parser as the server, compiled to WebAssembly), the award
//! criteria, autosave, import, and publication.
//!
//! No keystroke is lost: every change is kept in the browser's local storage at once and saved
//! on the server after a short pause; a reload restores what the server had not acknowledged.

use crate::api::drafting::{get_draft, publish_version, save_draft};
use crate::domain::criteria::{self, Criterion};
use crate::domain::diff::{diff_specifications, ChangeKind, Op};
use crate::domain::markdown::render_html_below;
use crate::domain::spec::{self, Specification};
use crate::error::AppError;
use crate::model::{DraftInput, DraftView};
use crate::ui::components::error::ErrorPanel;
use crate::ui::format::{instant_fr, time_fr};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Pause after the last keystroke before saving on the server.
const SAVE_DELAY: Duration = Duration::from_millis(800);
/// Pause before re-rendering the preview (a 1 MB text takes tens of milliseconds to render).
const PREVIEW_DELAY: Duration = Duration::from_millis(150);
/// Wait before retrying a save that failed for a reason other than a conflict.
const RETRY_DELAY: Duration = Duration::from_secs(5);

#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let draft = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_draft(id).await,
            None => Err(AppError::not_found("Cette consultation")),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement du brouillon…"</p> }>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(draft) => view! { <Editor draft/> }.into_any(),
                    Err(error) => view! { <Title text="Rédaction impossible"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Where the server copy of the draft stands.
#[derive(Clone, Debug, PartialEq)]
enum SaveState {
    /// Nothing changed since the editor opened: when and by whom it was last saved.
    Loaded(Option<i64>, Option<String>),
    Pending,
    Saving,
    Saved(i64),
    Failed(String),
    /// Someone else saved or published: autosave stops, the text stays here and in local storage.
    Conflict(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Publication {
    Idle,
    Confirming,
    Sending,
    /// The number, and the calendar's notice when the exchanges were extended.
    Published(i32, Option<String>),
    Refused(String),
    Conflict(String),
}

/// What is kept in local storage until the server acknowledges it.
#[derive(Serialize, Deserialize)]
struct LocalCopy {
    revision: i64,
    draft: DraftInput,
}

/// One criterion being edited; `key` identifies its row while others are added or removed.
#[derive(Clone, Copy)]
struct CriterionRow {
    key: u64,
    id: StoredValue<String>,
    name: RwSignal<String>,
    weight: RwSignal<String>,
    description: RwSignal<String>,
}

impl CriterionRow {
    fn new(key: u64, c: &Criterion) -> Self {
        CriterionRow {
            key,
            id: StoredValue::new(c.id.clone()),
            name: RwSignal::new(c.name.clone()),
            weight: RwSignal::new(if c.weight == 0 {
                String::new()
            } else {
                c.weight.to_string()
            }),
            description: RwSignal::new(c.description.clone()),
        }
    }

    fn criterion(&self) -> Criterion {
        Criterion {
            id: self.id.get_value(),
            name: self.name.get(),
            // Not a whole number: 0, which validation reports as out of range.
            weight: self
                .weight
                .get()
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .unwrap_or(0),
            description: self.description.get(),
        }
    }
}

/// The editor's state, `Copy` so that event handlers and timers can share it.
#[derive(Clone, Copy)]
struct Draft {
    id: i64,
    markdown: RwSignal<String>,
    rows: RwSignal<Vec<CriterionRow>>,
    next_key: StoredValue<u64>,
    changelog: RwSignal<String>,
    revision: RwSignal<i64>,
    base_version: RwSignal<Option<i32>>,
    save: RwSignal<SaveState>,
    in_flight: StoredValue<bool>,
    again: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    area: NodeRef<html::Textarea>,
}

impl Draft {
    fn storage_key(&self) -> String {
        format!("jesaisfaire-brouillon-{}", self.id)
    }

    fn criteria(&self) -> Vec<Criterion> {
        self.rows.get().iter().map(CriterionRow::criterion).collect()
    }

    fn input_untracked(&self) -> DraftInput {
        untrack(|| DraftInput {
            markdown: self.markdown.get(),
            criteria: self.criteria(),
            changelog: self.changelog.get(),
        })
    }

    fn set_criteria(&self, list: &[Criterion]) {
        let rows = list
            .iter()
            .map(|c| {
                let key = self.next_key.get_value();
                self.next_key.set_value(key + 1);
                CriterionRow::new(key, c)
            })
            .collect();
        self.rows.set(rows);
    }

    /// Replaces the text, in the signal and in the text area (which is not bound to the signal,
    /// so that typing in a long text does not rewrite it at each keystroke).
    fn set_text(&self, text: String) {
        if let Some(area) = self.area.get_untracked() {
            area.set_value(&text);
        }
        self.markdown.set(text);
    }

    /// Called after every change: local copy now, server save after a pause.
    fn changed(self) {
        if matches!(self.save.get_untracked(), SaveState::Conflict(_)) {
            self.keep_locally();
            return;
        }
        self.save.set(SaveState::Pending);
        self.keep_locally();
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
        self.timer
            .set_value(set_timeout_with_handle(move || self.save_now(), SAVE_DELAY).ok());
    }

    fn keep_locally(&self) {
        let copy = LocalCopy {
            revision: self.revision.get_untracked(),
            draft: self.input_untracked(),
        };
        if let Ok(json) = serde_json::to_string(&copy) {
            storage_set(&self.storage_key(), &json);
        }
    }

    /// Saves now, one request at a time: a change made during a save is saved right after it.
    fn save_now(self) {
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
        if self.in_flight.get_value() {
            self.again.set_value(true);
            return;
        }
        if matches!(
            self.save.get_untracked(),
            SaveState::Conflict(_) | SaveState::Loaded(..) | SaveState::Saved(_)
        ) {
            return;
        }
        let input = self.input_untracked();
        // Above the limits the server would refuse it: say so now, keep the local copy.
        if let Err(problem) = spec::check_limits(&input.markdown) {
            self.save.set(SaveState::Failed(problem.to_string()));
            return;
        }
        self.in_flight.set_value(true);
        self.save.set(SaveState::Saving);
        let revision = self.revision.get_untracked();
        spawn_local(async move {
            let result = save_draft(self.id, revision, input).await;
            self.in_flight.set_value(false);
            match result {
                Ok(saved) => {
                    self.revision.set(saved.revision);
                    if self.again.get_value() {
                        self.again.set_value(false);
                        self.save.set(SaveState::Pending);
                        self.keep_locally();
                        self.save_now();
                    } else {
                        self.save.set(SaveState::Saved(saved.saved_at));
                        storage_remove(&self.storage_key());
                    }
                }
                Err(AppError::Conflict(message)) => self.save.set(SaveState::Conflict(message)),
                // Refused as it is: retrying would not help; the next change tries again.
                Err(AppError::Invalid(message)) => self.save.set(SaveState::Failed(message)),
                Err(error) => {
                    self.save.set(SaveState::Failed(error.to_string()));
                    self.timer.set_value(
                        set_timeout_with_handle(
                            move || {
                                self.save.set(SaveState::Pending);
                                self.save_now();
                            },
                            RETRY_DELAY,
                        )
                        .ok(),
                    );
                }
            }
        });
    }

    /// On opening: a local copy of changes the server never acknowledged comes back.
    fn restore_local_copy(self, server: &DraftInput) -> bool {
        let Some(copy) = storage_get(&self.storage_key()).and_then(|j| serde_json::from_str::<LocalCopy>(&j).ok())
        else {
            return false;
        };
        if copy.revision != self.revision.get_untracked() || copy.draft == *server {
            storage_remove(&self.storage_key());
            return false;
        }
        self.set_text(copy.draft.markdown);
        self.set_criteria(&copy.draft.criteria);
        self.changelog.set(copy.draft.changelog);
        self.changed();
        true
    }
}

#[component]
fn Editor(draft: DraftView) -> impl IntoView {
    let DraftView {
        consultation_id: id,
        title,
        status: _,
        markdown: initial_text,
        criteria: initial_criteria,
        changelog: initial_changelog,
        revision,
        saved_at,
        saved_by,
        latest_version,
        published_markdown,
        published_clause_ids,
        published_criteria,
    } = draft;
    // The last published version, parsed with its ids, for the live diff.
    let base = RwSignal::new(
        published_markdown
            .as_deref()
            .map(|m| Specification::parse_with_ids(m, &published_clause_ids)),
    );
    // Its text and criteria, to tell a publication that would change nothing.
    let published = RwSignal::new(published_markdown.map(|m| (m, published_criteria)));
    let server_copy = DraftInput {
        markdown: initial_text.clone(),
        criteria: initial_criteria.clone(),
        changelog: initial_changelog.clone(),
    };
    let state = Draft {
        id,
        markdown: RwSignal::new(initial_text.clone()),
        rows: RwSignal::new(Vec::new()),
        next_key: StoredValue::new(0),
        changelog: RwSignal::new(initial_changelog),
        revision: RwSignal::new(revision),
        base_version: RwSignal::new(latest_version),
        save: RwSignal::new(SaveState::Loaded(saved_at, saved_by)),
        in_flight: StoredValue::new(false),
        again: StoredValue::new(false),
        timer: StoredValue::new(None),
        area: NodeRef::new(),
    };
    state.set_criteria(&initial_criteria);
    let restored = RwSignal::new(false);
    // Effects run in the browser only: after hydration, bring back unsaved changes.
    Effect::new(move |_| restored.set(state.restore_local_copy(&server_copy)));

    // The preview follows the text after a short pause.
    let preview_text = RwSignal::new(initial_text.clone());
    let preview_timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    Effect::new(move |first: Option<()>| {
        let text = state.markdown.get();
        if first.is_none() {
            return;
        }
        if let Some(timer) = preview_timer.get_value() {
            timer.clear();
        }
        preview_timer.set_value(set_timeout_with_handle(move || preview_text.set(text), PREVIEW_DELAY).ok());
    });
    let spec = Memo::new(move |_| Specification::parse(&preview_text.get()));
    let preview_html = Memo::new(move |_| render_html_below(&preview_text.get(), 2));
    let limit_problem = Memo::new(move |_| spec::check_limits(&preview_text.get()).err().map(|e| e.to_string()));
    let criteria_problems = Memo::new(move |_| criteria::validate(&state.criteria()).err().unwrap_or_default());

    let on_input = move |ev| {
        state.markdown.set(event_target_value(&ev));
        state.changed();
    };
    // Ctrl+S (⌘S): save now rather than after the pause.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "s" {
            ev.prevent_default();
            state.save_now();
        }
    };

    view! {
        <Title text=format!("Rédaction — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/acheteur">"Mes consultations"</a>" › "
            <a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Rédaction"</span>
        </nav>
        <div class="editor-head">
            <div>
                <h1>"Rédaction du cahier des charges"</h1>
                <p class="lead">{title.clone()}</p>
            </div>
            <SaveIndicator state=state.save/>
        </div>
        {move || restored.get().then(|| view! {
            <p class="notice" role="status">
                "Des modifications qui n'avaient pas encore été enregistrées sur le serveur ont été récupérées dans ce navigateur ; elles sont en cours d'enregistrement."
            </p>
        })}
        <ImportFile state/>
        <div class="editor">
            <nav class="outline editor__outline" aria-label="Plan du brouillon">
                <h2 class="outline__title">"Plan"</h2>
                <ol>
                    {move || spec.with(|s| s.clauses.iter().map(|c| {
                        let number = c.shown_number().map(str::to_owned);
                        view! {
                            <li class=format!("outline__item outline__item--l{}", c.level)>
                                <a href=format!("#{}", c.id)>
                                    {number.map(|n| view! { <span class="outline__number">{n}</span>" " })}
                                    {c.title.clone()}
                                </a>
                            </li>
                        }
                    }).collect_view())}
                </ol>
                <p class="muted small">{move || spec.with(|s| clause_count_fr(s.clauses.len()))} " · " {move || size_fr(preview_text.with(String::len))}</p>
            </nav>
            <div class="editor__source">
                <label for="cctp-source">"Texte (Markdown)"</label>
                <p class="muted small" id="cctp-help">
                    "Chaque titre commence une clause : "<code>"## 3.2 Maintenance préventive"</code>
                    ". Les entreprises réagiront clause par clause."
                </p>
                <textarea
                    id="cctp-source"
                    class="editor__textarea"
                    aria-describedby="cctp-help"
                    spellcheck="true"
                    lang="fr"
                    node_ref=state.area
                    on:input=on_input
                    on:keydown=on_keydown
                >
                    // Raw text for the HTML parser: escaped, or a draft could close the element.
                    {crate::ui::escape::raw_text(initial_text)}
                </textarea>
                {move || limit_problem.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            </div>
            <section class="editor__preview" aria-labelledby="preview-title">
                <h2 id="preview-title" class="outline__title">"Aperçu"</h2>
                // The shared renderer escapes raw HTML and drops unsafe links: safe to insert.
                <div class="prose spec__text" inner_html=move || preview_html.get()></div>
            </section>
        </div>
        <LiveDiff base preview_text version=state.base_version/>
        <CriteriaEditor state problems=criteria_problems/>
        <PublishPanel state limit_problem criteria_problems base published/>
    }
}

#[component]
fn SaveIndicator(state: RwSignal<SaveState>) -> impl IntoView {
    view! {
        <div class="save-state" role="status" aria-live="polite">
            {move || match state.get() {
                SaveState::Loaded(Some(at), by) => view! {
                    <span class="save-state__ok">
                        "Brouillon enregistré le " {instant_fr(at)} {by.map(|b| format!(" par {b}"))}
                    </span>
                }.into_any(),
                SaveState::Loaded(None, _) => view! { <span class="muted">"Brouillon pas encore enregistré"</span> }.into_any(),
                SaveState::Pending => view! { <span class="muted">"Modifications en attente d'enregistrement…"</span> }.into_any(),
                SaveState::Saving => view! { <span class="muted">"Enregistrement…"</span> }.into_any(),
                SaveState::Saved(at) => view! { <span class="save-state__ok">"Enregistré à " {time_fr(at)}</span> }.into_any(),
                SaveState::Failed(message) => view! {
                    <span class="save-state__error">"Brouillon non enregistré : " {message}</span>
                }.into_any(),
                SaveState::Conflict(message) => view! { <span class="save-state__error">{message}</span> }.into_any(),
            }}
        </div>
    }
}

/// Import of a `.md` file as the draft; the previous text can be put back.
#[component]
fn ImportFile(state: Draft) -> impl IntoView {
    let message = RwSignal::new(None::<Result<String, String>>);
    let previous = StoredValue::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        if file.size() > spec::MAX_BYTES as f64 {
            message.set(Some(Err(format!(
                "« {name} » fait {} : le maximum est de 2 Mo. Scindez le document ou allégez-le.",
                size_fr(file.size() as usize)
            ))));
            return;
        }
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text {
                Some(text) => {
                    if let Err(e) = spec::check_limits(&text) {
                        message.set(Some(Err(e.to_string())));
                        return;
                    }
                    previous.set_value(Some(state.markdown.get_untracked()));
                    let size = size_fr(text.len());
                    state.set_text(text);
                    state.changed();
                    message.set(Some(Ok(format!("« {name} » ({size}) importé à la place du texte."))));
                }
                None => message.set(Some(Err(format!(
                    "« {name} » n'a pas pu être lu comme un texte. Enregistrez-le en Markdown (.md) encodé en UTF-8."
                )))),
            }
        });
    };
    let undo = move |_| {
        if let Some(text) = previous.get_value() {
            state.set_text(text);
            state.changed();
            previous.set_value(None);
            message.set(Some(Ok("Import annulé : le texte précédent est revenu.".into())));
        }
    };
    view! {
        <div class="editor-tools">
            <label class="button button--secondary button--small file-button">
                "Importer un fichier .md"
                <input type="file" accept=".md,.markdown,.txt,text/markdown,text/plain" class="visually-hidden" on:change=on_change/>
            </label>
            <div aria-live="polite">
                {move || message.get().map(|m| match m {
                    Ok(text) => view! {
                        <p class="form-success">
                            {text} " "
                            {previous.get_value().is_some().then(|| view! {
                                <button type="button" class="link-button" on:click=undo>"Annuler l'import"</button>
                            })}
                        </p>
                    }.into_any(),
                    Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
                })}
            </div>
        </div>
    }
}

#[component]
fn CriteriaEditor(state: Draft, problems: Memo<Vec<String>>) -> impl IntoView {
    let add = move |_| {
        let key = state.next_key.get_value();
        state.next_key.set_value(key + 1);
        state
            .rows
            .update(|rows| rows.push(CriterionRow::new(key, &Criterion::default())));
        state.changed();
    };
    let total = move || criteria::total_weight(&state.criteria());
    view! {
        <section class="panel wide criteria-editor" aria-labelledby="criteria-editor-title">
            <h2 id="criteria-editor-title">"Critères d'attribution"</h2>
            <p class="muted">"Les entreprises peuvent réagir sur chaque critère comme sur une clause. Les pondérations doivent totaliser 100 %."</p>
            <ol class="criteria-editor__list">
                <For each=move || state.rows.get() key=|row| row.key let:row>
                    <CriterionFields state row/>
                </For>
            </ol>
            <div class="criteria-editor__foot">
                <button type="button" class="button button--secondary button--small" on:click=add>"Ajouter un critère"</button>
                <p class="criteria-editor__total" aria-live="polite">
                    "Total : " <strong>{total} " %"</strong>
                </p>
            </div>
            {move || {
                let list = problems.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="form-error criteria-editor__problems">
                        {list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

#[component]
fn CriterionFields(state: Draft, row: CriterionRow) -> impl IntoView {
    let key = row.key;
    let remove = move |_| {
        state.rows.update(|rows| rows.retain(|r| r.key != key));
        state.changed();
    };
    let field = |name: &str| format!("criterion-{key}-{name}");
    view! {
        <li class="criteria-editor__row">
            <div class="criteria-editor__name">
                <label for=field("name")>"Critère"</label>
                <input id=field("name") type="text" maxlength="200" prop:value=move || row.name.get()
                    on:input=move |ev| { row.name.set(event_target_value(&ev)); state.changed(); }/>
            </div>
            <div class="criteria-editor__weight">
                <label for=field("weight")>"Pondération (%)"</label>
                <input id=field("weight") type="number" min="1" max="100" step="1" inputmode="numeric"
                    prop:value=move || row.weight.get()
                    on:input=move |ev| { row.weight.set(event_target_value(&ev)); state.changed(); }/>
            </div>
            <div class="criteria-editor__description">
                <label for=field("description")>"Ce qui sera apprécié"</label>
                <textarea id=field("description") rows="2" maxlength="5000" prop:value=move || row.description.get()
                    on:input=move |ev| { row.description.set(event_target_value(&ev)); state.changed(); }></textarea>
            </div>
            <button type="button" class="link-button criteria-editor__remove" on:click=remove
                aria-label=move || format!("Retirer le critère {}", row.name.get())>"Retirer"</button>
        </li>
    }
}

#[component]
fn PublishPanel(
    state: Draft,
    limit_problem: Memo<Option<String>>,
    criteria_problems: Memo<Vec<String>>,
    base: RwSignal<Option<Specification>>,
    published: RwSignal<Option<(String, Vec<Criterion>)>>,
) -> impl IntoView {
    let publication = RwSignal::new(Publication::Idle);
    let next_number = move || state.base_version.get().unwrap_or(0) + 1;
    // The same rule as the server's: a copy of the last version is not published.
    let unchanged = Memo::new(move |_| {
        let number = i64::from(state.base_version.get()?);
        published.with(|p| {
            let (text, criteria) = p.as_ref()?;
            criteria::unchanged_since(number, (text, criteria), (&state.markdown.get(), &state.criteria()))
        })
    });
    let blocked = move || {
        limit_problem.with(Option::is_some)
            || criteria_problems.with(|p| !p.is_empty())
            || unchanged.with(Option::is_some)
            || matches!(state.save.get(), SaveState::Saving)
            || publication.get() == Publication::Sending
    };
    let id = state.id;
    let publish = move |_| {
        if let Some(timer) = state.timer.get_value() {
            timer.clear();
        }
        publication.set(Publication::Sending);
        let input = state.input_untracked();
        let published_text = input.markdown.clone();
        let published_criteria = input.criteria.clone();
        let base_version = state.base_version.get_untracked();
        spawn_local(async move {
            match publish_version(id, base_version, input).await {
                Ok(done) => {
                    // The live diff now compares with the version just published.
                    let mut version = Specification::parse(&published_text);
                    if let Some(previous) = base.get_untracked() {
                        spec::carry_ids(&previous, &mut version);
                    }
                    base.set(Some(version));
                    published.set(Some((published_text, published_criteria)));
                    state.revision.set(done.draft_revision);
                    state.base_version.set(Some(done.number));
                    state.changelog.set(String::new());
                    state.save.set(SaveState::Saved(done.saved_at));
                    storage_remove(&state.storage_key());
                    publication.set(Publication::Published(done.number, done.calendar_notice));
                }
                Err(AppError::Conflict(message)) => publication.set(Publication::Conflict(message)),
                Err(error) => publication.set(Publication::Refused(error.to_string())),
            }
        });
    };
    // After a conflict: publish on top of the version that won, once the buyer has read it. The
    // live diff, the ids it shows and the "nothing changed" check now start from that version;
    // the buyer's text stays as it is.
    let rebase = move |_| {
        spawn_local(async move {
            match get_draft(id).await {
                Ok(latest) => {
                    base.set(
                        latest
                            .published_markdown
                            .as_deref()
                            .map(|m| Specification::parse_with_ids(m, &latest.published_clause_ids)),
                    );
                    published.set(latest.published_markdown.map(|m| (m, latest.published_criteria)));
                    state.base_version.set(latest.latest_version);
                    publication.set(Publication::Confirming);
                }
                Err(error) => publication.set(Publication::Refused(error.to_string())),
            }
        });
    };
    view! {
        <section class="panel wide publish-panel" aria-labelledby="publish-title">
            <h2 id="publish-title">"Publier la version " {next_number}</h2>
            <p class="muted">
                "Une version publiée ne change plus : les entreprises l'annotent, les relecteurs la suivent dans l'historique. "
                "Le brouillon reste ouvert pour la version suivante."
            </p>
            <label for="changelog">
                {move || if state.base_version.get().is_some() { "Ce qui change dans cette version (obligatoire)" } else { "Message aux entreprises (facultatif)" }}
            </label>
            <textarea id="changelog" rows="3" maxlength="4000" prop:value=move || state.changelog.get()
                on:input=move |ev| { state.changelog.set(event_target_value(&ev)); state.changed(); }></textarea>
            <div aria-live="polite">
                {move || unchanged.get().map(|m| view! { <p class="notice" id="unchanged-note">{m}</p> })}
                {move || match publication.get() {
                    Publication::Idle | Publication::Sending => view! {
                        <button type="button" class="button" disabled=blocked on:click=move |_| publication.set(Publication::Confirming)>
                            "Publier la version " {next_number}
                        </button>
                    }.into_any(),
                    Publication::Confirming => view! {
                        <div class="confirm" role="group" aria-label="Confirmer la publication">
                            <p><strong>"Publier la version " {next_number} " ?"</strong>
                                " Elle sera visible par les participants de la consultation et ne pourra plus être modifiée."</p>
                            <button type="button" class="button" disabled=blocked on:click=publish>"Confirmer la publication"</button>
                            <button type="button" class="link-button" on:click=move |_| publication.set(Publication::Idle)>"Annuler"</button>
                        </div>
                    }.into_any(),
                    Publication::Published(n, notice) => view! {
                        <p class="form-success" role="status">
                            "Version " {n} " publiée. "
                            <a href=format!("/consultations/{id}/versions/{n}")>"Lire la version " {n}</a> " · "
                            <a href=format!("/consultations/{id}/historique")>"Historique des versions"</a>
                            ". Le brouillon continue cette version."
                        </p>
                        {notice.map(|m| view! { <p class="notice" role="note">{m}</p> })}
                        <button type="button" class="button" disabled=blocked on:click=move |_| publication.set(Publication::Confirming)>
                            "Publier la version " {next_number}
                        </button>
                    }.into_any(),
                    Publication::Refused(message) => view! {
                        <p class="form-error" role="alert">{message}</p>
                        <button type="button" class="button" disabled=blocked on:click=move |_| publication.set(Publication::Confirming)>
                            "Publier la version " {next_number}
                        </button>
                    }.into_any(),
                    Publication::Conflict(message) => view! {
                        <div class="form-error" role="alert">
                            <p>{message}</p>
                            <p>
                                <a href=format!("/consultations/{id}") target="_blank">"Lire la version publiée (nouvel onglet)"</a> " · "
                                <button type="button" class="link-button" on:click=rebase>"Publier mon texte comme version suivante"</button>
                            </p>
                        </div>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

fn clause_count_fr(n: usize) -> String {
    match n {
        0 => "Aucune clause".into(),
        1 => "1 clause".into(),
        n => format!("{n} clauses"),
    }
}

/// `12 Ko`, `1,4 Mo`.
fn size_fr(bytes: usize) -> String {
    if bytes < 1024 * 1024 {
        format!("{} Ko", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10).div_ceil(1024 * 1024);
        format!("{},{} Mo", tenths / 10, tenths % 10)
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

fn storage_set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        // Full or disabled storage: the server save still happens.
        let _ = storage.set_item(key, value);
    }
}

fn storage_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_counts_read_in_french() {
        assert_eq!(size_fr(10), "1 Ko");
        assert_eq!(size_fr(1536 * 1024), "1,5 Mo");
        assert_eq!(clause_count_fr(1), "1 clause");
        assert_eq!(clause_count_fr(12), "12 clauses");
    }
}

/// What changed since the last published version, computed in the browser by the same diff
/// engine as the comparison page, as the buyer types (after the preview's pause).
#[component]
fn LiveDiff(
    base: RwSignal<Option<Specification>>,
    preview_text: RwSignal<String>,
    version: RwSignal<Option<i32>>,
) -> impl IntoView {
    // Timed with the browser's clock, shown as data attributes for `scripts/bench-diff-wasm.sh`:
    // the whole work (parse, carry the ids, diff) and the diff alone.
    // Browser bindings panic on the server, where this memo also runs (server rendering).
    let now = || {
        #[cfg(target_arch = "wasm32")]
        return web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
        #[cfg(not(target_arch = "wasm32"))]
        0.0
    };
    let diff = Memo::new(move |_| {
        let text = preview_text.get();
        base.with(|base| {
            base.as_ref().map(|old| {
                let start = now();
                let mut new = Specification::parse(&text);
                spec::carry_ids(old, &mut new);
                let diffing = now();
                let d = diff_specifications(old, &new, &[], &[], Duration::from_millis(300));
                let end = now();
                (d, format!("{:.1}", end - start), format!("{:.1}", end - diffing))
            })
        })
    });
    move || {
        let (Some((d, total_ms, diff_ms)), Some(n)) = (diff.get(), version.get()) else {
            return None;
        };
        let s = d.stats;
        let changed: Vec<_> = d
            .clauses
            .into_iter()
            .filter(|c| c.kind != ChangeKind::Unchanged)
            .collect();
        Some(view! {
            <section class="panel wide live-diff" aria-labelledby="live-diff-title" data-total-ms=total_ms data-diff-ms=diff_ms>
                <h2 id="live-diff-title">"Modifications depuis la version " {n}</h2>
                <p class="compare__summary" role="status">
                    <span class="count count--added">{s.added} " ajoutée(s)"</span>
                    <span class="count count--removed">{s.removed} " supprimée(s)"</span>
                    <span class="count count--modified">{s.modified} " modifiée(s)"</span>
                    <span class="count">{s.unchanged} " inchangée(s)"</span>
                </p>
                {changed.is_empty().then(|| view! { <p class="muted">"Aucune modification pour l'instant."</p> })}
                {changed.into_iter().map(|c| view! {
                    <details class="live-diff__clause" open=c.kind == ChangeKind::Modified>
                        <summary><strong>{c.label().to_owned()}</strong> " — " {c.kind.label_fr()}</summary>
                        <pre class="change__text">
                            {c.segments.into_iter().map(|seg| match seg.op {
                                Op::Equal => view! { <span>{seg.text}</span> }.into_any(),
                                Op::Delete => view! { <del>{seg.text}</del> }.into_any(),
                                Op::Insert => view! { <ins>{seg.text}</ins> }.into_any(),
                            }).collect_view()}
                        </pre>
                    </details>
                }).collect_view()}
            </section>
        })
    }
}
