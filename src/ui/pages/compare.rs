//! Comparing two versions: summary, changed clauses with word highlights (side by side or
//! inline), unchanged clauses folded, next/previous change with buttons and the keyboard.
//! Every text of a change goes through the view as text: escaped, never inserted as HTML; only
//! unfolded unchanged clauses come as HTML, rendered and sanitised by the server as on the
//! consultation page.

use crate::api::consultations::{compare_versions, version_clauses};
use crate::api::contributions::list_contributions;
use crate::domain::contribution::TargetKind;
use crate::domain::diff::{ChangeKind, ClauseDiff, CriterionDiff, Op, Segment};
use crate::domain::markdown::{render_changes, RenderedPart};
use crate::error::AppError;
use crate::model::ContributionView;
use crate::model::VersionComparison;
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Started by the route before the page's code has arrived (see `app.rs`).
pub fn comparison_data() -> Resource<Result<(VersionComparison, Vec<ContributionView>), AppError>> {
    let params = use_params_map();
    let query = use_query_map();
    let wanted = move || {
        let id = params.read().get("id").and_then(|s| s.parse::<i64>().ok());
        let q = query.read();
        let number = |k: &str| q.get(k).and_then(|s| s.parse::<i32>().ok());
        (id, number("de"), number("a"))
    };
    Resource::new(wanted, |(id, from, to)| async move {
        let id = id.ok_or_else(|| AppError::not_found("Cette consultation"))?;
        // The contributions that these changes followed: made on a version from `from` to
        // just before `to`. Shown beside their clause; the comparison stands without them. When
        // the link names the newer version, both are fetched together.
        let (comparison, board) = match to {
            Some(to) => futures::join!(compare_versions(id, from, Some(to)), list_contributions(id, Some(to))),
            None => {
                let comparison = compare_versions(id, from, to).await;
                let board = match &comparison {
                    Ok(c) => list_contributions(id, Some(c.to)).await,
                    Err(e) => Err(e.clone()),
                };
                (comparison, board)
            }
        };
        let comparison = comparison?;
        let contributions = board
            .ok()
            .filter(|b| b.version == comparison.to)
            .map(|b| b.contributions)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| (comparison.from..comparison.to).contains(&c.version))
            .collect::<Vec<_>>();
        Ok::<_, AppError>((comparison, contributions))
    })
}

