use crate::api::consultations::get_consultation;
use crate::api::contributions::list_contributions;
use crate::api::drafting::AdvanceStatus;
use crate::domain::calendar::{Date, Phase};
use crate::domain::criteria::Criterion;
use crate::domain::format::{date_fr, instant_date_fr, period_fr};
use crate::error::AppError;
use crate::model::ConsultationStatus;
use crate::model::{ConsultationDetail, ContributionBoard, OutlineEntry, SpecVersionView};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::ActionMessage;
use crate::ui::components::status::{ModeBadge, StatusBadge};
use crate::ui::components::timeline::{sourcing_bars, Timeline};
use crate::ui::dialogue::{
    self, ClauseBlock, CriterionDialogue, Dialogue, LiveAnnouncer, OrphanedContributions, ParticipationBar,
    SelectionBar,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// What the consultation page loads, started by its route before the page's code has arrived
/// (see `app::ConsultationRoute`): the consultation with its version, and the contributions,
/// fetched at the same time.
#[derive(Clone, Copy)]
pub struct ConsultationData {
    detail: Resource<Result<ConsultationDetail, AppError>, TextInPage>,
    board: Resource<Result<ContributionBoard, AppError>>,
    advance: ServerAction<AdvanceStatus>,
}

impl ConsultationData {
    pub fn start() -> ConsultationData {
        let params = use_params_map();
        let wanted = move || {
            let params = params.read();
            let id = params.get("id").and_then(|s| s.parse::<i64>().ok());
            // `/versions/:n`: an older version; a number that does not parse is a missing page.
            let version = params.get("n").map(|s| s.parse::<i64>().ok());
            (id, version)
        };
        // A step change reloads the page's data (with JavaScript; without, the server redirects).
        let advance = ServerAction::<AdvanceStatus>::new();
        let detail = Resource::new_with_options(
            move || (wanted(), advance.version().get()),
            |((id, version), _)| async move {
                match (id, version) {
                    (Some(id), None) => get_consultation(id, None).await,
                    (Some(id), Some(Some(n))) => get_consultation(id, Some(n)).await,
                    _ => Err(AppError::not_found("Cette page")),
                }
            },
            false,
        );
        let board = Resource::new(
            move || (wanted(), advance.version().get()),
            |((id, version), _)| async move {
                match (id, version) {
                    (Some(id), None) => list_contributions(id, None).await,
                    (Some(id), Some(Some(n))) => list_contributions(id, Some(n as i32)).await,
                    _ => Err(AppError::not_found("Cette page")),
                }
            },
        );
        ConsultationData { detail, board, advance }
    }
}

/// How the consultation travels from the server to the browser with a page built by the server:
/// in JSON, but without the HTML of the version's text or its outline, which the page already
/// carries once (the Code civil's 1.2 MB were sent twice, and the JSON one escaped twice; its
/// outline, 2,793 entries, 235 KB). The browser, as it hydrates, takes each part back from the
/// clause the server drew (`data-clause`) and the outline from the page's plan. A navigation in
/// the browser fetches the consultation through its server function, text included: this codec
/// is only the page's.
pub struct TextInPage;

impl leptos::server::codee::Encoder<Result<ConsultationDetail, AppError>> for TextInPage {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(detail: &Result<ConsultationDetail, AppError>) -> Result<String, serde_json::Error> {
        let Ok(detail) = detail else {
            return serde_json::to_string(detail);
        };
        // Copied field by field, the parts without their HTML: cloning the whole detail would
        // copy the text (1.2 MB on the Code civil) only to drop it. No `..`: a field added later
        // must be placed here by hand.
        let ConsultationDetail {
            summary,
            object,
            cpv_codes,
            current_version,
            can_edit,
            reads_record,
            minutes_overdue,
            dossier_published_at,
            calendar,
            today,
        } = detail;
        let current_version = current_version.as_ref().map(|version| {
            let SpecVersionView {
                number,
                published_at,
                changelog,
                outline: _,
                parts,
                criteria,
                author,
            } = version;
            SpecVersionView {
                number: *number,
                published_at: *published_at,
                changelog: changelog.clone(),
                // Read back from the page's plan (`outline_from_page`).
                outline: Vec::new(),
                parts: parts
                    .iter()
                    .map(|part| crate::domain::markdown::RenderedPart {
                        clause_id: part.clause_id.clone(),
                        html: String::new(),
                    })
                    .collect(),
                criteria: criteria.clone(),
                author: author.clone(),
            }
        });
        let lean: Result<ConsultationDetail, AppError> = Ok(ConsultationDetail {
            summary: summary.clone(),
            object: object.clone(),
            cpv_codes: cpv_codes.clone(),
            current_version,
            can_edit: *can_edit,
            reads_record: *reads_record,
            minutes_overdue: minutes_overdue.clone(),
            dossier_published_at: *dossier_published_at,
            calendar: calendar.clone(),
            today: *today,
        });
        serde_json::to_string(&lean)
    }
}

impl leptos::server::codee::Decoder<Result<ConsultationDetail, AppError>> for TextInPage {
    type Error = String;
    type Encoded = str;

    fn decode(json: &str) -> Result<Result<ConsultationDetail, AppError>, String> {
        let mut detail: Result<ConsultationDetail, AppError> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if let Ok(ConsultationDetail {
            current_version: Some(version),
            ..
        }) = &mut detail
        {
            text_from_page(&mut version.parts)?;
            version.outline = outline_from_page(!version.criteria.is_empty())?;
        }
        Ok(detail)
    }
}

/// Gives each part of the text the HTML the server drew for it in this page. A part missing
/// from the page is an error: the page was changed after the server drew it (in the browser),
/// and cannot hydrate either way (Leptos then fetches the consultation, but the page's
/// placeholder no longer matches the server's HTML: tried in session 29).
#[cfg(feature = "hydrate")]
fn text_from_page(parts: &mut [crate::domain::markdown::RenderedPart]) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let document = document();
    let missing = || "le texte de la version n'est pas dans la page".to_string();
    let clauses = document
        .query_selector_all(".spec__text [data-clause]")
        .map_err(|_| missing())?;
    let mut drawn = std::collections::HashMap::new();
    for i in 0..clauses.length() {
        if let Some(element) = clauses.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
            if let Some(id) = element.get_attribute("data-clause") {
                drawn.insert(id, element.inner_html());
            }
        }
    }
    for part in parts {
        part.html = match &part.clause_id {
            Some(id) => drawn.remove(id).ok_or_else(missing)?,
            None => document
                .query_selector(".spec__text .clause--preamble > .prose")
                .ok()
                .flatten()
                .ok_or_else(missing)?
                .inner_html(),
        };
    }
    Ok(())
}

