//! The home page of each role, where a person lands after signing in.

use crate::api::account::current_user;
use crate::api::consultations::{list_consultations, my_consultations, my_to_do};
use crate::error::AppError;
use crate::model::{ConsultationStatus, ConsultationSummary, PendingReview, Role, SessionUser, ToDo, ToDoCount};
use crate::ui::components::consultation_card::ConsultationCard;
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;

/// What a home page shows: who is signed in, their consultations, what waits for them, and for
/// reviewers the requests for validation. One resource for the page: a second one, started once
/// the first has arrived, could be rendered by the server as its fallback and by the browser with
/// its value (a hydration error).
pub type HomeData = Resource<(
    Result<Option<SessionUser>, AppError>,
    Result<Vec<ConsultationSummary>, AppError>,
    Result<ToDo, AppError>,
    Option<Result<Vec<PendingReview>, AppError>>,
)>;

/// Buyers' home, started by the route (see `app.rs`); fetched together.
pub fn buyer_home_data() -> HomeData {
    Resource::new(
        || (),
        |_| async {
            let (me, list, to_do) = futures::join!(current_user(), my_consultations(), my_to_do());
            (me, list, to_do, None)
        },
    )
}

/// Reviewers' home, started by the route (see `app.rs`); fetched together.
pub fn reviewer_home_data() -> HomeData {
    Resource::new(
        || (),
        |_| async {
            let (me, list, to_do, reviews) = futures::join!(
                current_user(),
                my_consultations(),
                my_to_do(),
                crate::api::record::get_pending_reviews()
            );
            (me, list, to_do, Some(reviews))
        },
    )
}

/// Companies' home, started by the route (see `app.rs`); fetched together.
pub fn supplier_home_data() -> HomeData {
    Resource::new(
        || (),
        |_| async {
            let (me, list, to_do) = futures::join!(current_user(), list_consultations(), my_to_do());
            (me, list, to_do, None)
        },
    )
}

