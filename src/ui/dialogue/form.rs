//! The form to contribute on a clause, words of it, or a criterion (and to rewrite a contribution).

use super::clause::contribute_button_id;
#[allow(unused_imports)]
use super::*;

/// Writing a contribution, or rewriting one.
#[component]
pub(super) fn ContributionForm(dialogue: Dialogue, form: FormFor) -> impl IntoView {
    let FormFor {
        target,
        selector,
        editing,
    } = form;
    let start = editing
        .as_ref()
        .map(|(_, input)| input.clone())
        .unwrap_or(ContributionInput {
            kind: ContributionKind::Solution.as_str().into(),
            cost_impact: CostImpact::Unknown.as_str().into(),
            ..Default::default()
        });
    let kind = RwSignal::new(start.kind);
    let justification = RwSignal::new(start.justification);
    let cost_impact = RwSignal::new(start.cost_impact);
    let cost_amount = RwSignal::new(start.cost_amount);
    let proposed_text = RwSignal::new(start.proposed_text);
    let problems = RwSignal::new(Vec::<String>::new());
    let sending = RwSignal::new(false);
    let editing_id = editing.as_ref().map(|(id, _)| *id);
    let kinds: Vec<ContributionKind> = ContributionKind::ALL
        .iter()
        .copied()
        .filter(|k| match target.kind {
            TargetKind::Clause => *k != ContributionKind::AlternativeCriterion,
            TargetKind::Criterion => *k != ContributionKind::AlternativeClause,
        })
        .collect();
    let field = target.id.clone();
    // Where the focus goes back when what opened the form is gone (a selection, the passage field).
    let fallback_focus = StoredValue::new(if selector.is_some() {
        format!("passage-{}", target.id)
    } else {
        contribute_button_id(&target)
    });
    let stored_target = StoredValue::new(target);
    let stored_selector = StoredValue::new(selector.clone());
    // One key for this form, whatever the number of attempts: a resubmission after a lost
    // answer finds the contribution already created (see `NewContribution::client_key`).
    let client_key = StoredValue::new(submission_key());
    // Focus moves into the form as it opens and goes back to what opened it as it closes
    // (« Annuler », Escape, or once sent), so that a keyboard user never starts over from the top.
    let opener = StoredValue::new_local(focused_element());
    let close = move || {
        dialogue.form.set(None);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let back = opener
                .get_value()
                .filter(|e| e.is_connected() && e.tag_name() != "BODY")
                .or_else(|| fallback_focus.with_value(|id| document().get_element_by_id(id)));
            if let Some(back) = back {
                let _ = back.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (opener, fallback_focus);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ContributionInput {
            kind: kind.get_untracked(),
            justification: justification.get_untracked(),
            cost_impact: cost_impact.get_untracked(),
            cost_amount: cost_amount.get_untracked(),
            proposed_text: proposed_text.get_untracked(),
        };
        // The same checks as the server, at once; the server checks again.
        if let Err(found) = input.validate() {
            problems.set(found);
            return;
        }
        sending.set(true);
        leptos::task::spawn_local(async move {
            let result = match editing_id {
                Some(id) => edit_contribution(id, input).await,
                None => create_contribution(NewContribution {
                    consultation_id: dialogue.consultation_id,
                    version: dialogue.version,
                    target: stored_target.get_value(),
                    selector: stored_selector.get_value(),
                    input,
                    client_key: client_key.get_value(),
                })
                .await
                .map(|_| ()),
            };
            sending.set(false);
            match result {
                Ok(()) => {
                    close();
                    dialogue.reload();
                }
                // Nothing typed is lost: the form stays as it is, with the reason.
                Err(e) => problems.set(vec![e.to_string()]),
            }
        });
    };
    let is_alternative = move || ContributionKind::parse(&kind.get()).is_some_and(ContributionKind::proposes_text);
    let title = if editing_id.is_some() {
        "Modifier la contribution"
    } else {
        "Nouvelle contribution"
    };
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // Into the form once it is in the page, unless the focus is there already (the selection
    // bar puts it on the justification itself).
    Effect::new(move |_| {
        if let Some(form) = form_ref.get() {
            let inside = focused_element().is_some_and(|e| form.contains(Some(&e)));
            if !inside {
                if let Ok(Some(first)) = form.query_selector("input:checked, input, textarea") {
                    use wasm_bindgen::JsCast;
                    let _ = first.unchecked_ref::<web_sys::HtmlElement>().focus();
                }
            }
        }
    });
    let justification_id = format!("justification-{field}");
    let amount_id = format!("montant-{field}");
    let proposed_id = format!("proposition-{field}");
    let impact_name = format!("impact-{field}");
    view! {
        <form class="contribution-form" on:submit=submit aria-label=title novalidate node_ref=form_ref
            on:keydown=move |ev| if ev.key() == "Escape" { ev.prevent_default(); close() }>
            <h4>{title}</h4>
            {selector.map(|s| view! { <blockquote class="contribution__quote">"« " {s.quote.exact} " »"</blockquote> })}
            <fieldset class="choice-group">
                <legend>"Type"</legend>
                {kinds.into_iter().map(|k| {
                    let name = format!("type-{field}");
                    view! {
                        <label class="choice">
                            <input type="radio" name=name value=k.as_str() prop:checked=move || kind.get() == k.as_str()
                                on:change=move |_| kind.set(k.as_str().into())/>
                            {k.label_fr()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for=justification_id.clone()>"Justification (obligatoire)"</label>
            <textarea id=justification_id rows="4" required
                prop:value=move || justification.get()
                on:input=move |ev| justification.set(event_target_value(&ev))></textarea>
            <Show when=is_alternative>
                <label for=proposed_id.clone()>"Texte proposé"</label>
                <textarea id=proposed_id.clone() rows="4"
                    prop:value=move || proposed_text.get()
                    on:input=move |ev| proposed_text.set(event_target_value(&ev))></textarea>
            </Show>
            <fieldset class="choice-group">
                <legend>"Impact sur le coût"</legend>
                {CostImpact::ALL.iter().copied().map(|c| {
                    let name = impact_name.clone();
                    view! {
                        <label class="choice">
                            <input type="radio" name=name value=c.as_str() prop:checked=move || cost_impact.get() == c.as_str()
                                on:change=move |_| cost_impact.set(c.as_str().into())/>
                            {c.label_fr()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for=amount_id.clone()>"Montant estimé en euros HT (facultatif)"</label>
            <input id=amount_id type="text" inputmode="decimal" placeholder="12 500"
                prop:value=move || cost_amount.get()
                on:input=move |ev| cost_amount.set(event_target_value(&ev))/>
            <div role="alert" aria-live="assertive">
                {move || {
                    let found = problems.get();
                    (!found.is_empty()).then(|| view! {
                        <ul class="form-error">{found.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    })
                }}
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || sending.get()>
                    {move || if sending.get() { "Envoi…" } else if editing_id.is_some() { "Enregistrer" } else { "Publier la contribution" }}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| close()>"Annuler"</button>
            </div>
            <p class="muted small">"Publiée sous votre pseudonyme, visible par l'acheteur et les autres participants."</p>
        </form>
    }
}

/// The element that has the focus (in the browser; nothing on the server).
fn focused_element() -> Option<web_sys::Element> {
    #[cfg(feature = "hydrate")]
    return document().active_element();
    #[cfg(not(feature = "hydrate"))]
    None
}

/// 128 random bits in hex, drawn in the browser (forms are opened there, never on the server).
fn submission_key() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let mut key = String::with_capacity(32);
        for _ in 0..4 {
            let word = (js_sys::Math::random() * 4_294_967_296.0) as u32;
            key.push_str(&format!("{word:08x}"));
        }
        Some(key)
    }
    #[cfg(not(feature = "hydrate"))]
    None
}
