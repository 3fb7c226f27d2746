//! A contribution as everyone reads it, with its history, its answers and, for the buyer, the decision.

#[allow(unused_imports)]
use super::*;

/// One contribution, its thread and what the caller may do with it.
#[component]
pub(super) fn ContributionCard(dialogue: Dialogue, contribution: ContributionView) -> impl IntoView {
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
    // Only the caller's own cards can be edited or withdrawn, and only the buyer decides: the
    // others (most cards) get neither the reactive parts nor the forms, which is most of a
    // long page's rendering.
    let buyer = dialogue.is_buyer_untracked();
    let edit = editable.then(|| {
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
        let editing = Memo::new(move |_| {
            dialogue
                .form
                .get()
                .and_then(|f| f.editing)
                .is_some_and(|(e, _)| e == id)
        });
        let edit_form = StoredValue::new(FormFor {
            target: c.target.clone(),
            selector: c.selector.clone(),
            editing: Some((id, input)),
        });
        (editing, edit_form)
    });
    let revisions = c.revisions.clone();
    let edits = revisions.len();
    let body = Body {
        justification: c.justification.clone(),
        proposed_text: c.proposed_text.clone(),
        cost,
    };
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
            {match edit {
                Some((editing, edit_form)) => view! {
                    <Show when=move || !editing.get() fallback=move || view! { <ContributionForm dialogue form=edit_form.get_value()/> }>
                        <ContributionBody body=body.clone()/>
                    </Show>
                }.into_any(),
                None => view! { <ContributionBody body=body.clone()/> }.into_any(),
            }}
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
            {edit.map(|(editing, edit_form)| view! { <OwnActions dialogue id editing edit_form/> })}
            {(buyer || editable).then(|| view! {
                <Show when=move || buyer || dialogue.exchanges_open()>
                    <AnswerForms dialogue id buyer current=c.status version=c.version/>
                </Show>
            })}
            {c.mine.then(|| view! { <RedactionRequest dialogue id/> })}
        </article>
    }
}

/// What a contribution says (left in place while its author edits it, replaced by the form).
#[derive(Clone)]
struct Body {
    justification: String,
    proposed_text: String,
    cost: String,
}

#[component]
fn ContributionBody(body: Body) -> impl IntoView {
    let Body {
        justification,
        proposed_text,
        cost,
    } = body;
    view! {
        <p class="contribution__justification">{justification}</p>
        {(!proposed_text.is_empty()).then(|| view! {
            <div class="contribution__proposal"><strong>"Texte proposé"</strong><p>{proposed_text}</p></div>
        })}
        <p class="contribution__cost">"Impact sur le coût : " {cost}</p>
    }
}

/// « Modifier » and « Retirer », on the caller's own contribution while exchanges are open.
#[component]
fn OwnActions(dialogue: Dialogue, id: i64, editing: Memo<bool>, edit_form: StoredValue<FormFor>) -> impl IntoView {
    // A form post: works without WebAssembly (the server sends the page back).
    let withdraw = ServerAction::<WithdrawContribution>::new();
    reload_on_success(dialogue, withdraw, None);
    view! {
        <Show when=move || dialogue.exchanges_open() && !editing.get()>
            <div class="contribution__actions">
                <button type="button" class="button button--ghost button--small" on:click=move |_| dialogue.form.set(Some(edit_form.get_value()))>"Modifier"</button>
                // Asked twice, in plain HTML (works without WebAssembly): a withdrawal is final.
                <details class="confirm-withdraw">
                    <summary class="button button--ghost button--small">"Retirer"</summary>
                    <div class="confirm-withdraw__box" role="group" aria-label="Confirmer le retrait">
                        <p>"Retirer cette contribution ? Elle restera visible, marquée « retirée », et ne pourra plus être modifiée."</p>
                        <ActionForm action=withdraw attr:class="inline-form">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button button--danger button--small">"Oui, retirer"</button>
                        </ActionForm>
                    </div>
                </details>
            </div>
            <ActionMessage value=move || withdraw.value().get()/>
        </Show>
    }
}

