//! A company's own affairs, by its members: its profile (what buyers and reviewers see of it)
//! and the requests of people who registered with its SIRET to join it.

use super::auth::{authorize, Actor, Permission};
use super::db;
use super::failure::OrInternal;
use super::mail::{self, Mail};
use super::render::note_html;
use super::AppState;
use crate::error::AppError;
use crate::model::{CompanyProfile, JoinRequestView};

const MAX_PRESENTATION_CHARS: usize = 5000;
const MAX_WEBSITE_CHARS: usize = 200;

fn own_company(actor: &Actor) -> Result<i64, AppError> {
    authorize(actor, Permission::ManageOwnCompany)?;
    actor.company().ok_or(AppError::Internal)
}

pub(super) fn profile_of(row: db::registration::ProfileRow) -> CompanyProfile {
    CompanyProfile {
        id: row.id,
        name: row.name,
        siret: row.siret,
        departement: row.departement,
        cpv_codes: row.cpv_codes.split_whitespace().map(str::to_owned).collect(),
        departements_served: row.departements_served.split_whitespace().map(str::to_owned).collect(),
        is_sme: row.is_sme != 0,
        presentation_html: note_html(&row.presentation),
        presentation: row.presentation,
        website: row.website,
    }
}

pub async fn company_profile(state: &AppState, actor: &Actor) -> Result<CompanyProfile, AppError> {
    let company = own_company(actor)?;
    db::registration::profile(state.db.pool(), company)
        .await
        .or_internal("reading a company profile")?
        .map(profile_of)
        .ok_or_else(|| AppError::not_found("Cette entreprise"))
}

/// The profile form as sent. `is_sme` is a checkbox: present means yes.
pub struct ProfileForm {
    pub departement: String,
    pub cpv_codes: String,
    pub departements_served: String,
    pub is_sme: bool,
    pub presentation: String,
    pub website: String,
}

/// A web address a buyer can follow safely: http(s), no spaces, nothing that could leave an
/// attribute.
fn check_website(input: &str) -> Result<String, String> {
    let website = input.trim();
    if website.is_empty() {
        return Ok(String::new());
    }
    let lower = website.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    let plausible = host.is_some_and(|h| h.contains('.') && !h.starts_with('.') && !h.ends_with('.'));
    if !plausible
        || website.chars().count() > MAX_WEBSITE_CHARS
        || website
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c))
    {
        return Err(format!(
            "« {website} » n'est pas une adresse de site web : indiquez-la en entier, par exemple https://www.mon-entreprise.fr \
             ({MAX_WEBSITE_CHARS} caractères au plus)."
        ));
    }
    Ok(website.to_string())
}

