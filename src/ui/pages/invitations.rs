//! The companies invited to a consultation, and (for its buyer) the directory to find and invite
//! more: search by words, CPV code, département, SMEs. The search is a GET form, so it works
//! without JavaScript and its results have an address.

use crate::api::consultations::get_consultation;
use crate::api::invitations::{
    consultation_invitations, email_invitations, search_directory, InviteByEmail, InviteCompany,
};
use crate::domain::format::instant_date_fr;
use crate::error::AppError;
use crate::model::{
    CompanyProfile, ConsultationDetail, DirectoryPage, EmailInvitationState, InvitationState, InvitationStatus,
};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::ActionMessage;
use crate::ui::components::pager::ResultsPager;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The consultation, its invitations and the directory's answer to the query in the address.
#[derive(Clone, Copy)]
pub struct InvitationsData {
    consultation: Resource<Result<ConsultationDetail, AppError>>,
    invited: Resource<Result<Vec<InvitationState>, AppError>>,
    directory: Resource<Option<Result<DirectoryPage, AppError>>>,
    invite: ServerAction<InviteCompany>,
    by_email: Resource<Result<Vec<EmailInvitationState>, AppError>>,
    invite_by_email: ServerAction<InviteByEmail>,
}

fn query_value(name: &str) -> String {
    use_query_map().read_untracked().get(name).unwrap_or_default()
}

impl InvitationsData {
    pub fn start() -> InvitationsData {
        let params = use_params_map();
        let query = use_query_map();
        let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
        let invite = ServerAction::<InviteCompany>::new();
        let invite_by_email = ServerAction::<InviteByEmail>::new();
        let by_email = Resource::new(
            move || (id(), invite_by_email.version().get()),
            |(id, _)| async move {
                match id {
                    Some(id) => email_invitations(id).await,
                    None => Err(AppError::not_found("Cette consultation")),
                }
            },
        );
        let consultation = Resource::new(id, |id| async move {
            match id {
                Some(id) => get_consultation(id, None).await,
                None => Err(AppError::not_found("Cette consultation")),
            }
        });
        let invited = Resource::new(
            move || (id(), invite.version().get()),
            |(id, _)| async move {
                match id {
                    Some(id) => consultation_invitations(id).await,
                    None => Err(AppError::not_found("Cette consultation")),
                }
            },
        );
        // Searched once a search was asked for (the form sets `recherche`).
        let directory = Resource::new(
            move || {
                let q = query.read();
                q.get("recherche").map(|_| {
                    (
                        q.get("mots").unwrap_or_default(),
                        q.get("cpv").unwrap_or_default(),
                        q.get("departement").unwrap_or_default(),
                        q.get("pme"),
                        q.get("page").and_then(|p| p.parse::<usize>().ok()),
                    )
                })
            },
            |asked| async move {
                match asked {
                    Some((words, cpv, departement, sme, page)) => {
                        Some(search_directory(words, cpv, departement, sme, page).await)
                    }
                    None => None,
                }
            },
        );
        InvitationsData {
            consultation,
            invited,
            directory,
            invite,
            by_email,
            invite_by_email,
        }
    }
}

