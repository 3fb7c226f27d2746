//! The dialogue on a version (seed 001): the text in clauses with their contributions in the
//! margin, highlights on the words annotated, the form to contribute (from a selection, or on a
//! whole clause or criterion), the buyer's answers and decisions. Contributions arrive live.

use crate::api::contributions::{
    create_contribution, edit_contribution, list_contributions, reply_to_contribution, set_contribution_status,
    withdraw_contribution,
};
use crate::domain::anchor::{AnchorState, TextSelector};
use crate::domain::contribution::{
    format_euros, ContributionInput, ContributionKind, ContributionStatus, CostImpact, NewContribution, Target,
    TargetKind,
};
use crate::domain::criteria::Criterion;
use crate::domain::markdown::RenderedPart;
use crate::error::AppError;
use crate::model::{ContributionBoard, ContributionView, ContributorRole, OutlineEntry};
use crate::ui::format::instant_fr;
use leptos::prelude::*;

/// What the components of a version's page share.
#[derive(Clone, Copy)]
pub struct Dialogue {
    pub consultation_id: i64,
    pub version: i32,
    pub board: RwSignal<Option<ContributionBoard>>,
    /// The form open, if any (one at a time).
    pub form: RwSignal<Option<FormFor>>,
    /// The words selected in a clause, offered for annotation.
    pub selection: RwSignal<Option<(String, TextSelector)>>,
}

/// What an open form is about.
#[derive(Clone, Debug, PartialEq)]
pub struct FormFor {
    pub target: Target,
    pub selector: Option<TextSelector>,
    /// Editing this contribution, starting from what it says.
    pub editing: Option<(i64, ContributionInput)>,
}

impl Dialogue {
    pub fn new(consultation_id: i64, version: i32, first: Option<ContributionBoard>) -> Dialogue {
        Dialogue {
            consultation_id,
            version,
            board: RwSignal::new(first),
            form: RwSignal::new(None),
            selection: RwSignal::new(None),
        }
    }

    /// Reloads the contributions (after a change here, or announced by the server).
    pub fn reload(self) {
        leptos::task::spawn_local(async move {
            if let Ok(board) = list_contributions(self.consultation_id, Some(self.version)).await {
                self.board.set(Some(board));
            }
        });
    }

    /// The caller may write contributions now.
    pub fn can_contribute(self) -> bool {
        self.board.with(|b| {
            b.as_ref()
                .is_some_and(|b| b.exchanges_open && matches!(b.role, ContributorRole::Participant { .. }))
        })
    }

    pub fn is_buyer(self) -> bool {
        self.board
            .with(|b| b.as_ref().is_some_and(|b| b.role == ContributorRole::Buyer))
    }

    fn exchanges_open(self) -> bool {
        self.board.with(|b| b.as_ref().is_some_and(|b| b.exchanges_open))
    }

    /// The contributions on one clause or criterion (orphaned ones are listed apart).
    fn on(self, kind: TargetKind, id: &str) -> Vec<ContributionView> {
        self.board.with(|b| {
            b.iter()
                .flat_map(|b| &b.contributions)
                .filter(|c| c.target.kind == kind && c.target.id == id && c.anchor.state != AnchorState::Orphaned)
                .cloned()
                .collect()
        })
    }
}

