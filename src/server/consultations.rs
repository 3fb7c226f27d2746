//! Consultations as a caller sees them and as their buyers change them: which ones they may see
//! (the permission module decides; invitations come from the database), one of them with a
//! version made readable, its history, two versions compared, clauses unfolded on demand, its
//! creation, its steps and its calendar.

use super::access_register::record_access;
use super::auth::permissions::is_own_consultation;
use super::auth::{authorize, Actor, ConsultationAccess, Permission};
use super::db::{self, consultations::ConsultationRecord, consultations::Listed, consultations::NewConsultation};
use super::failure::OrInternal;
use super::AppState;
use crate::domain::calendar::{Date, Phase, PhaseKind, SourcingSettings};
use crate::domain::consultation::{self as facts, ConsultationInput, StepRefusal};
use crate::domain::markdown::RenderedPart;
use crate::domain::record::AccessKind;
use crate::error::{AppError, FieldProblem};
use crate::model::{
    ConsultationCalendar, ConsultationDetail, ConsultationStatus, ConsultationSummary, KeyDates, Role, SpecVersionView,
    ToDo, ToDoCount, ToDoDeadline, VersionComparison, VersionHistory, VersionSummary, MAX_UNFOLDED_CLAUSES,
};

/// The consultation if the caller may see it; otherwise the same "not found" as for an id that
/// does not exist, so that the existence of a hidden consultation is not revealed.
pub async fn visible(state: &AppState, actor: &Actor, id: i64) -> Result<ConsultationRecord, AppError> {
    Ok(access(state, actor, id).await?.0)
}

/// [`visible`] with what the permission rules know of it for this caller.
pub async fn access(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ConsultationRecord, ConsultationAccess), AppError> {
    let mut conn = state.db.pool().acquire().await.or_internal("reading a consultation")?;
    access_in(&mut conn, state, actor, id).await
}

/// [`access`] on a connection, or inside the write transaction that then acts on what it
/// checked.
pub async fn access_in(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ConsultationRecord, ConsultationAccess), AppError> {
    let record = db::consultations::find_in(conn, id, state.clock.today())
        .await
        .or_internal("reading a consultation")?
        .ok_or_else(|| AppError::not_found("Cette consultation"))?;
    let invited = match actor.company() {
        Some(company) => db::consultations::invited_to(&mut *conn, company)
            .await
            .or_internal("reading invitations")?,
        None => Vec::new(),
    };
    let mut access = record.access();
    access.caller_invited = invited.contains(&id);
    authorize(actor, Permission::ViewConsultation(&access))?;
    Ok((record, access))
}

/// The consultation if the caller may edit it: "not found" for whoever may not see it,
/// "forbidden" for whoever sees it without belonging to its buyer organisation.
pub async fn editable(state: &AppState, actor: &Actor, id: i64) -> Result<ConsultationRecord, AppError> {
    let record = visible(state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&record.access()))?;
    Ok(record)
}

/// The consultations the caller may see, with their calendars.
pub async fn visible_list(state: &AppState, actor: &Actor) -> Result<Vec<Listed>, AppError> {
    let all = db::consultations::list_all(state.db.pool(), state.clock.today())
        .await
        .or_internal("listing consultations")?;
    let invited = match actor.company() {
        Some(company) => db::consultations::invited_to(state.db.pool(), company)
            .await
            .or_internal("reading invitations")?,
        None => Vec::new(),
    };
    Ok(all
        .into_iter()
        .filter(|c| {
            let access = ConsultationAccess {
                buyer_organisation_id: c.buyer_organisation_id,
                status: c.summary.status,
                mode: c.summary.mode,
                caller_invited: invited.contains(&c.summary.id),
            };
            authorize(actor, Permission::ViewConsultation(&access)).is_ok()
        })
        .collect())
}

