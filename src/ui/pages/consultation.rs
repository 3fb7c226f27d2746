use crate::api::consultations::get_consultation;
use crate::error::AppError;
use crate::model::{ConsultationDetail, SpecVersionView};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::status::{ModeBadge, StatusBadge};
use crate::ui::format::{date_fr, instant_date_fr, period_fr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConsultationPage() -> impl IntoView {
    let params = use_params_map();
    let wanted = move || {
        let params = params.read();
        let id = params.get("id").and_then(|s| s.parse::<i64>().ok());
        // `/versions/:n`: an older version; a number that does not parse is a missing page.
        let version = params.get("n").map(|s| s.parse::<i64>().ok());
        (id, version)
    };
    let consultation = Resource::new(wanted, |(id, version)| async move {
        match (id, version) {
            (Some(id), None) => get_consultation(id, None).await,
            (Some(id), Some(Some(n))) => get_consultation(id, Some(n)).await,
            _ => Err(AppError::not_found("Cette page")),
        }
    });
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
    } = detail;
    let dates = summary.dates;
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
        </header>
        {match current_version {
            Some(version) => view! { <SpecificationView id=summary.id latest=summary.latest_version version/> }.into_any(),
            None => view! {
                <p class="empty">"L'acheteur n'a pas encore publié de projet de cahier des charges."</p>
            }.into_any(),
        }}
    }
}

#[component]
fn SpecificationView(id: i64, latest: Option<i32>, version: SpecVersionView) -> impl IntoView {
    let SpecVersionView {
        number,
        published_at,
        changelog,
        outline,
        html,
    } = version;
    let older = latest.filter(|l| *l > number);
    view! {
        <section class="spec" aria-labelledby="spec-title">
            <div class="spec__head">
                <h2 id="spec-title">"Projet de cahier des charges — version " {number}</h2>
                <p class="muted">
                    "Publiée le " {instant_date_fr(published_at)} " · "
                    <a href=format!("/consultations/{id}/historique")>"Historique des versions"</a> " · "
                    <a href=format!("/consultations/{id}/versions/{number}/cctp.md") download="">"Télécharger (Markdown)"</a>
                </p>
                {older.map(|latest| view! {
                    <p class="notice" role="note">
                        "Vous lisez une version antérieure. "
                        <a href=format!("/consultations/{id}")>"Lire la version " {latest} ", la plus récente"</a>
                    </p>
                })}
                {(!changelog.is_empty()).then(|| view! {
                    <p class="changelog"><strong>"Ce qui a changé : "</strong>{changelog}</p>
                })}
            </div>
            <div class="spec__layout">
                <nav class="outline" aria-label="Plan du cahier des charges">
                    <h3>"Plan"</h3>
                    <ol>
                        {outline.into_iter().map(|entry| view! {
                            <li class=format!("outline__item outline__item--l{}", entry.level)>
                                <a href=format!("#{}", entry.clause_id)>
                                    {entry.number.map(|n| view! { <span class="outline__number">{n}</span>" " })}
                                    {entry.title}
                                </a>
                            </li>
                        }).collect_view()}
                    </ol>
                </nav>
                // Sanitised on the server (shared renderer + ammonia): safe to insert.
                <article class="spec__text prose" inner_html=html></article>
            </div>
        </section>
    }
}
