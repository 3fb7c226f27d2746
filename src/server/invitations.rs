//! Reaching companies by name: the directory buyers and reviewers search, the invitations a
//! buyer sends to a consultation (in the app and by mail), and the company's answer. Only an
//! accepted invitation opens a restricted sourcing to the company.

use super::auth::{authorize, token, Actor, Permission};
use super::companies::profile_of;
use super::consultations;
use super::db;
use super::failure::OrInternal;
use super::mail::{self, Mail};
use super::AppState;
use crate::domain::{identity, search};
use crate::error::AppError;
use crate::model::{
    CompanyInvitation, DirectoryPage, EmailInvitationState, InvitationLinkView, InvitationState, InvitationStatus,
};

pub const DIRECTORY_PAGE_SIZE: usize = 20;
/// Companies invited in one request at most.
const MAX_INVITED_AT_ONCE: usize = 50;

/// What the directory is searched by, as typed.
#[derive(Default)]
pub struct DirectoryQuery {
    pub words: String,
    pub cpv: String,
    pub departement: String,
    pub sme_only: bool,
    pub page: usize,
}

/// Companies are invited until the end of the exchanges.
fn still_inviting(record: &db::consultations::ConsultationRecord) -> Result<(), AppError> {
    if record.summary.status > crate::model::ConsultationStatus::Exchanges {
        return Err(AppError::Conflict(
            "Les échanges de cette consultation sont clos : il n'est plus possible d'inviter des entreprises.".into(),
        ));
    }
    Ok(())
}

pub async fn search_directory(
    state: &AppState,
    actor: &Actor,
    query: DirectoryQuery,
) -> Result<DirectoryPage, AppError> {
    authorize(actor, Permission::SearchDirectory)?;
    let cpv: String = query.cpv.chars().filter(char::is_ascii_digit).take(8).collect();
    let departement = query.departement.trim().to_ascii_uppercase();
    if !departement.is_empty() && (departement.len() > 3 || !departement.chars().all(|c| c.is_ascii_alphanumeric())) {
        return Err(AppError::Invalid(format!(
            "« {departement} » n'est pas un numéro de département (par exemple 77, 2A, 974)."
        )));
    }
    if query.words.chars().count() > 200 {
        return Err(AppError::Invalid(
            "Cherchez avec moins de mots (200 caractères au plus).".into(),
        ));
    }
    let text = search::TextQuery::parse(&query.words);
    let page = query.page.clamp(1, 10_000);
    let (rows, total) = db::registration::directory(
        state.db.pool(),
        state.db.backend(),
        &db::registration::DirectoryFilter {
            text: &text,
            cpv_prefix: &cpv,
            departement: &departement,
            sme_only: query.sme_only,
        },
        DIRECTORY_PAGE_SIZE as i64,
        ((page - 1) * DIRECTORY_PAGE_SIZE) as i64,
    )
    .await
    .or_internal("searching the directory")?;
    let companies = rows.into_iter().map(profile_of).collect();
    let total = total as usize;
    Ok(DirectoryPage {
        companies,
        total,
        page,
        page_size: DIRECTORY_PAGE_SIZE,
    })
}

/// The companies invited to a consultation and their answers: its buyer's organisation and
/// reviewers.
pub async fn of_consultation(state: &AppState, actor: &Actor, id: i64) -> Result<Vec<InvitationState>, AppError> {
    let (_, access) = consultations::access(state, actor, id).await?;
    authorize(actor, Permission::ReadRecord(&access))?;
    db::invitations::of_consultation(state.db.pool(), id)
        .await
        .or_internal("reading invitations")
}

