//! The review of a consultation by the regional platform (PFRA): the buyer asks for the
//! validation of the latest version; an attached reviewer notes clauses and decides. The sign-off
//! holds for the text whose SHA-256 it shows. Buyer's organisation and its reviewers only.

use crate::api::record::{get_review_board, AddReviewNote, DecideReview, RequestReview};
use crate::domain::format::instant_fr;
use crate::domain::record::ReviewDecision;
use crate::error::AppError;
use crate::model::{ReviewBoard, ReviewView};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::ActionMessage;
use crate::ui::components::status::StatusBadge;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The review page's data and its forms, started by the route (see `app.rs`); each form that
/// succeeds reloads the board.
#[derive(Clone, Copy)]
pub struct ReviewData {
    board: Resource<Result<ReviewBoard, AppError>>,
    request: ServerAction<RequestReview>,
    note: ServerAction<AddReviewNote>,
    decide: ServerAction<DecideReview>,
}

impl ReviewData {
    pub fn start() -> ReviewData {
        let params = use_params_map();
        let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
        let (request, note, decide) = (ServerAction::new(), ServerAction::new(), ServerAction::new());
        let board = Resource::new(
            move || {
                (
                    id(),
                    request.version().get(),
                    note.version().get(),
                    decide.version().get(),
                )
            },
            |(id, ..)| async move {
                match id {
                    Some(id) => get_review_board(id).await,
                    None => Err(AppError::not_found("Cette consultation")),
                }
            },
        );
        ReviewData {
            board,
            request,
            note,
            decide,
        }
    }
}