/// The server never decodes what it sends.
#[cfg(not(feature = "hydrate"))]
fn text_from_page(_: &mut [crate::domain::markdown::RenderedPart]) -> Result<(), String> {
    Err("not in a browser".to_string())
}

/// The outline, read back from the page's plan as the server drew it (`SpecificationText`): for
/// each clause, the link's target, the number, the title and the level. The plan ends with a
/// line for the criteria when there are some. A plan that cannot be read is an error, as a
/// missing part is for `text_from_page`.
#[cfg(feature = "hydrate")]
fn outline_from_page(has_criteria: bool) -> Result<Vec<OutlineEntry>, String> {
    use wasm_bindgen::JsCast;
    let missing = || "le plan de la version n'est pas dans la page".to_string();
    let items = document()
        .query_selector_all("nav.outline > ol > li.outline__item")
        .map_err(|_| missing())?;
    let clauses = (items.length() as usize)
        .checked_sub(usize::from(has_criteria))
        .ok_or_else(missing)?;
    (0..clauses)
        .map(|i| {
            let item = items
                .item(i as u32)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                .ok_or_else(missing)?;
            let link = item.query_selector("a").ok().flatten().ok_or_else(missing)?;
            let clause_id = link
                .get_attribute("href")
                .and_then(|href| href.strip_prefix('#').map(str::to_string))
                .ok_or_else(missing)?;
            let level = item
                .class_name()
                .split_whitespace()
                .find_map(|class| class.strip_prefix("outline__item--l")?.parse().ok())
                .ok_or_else(missing)?;
            let number = link
                .query_selector(".outline__number")
                .ok()
                .flatten()
                .and_then(|number| number.text_content());
            // The title: the link's own text, after the number and the space that follows it.
            let children = link.child_nodes();
            let mut title = String::new();
            for n in 0..children.length() {
                if let Some(text) = children
                    .item(n)
                    .filter(|node| node.node_type() == web_sys::Node::TEXT_NODE)
                {
                    title.push_str(&text.text_content().unwrap_or_default());
                }
            }
            if number.is_some() && title.starts_with(' ') {
                title.remove(0);
            }
            Ok(OutlineEntry {
                clause_id,
                number,
                title,
                level,
            })
        })
        .collect()
}