/// The buyer invites companies to a consultation: each gets the invitation in the app and its
/// members a mail. Companies already invited (and not having declined) are left as they are.
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    id: i64,
    companies: Vec<i64>,
) -> Result<Vec<InvitationState>, AppError> {
    let record = consultations::editable(state, actor, id).await?;
    if companies.is_empty() {
        return Err(AppError::Invalid(
            "Choisissez au moins une entreprise à inviter.".into(),
        ));
    }
    if companies.len() > MAX_INVITED_AT_ONCE {
        return Err(AppError::Invalid(format!(
            "Invitez au plus {MAX_INVITED_AT_ONCE} entreprises à la fois."
        )));
    }
    still_inviting(&record)?;
    let inviter = actor.user_id().ok_or(AppError::Internal)?;
    let now = state.now();
    let mut tx = state.db.begin_write().await.or_internal("inviting companies")?;
    for company in companies {
        let Some(profile) = db::registration::profile(&mut *tx, company)
            .await
            .or_internal("reading a company")?
        else {
            return Err(AppError::Invalid(
                "Une des entreprises choisies n'existe pas ou n'est pas une entreprise. Relancez la recherche.".into(),
            ));
        };
        if !db::invitations::invite(&mut *tx, id, company, inviter, now)
            .await
            .or_internal("inviting a company")?
        {
            continue;
        }
        let text = format!(
            "Bonjour,\n\n{buyer} invite {company} à participer au sourcing « {title} » sur JeSaisFaire, avant \
             son appel d'offres.\n\nAcceptez ou déclinez l'invitation depuis votre espace entreprise :\n{url}/entreprise\n\n\
             Vos contributions y restent anonymes pour les autres entreprises.\n",
            buyer = record.summary.buyer_name,
            company = profile.name,
            title = record.summary.title,
            url = state.public_url
        );
        mail::queue_to_company(
            &mut tx,
            company,
            "Invitation à un sourcing",
            &text,
            &state.public_url,
            now,
        )
        .await
        .or_internal("queueing a mail")?;
        let members = db::notifications::company_members(&mut *tx, company)
            .await
            .or_internal("inviting a company")?;
        let notice = super::notifications::Notice {
            kind: crate::model::NotificationKind::Invitation,
            dedup_key: format!("invitation:{id}:{company}:{now}"),
            title: format!(
                "{} vous invite au sourcing « {} »",
                record.summary.buyer_name, record.summary.title
            ),
            link: "/entreprise".into(),
        };
        // The invitation has its own mail (above): in the app only.
        super::notifications::notify(
            &mut tx,
            &members,
            &notice,
            super::notifications::Delivery::AppOnly,
            &state.public_url,
            now,
        )
        .await
        .or_internal("inviting a company")?;
    }
    tx.commit().await.or_internal("inviting companies")?;
    tracing::info!(consultation = id, "companies invited");
    db::invitations::of_consultation(state.db.pool(), id)
        .await
        .or_internal("reading invitations")
}

/// An invitation link by e-mail is valid 30 days.
const EMAIL_INVITATION_SECONDS: i64 = 30 * 24 * 3600;

/// The buyer invites by e-mail a company that is not registered yet: the mail's link leads to
/// the registration, and the company it creates is invited to the consultation (accepted, since
/// it came by the invitation; a company already registered that the person joins decides itself).
pub async fn invite_by_email(
    state: &AppState,
    actor: &Actor,
    id: i64,
    email: String,
) -> Result<Vec<EmailInvitationState>, AppError> {
    let record = consultations::editable(state, actor, id).await?;
    still_inviting(&record)?;
    let email = identity::normalise_email(&email).map_err(AppError::Invalid)?;
    let inviter = actor.user_id().ok_or(AppError::Internal)?;
    let now = state.now();
    let secret = token::generate();
    let text = format!(
        "Bonjour,\n\n{buyer} vous invite à participer au sourcing « {title} » sur JeSaisFaire : avant de lancer son \
         appel d'offres, l'acheteur fait relire son projet de cahier des charges aux entreprises, qui l'annotent sous \
         un pseudonyme.\n\nInscrivez votre entreprise (gratuit) par ce lien, valable 30 jours : votre entreprise sera \
         invitée à ce sourcing dès votre inscription confirmée.\n{url}/inscription?invitation={secret}\n\n\
         Si votre entreprise est déjà inscrite sur JeSaisFaire, le même lien vous permet de demander à la rejoindre.\n",
        buyer = record.summary.buyer_name,
        title = record.summary.title,
        url = state.public_url
    );
    let mut tx = state.db.begin_write().await.or_internal("inviting by e-mail")?;
    db::invitations::insert_by_email(
        &mut *tx,
        &db::invitations::NewEmailInvitation {
            consultation_id: id,
            email: &email,
            token_hash: &token::hash(&secret),
            invited_by: inviter,
            expires_at: now + EMAIL_INVITATION_SECONDS,
        },
        now,
    )
    .await
    .or_internal("inviting by e-mail")?;
    let mail = Mail {
        to: &email,
        subject: "Invitation à un sourcing sur JeSaisFaire",
        text: &text,
        list_unsubscribe: None,
    };
    mail::queue(&mut *tx, &mail, &state.public_url, now)
        .await
        .or_internal("queueing a mail")?;
    tx.commit().await.or_internal("inviting by e-mail")?;
    tracing::info!(consultation = id, "company invited by e-mail");
    db::invitations::by_email_of_consultation(state.db.pool(), id)
        .await
        .or_internal("reading invitations")
}