/// Opens the live stream of changes: each event (and each reconnection, which may have missed
/// some) reloads the contributions.
pub fn follow_live(dialogue: Dialogue) {
    Effect::new(move |_| {
        use wasm_bindgen::{closure::Closure, JsCast};
        let url = format!("/consultations/{}/evenements", dialogue.consultation_id);
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let reload = Closure::<dyn Fn()>::new(move || dialogue.reload());
        let _ = source.add_event_listener_with_callback("contributions", reload.as_ref().unchecked_ref());
        let mut opened_once = false;
        let reopen = Closure::<dyn FnMut()>::new(move || {
            if std::mem::replace(&mut opened_once, true) {
                dialogue.reload();
            }
        });
        source.set_onopen(Some(reopen.as_ref().unchecked_ref()));
        reload.forget();
        reopen.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
}

/// Who the caller is in the dialogue, and what they can do.
#[component]
pub fn ParticipationBar(dialogue: Dialogue) -> impl IntoView {
    let joining = ServerAction::<crate::api::contributions::Participate>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = joining.value().get() {
            dialogue.reload();
        }
    });
    let id = dialogue.consultation_id;
    view! {
        {move || dialogue.board.get().map(|board| {
            let note = board.exchanges_note.clone();
            let count = board.contributions.len();
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
                    <p>"Les contributions des entreprises sont publiées sous pseudonyme, avec les réponses de l'acheteur."</p>
                }.into_any(),
            };
            view! {
                <section class="participation" aria-label="Contributions">
                    <div class="participation__text">
                        {role}
                        <p class="muted">{note} " " {format!("{count} contribution{} sur cette version.", if count > 1 { "s" } else { "" })}</p>
                    </div>
                    <crate::ui::components::form::ActionMessage value=move || joining.value().get()/>
                </section>
            }
        })}
    }
}

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
    let original = StoredValue::new(html.clone());
    Effect::new(move |_| {
        let marks: Vec<(i64, crate::domain::anchor::TextPosition)> = contributions
            .get()
            .iter()
            .filter(|c| c.withdrawn_at.is_none())
            .filter_map(|c| Some((c.id, c.anchor.position?)))
            .collect();
        if let Some(element) = text_ref.get() {
            element.set_inner_html(&original.get_value());
            crate::ui::annotate::highlight(&element, &marks);
        }
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
                <ContributionList dialogue contributions/>
                <ContributeButton dialogue target=target.clone() text="Contribuer sur cette clause"/>
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
            <ContributionList dialogue contributions/>
            <ContributeButton dialogue target=target.clone() text="Contribuer sur ce critère"/>
            <FormSlot dialogue target/>
        </div>
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
        let n = dialogue.board.with(|b| {
            b.iter()
                .flat_map(|b| &b.contributions)
                .filter(|c| c.target.kind == TargetKind::Clause && c.target.id == id && c.withdrawn_at.is_none())
                .count()
        });
        (n > 0).then(|| {
            let label = format!("{n} contribution{}", if n > 1 { "s" } else { "" });
            // A heat strip along the outline: the more contributions, the warmer.
            let heat = format!("outline__count outline__count--{}", n.min(4));
            view! { <span class=heat title=label.clone() aria-label=label>{n}</span> }
        })
    }
}

#[component]
fn ContributeButton(dialogue: Dialogue, target: Target, text: &'static str) -> impl IntoView {
    let target = StoredValue::new(target);
    let open = move || {
        dialogue
            .form
            .get()
            .is_some_and(|f| f.editing.is_none() && target.with_value(|t| f.target == *t))
    };
    view! {
        <Show when=move || dialogue.can_contribute() && !open()>
            <button type="button" class="button button--ghost button--small contribute-button"
                on:click=move |_| dialogue.form.set(Some(FormFor { target: target.get_value(), selector: None, editing: None }))>
                "+ " {text}
            </button>
        </Show>
    }
}

/// The form, where it belongs: beside its clause or criterion.
#[component]
fn FormSlot(dialogue: Dialogue, target: Target) -> impl IntoView {
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
fn ContributionList(dialogue: Dialogue, #[prop(into)] contributions: Signal<Vec<ContributionView>>) -> impl IntoView {
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
                <p class="selection-bar__quote">"« " {shorten(&selector.quote.exact, 90)} " »"</p>
                <button type="button" class="button" on:click=annotate on:mousedown=|ev| ev.prevent_default()>"Annoter ce passage"</button>
            </div>
        })}
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    format!("{}…", text.chars().take(max).collect::<String>())
}