/// The consultations of the caller's own buyer organisation, drafts included (buyers), or of
/// the organisations a reviewer is attached to.
pub async fn own_list(state: &AppState, actor: &Actor) -> Result<Vec<ConsultationSummary>, AppError> {
    authorize(actor, Permission::ListOwnConsultations)?;
    let all = db::consultations::list_all(state.db.pool(), state.clock.today())
        .await
        .or_internal("listing consultations")?;
    Ok(all
        .into_iter()
        .filter(|c| is_own_consultation(actor, c.buyer_organisation_id))
        .map(|c| c.summary)
        .collect())
}

/// What waits for the caller on their home page: for a buyer, the contributions not answered
/// yet and the phases ending soon of their organisation's consultations; for a company, the
/// buyer's recent answers to its contributions and the phases ending soon of the consultations
/// it takes part in (only those it may still see). Other roles have their own home pages.
pub async fn to_do(state: &AppState, actor: &Actor) -> Result<ToDo, AppError> {
    let Some(me) = actor.signed_in() else {
        return Err(AppError::Unauthenticated(
            "Connectez-vous pour voir ce qui vous attend.".into(),
        ));
    };
    let pool = state.db.pool();
    let mut to_do = ToDo::default();
    match (me.user.role, me.user.organisation_id) {
        (Role::Buyer, Some(organisation)) => {
            let own: Vec<Listed> = db::consultations::list_all(pool, state.clock.today())
                .await
                .or_internal("listing consultations")?
                .into_iter()
                .filter(|c| is_own_consultation(actor, c.buyer_organisation_id))
                .collect();
            let counts = db::contributions::unanswered_counts(pool, organisation)
                .await
                .or_internal("counting contributions to answer")?;
            to_do.to_answer = counted(&own, &counts);
            to_do.deadlines = deadlines(&own, state.clock.today(), |_| true);
        }
        (Role::Supplier, Some(company)) => {
            let taking_part = db::contributions::participations(pool, company)
                .await
                .or_internal("reading participations")?;
            let mine: Vec<Listed> = visible_list(state, actor)
                .await?
                .into_iter()
                .filter(|c| taking_part.contains(&c.summary.id))
                .collect();
            let since = state.clock.now() - ToDo::ANSWERS_DAYS * 86_400;
            let answers = db::contributions::buyer_answers_to(pool, company, since)
                .await
                .or_internal("counting answers")?;
            to_do.answers = counted(&mine, &answers);
            to_do.deadlines = deadlines(&mine, state.clock.today(), |kind| kind != PhaseKind::Drafting);
        }
        _ => {}
    }
    Ok(to_do)
}

