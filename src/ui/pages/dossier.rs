//! « Dossier de sourcing »: the equal-treatment dossier as a page, with its PDF and ZIP. The
//! public edition for everyone once published; the internal one (`?edition=interne`) for the
//! buyer's organisation and its reviewers, where the buyer publishes and redacts.

use crate::api::dossier::{get_dossier, PublishDossier, RedactPassage};
use crate::domain::dossier::DossierEdition;
use crate::domain::format::{date_fr, instant_fr};
use crate::error::AppError;
use crate::model::{ContributionView, Dossier};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::{on_success, ActionMessage};
use crate::ui::components::on_demand::{focus_when_drawn, CloseLink, OnDemand, OpenLink};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Copy)]
pub struct DossierData {
    dossier: Resource<Result<Dossier, AppError>>,
    publish: ServerAction<PublishDossier>,
    redact: ServerAction<RedactPassage>,
}

impl DossierData {
    pub fn start() -> DossierData {
        let params = use_params_map();
        let query = use_query_map();
        let (publish, redact) = (
            ServerAction::<PublishDossier>::new(),
            ServerAction::<RedactPassage>::new(),
        );
        // Read again once a redaction is recorded, not when one is refused: the page drawn
        // again would empty the form the buyer is correcting (and a click on it then sent
        // nothing).
        let redactions = RwSignal::new(0u32);
        on_success(redact, move || redactions.update(|n| *n += 1));
        let dossier = Resource::new(
            move || {
                let id = params.read().get("id").and_then(|s| s.parse::<i64>().ok());
                let edition = match query.read().get("edition").as_deref() {
                    Some("interne") => DossierEdition::Internal,
                    _ => DossierEdition::Public,
                };
                (id, edition, publish.version().get(), redactions.get())
            },
            |(id, edition, ..)| async move {
                match id {
                    Some(id) => get_dossier(id, edition).await,
                    None => Err(AppError::not_found("Cette consultation")),
                }
            },
        );
        DossierData {
            dossier,
            publish,
            redact,
        }
    }
}