/// Writing a contribution, or rewriting one.
#[component]
fn ContributionForm(dialogue: Dialogue, form: FormFor) -> impl IntoView {
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
    let stored_target = StoredValue::new(target);
    let stored_selector = StoredValue::new(selector.clone());
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
                })
                .await
                .map(|_| ()),
            };
            sending.set(false);
            match result {
                Ok(()) => {
                    dialogue.form.set(None);
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
    let justification_id = format!("justification-{field}");
    let amount_id = format!("montant-{field}");
    let proposed_id = format!("proposition-{field}");
    let impact_name = format!("impact-{field}");
    view! {
        <form class="contribution-form" on:submit=submit aria-label=title novalidate>
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
                <button type="button" class="button button--secondary" on:click=move |_| dialogue.form.set(None)>"Annuler"</button>
            </div>
            <p class="muted small">"Publiée sous votre pseudonyme, visible par l'acheteur et les autres participants."</p>
        </form>
    }
}

/// One contribution, its thread and what the caller may do with it.
#[component]
fn ContributionCard(dialogue: Dialogue, contribution: ContributionView) -> impl IntoView {
    let c = contribution;
    let id = c.id;
    let state = c.anchor.state;
    let withdrawn = c.withdrawn_at.is_some();
    let who = if c.mine {
        format!("{} (vous)", c.pseudonym)
    } else {
        c.pseudonym.clone()
    };
    let status_line = match (c.status, c.integrated_version) {
        (ContributionStatus::Integrated, Some(n)) => view! {
            <a class=format!("badge badge--contribution-{}", c.status.as_str()) href=format!("/consultations/{}/versions/{n}", dialogue.consultation_id)>
                "Intégrée en version " {n}
            </a>
        }.into_any(),
        (status, _) => view! { <span class=format!("badge badge--contribution-{}", status.as_str())>{status.label_fr()}</span> }.into_any(),
    };
    let cost = match c.cost_amount_cents {
        Some(cents) => format!("{} ({})", c.cost_impact.label_fr(), format_euros(cents)),
        None => c.cost_impact.label_fr().to_owned(),
    };
    let editable = c.mine && !withdrawn;
    let input = ContributionInput {
        kind: c.kind.as_str().into(),
        justification: c.justification.clone(),
        cost_impact: c.cost_impact.as_str().into(),
        cost_amount: c
            .cost_amount_cents
            .map(|x| format!("{},{:02}", x / 100, x % 100))
            .unwrap_or_default(),
        proposed_text: c.proposed_text.clone(),
    };
    let target = c.target.clone();
    let editing = Memo::new(move |_| {
        dialogue
            .form
            .get()
            .and_then(|f| f.editing)
            .is_some_and(|(e, _)| e == id)
    });
    let edit_form = StoredValue::new(FormFor {
        target,
        selector: c.selector.clone(),
        editing: Some((id, input)),
    });
    let error = RwSignal::new(None::<String>);
    let withdraw = move |_| {
        leptos::task::spawn_local(async move {
            match withdraw_contribution(id).await {
                Ok(()) => dialogue.reload(),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let revisions = c.revisions.clone();
    let edits = revisions.len();
    view! {
        <article class=format!("contribution contribution--{}", state.as_str()) id=format!("contribution-{id}")
            class:contribution--mine=c.mine class:contribution--withdrawn=withdrawn>
            <header class="contribution__head">
                <strong class="contribution__who">{who}</strong>
                <span class="badge badge--kind">{c.kind.label_fr()}</span>
                {status_line}
                {(state != AnchorState::Current).then(|| view! {
                    <span class=format!("badge badge--anchor-{}", state.as_str())>{state.label_fr()}</span>
                })}
                {withdrawn.then(|| view! { <span class="badge badge--withdrawn">"Retirée"</span> })}
            </header>
            {(c.target.kind == TargetKind::Criterion || state == AnchorState::Orphaned).then(|| view! {
                <p class="contribution__target">{c.target.kind.label_fr()} " : " {c.target_label.clone()}</p>
            })}
            {c.selector.as_ref().map(|s| view! {
                <blockquote class="contribution__quote">"« " {s.quote.exact.clone()} " »"</blockquote>
            })}
            {c.original_text.clone().map(|text| view! {
                <details class="contribution__original">
                    <summary>{format!("Texte de la version {} sur lequel elle portait", c.version)}</summary>
                    <p>{text}</p>
                </details>
            })}
            <Show when=move || !editing.get() fallback=move || view! { <ContributionForm dialogue form=edit_form.get_value()/> }>
                <p class="contribution__justification">{c.justification.clone()}</p>
                {(!c.proposed_text.is_empty()).then(|| view! {
                    <div class="contribution__proposal"><strong>"Texte proposé"</strong><p>{c.proposed_text.clone()}</p></div>
                })}
                <p class="contribution__cost">"Impact sur le coût : " {cost.clone()}</p>
            </Show>
            <p class="contribution__meta muted">
                "Version " {c.version} " · " {instant_fr(c.created_at)}
                {(edits > 0).then(|| format!(" · modifiée le {}", instant_fr(c.updated_at)))}
                {c.withdrawn_at.map(|t| format!(" · retirée le {}", instant_fr(t)))}
            </p>
            {(edits > 0).then(|| view! {
                <details class="contribution__history">
                    <summary>{format!("Historique ({edits} modification{})", if edits > 1 { "s" } else { "" })}</summary>
                    <ol>
                        {revisions.into_iter().map(|r| view! {
                            <li>
                                <span class="muted">{instant_fr(r.written_at)} " — " {r.kind.label_fr()} " — " {r.cost_impact.label_fr()}</span>
                                <p>{r.justification}</p>
                                {(!r.proposed_text.is_empty()).then(|| view! { <p><em>{r.proposed_text}</em></p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
            {(!c.replies.is_empty()).then(|| view! {
                <ol class="thread" aria-label="Réponses">
                    {c.replies.iter().map(|r| view! {
                        <li class="thread__reply" class:thread__reply--buyer=r.from_buyer>
                            <strong>{r.author.clone()}</strong> <span class="muted">" · " {instant_fr(r.created_at)}</span>
                            <p>{r.body.clone()}</p>
                        </li>
                    }).collect_view()}
                </ol>
            })}
            <Show when=move || editable && dialogue.exchanges_open() && !editing.get()>
                <div class="contribution__actions">
                    <button type="button" class="button button--ghost button--small" on:click=move |_| dialogue.form.set(Some(edit_form.get_value()))>"Modifier"</button>
                    <button type="button" class="button button--ghost button--small" on:click=withdraw>"Retirer"</button>
                </div>
            </Show>
            <Show when=move || dialogue.is_buyer() || (editable && dialogue.exchanges_open())>
                <ReplyForm dialogue id/>
            </Show>
            <Show when=move || dialogue.is_buyer()>
                <StatusForm dialogue id current=c.status version=c.version/>
            </Show>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </article>
    }
}

#[component]
fn ReplyForm(dialogue: Dialogue, id: i64) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let field = format!("reponse-{id}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked();
        leptos::task::spawn_local(async move {
            match reply_to_contribution(id, text).await {
                Ok(()) => {
                    body.set(String::new());
                    error.set(None);
                    dialogue.reload();
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="reply-form" on:submit=submit>
            <label for=field.clone() class="visually-hidden">"Votre réponse"</label>
            <textarea id=field rows="2" placeholder="Répondre…" prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <button type="submit" class="button button--small">"Répondre"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </form>
    }
}

/// The buyer's decision: answered, retained, not retained, integrated in a later version.
#[component]
fn StatusForm(dialogue: Dialogue, id: i64, current: ContributionStatus, version: i32) -> impl IntoView {
    let status = RwSignal::new(current.as_str().to_owned());
    let error = RwSignal::new(None::<String>);
    let latest = dialogue.version;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = status.get_untracked();
        let integrated = (chosen == ContributionStatus::Integrated.as_str()).then_some(latest);
        leptos::task::spawn_local(async move {
            match set_contribution_status(id, chosen, integrated).await {
                Ok(()) => {
                    error.set(None);
                    dialogue.reload();
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let field = format!("statut-{id}");
    view! {
        <form class="status-form" on:submit=submit>
            <label for=field.clone()>"Décision"</label>
            <select id=field on:change=move |ev| status.set(event_target_value(&ev))>
                {ContributionStatus::ALL.iter().copied()
                    .filter(|s| *s != ContributionStatus::Integrated || latest > version)
                    .map(|s| {
                        let label = if s == ContributionStatus::Integrated { format!("Intégrée en version {latest}") } else { s.label_fr().to_owned() };
                        view! { <option value=s.as_str() selected=s == current>{label}</option> }
                    }).collect_view()}
            </select>
            <button type="submit" class="button button--secondary button--small">"Enregistrer la décision"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </form>
    }
}

/// Loads the contributions of a version for the page (on the server for the first paint).
pub async fn load(id: i64, version: i32) -> Result<ContributionBoard, AppError> {
    list_contributions(id, Some(version)).await
}
