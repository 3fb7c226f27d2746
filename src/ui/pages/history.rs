use crate::api::consultations::list_versions;
use crate::domain::format::{instant_date_fr, instant_fr};
use crate::error::AppError;
use crate::model::{ReviewBadge, VersionHistory};
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Every published version of a consultation's specification, newest first.
/// Started by the route before the page's code has arrived (see `app.rs`).
pub fn history_data() -> Resource<Result<VersionHistory, AppError>> {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    Resource::new(id, |id| async move {
        match id {
            Some(id) => list_versions(id).await,
            None => Err(AppError::not_found("Cette consultation")),
        }
    })
}

#[component]
pub fn HistoryPage(history: Resource<Result<VersionHistory, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement de l'historique…"</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(history) => view! { <HistoryView history/> }.into_any(),
                    Err(error) => view! { <Title text="Historique introuvable"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryView(history: VersionHistory) -> impl IntoView {
    let VersionHistory {
        consultation_id: id,
        title,
        versions,
        reviews,
    } = history;
    let latest = versions.first().map(|v| v.number);
    view! {
        <Title text=format!("Historique — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Historique"</span>
        </nav>
        <div class="page-intro">
            <h1>"Historique des versions"</h1>
            <p class="lead">{title}</p>
        </div>
        {if versions.is_empty() {
            view! { <p class="empty">"Aucune version n'a encore été publiée."</p> }.into_any()
        } else {
            view! {
                <ol class="history" aria-label="Versions publiées">
                    {versions.into_iter().map(|v| view! {
                        <li class="history__item">
                            <div class="history__head">
                                <h2>
                                    <a href=format!("/consultations/{id}/versions/{}", v.number)>"Version " {v.number}</a>
                                    {(Some(v.number) == latest).then(|| view! { <span class="badge badge--exchanges">"La plus récente"</span> })}
                                </h2>
                                <p class="muted">
                                    "Publiée le " {instant_fr(v.published_at)}
                                    {v.author.map(|a| format!(" par {a}"))}
                                    " · " {count_fr(v.clause_count, "clause")}
                                    {(v.criteria_count > 0).then(|| format!(" · {}", count_fr(v.criteria_count, "critère")))}
                                    " · "
                                    <a href=format!("/consultations/{id}/versions/{}/cctp.docx", v.number) download="">"Word"</a>
                                    " · "
                                    <a href=format!("/consultations/{id}/versions/{}/cctp.md", v.number) download="">"Markdown"</a>
                                    {(v.number > 1).then(|| view! {
                                        " · "
                                        <a href=format!("/consultations/{id}/comparer?de={}&a={}", v.number - 1, v.number)>
                                            "Comparer avec la version " {v.number - 1}
                                        </a>
                                    })}
                                </p>
                            </div>
                            {(!v.changelog.is_empty()).then(|| view! { <p class="history__changelog">{v.changelog}</p> })}
                            <ReviewBadges reviews=reviews.iter().filter(|r| r.version == v.number).cloned().collect()/>
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

/// The requests for validation of a version and their outcome (the messages stay on the review
/// page, for the buyer's organisation and its reviewers).
#[component]
fn ReviewBadges(reviews: Vec<ReviewBadge>) -> impl IntoView {
    (!reviews.is_empty()).then(|| {
        view! {
            <ul class="history__reviews" aria-label="Relecture">
                {reviews.into_iter().rev().map(|r| {
                    let (class, label) = match r.decision {
                        None => ("in_review".to_owned(), "Validation demandée".to_owned()),
                        Some(d) => (format!("review-{}", d.as_str()), d.label_fr().to_owned()),
                    };
                    view! { <li><span class=format!("badge badge--{class}")>{label}</span> " le " {instant_date_fr(r.at)}</li> }
                }).collect_view()}
            </ul>
        }
    })
}

/// `1 clause`, `12 clauses`.
fn count_fr(n: u32, noun: &str) -> String {
    if n <= 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