#[component]
pub fn ReviewPage(data: ReviewData) -> impl IntoView {
    provide_context(data);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement de la relecture…"</p> }>
            {move || Suspend::new(async move {
                match data.board.await {
                    Ok(board) => view! { <ReviewView board/> }.into_any(),
                    Err(error) => view! { <Title text="Relecture"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewView(board: ReviewBoard) -> impl IntoView {
    let data = expect_context::<ReviewData>();
    let ReviewBoard {
        consultation_id: id,
        title,
        status,
        latest_version,
        reviews,
        outline,
        can_request,
        can_decide,
        signed_off,
    } = board;
    let outline = StoredValue::new(outline);
    view! {
        <Title text=format!("Relecture — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Relecture"</span>
        </nav>
        <div class="page-intro">
            <h1>"Relecture et validation"</h1>
            <p class="lead">{title} " " <StatusBadge status/></p>
            <p class="muted">
                "La validation porte sur le texte exact d'une version : son empreinte SHA-256 est celle du fichier Markdown téléchargé. "
                "Les remarques des relecteurs ne sont lues que par l'organisation de l'acheteur et ses relecteurs, jamais par les entreprises."
            </p>
            {signed_off.map(|n| view! {
                <p class="notice notice--ok" role="status">"La version " {n} " est validée : elle peut être transmise à la consultation."</p>
            })}
        </div>
        {(can_request && latest_version.is_some()).then(|| {
            let version = latest_version.unwrap_or_default();
            view! {
                <section class="panel" aria-labelledby="request-title">
                    <h2 id="request-title">"Demander la validation de la version " {version}</h2>
                    <ActionForm action=data.request attr:class="stacked-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="version" value=version.to_string()/>
                        <label for="request-message">"Message au relecteur"</label>
                        <textarea id="request-message" name="message" rows="4" required
                            placeholder="Ce qui a changé depuis les échanges, ce qu'il faut regarder en priorité."></textarea>
                        <button type="submit" class="button">"Demander la validation"</button>
                    </ActionForm>
                    <ActionMessage value=move || data.request.value().get() success="Demande envoyée aux relecteurs rattachés à votre organisation."/>
                </section>
            }
        })}
        {if reviews.is_empty() {
            view! { <p class="empty">"Aucune demande de validation pour le moment."</p> }.into_any()
        } else {
            view! {
                <ol class="reviews" aria-label="Demandes de validation">
                    {reviews.into_iter().map(|review| {
                        let open = review.decision.is_none() && Some(review.version) == latest_version;
                        view! { <ReviewItem review decide=can_decide && open outline/> }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {(!can_request && !can_decide && status == crate::model::ConsultationStatus::Drafting).then(|| view! {
            <p class="muted">"Seuls les acheteurs de la consultation demandent la validation ; seuls les relecteurs rattachés décident."</p>
        })}
    }
}

#[component]
fn ReviewItem(
    review: ReviewView,
    decide: bool,
    outline: StoredValue<Vec<crate::model::OutlineEntry>>,
) -> impl IntoView {
    let data = expect_context::<ReviewData>();
    let request = review.id;
    let badge = match review.decision {
        None => view! { <span class="badge badge--in_review">"En attente de décision"</span> }.into_any(),
        Some(d) => view! { <span class=format!("badge badge--review-{}", d.as_str())>{d.label_fr()}</span> }.into_any(),
    };
    view! {
        <li class="panel review" id=format!("demande-{request}")>
            <h2 class="review__title">"Version " {review.version} " " {badge}</h2>
            <p class="muted">
                "Demandée par " {review.requested_by} " le " {instant_fr(review.requested_at)}
                " · empreinte SHA-256 " <code class="hash">{review.text_sha256}</code>
            </p>
            <p class="review__message">{review.message}</p>
            {review.decided_at.filter(|_| review.decision != Some(ReviewDecision::Superseded)).map(|at| view! {
                <div class="review__decision">
                    <p><strong>{review.decision.map(|d| d.label_fr())}</strong> " par " {review.decided_by.clone().unwrap_or_default()} " le " {instant_fr(at)}</p>
                    {(!review.decision_message.is_empty()).then(|| view! { <p>{review.decision_message.clone()}</p> })}
                </div>
            })}
            {(!review.notes.is_empty()).then(|| view! {
                <h3>"Remarques sur les clauses"</h3>
                <ul class="review__notes">
                    {review.notes.into_iter().map(|n| view! {
                        <li>
                            <p><a href=format!("#{}", n.clause_id)>{n.clause_label}</a> " — " <span class="muted">{n.author} ", " {instant_fr(n.created_at)}</span></p>
                            <p>{n.body}</p>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {decide.then(|| view! {
                <div class="review__forms">
                    <ActionForm action=data.note attr:class="stacked-form">
                        <h3>"Ajouter une remarque sur une clause"</h3>
                        <input type="hidden" name="request" value=request.to_string()/>
                        <label for=format!("note-clause-{request}")>"Clause"</label>
                        <select id=format!("note-clause-{request}") name="clause_id" required>
                            {outline.get_value().into_iter().map(|e| view! {
                                <option value=e.clause_id.clone()>{e.number.map(|n| format!("{n} ")).unwrap_or_default()}{e.title}</option>
                            }).collect_view()}
                        </select>
                        <label for=format!("note-body-{request}")>"Remarque"</label>
                        <textarea id=format!("note-body-{request}") name="body" rows="3" required></textarea>
                        <button type="submit" class="button button--secondary">"Enregistrer la remarque"</button>
                        <ActionMessage value=move || data.note.value().get()/>
                    </ActionForm>
                    <ActionForm action=data.decide attr:class="stacked-form">
                        <h3>"Décision"</h3>
                        <input type="hidden" name="request" value=request.to_string()/>
                        <fieldset class="choice">
                            <legend>"Votre décision sur la version " {review.version}</legend>
                            <label class="checkbox"><input type="radio" name="decision" value=ReviewDecision::Approved.as_str() required/>"Validée"</label>
                            <label class="checkbox"><input type="radio" name="decision" value=ReviewDecision::ChangesRequested.as_str()/>"Modifications demandées"</label>
                        </fieldset>
                        <label for=format!("decision-message-{request}")>"Message à l'acheteur"</label>
                        <textarea id=format!("decision-message-{request}") name="message" rows="3"
                            placeholder="Obligatoire si vous demandez des modifications."></textarea>
                        <button type="submit" class="button">"Enregistrer la décision"</button>
                        <ActionMessage value=move || data.decide.value().get()/>
                    </ActionForm>
                </div>
            })}
        </li>
    }
}
