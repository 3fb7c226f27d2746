//! The catalogue of upcoming needs (« Besoins à venir », the salon inversé of seed 003): buyers
//! announce what they will buy before any sourcing, anyone finds it by words, CPV code,
//! département, quarter, buyer or amount, companies say they are interested (by name), the buyer
//! sees them with their profiles and later links the need to the sourcing that follows.

use super::auth::{authorize, Actor, Permission};
use super::companies::profile_of;
use super::db;
use super::db::needs::{ListedNeed, NeedFilter, NeedRow, NewNeed};
use super::failure::OrInternal;
use super::notifications::{self, Notice};
use super::render::note_html;
use super::AppState;
use crate::domain::consultation::split_list;
use crate::domain::need::{NeedFacts, NeedForm, Quarter};
use crate::domain::search::{self, TextQuery};
use crate::error::AppError;
use crate::model::{InterestedCompany, NeedDetail, NeedPage, NeedSearch, NeedSummary, NotificationKind, OpenDaySlot};

pub const PAGE_SIZE: u32 = 20;
/// A year view shows at most this many needs (the rest through the search).
pub const YEAR_VIEW_MAX: u32 = 500;
const MAX_MESSAGE_CHARS: usize = 1_000;

fn summary_of(row: &ListedNeed) -> NeedSummary {
    NeedSummary {
        id: row.id,
        title: row.title.clone(),
        buyer_id: row.organisation_id,
        buyer_name: row.buyer_name.clone(),
        cpv_codes: split_list(&row.cpv_codes),
        departements: split_list(&row.departements),
        amount_min: row.amount_min,
        amount_max: row.amount_max,
        quarter: Quarter {
            year: row.tender_year as i32,
            quarter: row.tender_quarter as u8,
        },
        consultation_id: row.consultation_id,
        published_at: row.published_at,
    }
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::Invalid(message.into())
}

/// The filters once checked, or what is wrong with them.
fn filter_of(query: &NeedSearch) -> Result<NeedFilter, AppError> {
    if query.words.chars().count() > 200 {
        return Err(invalid("Cherchez avec moins de mots (200 caractères au plus)."));
    }
    let cpv: String = query.cpv.chars().filter(char::is_ascii_digit).take(8).collect();
    let departement = query.departement.trim().to_ascii_uppercase();
    if !departement.is_empty() && (departement.len() > 3 || !departement.chars().all(|c| c.is_ascii_alphanumeric())) {
        return Err(invalid(format!(
            "« {departement} » n'est pas un numéro de département (par exemple 77, 2A, 974)."
        )));
    }
    let period = query.period.trim();
    let (year, quarter) = if period.is_empty() {
        (None, None)
    } else if let Some(q) = Quarter::parse(period) {
        (Some(i64::from(q.year)), Some(i64::from(q.quarter)))
    } else {
        match period.parse::<i64>() {
            Ok(y) if (2000..=2100).contains(&y) => (Some(y), None),
            _ => {
                return Err(invalid(format!(
                    "« {period} » n'est pas une période : écrivez une année (2027) ou un trimestre (2027-T2)."
                )))
            }
        }
    };
    let amount = |typed: &str| {
        crate::domain::contribution::parse_euros(typed)
            .map(|cents| cents.map(|c| c / 100))
            .map_err(AppError::Invalid)
    };
    Ok(NeedFilter {
        text: Some(TextQuery::parse(&query.words)),
        cpv_prefix: cpv,
        departement,
        year,
        quarter,
        buyer: query.buyer,
        amount_from: amount(&query.amount_from)?,
        amount_to: amount(&query.amount_to)?,
    })
}