/// The company asks for a passage of its own contribution to be kept out of the public edition
/// of the dossier (a business secret). The form is drawn when asked for (see `CardForm`); a
/// form post: works without WebAssembly.
#[component]
fn RedactionRequest(dialogue: Dialogue, id: i64) -> impl IntoView {
    let open = dialogue.card_form_open(CardForm::Redact, id);
    let field = format!("occulter-{id}");
    view! {
        <div class="contribution__redact">
            <Show when=move || open.get() fallback=move || view! {
                <OpenLink on=dialogue.cards key=CardForm::Redact.query_key() id class="contribution__open-link">
                    "Secret des affaires : occulter un passage dans le dossier public"
                </OpenLink>
            }>
                {
                    let redact = ServerAction::<crate::api::dossier::RedactPassage>::new();
                    on_success(redact, move || dialogue.keep_draft(CardForm::Redact, id, String::new()));
                    let field = field.clone();
                    focus_when_drawn(field.clone());
                    view! {
                        <ActionForm action=redact attr:class="stacked-form">
                            <input type="hidden" name="contribution" value=id/>
                            <input type="hidden" name="reason" value="Demande de l'entreprise"/>
                            <label for=field.clone()>"Passage à occulter dans le dossier public, copié tel qu'il est écrit"</label>
                            <input id=field.clone() name="passage" type="text" required autofocus
                                prop:value=dialogue.draft(CardForm::Redact, id)
                                on:input=move |ev| dialogue.keep_draft(CardForm::Redact, id, event_target_value(&ev))/>
                            <div class="contribution__form-actions">
                                <button type="submit" class="button button--secondary button--small">"Demander l'occultation"</button>
                                <CloseLink on=dialogue.cards anchor=format!("contribution-{id}")/>
                            </div>
                            <ActionMessage value=move || redact.value().get()
                                success="Ce passage sera remplacé par « [passage occulté] » dans l'édition publique du dossier de sourcing."/>
                        </ActionForm>
                    }
                }
            </Show>
        </div>
    }
}

/// A reply, and for the buyer the decision, on one card: a link, and the forms once it is
/// followed (see `CardForm`).
#[component]
fn AnswerForms(dialogue: Dialogue, id: i64, buyer: bool, current: ContributionStatus, version: i32) -> impl IntoView {
    let open = dialogue.card_form_open(CardForm::Reply, id);
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <OpenLink on=dialogue.cards key=CardForm::Reply.query_key() id class="button button--secondary button--small contribution__open">
                {if buyer { "Répondre ou décider" } else { "Répondre" }}
            </OpenLink>
        }>
            <div class="contribution__forms">
                <ReplyForm dialogue id/>
                {buyer.then(|| view! { <StatusForm dialogue id current version/> })}
                <CloseLink on=dialogue.cards anchor=format!("contribution-{id}")/>
            </div>
        </Show>
    }
}

/// After a successful action: the board is read again, and the form emptied.
fn reload_on_success<A>(dialogue: Dialogue, action: ServerAction<A>, form: Option<NodeRef<leptos::html::Form>>)
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
{
    on_success(action, move || {
        if let Some(form) = form.and_then(|f| f.get()) {
            form.reset();
        }
        dialogue.reload();
    });
}

/// A reply in the thread. A form post: works without WebAssembly.
#[component]
fn ReplyForm(dialogue: Dialogue, id: i64) -> impl IntoView {
    let reply = ServerAction::<ReplyToContribution>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    reload_on_success(dialogue, reply, Some(form));
    on_success(reply, move || dialogue.keep_draft(CardForm::Reply, id, String::new()));
    let field = format!("reponse-{id}");
    focus_when_drawn(field.clone());
    view! {
        <ActionForm action=reply node_ref=form attr:class="reply-form">
            <input type="hidden" name="id" value=id/>
            <label for=field.clone() class="visually-hidden">"Votre réponse"</label>
            <textarea id=field name="body" rows="2" placeholder="Répondre…" autofocus
                prop:value=dialogue.draft(CardForm::Reply, id)
                on:input=move |ev| dialogue.keep_draft(CardForm::Reply, id, event_target_value(&ev))></textarea>
            <button type="submit" class="button button--small">"Répondre"</button>
            <ActionMessage value=move || reply.value().get()/>
        </ActionForm>
    }
}

/// The buyer's decision: answered, retained, not retained, integrated in a later version. A form
/// post: works without WebAssembly.
#[component]
fn StatusForm(dialogue: Dialogue, id: i64, current: ContributionStatus, version: i32) -> impl IntoView {
    let decide = ServerAction::<SetContributionStatus>::new();
    reload_on_success(dialogue, decide, None);
    let latest = dialogue.version;
    let field = format!("statut-{id}");
    view! {
        <ActionForm action=decide attr:class="status-form">
            <input type="hidden" name="id" value=id/>
            // The version that integrates the contribution, if that is the decision.
            <input type="hidden" name="version" value=latest/>
            <label for=field.clone()>"Décision"</label>
            <select id=field name="status">
                {ContributionStatus::ALL.iter().copied()
                    .filter(|s| *s != ContributionStatus::Integrated || latest > version)
                    .map(|s| {
                        let label = if s == ContributionStatus::Integrated { format!("Intégrée en version {latest}") } else { s.label_fr().to_owned() };
                        view! { <option value=s.as_str() selected=s == current>{label}</option> }
                    }).collect_view()}
            </select>
            <button type="submit" class="button button--secondary button--small">"Enregistrer la décision"</button>
            <ActionMessage value=move || decide.value().get()/>
        </ActionForm>
    }
}
