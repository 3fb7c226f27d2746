//! A clause or a criterion with its contributions in the margin.

#[allow(unused_imports)]
use super::*;

/// One part of the text: the preamble, or a clause with its contributions beside it.
#[component]
pub fn ClauseBlock(dialogue: Dialogue, part: RenderedPart, label: String) -> impl IntoView {
    let RenderedPart { clause_id, html } = part;
    let Some(clause_id) = clause_id else {
        // Sanitised on the server (shared renderer + ammonia): safe to insert.
        return view! { <div class="clause clause--preamble"><div class="prose" inner_html=html></div></div> }
            .into_any();
    };
    let text_ref = NodeRef::<leptos::html::Div>::new();
    let id = StoredValue::new(clause_id.clone());
    let contributions = Memo::new(move |_| id.with_value(|id| dialogue.on(TargetKind::Clause, id)));
    // Highlights: the text again, then a mark on the words of each contribution found there.
    // A clause with no mark to draw and none drawn keeps the text the server drew: rewriting
    // it anyway made the browser parse the whole text again as the page hydrated (170 ms of
    // `innerHTML` on the Code civil, most of its 2,800 clauses having no contribution).
    let original = StoredValue::new(html.clone());
    Effect::new(move |marked: Option<bool>| {
        let marks: Vec<(i64, crate::domain::anchor::TextPosition)> = contributions
            .get()
            .iter()
            .filter(|c| c.withdrawn_at.is_none())
            .filter_map(|c| Some((c.id, c.anchor.position?)))
            .collect();
        if marks.is_empty() && !marked.unwrap_or(false) {
            return false;
        }
        if let Some(element) = text_ref.get() {
            element.set_inner_html(&original.get_value());
            crate::ui::annotate::highlight(&element, &marks);
        }
        !marks.is_empty()
    });
    // A click on a highlight shows its contribution.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let mark = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("mark[data-contribution]").ok().flatten());
        if let Some(id) = mark.and_then(|m| m.get_attribute("data-contribution")) {
            if let Some(card) = document().get_element_by_id(&format!("contribution-{id}")) {
                card.scroll_into_view_with_bool(false);
                let _ = card.class_list().add_1("contribution--flash");
            }
        }
    };
    let target = Target {
        kind: TargetKind::Clause,
        id: clause_id.clone(),
    };
    let heading_id = format!("marge-{clause_id}");
    let labelled_by = heading_id.clone();
    view! {
        <section class="clause" class:clause--annotated=move || !contributions.get().is_empty()>
            <div class="clause__text prose" data-clause=clause_id.clone() node_ref=text_ref inner_html=html on:click=on_click></div>
            <aside class="clause__margin" aria-labelledby=labelled_by>
                <h5 class="visually-hidden" id=heading_id>"Contributions sur « " {label} " »"</h5>
                <MinutesInMargin dialogue clause_id=clause_id.clone()/>
                <ContributionList dialogue contributions/>
                <ContributeButton dialogue target=target.clone() text="Contribuer sur cette clause"/>
                <PassagePicker dialogue clause_id=clause_id.clone() text_ref/>
                <FormSlot dialogue target/>
            </aside>
        </section>
    }
    .into_any()
}

/// The contributions on one criterion, under the criteria table.
#[component]
pub fn CriterionDialogue(dialogue: Dialogue, criterion: Criterion) -> impl IntoView {
    let id = StoredValue::new(criterion.id.clone());
    let contributions = Memo::new(move |_| id.with_value(|id| dialogue.on(TargetKind::Criterion, id)));
    let target = Target {
        kind: TargetKind::Criterion,
        id: criterion.id.clone(),
    };
    view! {
        <div class="criterion-dialogue">
            <MinutesInMargin dialogue clause_id=criterion.id.clone()/>
            <ContributionList dialogue contributions/>
            <ContributeButton dialogue target=target.clone() text="Contribuer sur ce critère"/>
            <FormSlot dialogue target/>
        </div>
    }
}

