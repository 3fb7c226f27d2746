//! The buyer's editor: the draft of the next version in Markdown, its live preview and outline
//! (the same Rust renderer and parser as the server, compiled to WebAssembly), the award
//! criteria, autosave, import, and publication.
//!
//! No keystroke is lost: every change is kept in the browser's local storage at once and saved
//! on the server after a short pause; a reload restores what the server had not acknowledged.

use crate::api::drafting::get_draft;
use crate::domain::criteria;
use crate::domain::markdown::render_html_below;
use crate::domain::spec::{self, Specification};
use crate::error::AppError;
use crate::model::{DraftInput, DraftView};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::NeedsJavaScript;
use crate::ui::editor::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Started by the route before the page's code has arrived (see `app.rs`).
pub fn draft_data() -> Resource<Result<DraftView, AppError>> {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    Resource::new(id, |id| async move {
        match id {
            Some(id) => get_draft(id).await,
            None => Err(AppError::not_found("Cette consultation")),
        }
    })
}

#[component]
pub fn EditorPage(draft: Resource<Result<DraftView, AppError>>) -> impl IntoView {
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
    // Ctrl+S (⌘S): save now rather than after the pause; the toolbar's shortcuts.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && !ev.shift_key() && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            state.save_now();
        } else if let Some(command) = formatting_shortcut(&ev) {
            ev.prevent_default();
            apply_formatting(state, command);
        }
    };
    let caret: Caret = RwSignal::new(0);
    let publication = RwSignal::new(Publication::Idle);

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
        </div>
        // The draft is saved as it is typed, and published, by the page itself.
        <NeedsJavaScript what="La rédaction en ligne (enregistrement et publication)"/>
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
                    " (bouton « Titre de clause » ou Ctrl+Maj+2). Les entreprises réagiront clause par clause."
                </p>
                <Toolbar state/>
                <textarea
                    id="cctp-source"
                    class="editor__textarea"
                    aria-describedby="cctp-help"
                    spellcheck="true"
                    lang="fr"
                    node_ref=state.area
                    on:input=move |ev| { on_input(ev); track_caret(state, caret); }
                    on:keydown=on_keydown
                    on:keyup=move |_| track_caret(state, caret)
                    on:click=move |_| track_caret(state, caret)
                    on:focus=move |_| track_caret(state, caret)
                >
                    // Raw text for the HTML parser: escaped, or a draft could close the element.
                    {crate::ui::escape::raw_text(initial_text)}
                </textarea>
                {move || limit_problem.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            </div>
            <section class="editor__preview" aria-labelledby="preview-title">
                <ClauseContributions state base preview_text caret/>
                <h2 id="preview-title" class="outline__title">"Aperçu"</h2>
                // The shared renderer escapes raw HTML and drops unsafe links: safe to insert.
                <div class="prose spec__text" inner_html=move || preview_html.get()></div>
            </section>
        </div>
        <LiveDiff base preview_text version=state.base_version/>
        <CriteriaEditor state problems=criteria_problems/>
        <PublishPanel state limit_problem criteria_problems base published publication/>
        <ActionBar state publication/>
    }
}
