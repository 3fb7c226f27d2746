//! The bars of the page: taking part in the sourcing, and acting on a selection of words.

#[allow(unused_imports)]
use super::*;

/// Who the caller is in the dialogue, and what they can do.
#[component]
pub fn ParticipationBar(dialogue: Dialogue) -> impl IntoView {
    let joining = ServerAction::<crate::api::contributions::Participate>::new();
    on_success(joining, move || dialogue.reload());
    let id = dialogue.consultation_id;
    view! {
        <NewVersionBanner dialogue/>
        {move || dialogue.board.get().map(|board| {
            let note = board.exchanges_note.clone();
            let count = board.contributions.len();
            let hidden = board.hidden.clone();
            let role = match board.role {
                ContributorRole::Buyer => view! {
                    <p>"Vous répondez aux contributions au nom de l'acheteur. Les entreprises apparaissent sous un pseudonyme."</p>
                    <a class="button button--secondary button--small" href=format!("/consultations/{id}/contributions")>"Synthèse des contributions"</a>
                }.into_any(),
                ContributorRole::Participant { pseudonym } => view! {
                    <p>"Vous participez sous le nom " <strong>{pseudonym}</strong> " : les autres entreprises ne voient jamais le nom de votre société. "
                    {board.exchanges_open.then_some("Sélectionnez des mots d'une clause pour les annoter, ou utilisez « Contribuer sur cette clause ».")}</p>
                }.into_any(),
                ContributorRole::MayParticipate => view! {
                    <p>"Votre entreprise peut participer à ce sourcing. Elle y apparaîtra sous un pseudonyme (« Entreprise A »…)."</p>
                    <ActionForm action=joining attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="button button--small">"Participer à ce sourcing"</button>
                    </ActionForm>
                }.into_any(),
                ContributorRole::Reader => view! {
                    <p>"Les contributions des entreprises sont échangées sous pseudonyme, avec les réponses de l'acheteur."</p>
                }.into_any(),
            };
            view! {
                <section class="participation" aria-label="Contributions">
                    <div class="participation__text">
                        {role}
                        {match hidden {
                            Some(why) => view! { <p class="muted">{why}</p> }.into_any(),
                            None => {
                                let minutes = board.minutes.len();
                                view! {
                                    <p class="muted">{note} " " {format!("{count} contribution{} sur cette version.", if count > 1 { "s" } else { "" })}</p>
                                    <p><a href=format!("/consultations/{id}/comptes-rendus")>
                                        "Comptes rendus des échanges oraux"
                                        {(minutes > 0).then(|| format!(" ({minutes})"))}
                                    </a></p>
                                }.into_any()
                            }
                        }}
                    </div>
                    <crate::ui::components::form::ActionMessage value=move || joining.value().get()/>
                </section>
            }
        })}
    }
}

/// Told live to whoever reads an older version: a newer one is published.
#[component]
fn NewVersionBanner(dialogue: Dialogue) -> impl IntoView {
    let id = dialogue.consultation_id;
    let shown = dialogue.version;
    move || {
        let latest = dialogue.board.with(|b| b.as_ref().and_then(|b| b.latest_version))?;
        (latest > shown).then(|| {
            view! {
                <p class="notice notice--new-version" role="status">
                    "Vous lisez une version antérieure : " <strong>"la version " {latest} " est publiée."</strong> " "
                    <a href=format!("/consultations/{id}")>"Lire la version " {latest}</a> " · "
                    <a href=format!("/consultations/{id}/comparer?de={shown}&a={latest}")>"Comparer avec la version " {shown}</a>
                </p>
            }
        })
    }
}

/// The bar offered when words of a clause are selected: fixed at the bottom of the screen, so it
/// works the same with a mouse, a keyboard and a finger.
#[component]
pub fn SelectionBar(dialogue: Dialogue) -> impl IntoView {
    // Follow the selection (mouse, keyboard and touch all end up in `selectionchange`).
    // `selectionchange` fires on the document, not on the window.
    Effect::new(move |_| {
        use wasm_bindgen::{closure::Closure, JsCast};
        let listener = Closure::<dyn Fn()>::new(move || {
            if dialogue.can_contribute() {
                dialogue.selection.set(crate::ui::annotate::current_selection());
            }
        });
        let document = document();
        let _ = document.add_event_listener_with_callback("selectionchange", listener.as_ref().unchecked_ref());
        let held = send_wrapper::SendWrapper::new((document, listener));
        on_cleanup(move || {
            let (document, listener) = &*held;
            let _ = document.remove_event_listener_with_callback("selectionchange", listener.as_ref().unchecked_ref());
        });
    });
    let annotate = move |_| {
        if let Some((clause, selector)) = dialogue.selection.get_untracked() {
            dialogue.form.set(Some(FormFor {
                target: Target {
                    kind: TargetKind::Clause,
                    id: clause.clone(),
                },
                selector: Some(selector),
                editing: None,
            }));
            dialogue.selection.set(None);
            crate::ui::annotate::clear_selection();
            request_animation_frame(move || {
                if let Some(field) = document().get_element_by_id(&format!("justification-{clause}")) {
                    field.scroll_into_view_with_bool(false);
                    use wasm_bindgen::JsCast;
                    let _ = field.unchecked_ref::<web_sys::HtmlElement>().focus();
                }
            });
        }
    };
    view! {
        {move || dialogue.selection.get().map(|(_, selector)| view! {
            <div class="selection-bar" role="region" aria-label="Passage sélectionné">
                <p class="selection-bar__quote">"« " {crate::domain::format::shorten(&selector.quote.exact, 90)} " »"</p>
                <button type="button" class="button" on:click=annotate on:mousedown=|ev| ev.prevent_default()>"Annoter ce passage"</button>
            </div>
        })}
    }
}

/// Tells screen readers that contributions arrived (live, from other companies or the buyer).
#[component]
pub fn LiveAnnouncer(dialogue: Dialogue) -> impl IntoView {
    view! { <p class="visually-hidden" role="status" aria-live="polite">{move || dialogue.announcement.get()}</p> }
}