#[component]
pub fn ComparePage(
    comparison: Resource<Result<(VersionComparison, Vec<ContributionView>), AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Comparaison en cours…"</p> }>
            {move || Suspend::new(async move {
                match comparison.await {
                    Ok((c, contributions)) => {
                        provide_context(Followed(StoredValue::new(contributions)));
                        view! { <Comparison c/> }.into_any()
                    }
                    Err(error) => view! { <Title text="Comparaison impossible"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Comparison(c: VersionComparison) -> impl IntoView {
    let VersionComparison {
        consultation_id: id,
        title,
        versions,
        from,
        to,
        diff,
    } = c;
    let side_by_side = RwSignal::new(true);
    let formatted = RwSignal::new(true);
    provide_context(Formatted(formatted));
    let stats = diff.stats;
    // The changed clauses, in order, for next/previous.
    let changes: Vec<String> = diff
        .clauses
        .iter()
        .filter(|c| c.kind != ChangeKind::Unchanged || c.moved)
        .map(|c| anchor(&c.id))
        .collect();
    let count = changes.len();
    let current = RwSignal::new(None::<usize>);
    let changes = StoredValue::new(changes);
    let go = move |step: i64| {
        let n = count as i64;
        if n == 0 {
            return;
        }
        let next = match current.get_untracked() {
            None if step > 0 => 0,
            None => n - 1,
            Some(i) => (i as i64 + step).rem_euclid(n),
        } as usize;
        current.set(Some(next));
        let target = changes.with_value(|c| c[next].clone());
        if let Some(element) = document().get_element_by_id(&target) {
            element.scroll_into_view();
            let _ = element.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    };
    // Keyboard: n / j for the next change, p / k for the previous one (not while typing).
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "n" | "j" => go(1),
            "p" | "k" => go(-1),
            _ => {}
        }
    };
    let options = move |selected: i32| {
        versions
            .iter()
            .map(|n| view! { <option value=n.to_string() selected=*n == selected>"Version " {*n}</option> })
            .collect_view()
    };
    let (from_options, to_options) = (options(from), options(to));
    view! {
        <Title text=format!("Comparer les versions — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Comparer"</span>
        </nav>
        <div class="page-intro">
            <h1>"Comparer deux versions"</h1>
            <p class="lead">{title.clone()}</p>
        </div>
        <form class="panel wide compare-picker" method="get" action=format!("/consultations/{id}/comparer")>
            <label for="de">"Version de départ"</label>
            <select id="de" name="de">{from_options}</select>
            <label for="a">"Version d'arrivée"</label>
            <select id="a" name="a">{to_options}</select>
            <button type="submit" class="button button--small">"Comparer"</button>
        </form>
        <p class="compare__download">
            <a href=format!("/consultations/{id}/versions/{to}/suivi-des-modifications.docx?depuis={from}") download="">
                "Télécharger la version " {to} " pour Word, avec le suivi des modifications depuis la version " {from} " (.docx)"
            </a>
            <span class="muted small">" — chaque changement y est une révision que Word permet d'accepter ou de refuser."</span>
        </p>
        <section class="compare" aria-labelledby="compare-title" on:keydown=on_key tabindex="-1">
            <div class="compare__bar">
                <h2 id="compare-title">"Version " {from} " → version " {to}</h2>
                <p class="compare__summary" role="status">
                    <span class="count count--added">{stats.added} " ajoutée(s)"</span>
                    <span class="count count--removed">{stats.removed} " supprimée(s)"</span>
                    <span class="count count--modified">{stats.modified} " modifiée(s)"</span>
                    <span class="count count--moved">{stats.moved} " déplacée(s)"</span>
                    <span class="count">{stats.unchanged} " inchangée(s)"</span>
                </p>
                <div class="compare__tools">
                    <button type="button" class="button button--secondary button--small" on:click=move |_| go(-1)
                        aria-keyshortcuts="p" disabled=count == 0>"← Modification précédente"</button>
                    <button type="button" class="button button--secondary button--small" on:click=move |_| go(1)
                        aria-keyshortcuts="n" disabled=count == 0>"Modification suivante →"</button>
                    <span class="muted small">{move || current.get().map(|i| format!("{} / {count}", i + 1))}</span>
                    <div class="segmented" role="group" aria-label="Affichage">
                        <button type="button" aria-pressed=move || side_by_side.get().to_string()
                            on:click=move |_| side_by_side.set(true)>"Côte à côte"</button>
                        <button type="button" aria-pressed=move || (!side_by_side.get()).to_string()
                            on:click=move |_| side_by_side.set(false)>"En ligne"</button>
                    </div>
                    <div class="segmented" role="group" aria-label="Texte">
                        <button type="button" aria-pressed=move || formatted.get().to_string()
                            on:click=move |_| formatted.set(true)>"Mis en forme"</button>
                        <button type="button" aria-pressed=move || (!formatted.get()).to_string()
                            on:click=move |_| formatted.set(false)>"Markdown"</button>
                    </div>
                </div>
                {diff.timed_out.then(|| view! {
                    <p class="notice" role="note">"Comparaison très longue : certaines clauses sont montrées en entier (ancien texte, puis nouveau) plutôt que mot à mot."</p>
                })}
            </div>
            {(!diff.preamble.is_empty()).then(|| {
                let segments = diff.preamble.clone();
                view! {
                    <article class="change change--modified" id="preambule" tabindex="-1">
                        <h3 class="change__head">"Préambule" <span class="badge">"Modifié"</span></h3>
                        <ChangeBody segments replaced=false side_by_side/>
                    </article>
                }
            })}
            <Clauses clauses=diff.clauses id to side_by_side/>
            <CriteriaChanges criteria=diff.criteria/>
        </section>
    }
}

/// Contributions made on the compared versions, shown beside the changes that followed them.
#[derive(Clone, Copy)]
struct Followed(StoredValue<Vec<ContributionView>>);

/// The contributions made on a clause before it changed.
#[component]
fn FollowedContributions(clause_id: String, id: i64) -> impl IntoView {
    let on: Vec<ContributionView> = use_context::<Followed>()
        .map(|f| {
            f.0.with_value(|all| {
                all.iter()
                    .filter(|c| c.target.kind == TargetKind::Clause && c.target.id == clause_id)
                    .cloned()
                    .collect()
            })
        })
        .unwrap_or_default();
    (!on.is_empty()).then(|| view! {
        <aside class="followed" aria-label="Contributions sur cette clause">
            <p class="followed__title">{format!("{} contribution{} sur cette clause avant ce changement", on.len(), if on.len() > 1 { "s" } else { "" })}</p>
            <ul>
                {on.into_iter().map(|c| view! {
                    <li>
                        <strong>{c.pseudonym}</strong> " · " {c.kind.label_fr()} " · version " {c.version} " · "
                        <span class=format!("badge badge--anchor-{}", c.anchor.state.as_str())>{c.anchor.state.label_fr()}</span>
                        {c.selector.map(|s| view! { <span class="followed__quote">" « " {s.quote.exact} " »"</span> })}
                        " " <a href=format!("/consultations/{id}#contribution-{}", c.id)>"Voir"</a>
                    </li>
                }).collect_view()}
            </ul>
        </aside>
    })
}

fn anchor(id: &str) -> String {
    format!("modif-{id}")
}

/// Changed clauses in full; runs of unchanged ones folded in a `<details>` listing them.
#[component]
fn Clauses(clauses: Vec<ClauseDiff>, id: i64, to: i32, side_by_side: RwSignal<bool>) -> impl IntoView {
    let mut groups: Vec<Result<ClauseDiff, Vec<ClauseDiff>>> = Vec::new();
    for clause in clauses {
        if clause.kind == ChangeKind::Unchanged && !clause.moved {
            match groups.last_mut() {
                Some(Err(run)) => run.push(clause),
                _ => groups.push(Err(vec![clause])),
            }
        } else {
            groups.push(Ok(clause));
        }
    }
    groups
        .into_iter()
        .map(|group| match group {
            Ok(clause) => view! { <ClauseChange clause id to side_by_side/> }.into_any(),
            Err(run) => view! { <UnchangedRun run id to/> }.into_any(),
        })
        .collect_view()
}

/// Unchanged clauses unfolded at a time: a run may hold thousands of them.
const UNFOLD_BATCH: usize = 50;

/// A run of unchanged clauses, folded: its first and last clause name it. Opened, it lists
/// links to the clauses (without JavaScript) and then loads their text, a batch at a time.
#[component]
fn UnchangedRun(run: Vec<ClauseDiff>, id: i64, to: i32) -> impl IntoView {
    let total = run.len();
    let name = match (run.first(), run.last()) {
        (Some(first), Some(last)) if total > 1 => format!(" : {} … {}", first.label(), last.label()),
        (Some(only), _) => format!(" : {}", only.label()),
        _ => String::new(),
    };
    let links = run
        .iter()
        .map(|c| {
            (
                format!("/consultations/{id}/versions/{to}#{}", c.id),
                c.label().to_owned(),
            )
        })
        .collect::<Vec<_>>();
    let ids = StoredValue::new(run.into_iter().map(|c| c.id).collect::<Vec<_>>());
    let texts = RwSignal::new(Vec::<RenderedPart>::new());
    let asked = RwSignal::new(0usize); // clauses requested so far
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let load_more = move || {
        if loading.get_untracked() {
            return;
        }
        let from = asked.get_untracked();
        let batch: Vec<String> = ids.with_value(|ids| ids.iter().skip(from).take(UNFOLD_BATCH).cloned().collect());
        if batch.is_empty() {
            return;
        }
        loading.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let count = batch.len();
            match version_clauses(id, to, batch).await {
                Ok(parts) => {
                    texts.update(|t| t.extend(parts));
                    asked.set(from + count);
                }
                Err(error) => failure.set(Some(error.to_string())),
            }
            loading.set(false);
        });
    };
    // Closing a long run from its end: its summary has scrolled away (under the sticky bar).
    let details = NodeRef::<leptos::html::Details>::new();
    let fold = move |_| {
        if let Some(details) = details.get() {
            let _ = details.remove_attribute("open");
            details.scroll_into_view();
        }
    };
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
        if open && asked.get_untracked() == 0 {
            load_more();
        }
    };
    view! {
        <details class="unchanged" on:toggle=on_toggle node_ref=details>
            <summary>{total} " clause(s) inchangée(s)" <span class="muted">{name}</span></summary>
            {move || (asked.get() == 0).then(|| view! {
                <ul>
                    {links.iter().map(|(href, label)| view! { <li><a href=href.clone()>{label.clone()}</a></li> }).collect_view()}
                </ul>
            })}
            <div class="unchanged__texts prose spec__text">
                // Rendered and sanitised by the server.
                {move || texts.get().into_iter().map(|part| view! { <div inner_html=part.html></div> }).collect_view()}
            </div>
            {move || loading.get().then(|| view! { <p class="loading" role="status">"Chargement du texte…"</p> })}
            {move || failure.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            {move || {
                let left = total - asked.get();
                (asked.get() > 0 && left > 0 && !loading.get()).then(|| view! {
                    <button type="button" class="button button--secondary button--small" on:click=move |_| load_more()>
                        {format!("Afficher {} clause(s) de plus (sur {left})", left.min(UNFOLD_BATCH))}
                    </button>
                })
            }}
            {move || (asked.get() > 0).then(|| view! {
                <button type="button" class="button button--secondary button--small unchanged__fold" on:click=fold>
                    "Replier ces clauses"
                </button>
            })}
        </details>
    }
}

#[component]
fn ClauseChange(clause: ClauseDiff, id: i64, to: i32, side_by_side: RwSignal<bool>) -> impl IntoView {
    let kind = clause.kind;
    let (badge, class) = match kind {
        ChangeKind::Unchanged => ("Déplacée", "moved"),
        other => (other.label_fr(), kind_class(other)),
    };
    let renamed = match (&clause.old_label, &clause.new_label) {
        (Some(a), Some(b)) if a != b => Some(format!("anciennement « {a} »")),
        _ => None,
    };
    let link = clause
        .new_index
        .map(|_| format!("/consultations/{id}/versions/{to}#{}", clause.id));
    view! {
        <article class=format!("change change--{class}") id=anchor(&clause.id) tabindex="-1">
            <h3 class="change__head">
                {clause.label().to_owned()}
                <span class=format!("badge badge--{class}")>{badge}</span>
                {(clause.moved && kind != ChangeKind::Unchanged).then(|| view! { <span class="badge badge--moved">"Déplacée"</span> })}
                {clause.replaced.then(|| view! { <span class="badge">"Réécrite"</span> })}
            </h3>
            {renamed.map(|r| view! { <p class="muted small">{r}</p> })}
            {link.map(|href| view! { <p class="small"><a href=href>"Lire la clause dans la version " {to}</a></p> })}
            <FollowedContributions clause_id=clause.id.clone() id/>
            {(kind != ChangeKind::Unchanged).then(|| view! {
                <ChangeBody segments=clause.segments replaced=clause.replaced side_by_side/>
            })}
        </article>
    }
}

fn kind_class(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Modified => "modified",
        ChangeKind::Unchanged => "unchanged",
    }
}

/// How the words of a change are shown: as formatted text (headings, lists, tables rendered) or
/// as the Markdown written. Shared by every change of the page.
#[derive(Clone, Copy)]
struct Formatted(RwSignal<bool>);

/// The words of a change: two columns (old, new) or one column with deletions and insertions,
/// each as formatted text or as Markdown.
#[component]
fn ChangeBody(segments: Vec<Segment>, replaced: bool, side_by_side: RwSignal<bool>) -> impl IntoView {
    const OLD: &[Op] = &[Op::Equal, Op::Delete];
    const NEW: &[Op] = &[Op::Equal, Op::Insert];
    const ALL: &[Op] = &[Op::Equal, Op::Delete, Op::Insert];
    let Formatted(formatted) = expect_context::<Formatted>();
    let segments = StoredValue::new(segments);
    let side = move |keep: &'static [Op]| {
        move || {
            if formatted.get() {
                // Safe HTML: the shared Markdown renderer, plus <del>/<ins> around escaped text.
                let html = segments.with_value(|s| render_changes(s, keep, 2));
                if html.trim().is_empty() {
                    // The old side of an added clause, the new side of a removed one.
                    return view! { <p class="muted small">"Absente de cette version."</p> }.into_any();
                }
                view! { <div class="prose change__prose" inner_html=html></div> }.into_any()
            } else {
                let words = segments.with_value(|s| {
                    s.iter()
                        .filter(|s| keep.contains(&s.op))
                        .map(|s| match s.op {
                            Op::Equal => view! { <span>{s.text.clone()}</span> }.into_any(),
                            Op::Delete => view! { <del>{s.text.clone()}</del> }.into_any(),
                            Op::Insert => view! { <ins>{s.text.clone()}</ins> }.into_any(),
                        })
                        .collect_view()
                });
                view! { <pre>{words}</pre> }.into_any()
            }
        }
    };
    let class = if replaced {
        "change__text change__text--replaced"
    } else {
        "change__text"
    };
    view! {
        <div class="change__sides" class:hidden=move || !side_by_side.get()>
            <div class=class><p class="change__side-title">"Avant"</p>{side(OLD)}</div>
            <div class=class><p class="change__side-title">"Après"</p>{side(NEW)}</div>
        </div>
        <div class=class class:hidden=move || side_by_side.get()>{side(ALL)}</div>
    }
}

#[component]
fn CriteriaChanges(criteria: Vec<CriterionDiff>) -> impl IntoView {
    let changed: Vec<CriterionDiff> = criteria
        .into_iter()
        .filter(|c| c.kind != ChangeKind::Unchanged)
        .collect();
    (!changed.is_empty()).then(|| view! {
        <section class="panel wide criteria-changes" aria-labelledby="criteria-changes-title">
            <h3 id="criteria-changes-title">"Critères d'attribution"</h3>
            <div class="table-scroll">
            <table class="data-table">
                <thead><tr><th scope="col">"Critère"</th><th scope="col">"Changement"</th><th scope="col" class="number">"Avant"</th><th scope="col" class="number">"Après"</th></tr></thead>
                <tbody>
                    {changed.into_iter().map(|c| {
                        let name = c.new.as_ref().or(c.old.as_ref()).map(|x| x.name.clone()).unwrap_or_default();
                        let described = match (&c.old, &c.new) {
                            (Some(a), Some(b)) if a.description != b.description => " (description modifiée)",
                            _ => "",
                        };
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{c.kind.label_fr()}{described}</td>
                                <td class="number">{c.old.map(|x| format!("{} %", x.weight)).unwrap_or_else(|| "—".into())}</td>
                                <td class="number">{c.new.map(|x| format!("{} %", x.weight)).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    })
}