/// The catalogue: anyone, signed in or not.
pub async fn search(state: &AppState, actor: &Actor, query: NeedSearch) -> Result<NeedPage, AppError> {
    authorize(actor, Permission::ReadCatalogue)?;
    let mut filter = filter_of(&query)?;
    let (limit, page) = if query.whole_year {
        if filter.year.is_none() {
            filter.year = Some(i64::from(state.clock.today().year()));
        }
        filter.quarter = None;
        (YEAR_VIEW_MAX, 1)
    } else {
        (PAGE_SIZE, query.page.clamp(1, 10_000))
    };
    let pool = state.db.pool();
    let (rows, total) = db::needs::search(
        pool,
        state.db.backend(),
        &filter,
        i64::from(limit),
        i64::from((page - 1) * limit),
    )
    .await
    .or_internal("searching needs")?;
    let buyers = db::needs::buyers(pool).await.or_internal("listing buyers")?;
    Ok(NeedPage {
        needs: rows.iter().map(summary_of).collect(),
        total: total as u32,
        page,
        page_size: limit,
        buyers,
    })
}

pub(super) async fn need(state: &AppState, id: i64) -> Result<NeedRow, AppError> {
    db::needs::get(state.db.pool(), id)
        .await
        .or_internal("reading a need")?
        .ok_or_else(|| AppError::not_found("Ce besoin"))
}

/// A need its caller may change (a buyer of its organisation).
pub(super) async fn editable(state: &AppState, actor: &Actor, id: i64) -> Result<NeedRow, AppError> {
    let row = need(state, id).await?;
    authorize(
        actor,
        Permission::EditNeed {
            buyer_organisation: row.listed.organisation_id,
        },
    )?;
    Ok(row)
}

/// A need's page: anyone; its buyers and reviewers also see the interested companies.
pub async fn detail(state: &AppState, actor: &Actor, id: i64) -> Result<NeedDetail, AppError> {
    authorize(actor, Permission::ReadCatalogue)?;
    let row = need(state, id).await?;
    let pool = state.db.pool();
    let buyer_organisation = row.listed.organisation_id;
    let can_edit = authorize(actor, Permission::EditNeed { buyer_organisation }).is_ok();
    let interested = if authorize(actor, Permission::ReadInterest { buyer_organisation }).is_ok() {
        let mut companies = Vec::new();
        for interest in db::needs::interests(pool, id).await.or_internal("reading interests")? {
            if let Some(profile) = db::registration::profile(pool, interest.organisation_id)
                .await
                .or_internal("reading a company")?
            {
                companies.push(InterestedCompany {
                    company: profile_of(profile),
                    person: interest.person,
                    message: interest.message,
                    at: interest.created_at,
                });
            }
        }
        Some(companies)
    } else {
        None
    };
    let (can_show_interest, own_interest) = match actor.company() {
        Some(company) => (
            true,
            db::needs::own_interest(pool, id, company)
                .await
                .or_internal("reading an interest")?,
        ),
        None => (false, None),
    };
    let consultation_title = match row.listed.consultation_id {
        Some(c) => db::consultations::find(pool, c, state.clock.today())
            .await
            .or_internal("reading a consultation")?
            .map(|r| r.summary.title),
        None => None,
    };
    let linkable = if can_edit {
        super::consultations::own_list(state, actor)
            .await?
            .into_iter()
            .filter(|c| {
                c.status != crate::model::ConsultationStatus::Draft || c.id == row.listed.consultation_id.unwrap_or(0)
            })
            .map(|c| (c.id, c.title))
            .collect()
    } else {
        Vec::new()
    };
    let slots = slots_for(state, actor, id, buyer_organisation).await?;
    Ok(NeedDetail {
        summary: summary_of(&row.listed),
        description_html: note_html(&row.summary),
        description: row.summary,
        contact: row.contact,
        updated_at: row.updated_at,
        consultation_title,
        can_edit,
        can_show_interest,
        own_interest,
        interested,
        linkable,
        slots,
    })
}