#[component]
pub fn InvitationsPage(data: InvitationsData) -> impl IntoView {
    let InvitationsData {
        consultation,
        invited,
        directory,
        invite,
        by_email,
        invite_by_email,
    } = data;
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let detail = match consultation.await {
                    Ok(detail) => detail,
                    Err(error) => return view! { <Title text="Entreprises invitées"/><ErrorPanel error/> }.into_any(),
                };
                let invited = match invited.await {
                    Ok(list) => list,
                    Err(error) => return view! { <Title text="Entreprises invitées"/><ErrorPanel error/> }.into_any(),
                };
                let by_email = by_email.await.unwrap_or_default();
                let today = detail.today;
                let id = detail.summary.id;
                let title = detail.summary.title.clone();
                let can_invite = detail.can_edit;
                let already: Vec<i64> = invited
                    .iter()
                    .filter(|i| i.status != InvitationStatus::Declined)
                    .map(|i| i.organisation_id)
                    .collect();
                view! {
                    <Title text=format!("Entreprises invitées — {title}")/>
                    <nav class="breadcrumb" aria-label="Fil d'Ariane">
                        <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Entreprises invitées"</span>
                    </nav>
                    <div class="page-intro">
                        <h1>"Entreprises invitées"</h1>
                        <p class="lead">{title.clone()}</p>
                        <p class="muted">
                            "Une entreprise invitée accepte ou décline depuis son espace ; une fois acceptée, elle voit ce sourcing "
                            "même s'il est restreint et peut y contribuer. Les autres entreprises ne savent pas qui est invité."
                        </p>
                    </div>
                    <section class="panel wide" aria-labelledby="invited-title">
                        <h2 id="invited-title">"Invitations envoyées"</h2>
                        {if invited.is_empty() {
                            view! { <p class="muted">"Aucune entreprise invitée pour l'instant."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                <table class="data-table">
                                    <thead><tr><th scope="col">"Entreprise"</th><th scope="col">"État"</th><th scope="col">"Invitée le"</th><th scope="col">"Réponse le"</th></tr></thead>
                                    <tbody>
                                        {invited.into_iter().map(|i| view! {
                                            <tr>
                                                <td>{i.company_name}</td>
                                                <td class=format!("invitation-status invitation-status--{}", i.status.as_str())>{i.status.label_fr()}</td>
                                                <td>{(i.invited_at > 0).then(|| instant_date_fr(i.invited_at))}</td>
                                                <td>{i.answered_at.map(instant_date_fr)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                            }.into_any()
                        }}
                    </section>
                    <DirectorySearch id directory invite can_invite already/>
                    <section class="panel wide" aria-labelledby="by-email-title">
                        <h2 id="by-email-title">"Inviter une entreprise qui n'est pas inscrite"</h2>
                        <p class="muted">"Elle reçoit un lien d'inscription valable 30 jours ; une fois inscrite, elle est invitée à ce sourcing."</p>
                        {can_invite.then(|| view! {
                            <ActionForm action=invite_by_email attr:class="inline-form by-email-form">
                                <input type="hidden" name="id" value=id/>
                                <label for="invite-email">"Adresse e-mail de l'entreprise"</label>
                                <input id="invite-email" type="email" name="email" required autocomplete="off"/>
                                <button type="submit" class="button">"Envoyer l'invitation"</button>
                            </ActionForm>
                            <ActionMessage value=move || invite_by_email.value().get() success="Invitation envoyée par e-mail."/>
                        })}
                        {(!by_email.is_empty()).then(|| view! {
                            <div class="table-scroll">
                            <table class="data-table">
                                <thead><tr><th scope="col">"Adresse"</th><th scope="col">"Envoyée le"</th><th scope="col">"État"</th></tr></thead>
                                <tbody>
                                    {by_email.into_iter().map(|e| {
                                        let state = match &e.company_name {
                                            Some(name) => format!("Inscrite : {name}"),
                                            None if e.expires_at <= crate::domain::calendar::paris_day_start_utc(today) => "Lien expiré".to_string(),
                                            None => "En attente d'inscription".to_string(),
                                        };
                                        view! { <tr><td>{e.email}</td><td>{instant_date_fr(e.invited_at)}</td><td>{state}</td></tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn DirectorySearch(
    id: i64,
    directory: Resource<Option<Result<DirectoryPage, AppError>>>,
    invite: ServerAction<InviteCompany>,
    can_invite: bool,
    already: Vec<i64>,
) -> impl IntoView {
    let already = StoredValue::new(already);
    view! {
        <section class="panel wide" aria-labelledby="directory-title">
            <h2 id="directory-title">"Annuaire des entreprises"</h2>
            <Form method="GET" action="" attr:class="directory-search">
                <input type="hidden" name="recherche" value="1"/>
                <div class="directory-search__fields">
                    <label for="mots">"Mots du nom ou de la présentation"<input id="mots" name="mots" value=query_value("mots")/></label>
                    <label for="cpv">"Code CPV (début)"<input id="cpv" name="cpv" inputmode="numeric" value=query_value("cpv") placeholder="ex. 9091"/></label>
                    <label for="departement">"Département"<input id="departement" name="departement" value=query_value("departement") maxlength="3" placeholder="ex. 77"/></label>
                    <label class="checkbox"><input type="checkbox" name="pme" value="on" checked=!query_value("pme").is_empty()/>" PME seulement"</label>
                </div>
                <button type="submit" class="button">"Chercher"</button>
            </Form>
            <Suspense fallback=|| view! { <p class="loading">"Recherche…"</p> }>
                {move || Suspend::new(async move {
                    match directory.await {
                        None => view! { <p class="muted">"Cherchez une entreprise par ses activités, son territoire ou son nom."</p> }.into_any(),
                        Some(Err(error)) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                        Some(Ok(page)) => view! {
                            <p role="status" class="directory-count">{count_fr(page.total)}</p>
                            <ul class="directory-results">
                                {page.companies.into_iter().map(|company| {
                                    let invited = already.with_value(|a| a.contains(&company.id));
                                    view! { <CompanyCard company id invite can_invite invited/> }
                                }).collect_view()}
                            </ul>
                            <ResultsPager page=page.page total=page.total size=page.page_size keys=&["recherche", "mots", "cpv", "departement", "pme"]/>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <ActionMessage value=move || invite.value().get() success="Invitation envoyée : l'entreprise est prévenue par e-mail."/>
        </section>
    }
}

fn count_fr(total: usize) -> String {
    match total {
        0 => "Aucune entreprise ne correspond.".into(),
        1 => "1 entreprise correspond.".into(),
        n => format!("{n} entreprises correspondent."),
    }
}

#[component]
fn CompanyCard(
    company: CompanyProfile,
    id: i64,
    invite: ServerAction<InviteCompany>,
    can_invite: bool,
    invited: bool,
) -> impl IntoView {
    let website = company.website.clone();
    view! {
        <li class="company-card">
            <h3>{company.name.clone()} {company.is_sme.then(|| view! { <span class="badge">"PME"</span> })}</h3>
            <p class="muted small">
                {(!company.departements_served.is_empty()).then(|| format!("Intervient dans : {}. ", company.departements_served.join(", ")))}
                {(!company.cpv_codes.is_empty()).then(|| format!("CPV : {}.", company.cpv_codes.join(", ")))}
            </p>
            {(!website.is_empty()).then(|| view! { <p class="small"><a href=website.clone() rel="noopener noreferrer nofollow" target="_blank">{website.clone()}</a></p> })}
            {(!company.presentation_html.is_empty()).then(|| view! { <div class="prose company-presentation" inner_html=company.presentation_html.clone()></div> })}
            {match (can_invite, invited) {
                (true, false) => view! {
                    <ActionForm action=invite attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="company" value=company.id/>
                        <button type="submit" class="button button--small">{format!("Inviter {}", company.name)}</button>
                    </ActionForm>
                }.into_any(),
                (true, true) => view! { <p class="small"><strong>"Déjà invitée"</strong></p> }.into_any(),
                _ => ().into_any(),
            }}
        </li>
    }
}