#[component]
fn ConsultationCards(list: Vec<ConsultationSummary>, empty: &'static str) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="consultation-list" aria-label="Consultations">
            {list.into_iter().map(|c| view! { <ConsultationCard consultation=c/> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Buyers: the consultations of their organisation, drafts included. Reviewers: those of the
/// organisations they review.
#[component]
pub fn BuyerHomePage(data: HomeData) -> impl IntoView {
    own_consultations_page(
        data,
        Role::Buyer,
        "Mes consultations",
        "les consultations de votre organisation, brouillons compris.",
        "Votre organisation n'a pas encore de consultation.",
    )
}

#[component]
pub fn ReviewerHomePage(data: HomeData) -> impl IntoView {
    own_consultations_page(
        data,
        Role::Reviewer,
        "Consultations à relire",
        "les consultations des acheteurs que vous accompagnez, brouillons compris.",
        "Aucune consultation à relire pour le moment.",
    )
}

fn own_consultations_page(
    data: HomeData,
    role: Role,
    title: &'static str,
    lead: &'static str,
    empty: &'static str,
) -> impl IntoView {
    view! {
        <Title text=title/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    (Ok(Some(me)), Ok(list), to_do, reviews) if me.role == role => view! {
                        <div class="page-intro page-intro--with-action">
                            <div>
                                <h1>{title}</h1>
                                <p class="lead">{lead_fr(me.organisation_name.as_deref(), lead)}</p>
                            </div>
                            {(role == Role::Buyer).then(|| view! {
                                <a class="button" href="/acheteur/nouvelle-consultation">"Nouvelle consultation"</a>
                            })}
                        </div>
                        {reviews.map(|reviews| view! { <PendingReviews reviews/> })}
                        {(role == Role::Buyer).then(|| {
                            let drafts = list.iter().filter(|c| c.status == ConsultationStatus::Draft).cloned().collect();
                            view! { <ToDoPanel to_do drafts/> }
                        })}
                        <ConsultationCards list empty/>
                    }.into_any(),
                    (_, Err(error), _, _) | (Err(error), _, _, _) => view! { <ErrorPanel error/> }.into_any(),
                    (Ok(Some(me)), Ok(_), _, _) => view! { <ErrorPanel error=wrong_home(me.role)/> }.into_any(),
                    (Ok(None), Ok(_), _, _) => view! { <ErrorPanel error=sign_in_first()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What waits for a buyer or a company, before the list of everything: contributions to answer
/// or answers received, phases ending within two weeks, drafts to finish.
#[component]
fn ToDoPanel(to_do: Result<ToDo, AppError>, drafts: Vec<ConsultationSummary>) -> impl IntoView {
    view! {
        <section class="panel wide to-do" aria-labelledby="to-do-title">
            <h2 id="to-do-title">"À traiter"</h2>
            {to_do_lists(to_do, drafts)}
        </section>
    }
}

fn to_do_lists(to_do: Result<ToDo, AppError>, drafts: Vec<ConsultationSummary>) -> AnyView {
    let to_do = match to_do {
        Ok(to_do) => to_do,
        Err(error) => return view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
    };
    if to_do.to_answer.is_empty() && to_do.answers.is_empty() && to_do.deadlines.is_empty() && drafts.is_empty() {
        return view! {
                            <p class="empty">"Rien en attente : aucune réponse à donner ou reçue, aucune échéance dans les deux semaines."</p>
                        }.into_any();
    }
    let counts = |items: Vec<ToDoCount>, one: &'static str, many: &'static str, page: &'static str| {
        items
            .into_iter()
            .map(move |i| {
                view! {
                    <li>
                        <a href=format!("/consultations/{}{page}", i.consultation_id)>
                            {i.count} " " {if i.count > 1 { many } else { one }}
                        </a>
                        <span class="muted">" — " {i.title}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let group = |title: &'static str, items: AnyView, empty: bool| {
        (!empty).then(|| {
            view! {
                <div class="to-do__group">
                    <h3>{title}</h3>
                    <ul class="to-do__list">{items}</ul>
                </div>
            }
        })
    };
    let (no_answer, no_answers, no_deadline, no_draft) = (
        to_do.to_answer.is_empty(),
        to_do.answers.is_empty(),
        to_do.deadlines.is_empty(),
        drafts.is_empty(),
    );
    view! {
                        <div class="to-do__groups">
                            {group("Contributions à traiter", counts(to_do.to_answer,
                                "contribution attend votre réponse", "contributions attendent votre réponse", "/contributions").into_any(), no_answer)}
                            {group("Réponses reçues", counts(to_do.answers,
                                "réponse de l'acheteur à vos contributions", "réponses de l'acheteur à vos contributions", "").into_any(), no_answers)}
                            {group("Échéances", to_do.deadlines.into_iter().map(|d| view! {
                                <li>
                                    <a href=format!("/consultations/{}", d.consultation_id)>
                                        {d.phase.label_fr()} " : fin le " {d.ends.format_fr_long()}
                                    </a>
                                    <span class="muted">" — " {d.title}</span>
                                </li>
                            }).collect_view().into_any(), no_deadline)}
                            {group("Brouillons", drafts.into_iter().map(|c| view! {
                                <li>
                                    <a href=format!("/consultations/{}/rediger", c.id)>"Reprendre la rédaction"</a>
                                    <span class="muted">" — " {c.title}</span>
                                </li>
                            }).collect_view().into_any(), no_draft)}
                        </div>
                    }.into_any()
}

/// Reviewers: the requests for validation waiting for a decision.
#[component]
fn PendingReviews(reviews: Result<Vec<PendingReview>, AppError>) -> impl IntoView {
    let list = match reviews {
        Ok(list) if list.is_empty() => view! { <p class="empty">"Aucune demande en attente."</p> }.into_any(),
        Ok(list) => view! {
            <ul class="pending-reviews">
                {list.into_iter().map(|p| view! {
                    <li>
                        <a href=format!("/consultations/{}/relecture", p.consultation_id)>{p.title} " — version " {p.version}</a>
                        <p class="muted">"Demandée par " {p.requested_by} " le " {crate::domain::format::instant_fr(p.requested_at)}</p>
                        <p>{p.message}</p>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any(),
        Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
    };
    view! {
        <section class="panel wide" aria-labelledby="pending-title">
            <h2 id="pending-title">"Demandes de validation en attente"</h2>
            {list}
        </section>
    }
}

/// "Préfecture de Seine-et-Marne — les consultations…", or the sentence alone, capitalised.
fn lead_fr(organisation: Option<&str>, lead: &str) -> String {
    match organisation {
        Some(o) => format!("{o} — {lead}"),
        None => {
            let mut chars = lead.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

fn sign_in_first() -> AppError {
    AppError::Unauthenticated(
        "Connectez-vous pour accéder à cette page : elle est réservée aux comptes JeSaisFaire.".into(),
    )
}

fn wrong_home(role: Role) -> AppError {
    AppError::Forbidden(format!(
        "Cette page est réservée à un autre type de compte. Votre espace est à l'adresse {}.",
        role.home_path()
    ))
}

/// Companies: the consultations open to them.
#[component]
pub fn SupplierHomePage(data: HomeData) -> impl IntoView {
    view! {
        <Title text="Espace entreprise"/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    (Ok(Some(me)), Ok(list), to_do, _) if me.role == Role::Supplier => view! {
                        <div class="page-intro page-intro--with-action">
                            <div>
                            <h1>"Espace entreprise"</h1>
                            <p class="lead">
                                {me.organisation_name.clone().unwrap_or_default()}
                                " — les consultations ouvertes à votre entreprise. Vos contributions apparaissent aux autres entreprises sous un pseudonyme."
                            </p>
                            </div>
                            <a class="button button--secondary" href="/entreprise/planning">"Mon rétroplanning"</a>
                        </div>
                        {match me.organisation_name.is_some() {
                            true => view! { <ToDoPanel to_do drafts=Vec::new()/><super::company::CompanyInvitations/> }.into_any(),
                            false => view! {
                                <p class="notice" role="status">
                                    "Votre demande pour rejoindre votre entreprise attend l'accord d'un de ses membres. "
                                    "D'ici là, vous pouvez lire les consultations publiées mais pas y contribuer."
                                </p>
                            }.into_any(),
                        }}
                        <ConsultationCards list empty="Aucune consultation ne vous est ouverte pour le moment."/>
                    }.into_any(),
                    (_, Err(error), _, _) | (Err(error), _, _, _) => view! { <ErrorPanel error/> }.into_any(),
                    (Ok(Some(me)), Ok(_), _, _) => view! { <ErrorPanel error=wrong_home(me.role)/> }.into_any(),
                    (Ok(None), Ok(_), _, _) => view! { <ErrorPanel error=sign_in_first()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