/// A need's slots as `actor` may see them.
async fn slots_for(
    state: &AppState,
    actor: &Actor,
    need: i64,
    buyer_organisation: i64,
) -> Result<Vec<OpenDaySlot>, AppError> {
    let pool = state.db.pool();
    let rows = db::open_days::slots(pool, need).await.or_internal("reading slots")?;
    let bookings = if authorize(actor, Permission::ReadInterest { buyer_organisation }).is_ok() {
        Some(
            db::open_days::bookings(pool, need)
                .await
                .or_internal("reading bookings")?,
        )
    } else {
        None
    };
    let own = match actor.company() {
        Some(company) => db::open_days::own_booking(pool, need, company)
            .await
            .or_internal("reading a booking")?,
        None => None,
    };
    Ok(rows
        .into_iter()
        .map(|row| OpenDaySlot {
            id: row.id,
            starts_at: row.starts_at,
            duration_minutes: row.duration_minutes as u32,
            place: row.place,
            capacity: row.capacity as u32,
            booked: row.booked as u32,
            own: own == Some(row.id),
            companies: bookings.as_ref().map(|all| {
                all.iter()
                    .filter(|(slot, _)| *slot == row.id)
                    .map(|(_, name)| name.clone())
                    .collect()
            }),
        })
        .collect())
}

fn checked(form: &NeedForm) -> Result<NeedFacts, AppError> {
    form.check().map_err(|problems| AppError::Invalid(problems.join(" ")))
}

fn new_need<'a>(facts: &'a NeedFacts, organisation_id: i64, created_by: i64, terms: &'a str) -> NewNeed<'a> {
    NewNeed {
        organisation_id,
        created_by,
        title: &facts.title,
        summary: &facts.summary,
        cpv_codes: &facts.cpv_codes,
        departements: &facts.departements,
        amount_min: facts.amount_min,
        amount_max: facts.amount_max,
        tender_year: i64::from(facts.quarter.year),
        tender_quarter: i64::from(facts.quarter.quarter),
        contact: &facts.contact,
        search_terms: terms,
    }
}

/// The words a need is found by: its title, description and buyer.
pub fn search_terms(title: &str, description: &str, buyer_name: &str) -> String {
    search::index_text(&format!("{title} {description} {buyer_name}"))
}

/// A buyer announces a need; the companies whose alert matches are told.
pub async fn announce(state: &AppState, actor: &Actor, form: NeedForm) -> Result<i64, AppError> {
    authorize(actor, Permission::AnnounceNeed)?;
    let signed_in = actor.signed_in().ok_or(AppError::Internal)?;
    let organisation = signed_in.user.organisation_id.ok_or(AppError::Internal)?;
    let buyer_name = signed_in.user.organisation_name.clone().unwrap_or_default();
    let facts = checked(&form)?;
    let terms = search_terms(&facts.title, &facts.summary, &buyer_name);
    let now = state.now();
    let mut tx = state.db.begin_write().await.or_internal("announcing a need")?;
    let id = db::needs::insert(
        &mut *tx,
        &new_need(&facts, organisation, signed_in.user.id, &terms),
        now,
    )
    .await
    .or_internal("announcing a need")?;
    let notice = Notice {
        kind: NotificationKind::Alert,
        dedup_key: format!("alert:need:{id}"),
        title: format!("Besoin à venir pour votre alerte : « {} » ({buyer_name})", facts.title),
        link: format!("/besoins/{id}"),
    };
    notifications::alert(
        &mut tx,
        &facts.cpv_codes,
        &facts.departements,
        &notice,
        &state.public_url,
        now,
    )
    .await
    .or_internal("alerting companies")?;
    tx.commit().await.or_internal("announcing a need")?;
    tracing::info!(need = id, "need announced");
    Ok(id)
}