#[component]
pub fn DossierPage(data: DossierData) -> impl IntoView {
    provide_context(data);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Chargement du dossier de sourcing…"</p> }>
            {move || Suspend::new(async move {
                match data.dossier.await {
                    Ok(dossier) => view! { <DossierView dossier/> }.into_any(),
                    Err(error) => view! { <Title text="Dossier de sourcing"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DossierView(dossier: Dossier) -> impl IntoView {
    let data = expect_context::<DossierData>();
    let id = dossier.consultation_id;
    let internal = dossier.edition == DossierEdition::Internal;
    let files = if internal { "?edition=interne" } else { "" };
    let count: usize = dossier.targets.iter().map(|t| t.contributions.len()).sum();
    let redact_here = internal && dossier.can_redact;
    // One contribution's redaction form at a time, when asked for (`?occulter=ID`): 300 of
    // them took Chromium seconds to load.
    let redaction_forms = redact_here.then(|| OnDemand::new(&[REDACT_KEY]));
    let redactions = dossier.redactions.clone();
    view! {
        <Title text=format!("Dossier de sourcing — {}", dossier.title)/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{dossier.title.clone()}</a>" › "<span>"Dossier de sourcing"</span>
        </nav>
        <div class="page-intro">
            <h1>"Dossier de sourcing"</h1>
            <p class="lead">{dossier.title.clone()}</p>
            <p class="muted">
                {dossier.edition.label_fr()} " · généré le " {instant_fr(dossier.generated_at)} " à partir du registre de la consultation. "
                {if internal {
                    "Cette édition est réservée à l'organisation de l'acheteur et à ses relecteurs : elle contient les passages occultés et, après la clôture des échanges, l'identité des entreprises."
                } else {
                    "Cette édition ne contient que des pseudonymes ; elle est jointe à l'appel d'offres pour que tous les candidats disposent des mêmes informations."
                }}
            </p>
            {match dossier.published_at {
                Some(at) => view! { <p class="notice notice--ok" role="status">"Édition publique publiée le " {instant_fr(at)} "."</p> }.into_any(),
                None => view! { <p class="notice" role="status">"L'édition publique n'est pas encore publiée : seuls l'acheteur et ses relecteurs la voient."</p> }.into_any(),
            }}
            <p class="dossier__files">
                <a class="button" href=format!("/consultations/{id}/dossier.pdf{files}") download="">"Télécharger le PDF"</a>
                " "
                <a class="button button--secondary" href=format!("/consultations/{id}/dossier.zip{files}") download="">"Télécharger le dossier complet (ZIP)"</a>
                {dossier.reads_internal.then(|| if internal {
                    view! { " " <a href=format!("/consultations/{id}/dossier")>"Voir l'édition publique"</a> }.into_any()
                } else {
                    view! { " " <a href=format!("/consultations/{id}/dossier?edition=interne")>"Voir l'édition interne"</a> }.into_any()
                })}
            </p>
            {dossier.can_publish.then(|| view! {
                <ActionForm action=data.publish attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button">"Publier l'édition publique du dossier"</button>
                </ActionForm>
            })}
            <ActionMessage value=move || data.publish.value().get() success="Dossier publié : chacun peut le télécharger depuis la page de la consultation."/>
        </div>

        <section class="panel dossier__section" aria-labelledby="dossier-cover">
            <h2 id="dossier-cover">"La consultation"</h2>
            <dl class="key-facts">
                <div><dt>"Acheteur"</dt><dd>{dossier.buyer_name.clone()}</dd></div>
                <div><dt>"Mode"</dt><dd>{dossier.mode.label_fr()}</dd></div>
                <div><dt>"Codes CPV"</dt><dd>{dossier.cpv_codes.join(", ")}</dd></div>
                <div><dt>"Départements"</dt><dd>{dossier.departements.join(", ")}</dd></div>
            </dl>
            <p>{dossier.object.clone()}</p>
            {(!dossier.phases.is_empty()).then(|| view! {
                <ul>{dossier.phases.iter().map(|p| view! { <li>{p.label.clone()} " : du " {date_fr(&p.start)} " au " {date_fr(&p.end)}</li> }).collect_view()}</ul>
            })}
            <p>{match &dossier.rule_breaches {
                None => "Aucun calendrier de sourcing n'a été planifié.".to_string(),
                Some(b) if b.is_empty() => "Les règles de calendrier du guide du sourcing sont respectées.".to_string(),
                Some(b) => format!("Règles non respectées : {}", b.join(" ; ")),
            }}</p>
        </section>

        <section class="panel dossier__section" aria-labelledby="dossier-participants">
            <h2 id="dossier-participants">"Participants (" {dossier.participants.len()} ")"</h2>
            <ul>
                {dossier.participants.iter().cloned().map(|p| view! {
                    <li>
                        <strong>{p.pseudonym}</strong> " — depuis le " {instant_fr(p.joined_at)}
                        {p.identity.map(|i| format!(" — {}{}", i.name, i.siret.map(|s| format!(", SIRET {s}")).unwrap_or_default()))}
                    </li>
                }).collect_view()}
            </ul>
        </section>

        <section class="panel dossier__section" aria-labelledby="dossier-versions">
            <h2 id="dossier-versions">"Versions (" {dossier.versions.len()} ")"</h2>
            <ol class="dossier__versions">
                {dossier.versions.iter().cloned().map(|v| view! {
                    <li>
                        <strong>"Version " {v.number}</strong> " — publiée le " {instant_fr(v.published_at)}
                        {(!v.changelog.is_empty()).then(|| view! { <p>{v.changelog}</p> })}
                        {(!v.changes.is_empty()).then(|| view! { <p class="muted">{v.changes}</p> })}
                        <p class="muted">"SHA-256 " <code class="hash">{v.text_sha256}</code></p>
                    </li>
                }).collect_view()}
            </ol>
        </section>

        <section class="panel dossier__section" aria-labelledby="dossier-contributions">
            <h2 id="dossier-contributions">"Contributions (" {count} ")"</h2>
            <ActionMessage value=move || data.redact.value().get() success="Passage occulté dans l'édition publique."/>
            {dossier.targets.iter().cloned().map(|t| view! {
                <h3>{t.label}</h3>
                {t.contributions.into_iter().map(|c| {
                    let passages: Vec<String> = redactions.iter().filter(|r| r.contribution_id == c.id).map(|r| r.passage.clone()).collect();
                    view! { <DossierContribution c redaction_forms passages/> }
                }).collect_view()}
            }).collect_view()}
        </section>

        <section class="panel dossier__section" aria-labelledby="dossier-minutes">
            <h2 id="dossier-minutes">"Comptes rendus des échanges oraux (" {dossier.minutes.len()} ")"</h2>
            {dossier.minutes.iter().filter_map(|m| m.published.clone()).map(|r| view! {
                <article class="dossier__minutes">
                    <h3>"Réunion du " {instant_fr(r.held_at)} " — " {r.mode.label_fr()}</h3>
                    <p class="muted">{r.companies.join(", ")} " · pour l'acheteur : " {r.agents}</p>
                    // Rendered and sanitised on the server: safe to insert.
                    <div class="prose" inner_html=r.body_html></div>
                </article>
            }).collect_view()}
        </section>

        <section class="panel dossier__section" aria-labelledby="dossier-reviews">
            <h2 id="dossier-reviews">"Relecture et validation"</h2>
            {if dossier.reviews.is_empty() {
                view! { <p>"Aucune demande de validation."</p> }.into_any()
            } else {
                dossier.reviews.iter().cloned().map(|r| view! {
                    <p>
                        <strong>"Version " {r.version}</strong> " : demandée le " {instant_fr(r.requested_at)} " — "
                        {r.decision.map(|d| d.label_fr()).unwrap_or("en attente")}
                        {r.decided_at.map(|at| format!(" le {}", instant_fr(at)))}
                        <br/><span class="muted">"SHA-256 " <code class="hash">{r.text_sha256}</code></span>
                    </p>
                }).collect_view().into_any()
            }}
        </section>

        {(!dossier.redactions.is_empty()).then(|| view! {
            <section class="panel dossier__section" aria-labelledby="dossier-redactions">
                <h2 id="dossier-redactions">"Passages occultés dans l'édition publique"</h2>
                <ul>
                    {dossier.redactions.iter().cloned().map(|r| view! {
                        <li>
                            {r.pseudonym} " (contribution n° " {r.contribution_id} ")"
                            {r.by_company.then_some(", à la demande de l'entreprise")} " : « " {r.passage} " »"
                            {(!r.reason.is_empty()).then(|| format!(" — {}", r.reason))}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// A text with its redacted passages marked (internal edition; the public one has them replaced
/// already by the server).
fn marked(text: &str, passages: &[String]) -> impl IntoView {
    crate::domain::dossier::mark_redacted(text, passages)
        .into_iter()
        .map(|(piece, hidden)| {
            if hidden {
                view! { <mark class="redacted" title="Occulté dans l'édition publique">{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

/// The address's parameter that draws a contribution's redaction form.
const REDACT_KEY: &str = "occulter";

#[component]
fn DossierContribution(c: ContributionView, redaction_forms: Option<OnDemand>, passages: Vec<String>) -> impl IntoView {
    let data = expect_context::<DossierData>();
    let contribution = c.id;
    view! {
        <article class="dossier__contribution" id=format!("contribution-{contribution}")>
            <p class="contribution__head">
                <strong>{c.pseudonym.clone()}</strong> " · " {c.kind.label_fr()} " · version " {c.version} " · " {c.status.label_fr()}
            </p>
            <p class="dossier__text">{marked(&c.justification, &passages)}</p>
            {(!c.proposed_text.is_empty()).then(|| view! { <p class="dossier__text"><em>"Texte proposé : "</em>{marked(&c.proposed_text, &passages)}</p> })}
            <p class="muted small">"Impact sur le coût : " {c.cost_impact.label_fr()}</p>
            {c.replies.iter().cloned().map(|r| view! {
                <p class="dossier__reply"><strong>{r.author}</strong> " : " {r.body}</p>
            }).collect_view()}
            {redaction_forms.map(|on| {
                let open = on.is_open(REDACT_KEY, contribution);
                let passage = format!("passage-{contribution}");
                view! {
                    <div class="dossier__redact">
                        <Show when=move || open.get() fallback=move || view! {
                            <OpenLink on key=REDACT_KEY id=contribution class="dossier__redact-link">"Occulter un passage (secret des affaires)"</OpenLink>
                        }>
                            {
                                let passage = passage.clone();
                                focus_when_drawn(passage.clone());
                                view! {
                                    <ActionForm action=data.redact attr:class="stacked-form">
                                        <input type="hidden" name="contribution" value=contribution.to_string()/>
                                        <label for=passage.clone()>"Passage à occulter, copié tel qu'il est écrit"</label>
                                        <input id=passage.clone() name="passage" type="text" required autofocus/>
                                        <label for=format!("reason-{contribution}")>"Motif (facultatif)"</label>
                                        <input id=format!("reason-{contribution}") name="reason" type="text"/>
                                        <div class="contribution__form-actions">
                                            <button type="submit" class="button button--secondary button--small">"Occulter dans l'édition publique"</button>
                                            <CloseLink on anchor=format!("contribution-{contribution}")/>
                                        </div>
                                    </ActionForm>
                                }
                            }
                        </Show>
                    </div>
                }
            })}
        </article>
    }
}
