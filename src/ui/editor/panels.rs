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

/// Import of a `.md` file as the draft; the previous text can be put back.
#[component]
pub(crate) fn ImportFile(state: Draft) -> impl IntoView {
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
