//! The buyer's synthesis of the contributions: per clause and criterion, how many of each kind
//! and the cost signals, as a table with a heat strip; the contributions filtered by kind, status
//! and clause; the CSV export. Pseudonymised like everything else.

use crate::api::consultations::consultation_overview;
use crate::api::contributions::list_contributions;
use crate::domain::anchor::AnchorState;
use crate::domain::contribution::{ContributionKind, ContributionStatus, CostImpact, TargetKind};
use crate::domain::format::instant_fr;
use crate::error::AppError;
use crate::model::{ConsultationDetail, ContributionBoard, ContributionView};
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Started by the route before the page's code has arrived (see `app.rs`).
pub fn overview_data() -> Resource<Result<(ConsultationDetail, ContributionBoard), AppError>> {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    Resource::new(id, |id| async move {
        let id = id.ok_or_else(|| AppError::not_found("Cette consultation"))?;
        // Independent: fetched together.
        let (detail, board) = futures::join!(consultation_overview(id), list_contributions(id, None));
        let board = board?;
        // Refused to visitors and to companies that have not joined: say why.
        if let Some(why) = board.hidden.clone() {
            return Err(AppError::Forbidden(why));
        }
        Ok::<_, AppError>((detail?, board))
    })
}

#[component]
pub fn ContributionsOverviewPage(
    data: Resource<Result<(ConsultationDetail, ContributionBoard), AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement des contributions…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((detail, board)) => view! { <Overview detail board/> }.into_any(),
                    Err(error) => view! { <Title text="Contributions introuvables"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One line of the synthesis.
struct Line {
    kind: TargetKind,
    id: String,
    label: String,
    by_kind: [usize; 4],
    up: usize,
    down: usize,
    total: usize,
}

fn lines(detail: &ConsultationDetail, contributions: &[ContributionView]) -> Vec<Line> {
    let mut targets: Vec<(TargetKind, String, String)> = Vec::new();
    if let Some(v) = &detail.current_version {
        for e in &v.outline {
            let label = e
                .number
                .iter()
                .cloned()
                .chain([e.title.clone()])
                .collect::<Vec<_>>()
                .join(" ");
            targets.push((TargetKind::Clause, e.clause_id.clone(), label));
        }
        for c in &v.criteria {
            targets.push((TargetKind::Criterion, c.id.clone(), format!("Critère : {}", c.name)));
        }
    }
    // Contributions on clauses that are gone keep a line of their own, at the end.
    for c in contributions {
        if !targets
            .iter()
            .any(|(k, id, _)| *k == c.target.kind && *id == c.target.id)
        {
            targets.push((
                c.target.kind,
                c.target.id.clone(),
                format!("{} (retirée)", c.target_label),
            ));
        }
    }
    targets
        .into_iter()
        .map(|(kind, id, label)| {
            let on: Vec<&ContributionView> = contributions
                .iter()
                .filter(|c| c.target.kind == kind && c.target.id == id && c.withdrawn_at.is_none())
                .collect();
            let count = |k: ContributionKind| on.iter().filter(|c| c.kind == k).count();
            Line {
                by_kind: [
                    count(ContributionKind::Solution),
                    count(ContributionKind::Clarification),
                    count(ContributionKind::AlternativeClause),
                    count(ContributionKind::AlternativeCriterion),
                ],
                up: on.iter().filter(|c| c.cost_impact == CostImpact::Up).count(),
                down: on.iter().filter(|c| c.cost_impact == CostImpact::Down).count(),
                total: on.len(),
                kind,
                id,
                label,
            }
        })
        .collect()
}

#[component]
fn Overview(detail: ConsultationDetail, board: ContributionBoard) -> impl IntoView {
    let id = detail.summary.id;
    let title = detail.summary.title.clone();
    let lines = lines(&detail, &board.contributions);
    let max = lines.iter().map(|l| l.total).max().unwrap_or(0).max(1);
    let options: Vec<(String, String)> = lines
        .iter()
        .filter(|l| l.total > 0)
        .map(|l| (l.id.clone(), l.label.clone()))
        .collect();
    let kind = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let all = StoredValue::new(board.contributions);
    let shown = move || {
        let (k, s, t) = (kind.get(), status.get(), target.get());
        all.get_value()
            .into_iter()
            .filter(|c| k.is_empty() || c.kind.as_str() == k)
            .filter(|c| s.is_empty() || c.status.as_str() == s)
            .filter(|c| t.is_empty() || c.target.id == t)
            .collect::<Vec<_>>()
    };
    let total = all.with_value(|a| a.len());
    view! {
        <Title text=format!("Contributions — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Contributions"</span>
        </nav>
        <div class="retro-plan__head">
            <h1>"Synthèse des contributions"</h1>
            <a class="button button--secondary" href=format!("/consultations/{id}/contributions.csv") download="">"Exporter en CSV"</a>
        </div>
        <p class="lead">{format!("{total} contribution{} sur la version {}, sous pseudonyme. ", if total > 1 { "s" } else { "" }, board.version)} {board.exchanges_note}</p>
        <section class="panel wide" aria-labelledby="synthesis-title">
            <h2 id="synthesis-title">"Par clause et par critère"</h2>
            <div class="table-scroll">
                <table class="data-table synthesis">
                    <thead><tr>
                        <th scope="col">"Clause ou critère"</th>
                        <th scope="col" class="number">"Solutions"</th>
                        <th scope="col" class="number">"Précisions"</th>
                        <th scope="col" class="number">"Clauses alt."</th>
                        <th scope="col" class="number">"Critères alt."</th>
                        <th scope="col" class="number">"Coût ↑"</th>
                        <th scope="col" class="number">"Coût ↓"</th>
                        <th scope="col">"Intensité"</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| {
                            // Classes, not an inline style: the content security policy forbids those.
                            let heat = format!("heat heat--{}", (4 * l.total).div_ceil(max));
                            let anchor = format!("/consultations/{id}#{}", if l.kind == TargetKind::Clause { l.id.clone() } else { "criteres".into() });
                            let cell = |n: usize| view! { <td class="number" class:zero=n == 0>{n}</td> };
                            view! {
                                <tr class:synthesis--empty=l.total == 0>
                                    <th scope="row"><a href=anchor>{l.label}</a></th>
                                    {cell(l.by_kind[0])}{cell(l.by_kind[1])}{cell(l.by_kind[2])}{cell(l.by_kind[3])}
                                    {cell(l.up)}{cell(l.down)}
                                    <td><span class=heat role="img" aria-label=format!("{} contribution(s)", l.total)></span></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel wide" aria-labelledby="list-title">
            <h2 id="list-title">"Contributions"</h2>
            <div class="filters">
                <label>"Type "
                    <select on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">"Tous"</option>
                        {ContributionKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label_fr()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Statut "
                    <select on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">"Tous"</option>
                        {ContributionStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label_fr()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Clause ou critère "
                    <select on:change=move |ev| target.set(event_target_value(&ev))>
                        <option value="">"Toutes"</option>
                        {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <ul class="overview-list">
                {move || {
                    let shown = shown();
                    if shown.is_empty() {
                        return view! { <li class="empty">"Aucune contribution ne correspond à ces filtres."</li> }.into_any();
                    }
                    shown.into_iter().map(|c| view! {
                        <li class="overview-item">
                            <p>
                                <strong>{c.pseudonym.clone()}</strong> " · " {c.kind.label_fr()} " · "
                                <span class=format!("badge badge--contribution-{}", c.status.as_str())>{c.status.label_fr()}</span>
                                {(c.anchor.state != AnchorState::Current).then(|| view! { " " <span class=format!("badge badge--anchor-{}", c.anchor.state.as_str())>{c.anchor.state.label_fr()}</span> })}
                                {c.withdrawn_at.map(|_| view! { " " <span class="badge badge--withdrawn">"Retirée"</span> })}
                            </p>
                            <p class="muted">{c.target_label.clone()} " · version " {c.version} " · " {instant_fr(c.created_at)} " · coût : " {c.cost_impact.label_fr()}</p>
                            {c.selector.as_ref().map(|s| view! { <blockquote class="contribution__quote">"« " {s.quote.exact.clone()} " »"</blockquote> })}
                            <p>{c.justification.clone()}</p>
                            <a href=format!("/consultations/{id}#contribution-{}", c.id)>"Voir dans le texte et répondre"</a>
                        </li>
                    }).collect_view().into_any()
                }}
            </ul>
        </section>
    }
}