/// The invitations by e-mail of a consultation: its buyer's organisation and reviewers.
pub async fn by_email_of_consultation(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Vec<EmailInvitationState>, AppError> {
    let (_, access) = consultations::access(state, actor, id).await?;
    authorize(actor, Permission::ReadRecord(&access))?;
    db::invitations::by_email_of_consultation(state.db.pool(), id)
        .await
        .or_internal("reading invitations")
}

/// What an invitation link leads to (shown on the registration page): anyone holding the link.
pub async fn link_details(state: &AppState, link: String) -> Result<InvitationLinkView, AppError> {
    let (consultation_id, title, buyer_name) =
        db::invitations::live_by_email(state.db.pool(), &token::hash(link.trim()), state.now())
            .await
            .or_internal("reading an invitation link")?
            .ok_or_else(|| {
                AppError::Invalid(
                    "Ce lien d'invitation n'est plus valable (il vaut 30 jours). Vous pouvez tout de même inscrire \
                     votre entreprise, puis demander à l'acheteur de vous inviter à nouveau."
                        .into(),
                )
            })?;
    Ok(InvitationLinkView {
        consultation_id,
        title,
        buyer_name,
    })
}

/// The invitations waiting for the answer of the caller's company.
pub async fn pending_for_company(state: &AppState, actor: &Actor) -> Result<Vec<CompanyInvitation>, AppError> {
    authorize(actor, Permission::ManageOwnCompany)?;
    let company = actor.company().ok_or(AppError::Internal)?;
    db::invitations::pending_for(state.db.pool(), company)
        .await
        .or_internal("reading invitations")
}

/// A member accepts (`accept`) or declines (`decline`) an invitation of their company.
pub async fn answer(
    state: &AppState,
    actor: &Actor,
    consultation_id: i64,
    decision: &str,
) -> Result<Vec<CompanyInvitation>, AppError> {
    authorize(actor, Permission::ManageOwnCompany)?;
    let company = actor.company().ok_or(AppError::Internal)?;
    let status = match decision {
        "accept" => InvitationStatus::Accepted,
        "decline" => InvitationStatus::Declined,
        _ => {
            return Err(AppError::Invalid(
                "Choisissez d'accepter ou de décliner l'invitation.".into(),
            ))
        }
    };
    let mut tx = state.db.begin_write().await.or_internal("answering an invitation")?;
    if !db::invitations::answer(&mut *tx, consultation_id, company, status, state.now())
        .await
        .or_internal("answering an invitation")?
    {
        return Err(AppError::not_found("Cette invitation (peut-être déjà traitée)"));
    }
    tx.commit().await.or_internal("answering an invitation")?;
    tracing::info!(consultation = consultation_id, ?status, "invitation answered");
    pending_for_company(state, actor).await
}