/// Its buyer changes a need, and links it to (or unlinks it from) its sourcing consultation.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: i64,
    form: NeedForm,
    consultation: Option<i64>,
) -> Result<NeedDetail, AppError> {
    let row = editable(state, actor, id).await?;
    let facts = checked(&form)?;
    if let Some(c) = consultation {
        let own = super::consultations::own_list(state, actor).await?;
        if !own
            .iter()
            .any(|s| s.id == c && s.status != crate::model::ConsultationStatus::Draft)
        {
            return Err(invalid(
                "Ce besoin ne peut être relié qu'à une consultation annoncée de votre organisation.",
            ));
        }
    }
    let terms = search_terms(&facts.title, &facts.summary, &row.listed.buyer_name);
    let mut tx = state.db.begin_write().await.or_internal("changing a need")?;
    db::needs::update(
        &mut *tx,
        id,
        &new_need(&facts, row.listed.organisation_id, 0, &terms),
        consultation,
        state.now(),
    )
    .await
    .or_internal("changing a need")?;
    tx.commit().await.or_internal("changing a need")?;
    detail(state, actor, id).await
}

/// Its buyer takes a need off the catalogue (kept, no longer shown).
pub async fn withdraw(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    editable(state, actor, id).await?;
    let mut tx = state.db.begin_write().await.or_internal("withdrawing a need")?;
    db::needs::withdraw(&mut *tx, id, state.now())
        .await
        .or_internal("withdrawing a need")?;
    tx.commit().await.or_internal("withdrawing a need")?;
    Ok(())
}

/// A company says it is interested (again: changes its message); the buyers are told.
pub async fn show_interest(state: &AppState, actor: &Actor, id: i64, message: String) -> Result<NeedDetail, AppError> {
    authorize(actor, Permission::ShowInterest)?;
    let company = actor.company().ok_or(AppError::Internal)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    let row = need(state, id).await?;
    let message = message.trim().to_string();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(invalid(format!(
            "Votre message fait plus de {MAX_MESSAGE_CHARS} caractères : raccourcissez-le (votre profil présente déjà l'entreprise)."
        )));
    }
    let now = state.now();
    let mut tx = state.db.begin_write().await.or_internal("showing interest")?;
    let new = db::needs::add_interest(&mut *tx, id, company, user, &message, now)
        .await
        .or_internal("showing interest")?;
    if new {
        tell_buyers(
            &mut tx,
            state,
            &row,
            format!("interest:{id}:{company}"),
            format!(
                "{} est intéressée par votre besoin « {} »",
                company_name(actor),
                row.listed.title
            ),
            now,
        )
        .await?;
    } else {
        db::needs::update_interest_message(&mut *tx, id, company, &message)
            .await
            .or_internal("showing interest")?;
    }
    tx.commit().await.or_internal("showing interest")?;
    detail(state, actor, id).await
}

/// The name of the caller's company, as its buyers are told.
pub(super) fn company_name(actor: &Actor) -> String {
    actor
        .signed_in()
        .and_then(|s| s.user.organisation_name.clone())
        .unwrap_or_default()
}

/// Notifies the buyers of a need (in the transaction of what a company did), linking to the need.
pub(super) async fn tell_buyers(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    row: &NeedRow,
    dedup_key: String,
    title: String,
    now: i64,
) -> Result<(), AppError> {
    let buyers = db::notifications::buyer_side(&mut **tx, row.listed.organisation_id, false)
        .await
        .or_internal("telling a need's buyers")?;
    let notice = Notice {
        kind: NotificationKind::Interest,
        dedup_key,
        title,
        link: format!("/besoins/{}", row.listed.id),
    };
    notifications::notify(
        tx,
        &buyers,
        &notice,
        notifications::Delivery::Now,
        &state.public_url,
        now,
    )
    .await
    .or_internal("telling a need's buyers")?;
    Ok(())
}

/// A company is no longer interested.
pub async fn withdraw_interest(state: &AppState, actor: &Actor, id: i64) -> Result<NeedDetail, AppError> {
    authorize(actor, Permission::ShowInterest)?;
    let company = actor.company().ok_or(AppError::Internal)?;
    need(state, id).await?;
    let mut tx = state.db.begin_write().await.or_internal("withdrawing interest")?;
    db::needs::remove_interest(&mut *tx, id, company)
        .await
        .or_internal("withdrawing interest")?;
    tx.commit().await.or_internal("withdrawing interest")?;
    detail(state, actor, id).await
}