/// The published minutes of oral exchanges that discussed this clause or criterion (live, with
/// the contributions: the same board carries them).
#[component]
fn MinutesInMargin(dialogue: Dialogue, clause_id: String) -> impl IntoView {
    let consultation = dialogue.consultation_id;
    let links = Memo::new(move |_| {
        dialogue.board.with(|b| {
            b.iter()
                .flat_map(|b| &b.minutes)
                .filter(|m| m.clause_ids.contains(&clause_id))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    move || {
        let links = links.get();
        (!links.is_empty()).then(|| {
            view! {
                <ul class="margin-minutes" aria-label="Comptes rendus liés">
                    {links.into_iter().map(|m| view! {
                        <li class="margin-minutes__item">
                            <a href=format!("/consultations/{consultation}/comptes-rendus#compte-rendu-{}", m.id)>
                                "Compte rendu du " {crate::domain::format::instant_date_fr(m.held_at)}
                            </a>
                            <span class="muted">" · " {m.mode.label_fr().to_lowercase()} " avec " {m.companies.join(", ")}
                                {(m.revision > 1).then(|| format!(" · corrigé (version {})", m.revision))}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}

/// Contributions whose clause or criterion no longer exists: kept, with what they were about.
#[component]
pub fn OrphanedContributions(dialogue: Dialogue) -> impl IntoView {
    let orphans = Memo::new(move |_| {
        dialogue.board.with(|b| {
            b.iter()
                .flat_map(|b| &b.contributions)
                .filter(|c| c.anchor.state == AnchorState::Orphaned)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || !orphans.get().is_empty()>
            <section class="orphans" aria-labelledby="orphans-title">
                <h3 id="orphans-title">"Contributions sur des clauses retirées depuis"</h3>
                <p class="muted">"Leur clause ou leur critère n'existe plus dans cette version ; elles restent au dossier avec le texte sur lequel elles portaient."</p>
                <ContributionList dialogue contributions=orphans/>
            </section>
        </Show>
    }
}

/// The number of contributions on a clause, for the outline, coloured by how many.
pub fn outline_count(dialogue: Dialogue, entry: &OutlineEntry) -> impl IntoView {
    let id = entry.clause_id.clone();
    move || {
        let n = dialogue.count_on_clause(&id);
        (n > 0).then(|| {
            let label = format!("{n} contribution{}", if n > 1 { "s" } else { "" });
            // A heat strip along the outline: the more contributions, the warmer.
            let heat = format!("outline__count outline__count--{}", n.min(4));
            view! { <span class=heat title=label.clone() aria-label=label>{n}</span> }
        })
    }
}

#[component]
pub(super) fn ContributeButton(dialogue: Dialogue, target: Target, text: &'static str) -> impl IntoView {
    let target = StoredValue::new(target);
    let open = move || {
        dialogue
            .form
            .get()
            .is_some_and(|f| f.editing.is_none() && target.with_value(|t| f.target == *t))
    };
    // Stays while its form is open (aria-expanded tells it): the form gives the focus back to it.
    let button_id = target.with_value(contribute_button_id);
    view! {
        <Show when=move || dialogue.can_contribute()>
            <button type="button" id=button_id.clone() class="button button--ghost button--small contribute-button"
                aria-expanded=move || open().to_string()
                on:click=move |_| dialogue.form.set(Some(FormFor { target: target.get_value(), selector: None, editing: None }))>
                "+ " {text}
            </button>
        </Show>
    }
}

/// The id of the button that opens the form on a whole clause or criterion.
pub(super) fn contribute_button_id(target: &Target) -> String {
    format!("contribuer-{}-{}", target.kind.as_str(), target.id)
}

/// The form, where it belongs: beside its clause or criterion.
#[component]
pub(super) fn FormSlot(dialogue: Dialogue, target: Target) -> impl IntoView {
    let target = StoredValue::new(target);
    let here = Memo::new(move |_| {
        dialogue
            .form
            .get()
            .filter(|f| f.editing.is_none() && target.with_value(|t| f.target == *t))
    });
    move || here.get().map(|form| view! { <ContributionForm dialogue form/> })
}

#[component]
pub(super) fn ContributionList(
    dialogue: Dialogue,
    #[prop(into)] contributions: Signal<Vec<ContributionView>>,
) -> impl IntoView {
    view! {
        // Redrawn when anything shown changes; an edit made within the second of the previous
        // one keeps `updated_at`, so the number of revisions is in the key too.
        <For
            each=move || contributions.get()
            key=|c| (c.id, c.updated_at, c.revisions.len(), c.replies.len(), c.status, c.withdrawn_at, c.anchor.state)
            children=move |c| view! { <ContributionCard dialogue contribution=c/> }
        />
    }
}
