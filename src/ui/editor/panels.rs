//! The editor's small panels: where the save stands, importing a file, the award criteria.

#[allow(unused_imports)]
use super::*;

#[component]
pub(crate) fn SaveIndicator(state: RwSignal<SaveState>) -> impl IntoView {
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

/// A Word or OpenDocument file read by the server, waiting for the buyer's decision.
#[derive(Clone, Debug, PartialEq)]
struct PendingImport {
    name: String,
    markdown: String,
    outline: Vec<(u8, String)>,
    losses: Vec<String>,
}

/// Whether a file is a Word or OpenDocument file (read on the server) rather than text.
fn is_word_file(name: &str) -> bool {
    let name = name.to_lowercase();
    name.ends_with(".docx") || name.ends_with(".odt")
}

/// Sends a Word or OpenDocument file to the server as it is; its Markdown and losses, or the
/// server's message.
async fn read_word_file(id: i64, file: &web_sys::File) -> Result<crate::model::WordImport, String> {
    use leptos::wasm_bindgen::JsCast;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(file);
    let unreachable = || "Le serveur est injoignable : vérifiez votre connexion et réessayez.".to_owned();
    let response = wasm_bindgen_futures::JsFuture::from(
        window().fetch_with_str_and_init(&format!("/consultations/{id}/brouillon/import-word"), &init),
    )
    .await
    .map_err(|_| unreachable())?
    .dyn_into::<web_sys::Response>()
    .map_err(|_| unreachable())?;
    let text = match response.text() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| unreachable())
    } else if text.is_empty() || text.len() > 600 {
        Err(format!(
            "Le document n'a pas pu être lu (erreur {}). Réessayez dans un instant.",
            response.status()
        ))
    } else {
        Err(text)
    }
}

/// Import of a file as the draft: Markdown or text at once, Word (.docx) and OpenDocument
/// (.odt) after the buyer has seen the outline and what the file loses. Either way the previous
/// text can be put back.
#[component]
pub(crate) fn ImportFile(state: Draft) -> impl IntoView {
    let message = RwSignal::new(None::<Result<String, String>>);
    let previous = StoredValue::new(None::<String>);
    let pending = RwSignal::new(None::<PendingImport>);
    let reading = RwSignal::new(false);
    let replace = move |name: String, text: String| {
        previous.set_value(Some(state.markdown.get_untracked()));
        let size = size_fr(text.len());
        state.set_text(text);
        state.changed();
        message.set(Some(Ok(format!("« {name} » ({size}) importé à la place du texte."))));
    };
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
        pending.set(None);
        if is_word_file(&name) {
            if file.size() > spec::MAX_WORD_FILE_BYTES as f64 {
                message.set(Some(Err(format!(
                    "« {name} » fait {} : le maximum est de 10 Mo. Enregistrez-le sans les images, ou scindez-le.",
                    size_fr(file.size() as usize)
                ))));
                return;
            }
            message.set(None);
            reading.set(true);
            spawn_local(async move {
                let read = read_word_file(state.id, &file).await;
                reading.set(false);
                match read {
                    Ok(imported) => {
                        let spec = Specification::parse(&imported.markdown);
                        pending.set(Some(PendingImport {
                            name,
                            outline: spec.clauses.iter().map(|c| (c.level, c.label())).collect(),
                            markdown: imported.markdown,
                            losses: imported.losses,
                        }));
                    }
                    Err(e) => message.set(Some(Err(format!("« {name} » n'a pas été importé : {e}")))),
                }
            });
            return;
        }
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
                    replace(name, text);
                }
                None => message.set(Some(Err(format!(
                    "« {name} » n'a pas pu être lu comme un texte. Enregistrez-le en Markdown (.md) encodé en UTF-8, ou importez-le en .docx ou .odt."
                )))),
            }
        });
    };
    let confirm = move |_| {
        if let Some(import) = pending.get_untracked() {
            pending.set(None);
            replace(import.name, import.markdown);
        }
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
                "Importer un fichier (.docx, .odt, .md)"
                <input type="file" class="visually-hidden" on:change=on_change
                    accept=".docx,.odt,.md,.markdown,.txt,text/markdown,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text"/>
            </label>
            <div aria-live="polite">
                {move || reading.get().then(|| view! { <p class="muted">"Lecture du document…"</p> })}
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
        {move || pending.get().map(|import| {
            let count = import.outline.len();
            view! {
                <section class="import-preview" aria-labelledby="import-preview-title">
                    <h2 id="import-preview-title" class="import-preview__title">
                        "Avant d'importer « " {import.name.clone()} " »"
                    </h2>
                    <p>
                        {clause_count_fr(count)} " reconnue" {if count > 1 { "s" } else { "" }}
                        " à partir des titres du document. Le texte actuel du brouillon sera remplacé ; vous pourrez annuler l'import."
                    </p>
                    {(!import.losses.is_empty()).then(|| view! {
                        <div class="import-preview__losses" role="note">
                            <p><strong>"Ce qui ne sera pas repris :"</strong></p>
                            <ul>{import.losses.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    {(count == 0).then(|| view! {
                        <p class="form-error">"Aucun titre n'a été reconnu : le document deviendra un seul bloc de texte. Appliquez les styles « Titre 1 », « Titre 2 »… dans Word ou LibreOffice pour obtenir des clauses."</p>
                    })}
                    <ol class="import-preview__outline" aria-label="Plan du document importé">
                        {import.outline.iter().take(200).map(|(level, label)| view! {
                            <li class=format!("import-preview__entry import-preview__entry--{}", level.min(&4))>{label.clone()}</li>
                        }).collect_view()}
                    </ol>
                    {(count > 200).then(|| view! { <p class="muted">{format!("… et {} autres clauses.", count - 200)}</p> })}
                    <div class="import-preview__actions">
                        <button type="button" class="button" on:click=confirm>"Remplacer le brouillon par ce document"</button>
                        <button type="button" class="button button--secondary" on:click=move |_| pending.set(None)>"Ne pas importer"</button>
                    </div>
                </section>
            }
        })}
    }
}

#[component]
pub(crate) fn CriteriaEditor(state: Draft, problems: Memo<Vec<String>>) -> impl IntoView {
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
pub(crate) fn CriterionFields(state: Draft, row: CriterionRow) -> impl IntoView {
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