/// The counts of `counts` (consultation id, count) on the consultations of `listed`, in its order.
fn counted(listed: &[Listed], counts: &[(i64, i64)]) -> Vec<ToDoCount> {
    listed
        .iter()
        .filter_map(|c| {
            let (_, n) = counts.iter().find(|(id, _)| *id == c.summary.id)?;
            Some(ToDoCount {
                consultation_id: c.summary.id,
                title: c.summary.title.clone(),
                count: u32::try_from(*n).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

/// The phases of `listed`'s calendars that end from today to the horizon, soonest first.
fn deadlines(listed: &[Listed], today: Date, keep: impl Fn(PhaseKind) -> bool) -> Vec<ToDoDeadline> {
    let horizon = today.add_days(ToDo::HORIZON_DAYS);
    let mut found: Vec<ToDoDeadline> = listed
        .iter()
        .filter(|c| c.summary.status != ConsultationStatus::Draft)
        .flat_map(|c| {
            let phases = c.calendar.as_ref().map(|s| s.calendar().phases).unwrap_or_default();
            phases
                .into_iter()
                .filter(|p| keep(p.kind) && (today..=horizon).contains(&p.end))
                .map(|p| ToDoDeadline {
                    consultation_id: c.summary.id,
                    title: c.summary.title.clone(),
                    phase: p.kind,
                    ends: p.end,
                })
        })
        .collect();
    found.sort_by_key(|d| (d.ends, d.consultation_id));
    found
}

/// One consultation with a version of its specification (the latest when `version` is absent),
/// rendered and sanitised once per version (see `server::versions`).
pub async fn detail(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: Option<i64>,
) -> Result<ConsultationDetail, AppError> {
    let detail = read(state, actor, id, version).await?;
    if let Some(shown) = &detail.current_version {
        record_access(state, actor, id, AccessKind::Version, Some(i64::from(shown.number)), "").await?;
    }
    Ok(detail)
}

/// [`detail`] without recording the read (the pages around the consultation).
async fn read(state: &AppState, actor: &Actor, id: i64, version: Option<i64>) -> Result<ConsultationDetail, AppError> {
    let record = visible(state, actor, id).await?;
    let shown = db::consultations::version(state.db.pool(), id, version)
        .await
        .or_internal("reading a version")?;
    if version.is_some() && shown.is_none() {
        return Err(AppError::not_found("Cette version du cahier des charges"));
    }
    let current_version = match shown {
        None => None,
        Some(row) => {
            let (number, published_at, criteria) = (row.number as i32, row.published_at, row.criteria());
            let (author, changelog) = (row.author_name.clone(), row.changelog.clone());
            let readable = state.versions.get(id, row).await?;
            Some(SpecVersionView {
                number,
                published_at,
                outline: readable.outline.clone(),
                parts: readable.parts.clone(),
                criteria,
                author,
                changelog,
            })
        }
    };
    let can_edit = authorize(actor, Permission::EditConsultation(&record.access())).is_ok();
    let minutes_overdue = if can_edit {
        let region = record.calendar.as_ref().map(|c| c.region).unwrap_or_default();
        let now = state.now();
        db::minutes::unpublished(state.db.pool(), id)
            .await
            .or_internal("reading minutes")?
            .into_iter()
            .map(|(_, held_at)| held_at)
            .filter(|held_at| crate::domain::minutes::reminder_due(*held_at, now, region))
            .collect()
    } else {
        Vec::new()
    };
    let dossier_published_at = db::dossier::published_at(state.db.pool(), id)
        .await
        .or_internal("reading the dossier")?;
    Ok(ConsultationDetail {
        can_edit,
        minutes_overdue,
        dossier_published_at,
        reads_record: authorize(actor, Permission::ReadRecord(&record.access())).is_ok(),
        calendar: calendar_of(&record),
        summary: record.summary,
        object: record.object,
        cpv_codes: record.cpv_codes,
        current_version,
        today: state.clock.today(),
    })
}

/// [`detail`] without the text: the version's outline and criteria (`parts` is empty), for the
/// pages around the consultation (calendar, synthesis) that do not show the specification.
pub async fn overview(state: &AppState, actor: &Actor, id: i64) -> Result<ConsultationDetail, AppError> {
    let mut detail = read(state, actor, id, None).await?;
    if let Some(version) = &mut detail.current_version {
        version.parts = Vec::new();
    }
    Ok(detail)
}

fn calendar_of(record: &ConsultationRecord) -> Option<ConsultationCalendar> {
    record.calendar.as_ref().map(|settings| ConsultationCalendar {
        phases: settings.calendar().phases,
        settings: settings.clone(),
    })
}

/// The revision history: every published version, newest first.
pub async fn history(state: &AppState, actor: &Actor, id: i64) -> Result<VersionHistory, AppError> {
    let record = visible(state, actor, id).await?;
    let rows = db::consultations::versions(state.db.pool(), id)
        .await
        .or_internal("listing versions")?;
    // Counting clauses parses each version: CPU work, off the async workers.
    let versions = tokio::task::spawn_blocking(move || {
        rows.into_iter()
            .map(|v| VersionSummary {
                number: v.number as i32,
                published_at: v.published_at,
                clause_count: v.specification().clauses.len() as u32,
                criteria_count: v.criteria().len() as u32,
                author: v.author_name,
                changelog: v.changelog,
            })
            .collect()
    })
    .await
    .or_internal("listing versions")?;
    Ok(VersionHistory {
        consultation_id: id,
        title: record.summary.title,
        versions,
        reviews: super::sign_off::badges(state, id).await?,
    })
}

/// Two versions compared clause by clause (defaults: the latest and the one before). Only the
/// changed clauses carry text: a page on two 1 MB versions receives what it shows.
pub async fn compare(
    state: &AppState,
    actor: &Actor,
    id: i64,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<VersionComparison, AppError> {
    let record = visible(state, actor, id).await?;
    let rows = db::consultations::versions(state.db.pool(), id)
        .await
        .or_internal("reading versions")?;
    let numbers: Vec<i32> = rows.iter().map(|v| v.number as i32).collect();
    let latest = numbers.first().copied();
    let to = to.or(latest);
    let from = from.or_else(|| to.map(|t| t - 1));
    let find = |n: Option<i32>| rows.iter().find(|v| Some(v.number as i32) == n).cloned();
    let (Some(old), Some(new)) = (find(from), find(to)) else {
        return Err(AppError::Invalid(
            "Choisissez deux versions publiées à comparer (il en faut au moins deux).".into(),
        ));
    };
    let (from, to) = (old.number as i32, new.number as i32);
    record_access(
        state,
        actor,
        id,
        AccessKind::Comparison,
        Some(i64::from(to)),
        &format!("{from} → {to}"),
    )
    .await?;
    // Parsing and comparing two long versions takes milliseconds of CPU: off the async workers.
    let diff = tokio::task::spawn_blocking(move || {
        crate::domain::diff::diff_specifications(
            &old.specification(),
            &new.specification(),
            &old.criteria(),
            &new.criteria(),
            std::time::Duration::from_secs(2),
        )
    })
    .await
    .or_internal("comparing versions")?;
    Ok(VersionComparison {
        consultation_id: id,
        title: record.summary.title,
        versions: numbers,
        from,
        to,
        diff,
    })
}

/// The text of some clauses of a published version, rendered and sanitised, in the version's
/// order: the comparison page unfolds runs of unchanged clauses with it, on demand.
pub async fn clauses(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: i32,
    clause_ids: Vec<String>,
) -> Result<Vec<RenderedPart>, AppError> {
    visible(state, actor, id).await?;
    if clause_ids.len() > MAX_UNFOLDED_CLAUSES {
        return Err(AppError::Invalid(format!(
            "Au plus {MAX_UNFOLDED_CLAUSES} clauses à la fois."
        )));
    }
    if clause_ids.is_empty() {
        return Ok(Vec::new());
    }
    let row = db::consultations::version(state.db.pool(), id, Some(i64::from(version)))
        .await
        .or_internal("reading a version")?
        .ok_or_else(|| AppError::not_found("Cette version du cahier des charges"))?;
    let readable = state.versions.get(id, row).await?;
    let wanted: std::collections::HashSet<&str> = clause_ids.iter().map(String::as_str).collect();
    Ok(readable
        .parts
        .iter()
        .filter(|part| part.clause_id.as_deref().is_some_and(|c| wanted.contains(c)))
        .cloned()
        .collect())
}

/// Creates a consultation (a draft, visible to the buyer's organisation and its reviewers only).
pub async fn create(state: &AppState, actor: &Actor, input: &ConsultationInput<'_>) -> Result<i64, AppError> {
    authorize(actor, Permission::CreateConsultation)?;
    let checked = facts::validate(input, state.clock.today())
        .map_err(|problems| AppError::InvalidFields(problems.into_iter().map(FieldProblem::from).collect()))?;
    let organisation = actor
        .signed_in()
        .and_then(|s| s.user.organisation_id)
        .ok_or_else(|| AppError::Forbidden("Votre compte n'est rattaché à aucune organisation.".into()))?;
    let cpv: Vec<&str> = checked.cpv_codes.iter().map(String::as_str).collect();
    let departements: Vec<&str> = checked.departements.iter().map(String::as_str).collect();
    let mut tx = state.db.begin_write().await.or_internal("creating a consultation")?;
    let id = db::consultations::insert(
        &mut tx,
        &NewConsultation {
            buyer_organisation_id: organisation,
            title: &checked.title,
            object: &checked.object,
            cpv_codes: &cpv,
            departements: &departements,
            mode: checked.mode,
            status: ConsultationStatus::Draft,
            dates: KeyDates {
                expected_tender: checked.expected_tender.map(|d| d.to_string()),
                ..KeyDates::default()
            },
        },
        state.now(),
    )
    .await
    .or_internal("creating a consultation")?;
    tx.commit().await.or_internal("creating a consultation")?;
    tracing::info!(consultation = id, "consultation created");
    Ok(id)
}

/// Moves the consultation to its next step (`to` must be the step after the current one, so that
/// a double click or a stale page does nothing twice).
pub async fn advance(state: &AppState, actor: &Actor, id: i64, to: ConsultationStatus) -> Result<(), AppError> {
    let record = editable(state, actor, id).await?;
    let current = record.summary.status;
    let allowed = facts::manual_step(
        current,
        record.summary.mode,
        record.calendar.is_some(),
        record.summary.latest_version.is_some(),
    );
    let to = match allowed {
        Ok(next) if to == next => next,
        Err(refusal) if Some(to) == current.next(record.summary.mode) => {
            let message = refusal.message_fr().to_owned();
            return Err(match refusal {
                StepRefusal::NoVersion => AppError::Invalid(message),
                _ => AppError::Conflict(message),
            });
        }
        _ => {
            return Err(AppError::Conflict(format!(
                "La consultation est à l'étape « {} » : cette action n'est plus possible. Rechargez la page.",
                current.label_fr()
            )))
        }
    };
    let mut tx = state.db.begin_write().await.or_internal("changing a status")?;
    // Handed over to the tender only with its final text signed off by a reviewer.
    if to == ConsultationStatus::Closed {
        let latest = record.summary.latest_version.unwrap_or_default();
        if super::sign_off::signed_off(&mut tx, id).await? != Some(latest) {
            return Err(AppError::Conflict(format!(
                "La version {latest} n'a pas été validée par un relecteur de la plateforme : la consultation ne peut \
                 être transmise qu'avec sa version finale validée. Demandez la validation."
            )));
        }
    }
    let moved = db::consultations::set_status(&mut tx, id, record.stored_status, to, state.now())
        .await
        .or_internal("changing a status")?;
    tx.commit().await.or_internal("changing a status")?;
    if !moved {
        return Err(AppError::Conflict(
            "Un autre acheteur vient de changer l'étape de cette consultation. Rechargez la page.".into(),
        ));
    }
    tracing::info!(consultation = id, status = to.as_str(), "status changed");
    Ok(())
}

/// The buyer saves the consultation's calendar; the phases then open and close by date.
pub async fn save_calendar(
    state: &AppState,
    actor: &Actor,
    id: i64,
    settings: SourcingSettings,
) -> Result<Vec<Phase>, AppError> {
    let record = editable(state, actor, id).await?;
    if settings.mode != record.summary.mode {
        return Err(AppError::Invalid(format!(
            "Cette consultation est en {} : le calendrier doit suivre ce mode.",
            record.summary.mode.label_fr().to_lowercase()
        )));
    }
    // What the buyer plans; the extension recorded by late versions stays as it is.
    let settings = match &record.calendar {
        Some(stored) => settings.with_extension_of(stored),
        None => SourcingSettings {
            extension_days: 0,
            ..settings
        },
    };
    let problems: Vec<String> = settings.validate().into_iter().map(|v| v.message).collect();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    let mut tx = state.db.begin_write().await.or_internal("saving a calendar")?;
    db::consultations::save_calendar(&mut *tx, id, &settings, state.now())
        .await
        .or_internal("saving a calendar")?;
    tx.commit().await.or_internal("saving a calendar")?;
    tracing::info!(consultation = id, "calendar saved");
    Ok(settings.calendar().phases)
}