pub async fn save_company_profile(
    state: &AppState,
    actor: &Actor,
    form: ProfileForm,
) -> Result<CompanyProfile, AppError> {
    let company = own_company(actor)?;
    let mut problems = Vec::new();
    let departement = form.departement.trim();
    // The same checks as the administrator's form; the head office is optional here, so an empty
    // one is checked as a placeholder and stored as nothing.
    let codes = super::administration::organisation_codes(
        if departement.is_empty() { "75" } else { departement },
        &form.cpv_codes,
        &form.departements_served,
    );
    let (head_office, cpv_codes, served) = codes.unwrap_or_else(|found| {
        problems.extend(found.into_iter().map(|p| p.message));
        Default::default()
    });
    let website = check_website(&form.website).unwrap_or_else(|problem| {
        problems.push(problem);
        String::new()
    });
    let presentation = form.presentation.trim().to_string();
    if presentation.chars().count() > MAX_PRESENTATION_CHARS {
        problems.push(format!(
            "La présentation fait {} caractères ; raccourcissez-la à {MAX_PRESENTATION_CHARS} au plus.",
            presentation.chars().count()
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    let name = db::registration::profile(state.db.pool(), company)
        .await
        .or_internal("reading a company profile")?
        .map(|p| p.name)
        .unwrap_or_default();
    let search_terms = db::organisations::search_terms(&name, &presentation);
    let update = db::registration::ProfileUpdate {
        departement: (!departement.is_empty()).then_some(head_office.as_str()),
        cpv_codes: &cpv_codes,
        departements_served: &served,
        is_sme: form.is_sme,
        presentation: &presentation,
        website: &website,
        search_terms: &search_terms,
    };
    let mut tx = state.db.begin_write().await.or_internal("saving a company profile")?;
    db::registration::update_profile(&mut *tx, company, &update)
        .await
        .or_internal("saving a company profile")?;
    tx.commit().await.or_internal("saving a company profile")?;
    company_profile(state, actor).await
}

/// The requests to join one's company that no member has decided yet.
pub async fn join_requests(state: &AppState, actor: &Actor) -> Result<Vec<JoinRequestView>, AppError> {
    let company = own_company(actor)?;
    let rows = db::registration::waiting_join_requests(state.db.pool(), company)
        .await
        .or_internal("reading join requests")?;
    Ok(rows
        .into_iter()
        .map(|r| JoinRequestView {
            id: r.id,
            display_name: r.display_name,
            email: r.email,
            requested_at: r.created_at,
        })
        .collect())
}

/// A member accepts or refuses a request to join their company; the person is told by mail.
pub async fn decide_join_request(
    state: &AppState,
    actor: &Actor,
    request_id: i64,
    decision: &str,
) -> Result<Vec<JoinRequestView>, AppError> {
    let company = own_company(actor)?;
    let accept = match decision {
        "accept" => true,
        "refuse" => false,
        _ => {
            return Err(AppError::Invalid(
                "Choisissez d'accepter ou de refuser la demande.".into(),
            ))
        }
    };
    let now = state.now();
    let mut tx = state.db.begin_write().await.or_internal("deciding a join request")?;
    // Another company's request is answered as missing: its existence is not revealed.
    let request = db::registration::join_request(&mut *tx, request_id)
        .await
        .or_internal("reading a join request")?
        .filter(|r| r.organisation_id == company)
        .ok_or_else(|| AppError::not_found("Cette demande (peut-être déjà traitée par un autre membre)"))?;
    let decider = actor.user_id().ok_or(AppError::Internal)?;
    if !db::registration::decide_join_request(&mut tx, &request, accept, decider, now)
        .await
        .or_internal("deciding a join request")?
    {
        return Err(AppError::Conflict(
            "Un autre membre de l'entreprise vient de traiter cette demande.".into(),
        ));
    }
    let company_name = db::organisations::find(&mut *tx, company)
        .await
        .or_internal("reading a company")?
        .map(|o| o.name)
        .unwrap_or_default();
    let text = if accept {
        format!(
            "Bonjour {name},\n\nVotre demande pour rejoindre {company_name} sur JeSaisFaire est acceptée. Vous pouvez \
             désormais participer aux consultations au nom de l'entreprise :\n{url}/entreprise\n",
            name = request.display_name,
            url = state.public_url
        )
    } else {
        format!(
            "Bonjour {name},\n\nVotre demande pour rejoindre {company_name} sur JeSaisFaire n'a pas été acceptée par \
             ses membres. Si c'est une erreur, prenez contact avec eux directement.\n",
            name = request.display_name
        )
    };
    let mail = Mail {
        to: &request.email,
        subject: "Votre demande pour rejoindre votre entreprise",
        text: &text,
        list_unsubscribe: None,
    };
    mail::queue(&mut *tx, &mail, &state.public_url, now)
        .await
        .or_internal("queueing a mail")?;
    tx.commit().await.or_internal("deciding a join request")?;
    tracing::info!(request = request_id, accept, "join request decided");
    join_requests(state, actor).await
}

#[cfg(test)]
mod tests {
    use super::check_website;

    #[test]
    fn websites_are_plain_web_addresses() {
        assert_eq!(check_website("  ").unwrap(), "");
        assert_eq!(
            check_website(" https://www.brie-informatique.fr/contact ").unwrap(),
            "https://www.brie-informatique.fr/contact"
        );
        for bad in [
            "javascript:alert(1)",
            "www.exemple.fr",
            "https://exemple.fr/\"onmouseover=alert(1)",
            "https://exemple",
            "https://exemple.fr/a b",
        ] {
            assert!(check_website(bad).is_err(), "{bad} accepted");
        }
    }
}
