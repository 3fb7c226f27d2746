//! Annotating words of a clause without a mouse: « Annoter un passage » shows the clause's text
//! in a text field that refuses edits, where the words are chosen with Shift and the arrow keys (a selection
//! every browser and screen reader supports in a text field, unlike one in the page's text),
//! then opens the contribution form on them.

#[allow(unused_imports)]
use super::*;

#[component]
pub(super) fn PassagePicker(
    dialogue: Dialogue,
    clause_id: String,
    text_ref: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let id = StoredValue::new(clause_id.clone());
    let open = move || id.with_value(|id| dialogue.picking.get().as_deref() == Some(id.as_str()));
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let field = NodeRef::<leptos::html::Textarea>::new();
    let button_id = format!("passage-{clause_id}");
    let help_id = format!("passage-aide-{clause_id}");
    let field_id = format!("passage-texte-{clause_id}");
    let toggle_id = StoredValue::new(button_id.clone());
    let show = move |_| {
        if open() {
            dialogue.picking.set(None);
            return;
        }
        #[cfg(feature = "hydrate")]
        if let Some(element) = text_ref.get_untracked() {
            text.set(crate::ui::annotate::clause_text(&element));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = text_ref;
        problem.set(None);
        dialogue.picking.set(Some(id.get_value()));
        request_animation_frame(move || {
            if let Some(field) = field.get_untracked() {
                let _ = field.focus();
                field.set_selection_range(0, 0).ok();
            }
        });
    };
    let close = move || {
        dialogue.picking.set(None);
        if let Some(button) = toggle_id.with_value(|id| document().get_element_by_id(id)) {
            use wasm_bindgen::JsCast;
            let _ = button.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    };
    let annotate = move || {
        let Some(field) = field.get_untracked() else { return };
        let (from, to) = (
            field.selection_start().ok().flatten().unwrap_or(0),
            field.selection_end().ok().flatten().unwrap_or(0),
        );
        let selector = text.with_untracked(|t| crate::ui::annotate::field_selection(t, from, to));
        let Some(selector) = selector else {
            problem.set(Some(if from == to {
                "Choisissez d'abord des mots dans le texte : Maj + flèches."
            } else {
                "Ce passage est trop long : choisissez au plus quelques phrases, ou contribuez sur toute la clause."
            }));
            return;
        };
        dialogue.picking.set(None);
        dialogue.form.set(Some(FormFor {
            target: Target {
                kind: TargetKind::Clause,
                id: id.get_value(),
            },
            selector: Some(selector),
            editing: None,
        }));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close();
        }
        // Enter in the field annotates what is selected (the field is read-only: Enter types nothing).
        "Enter" if !ev.shift_key() => {
            ev.prevent_default();
            annotate();
        }
        _ => {}
    };
    view! {
        <Show when=move || dialogue.can_contribute()>
            <button type="button" id=button_id.clone() class="button button--ghost button--small contribute-button"
                aria-expanded=move || open().to_string() on:click=show>
                "Annoter un passage"
            </button>
        </Show>
        <Show when=open>
            <div class="passage-picker" role="group" aria-label="Annoter un passage" on:keydown=on_key>
                <label for=field_id.clone()>"Texte de la clause"</label>
                <p class="muted small" id=help_id.clone()>
                    "Placez-vous au début des mots avec les flèches, choisissez-les avec Maj + flèches, "
                    "puis Entrée ou « Annoter ce passage ». Échap pour fermer."
                </p>
                // Not `readonly`: Chromium then moves no caret with the arrows. The text is kept
                // as it is by refusing every edit (and putting it back after one that cannot be
                // refused, such as an IME composition).
                <textarea id=field_id.clone() node_ref=field rows="6" aria-readonly="true" aria-describedby=help_id.clone()
                    spellcheck="false"
                    prop:value=move || text.get()
                    on:beforeinput=|ev| ev.prevent_default()
                    on:input=move |_| {
                        if let Some(field) = field.get_untracked() {
                            field.set_value(&text.get_untracked());
                        }
                    }></textarea>
                <p class="form-error" role="alert">{move || problem.get()}</p>
                <div class="form-actions">
                    <button type="button" class="button button--small" on:click=move |_| annotate()>"Annoter ce passage"</button>
                    <button type="button" class="button button--secondary button--small" on:click=move |_| close()>"Annuler"</button>
                </div>
            </div>
        </Show>
    }
}