/// The server never decodes what it sends.
#[cfg(not(feature = "hydrate"))]
fn outline_from_page(_: bool) -> Result<Vec<OutlineEntry>, String> {
    Err("not in a browser".to_string())
}

#[component]
pub fn ConsultationPage(data: ConsultationData) -> impl IntoView {
    provide_context(data.advance);
    provide_context(data.board);
    let consultation = data.detail;
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement de la consultation…"</p> }>
            {move || Suspend::new(async move {
                match consultation.await {
                    Ok(detail) => view! { <ConsultationView detail/> }.into_any(),
                    Err(error) => view! { <Title text="Consultation introuvable"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsultationView(detail: ConsultationDetail) -> impl IntoView {
    let ConsultationDetail {
        summary,
        object,
        cpv_codes,
        current_version,
        can_edit,
        reads_record,
        minutes_overdue,
        dossier_published_at,
        calendar,
        today,
    } = detail;
    let dates = summary.dates;
    // Only the step the server would accept (the same rule decides both).
    let next_step = crate::domain::consultation::manual_step(
        summary.status,
        summary.mode,
        calendar.is_some(),
        current_version.is_some(),
    )
    .ok()
    .filter(|_| can_edit);
    let id = summary.id;
    view! {
        <Title text=summary.title.clone()/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane"><a href="/">"Consultations"</a>" › "<span>{summary.title.clone()}</span></nav>
        <header class="consultation-header">
            <div class="consultation-card__badges">
                <StatusBadge status=summary.status/>
                <ModeBadge mode=summary.mode/>
            </div>
            <h1>{summary.title}</h1>
            <p class="consultation-card__buyer">{summary.buyer_name}</p>
            <p class="lead">{object}</p>
            <dl class="key-facts">
                {dates.exchanges_start.zip(dates.exchanges_end).map(|(s, e)| view! {
                    <div><dt>"Échanges"</dt><dd>{period_fr(&s, &e)}</dd></div>
                })}
                {dates.expected_tender.map(|d| view! {
                    <div><dt>"Appel d'offres prévu"</dt><dd>{date_fr(&d)}</dd></div>
                })}
                <div><dt>"Départements"</dt><dd>{summary.departements.join(", ")}</dd></div>
                <div><dt>"Codes CPV"</dt><dd>{cpv_codes.join(", ")}</dd></div>
            </dl>
            {can_edit.then(|| view! { <BuyerActions id next_step has_version=summary.latest_version.is_some()/> })}
            {reads_record.then(|| view! { <RecordLinks id status=summary.status/> })}
            {dossier_published_at.map(|at| view! {
                <p class="dossier-link">
                    <strong>"Dossier de sourcing"</strong> " publié le " {instant_date_fr(at)} " : "
                    <a href=format!("/consultations/{id}/dossier.pdf") download="">"Télécharger le PDF"</a> " · "
                    <a href=format!("/consultations/{id}/dossier")>"Lire en ligne"</a>
                </p>
            })}
            {(!minutes_overdue.is_empty()).then(|| view! {
                <p class="notice notice--reminder" role="status">
                    {reminder_fr(&minutes_overdue)} " "
                    <a href=format!("/consultations/{id}/comptes-rendus")>"Publier les comptes rendus"</a>
                </p>
            })}
        </header>
        {calendar.map(|c| view! {
            <section class="panel wide calendar-summary" aria-labelledby="calendar-title">
                <div class="retro-plan__head">
                    <h2 id="calendar-title">"Calendrier du sourcing"</h2>
                    <a class="button button--secondary button--small" href=format!("/consultations/{id}/calendrier.ics") download="">
                        "Ajouter à mon agenda (.ics)"
                    </a>
                </div>
                <p class="next-step">{next_event_fr(&c.phases, today)}</p>
                <Timeline bars=sourcing_bars(&c.phases) today title="Phases du sourcing"/>
            </section>
        })}
        {match current_version {
            Some(version) => view! { <SpecificationView id=summary.id version/> }.into_any(),
            None => view! {
                <p class="empty">"L'acheteur n'a pas encore publié de projet de cahier des charges."</p>
            }.into_any(),
        }}
    }
}

#[component]
fn SpecificationView(id: i64, version: SpecVersionView) -> impl IntoView {
    let number = version.number;
    // The contributions of this version, fetched with the page (on the server for the first
    // paint), then kept in a signal that live events refresh without re-rendering the text. If
    // a version was published between the two fetches, the board is read again for this one.
    let first = expect_context::<Resource<Result<ContributionBoard, AppError>>>();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement du cahier des charges…"</p> }>
            {move || {
                let version = version.clone();
                Suspend::new(async move {
                    let board = match first.await {
                        Ok(board) if board.version == number => Some(board),
                        _ => dialogue::load(id, number).await.ok(),
                    };
                    view! { <SpecificationText id version board/> }
                })
            }}
        </Suspense>
    }
}

#[component]
fn SpecificationText(
    id: i64,
    version: SpecVersionView,
    board: Option<crate::model::ContributionBoard>,
) -> impl IntoView {
    let SpecVersionView {
        number,
        published_at,
        changelog,
        outline,
        parts,
        criteria,
        author,
    } = version;
    let dialogue = Dialogue::new(id, number, board);
    dialogue::follow_live(dialogue);
    let has_criteria = !criteria.is_empty();
    let labels: std::collections::HashMap<String, String> = outline
        .iter()
        .map(|e| {
            (
                e.clause_id.clone(),
                e.number
                    .iter()
                    .cloned()
                    .chain([e.title.clone()])
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    view! {
        <section class="spec" aria-labelledby="spec-title">
            <div class="spec__head">
                <h2 id="spec-title">"Projet de cahier des charges — version " {number}</h2>
                <p class="muted">
                    "Publiée le " {instant_date_fr(published_at)}
                    {author.map(|a| format!(" par {a}"))} " · "
                    <a href=format!("/consultations/{id}/historique")>"Historique des versions"</a> " · "
                    {(number > 1).then(|| view! {
                        <a href=format!("/consultations/{id}/comparer?de={}&a={number}", number - 1)>"Comparer avec la version " {number - 1}</a> " · "
                    })}
                    "Télécharger : "
                    <a href=format!("/consultations/{id}/versions/{number}/cctp.docx") download="">"Word (.docx)"</a> ", "
                    <a href=format!("/consultations/{id}/versions/{number}/cctp.md") download="">"Markdown"</a>
                </p>
                {(!changelog.is_empty()).then(|| view! {
                    <p class="changelog"><strong>"Ce qui a changé : "</strong>{changelog}</p>
                })}
                <ParticipationBar dialogue/>
            </div>
            <div class="spec__layout">
                <nav class="outline" aria-label="Plan du cahier des charges">
                    <h3>"Plan"</h3>
                    <ol>
                        {outline.into_iter().map(|entry| {
                            let count = dialogue::outline_count(dialogue, &entry);
                            view! {
                                <li class=format!("outline__item outline__item--l{}", entry.level)>
                                    <a href=format!("#{}", entry.clause_id)>
                                        {entry.number.map(|n| view! { <span class="outline__number">{n}</span>" " })}
                                        {entry.title}
                                    </a>
                                    {count}
                                </li>
                            }
                        }).collect_view()}
                        {has_criteria.then(|| view! {
                            <li class="outline__item outline__item--l2"><a href="#criteres">"Critères d'attribution"</a></li>
                        })}
                    </ol>
                </nav>
                <div class="spec__main">
                    <article class="spec__text" aria-label="Texte du cahier des charges">
                        {parts.into_iter().map(|part| {
                            let label = part.clause_id.as_ref().and_then(|c| labels.get(c)).cloned().unwrap_or_default();
                            view! { <ClauseBlock dialogue part label/> }
                        }).collect_view()}
                    </article>
                    <CriteriaTable criteria dialogue/>
                    <OrphanedContributions dialogue/>
                </div>
            </div>
            <SelectionBar dialogue/>
            <LiveAnnouncer dialogue/>
        </section>
    }
}

/// The award criteria of a version, each with its id as anchor and its contributions.
#[component]
fn CriteriaTable(criteria: Vec<Criterion>, dialogue: Dialogue) -> impl IntoView {
    if criteria.is_empty() {
        return None;
    }
    Some(view! {
        <section class="criteria" id="criteres" aria-labelledby="criteria-title">
            <h3 id="criteria-title">"Critères d'attribution"</h3>
            <table class="data-table">
                <thead><tr><th scope="col">"Critère"</th><th scope="col" class="number">"Pondération"</th><th scope="col">"Ce qui sera apprécié"</th></tr></thead>
                <tbody>
                    {criteria.iter().cloned().map(|c| view! {
                        <tr id=c.id>
                            <th scope="row">{c.name}</th>
                            <td class="number">{c.weight} " %"</td>
                            <td>{c.description}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {criteria.into_iter().map(|criterion| view! {
                <div class="criterion-block">
                    <h4 class="criterion-block__title">{criterion.name.clone()}</h4>
                    <CriterionDialogue dialogue criterion/>
                </div>
            }).collect_view()}
        </section>
    })
}

/// What the buyer can do from the consultation page: write the next version, move to the next
/// step. The server checks both again.
#[component]
fn BuyerActions(id: i64, next_step: Option<ConsultationStatus>, has_version: bool) -> impl IntoView {
    let advance = expect_context::<ServerAction<AdvanceStatus>>();
    view! {
        <div class="buyer-actions">
            <a class="button" href=format!("/consultations/{id}/rediger")>
                {if has_version { "Rédiger la version suivante" } else { "Rédiger le cahier des charges" }}
            </a>
            <a class="button button--secondary" href=format!("/consultations/{id}/calendrier")>"Planifier le calendrier"</a>
            {next_step.map(|to| view! {
                <ActionForm action=advance attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="to" value=to.as_str()/>
                    <button type="submit" class="button button--secondary">{to.action_fr()}</button>
                </ActionForm>
            })}
            <ActionMessage value=move || advance.value().get()/>
        </div>
    }
}

/// The review and the registers, for the buyer's organisation and its reviewers.
#[component]
fn RecordLinks(id: i64, status: ConsultationStatus) -> impl IntoView {
    let review = match status {
        ConsultationStatus::Drafting => "Relecture : demander la validation",
        ConsultationStatus::InReview => "Relecture : validation demandée",
        _ => "Relecture et validation",
    };
    view! {
        <p class="record-links">
            <a href=format!("/consultations/{id}/relecture")>{review}</a>
            " · "
            <a href=format!("/consultations/{id}/invitations")>"Entreprises invitées"</a>
            " · "
            <a href=format!("/consultations/{id}/comptes-rendus")>"Comptes rendus"</a>
            " · "
            <a href=format!("/consultations/{id}/dossier?edition=interne")>"Dossier de sourcing"</a>
            " · "
            <a href=format!("/consultations/{id}/registres")>"Registres des participants et des accès"</a>
        </p>
    }
}

/// The buyer's reminder of unpublished minutes: "Le compte rendu de la réunion du 18 novembre
/// 2026 n'est pas publié, trois jours ouvrés après."
fn reminder_fr(meetings: &[i64]) -> String {
    let dates: Vec<String> = meetings.iter().map(|at| instant_date_fr(*at)).collect();
    match dates.as_slice() {
        [one] => format!(
            "Le compte rendu de la réunion du {one} n'est pas publié, trois jours ouvrés après : les entreprises participantes l'attendent."
        ),
        _ => format!(
            "Les comptes rendus des réunions du {} ne sont pas publiés, trois jours ouvrés après : les entreprises participantes les attendent.",
            dates.join(", du ")
        ),
    }
}

/// What happens next, in a sentence: "Les échanges se terminent le vendredi 27 novembre 2026."
fn next_event_fr(phases: &[Phase], today: Date) -> String {
    if let Some(current) = phases.iter().find(|p| p.contains(today)) {
        return format!(
            "En cours : {} jusqu'au {} inclus.",
            current.kind.label_fr().to_lowercase(),
            current.end.format_fr_long()
        );
    }
    match phases.iter().find(|p| p.start > today) {
        Some(next) => format!(
            "Prochaine étape : {} à partir du {}.",
            next.kind.label_fr().to_lowercase(),
            next.start.format_fr_long()
        ),
        None => "Toutes les phases du sourcing sont terminées.".into(),
    }
}
