//! The contributions on the clause the buyer is rewriting, beside the text: the buyer writes
//! the next version with what the companies said in view.

#[allow(unused_imports)]
use super::*;
use crate::api::contributions::list_contributions;
use crate::domain::contribution::TargetKind;
use crate::domain::editing::byte_offset;
use crate::domain::format::shorten;
use crate::model::ContributionView;

/// Where the caret is, as a byte offset into the draft, kept up to date by the text area's
/// events (`track_caret`).
pub(crate) type Caret = RwSignal<usize>;

pub(crate) fn track_caret(state: Draft, caret: Caret) {
    if let Some(area) = state.area.get_untracked() {
        let at = area.selection_start().ok().flatten().unwrap_or(0);
        state.markdown.with_untracked(|text| caret.set(byte_offset(text, at)));
    }
}

#[component]
pub(crate) fn ClauseContributions(
    state: Draft,
    base: RwSignal<Option<Specification>>,
    preview_text: RwSignal<String>,
    caret: Caret,
) -> impl IntoView {
    let id = state.id;
    // Read once the page runs; a draft never published has none.
    let board = RwSignal::new(None::<Vec<ContributionView>>);
    Effect::new(move |_| {
        if state.base_version.get_untracked().is_none() {
            return;
        }
        spawn_local(async move {
            if let Ok(b) = list_contributions(id, None).await {
                board.set(Some(
                    b.contributions
                        .into_iter()
                        .filter(|c| c.target.kind == TargetKind::Clause && c.withdrawn_at.is_none())
                        .collect(),
                ));
            }
        });
    });
    let any = Memo::new(move |_| board.with(|b| b.as_ref().is_some_and(|b| !b.is_empty())));
    // The draft's clauses with the ids they carry from the last version (by the same rule as
    // publication), and where each starts: computed only when there is something to show.
    let clauses = Memo::new(move |_| {
        if !any.get() {
            return Vec::new();
        }
        let text = preview_text.get();
        let mut draft = Specification::parse(&text);
        base.with(|b| {
            if let Some(b) = b {
                spec::carry_ids(b, &mut draft);
            }
        });
        let mut start = draft.preamble.len();
        draft
            .clauses
            .into_iter()
            .map(|c| {
                let at = start;
                start += c.heading.len() + c.body.len();
                (at, c.id.clone(), c.label())
            })
            .collect::<Vec<_>>()
    });
    let current = Memo::new(move |_| {
        let at = caret.get();
        clauses.with(|list| {
            let i = list.partition_point(|(start, _, _)| *start <= at);
            i.checked_sub(1).map(|i| (list[i].1.clone(), list[i].2.clone()))
        })
    });
    move || {
        if !any.get() {
            return None;
        }
        let total = board.with(|b| b.as_ref().map_or(0, Vec::len));
        let body = match current.get() {
            None => view! {
                <p class="muted small">
                    {contributions_fr(total)} " sur la version en cours. Placez le curseur dans une clause pour voir celles qui la concernent."
                </p>
            }.into_any(),
            Some((clause, label)) => {
                let on_clause: Vec<ContributionView> = board.with(|b| {
                    b.iter().flatten().filter(|c| c.target.id == clause).cloned().collect()
                });
                let others = total - on_clause.len();
                view! {
                    <p class="editor-contributions__clause">{label}</p>
                    {on_clause.is_empty().then(|| view! {
                        <p class="muted small">"Aucune contribution sur cette clause."</p>
                    })}
                    <ul class="editor-contributions__list">
                        {on_clause.into_iter().map(|c| view! {
                            <li>
                                <p class="contribution__head">
                                    <strong>{c.pseudonym.clone()}</strong>
                                    <span class="badge badge--kind">{c.kind.label_fr()}</span>
                                    <span class="badge">{c.status.label_fr()}</span>
                                </p>
                                {c.selector.as_ref().map(|s| view! {
                                    <blockquote class="contribution__quote">"« " {shorten(&s.quote.exact, 120)} " »"</blockquote>
                                })}
                                <p>{shorten(&c.justification, 280)}</p>
                                {(!c.proposed_text.is_empty()).then(|| view! {
                                    <div class="contribution__proposal"><strong>"Texte proposé"</strong><p>{shorten(&c.proposed_text, 400)}</p></div>
                                })}
                                <a href=format!("/consultations/{id}#contribution-{}", c.id) target="_blank">
                                    "Lire et répondre (nouvel onglet)"
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(others > 0).then(|| view! { <p class="muted small">{contributions_fr(others)} " sur d'autres clauses."</p> })}
                }.into_any()
            }
        };
        Some(view! {
            <section class="editor-contributions" aria-labelledby="editor-contributions-title">
                <h2 id="editor-contributions-title" class="outline__title">"Contributions sur cette clause"</h2>
                <div aria-live="polite">{body}</div>
            </section>
        })
    }
}

fn contributions_fr(n: usize) -> String {
    match n {
        1 => "1 contribution".into(),
        n => format!("{n} contributions"),
    }
}
