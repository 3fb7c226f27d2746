//! Publishing the draft as the next version: the checks, the summary of changes, the confirmation.

#[allow(unused_imports)]
use super::*;

#[component]
pub(crate) fn PublishPanel(
    state: Draft,
    limit_problem: Memo<Option<String>>,
    criteria_problems: Memo<Vec<String>>,
    base: RwSignal<Option<Specification>>,
    published: RwSignal<Option<(String, Vec<Criterion>)>>,
    publication: RwSignal<Publication>,
) -> impl IntoView {
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

/// Saving and publishing, always in view at the bottom of the window (a draft is thousands of
/// pixels long): the save state, « Enregistrer », and « Publier… », which opens the
/// confirmation below and puts the focus on the message to the companies.
#[component]
pub(crate) fn ActionBar(state: Draft, publication: RwSignal<Publication>) -> impl IntoView {
    let nothing_to_save = move || {
        matches!(
            state.save.get(),
            SaveState::Loaded(..) | SaveState::Saved(_) | SaveState::Saving | SaveState::Conflict(_)
        )
    };
    let go_publish = move |_| {
        if !matches!(
            publication.get_untracked(),
            Publication::Sending | Publication::Conflict(_)
        ) {
            publication.set(Publication::Confirming);
        }
        if let Some(field) = document().get_element_by_id("changelog") {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
    };
    view! {
        <div class="editor-actions" role="region" aria-label="Enregistrement et publication">
            <SaveIndicator state=state.save/>
            <div class="editor-actions__buttons">
                <button type="button" class="button button--secondary" title="Ctrl+S"
                    disabled=nothing_to_save on:click=move |_| state.save_now()>
                    "Enregistrer"
                </button>
                <button type="button" class="button" on:click=go_publish
                    title=move || format!("Aller à la publication de la version {}", state.base_version.get().unwrap_or(0) + 1)>
                    "Publier…"
                </button>
            </div>
        </div>
    }
}

pub(crate) fn clause_count_fr(n: usize) -> String {
    match n {
        0 => "Aucune clause".into(),
        1 => "1 clause".into(),
        n => format!("{n} clauses"),
    }
}

/// `12 Ko`, `1,4 Mo`.
pub(crate) fn size_fr(bytes: usize) -> String {
    if bytes < 1024 * 1024 {
        format!("{} Ko", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10).div_ceil(1024 * 1024);
        format!("{},{} Mo", tenths / 10, tenths % 10)
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
