//! Saving the working draft and publishing versions: what makes a version immutable and its
//! clause ids stable. Used by the server functions and by the demo data, so that both follow the
//! same rules.

use super::auth::Actor;
use super::consultations::editable;
use super::db::{
    self,
    consultations::{DraftUpdate, NewVersion},
    Db,
};
use super::failure::{internal, OrInternal};
use super::AppState;
use crate::domain::calendar::{paris_date, PhaseKind};
use crate::domain::criteria::{self, Criterion, MAX_CRITERIA};
use crate::domain::format::instant_fr;
use crate::domain::spec::{self, Specification};
use crate::error::AppError;
use crate::model::{DraftInput, DraftSaved, DraftView, VersionPublished};

const MAX_CHANGELOG_CHARS: usize = 4_000;

#[derive(Debug, thiserror::Error)]
pub enum PublishingError {
    /// The input is refused; the message says what to change (French).
    #[error("{0}")]
    Invalid(String),
    /// Someone saved or published first; the message says who and when (French).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Checks what every draft must respect, published or not: the size limits (nothing above them
/// is stored, not even as a draft) and the length of the other fields.
fn check_draft(input: &DraftInput) -> Result<(), PublishingError> {
    spec::check_limits(&input.markdown).map_err(|e| PublishingError::Invalid(e.to_string()))?;
    if input.criteria.len() > MAX_CRITERIA {
        return Err(PublishingError::Invalid(format!(
            "Au plus {MAX_CRITERIA} critères d'attribution."
        )));
    }
    if input.changelog.chars().count() > MAX_CHANGELOG_CHARS {
        return Err(PublishingError::Invalid(format!(
            "Le résumé des changements dépasse {MAX_CHANGELOG_CHARS} caractères : résumez-le."
        )));
    }
    Ok(())
}

/// Saves the draft of a consultation's next version, if the stored draft is still at revision
/// `based_on` (0 when none was saved): a save from an out-of-date editor is refused rather than
/// overwriting a colleague's text.
pub async fn save_draft(
    db: &Db,
    consultation_id: i64,
    input: &DraftInput,
    based_on: i64,
    author_id: Option<i64>,
) -> Result<DraftSaved, PublishingError> {
    check_draft(input)?;
    let mut tx = db.begin_write().await?;
    let stored = db::consultations::draft(&mut *tx, consultation_id).await?;
    let current = stored.as_ref().map_or(0, |d| d.revision);
    if current != based_on {
        let by = stored
            .as_ref()
            .and_then(|d| d.updated_by_name.clone())
            .unwrap_or_else(|| "un autre acheteur".into());
        let at = stored.map(|d| instant_fr(d.updated_at)).unwrap_or_default();
        return Err(PublishingError::Conflict(format!(
            "Ce brouillon a été modifié par {by} le {at}, depuis l'ouverture de votre éditeur. Votre texte n'a \
             pas été enregistré et reste affiché : copiez-le, rechargez la page pour voir la dernière version \
             du brouillon, puis reportez-y vos modifications."
        )));
    }
    let revision = current + 1;
    let now = db.now();
    write(&mut tx, consultation_id, input, revision, author_id, now).await?;
    tx.commit().await?;
    Ok(DraftSaved {
        revision,
        saved_at: now,
    })
}

async fn write(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    consultation_id: i64,
    input: &DraftInput,
    revision: i64,
    author_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let update = DraftUpdate {
        consultation_id,
        markdown: &input.markdown,
        criteria: &input.criteria,
        changelog: &input.changelog,
        author_id,
    };
    db::consultations::write_draft(&mut **tx, &update, revision, now).await
}

/// Publishes `input` as the version after `base_version` (`None`: the first version). Refused
/// when another version was published since `base_version` (the buyer's draft is untouched), or
/// when the text or the criteria are not publishable.
///
/// Clause ids are fixed here: carried from the previous version by `spec::carry_ids`, stored with
/// the version, never recomputed. Parsing and carrying ids take up to tens of milliseconds on a
/// long text: they run on the blocking pool before the write lock is taken; inside it, only the
/// check that `base_version` is still the latest and the writes.
pub async fn publish(
    db: &Db,
    consultation_id: i64,
    base_version: Option<i64>,
    input: &DraftInput,
    author_id: Option<i64>,
) -> Result<VersionPublished, PublishingError> {
    check_draft(input)?;
    // Versions never change: the one this publication follows can be read without the lock.
    let previous = match base_version {
        Some(n) => db::consultations::version(db.pool(), consultation_id, Some(n)).await?,
        None => None,
    };
    let owned = input.clone();
    let prepared = tokio::task::spawn_blocking(move || prepare(&owned, base_version, previous.as_ref()))
        .await
        .map_err(|e| PublishingError::Db(sqlx::Error::Protocol(format!("preparing a version: {e}"))))??;
    let mut tx = db.begin_write().await?;
    let published = write_version(&mut tx, consultation_id, prepared, author_id, db.now()).await?;
    tx.commit().await?;
    Ok(published)
}

/// [`publish`] inside a write transaction of the caller (the demo data loads all or nothing),
/// at the instant `now`.
pub async fn publish_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    consultation_id: i64,
    base_version: Option<i64>,
    input: &DraftInput,
    author_id: Option<i64>,
    now: i64,
) -> Result<VersionPublished, PublishingError> {
    check_draft(input)?;
    let previous = match base_version {
        Some(n) => db::consultations::version(&mut **tx, consultation_id, Some(n)).await?,
        None => None,
    };
    let prepared = prepare(input, base_version, previous.as_ref())?;
    write_version(tx, consultation_id, prepared, author_id, now).await
}

/// A version ready to be written: checked, parsed, its clause and criterion ids carried from the
/// version it follows.
struct PreparedVersion {
    base_version: Option<i64>,
    markdown: String,
    clause_ids: Vec<String>,
    criteria: Vec<Criterion>,
    changelog: String,
}

/// Checks and parses a version to publish after `previous` (the version `base_version`, if it
/// exists). CPU work, no I/O.
fn prepare(
    input: &DraftInput,
    base_version: Option<i64>,
    previous: Option<&db::consultations::SpecVersionRow>,
) -> Result<PreparedVersion, PublishingError> {
    let mut next = Specification::parse(&input.markdown);
    if next.clauses.is_empty() {
        return Err(PublishingError::Invalid(
            "Le cahier des charges ne contient aucune clause : structurez-le avec des titres, par exemple \
             « ## 1 Objet du marché »."
                .into(),
        ));
    }
    let mut criteria: Vec<Criterion> = input.criteria.clone();
    for c in &mut criteria {
        c.name = c.name.trim().to_owned();
        c.description = c.description.trim().to_owned();
    }
    criteria::validate(&criteria).map_err(|problems| PublishingError::Invalid(problems.join(" ")))?;
    let changelog = input.changelog.trim();
    if base_version.is_some() && changelog.is_empty() {
        return Err(PublishingError::Invalid(
            "Résumez ce qui change dans cette version : les entreprises et les relecteurs le liront en premier.".into(),
        ));
    }
    match previous {
        Some(previous) => {
            if let Some(refusal) = criteria::unchanged_since(
                previous.number,
                (&previous.markdown, &previous.criteria()),
                (&input.markdown, &criteria),
            ) {
                return Err(PublishingError::Invalid(refusal));
            }
            spec::carry_ids(&previous.specification(), &mut next);
            criteria::carry_criterion_ids(&previous.criteria(), &mut criteria);
        }
        // The version it would follow does not exist: published versions changed meanwhile, or
        // the request is wrong. Nothing is written without the ids carried from its predecessor.
        None if base_version.is_some() => {
            return Err(PublishingError::Conflict(
                "Les versions publiées ont changé pendant que vous rédigiez : rechargez la page.".into(),
            ))
        }
        None => criteria::carry_criterion_ids(&[], &mut criteria),
    }
    Ok(PreparedVersion {
        base_version,
        markdown: input.markdown.clone(),
        clause_ids: next.clause_ids(),
        criteria,
        changelog: changelog.to_owned(),
    })
}

/// Writes a prepared version, if the version it was prepared against is still the latest.
async fn write_version(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    consultation_id: i64,
    prepared: PreparedVersion,
    author_id: Option<i64>,
    now: i64,
) -> Result<VersionPublished, PublishingError> {
    let latest = db::consultations::latest_version_number(&mut **tx, consultation_id).await?;
    if latest != prepared.base_version {
        let newest = match latest {
            Some(n) => db::consultations::version(&mut **tx, consultation_id, Some(n)).await?,
            None => None,
        };
        let what = match &newest {
            Some(v) => format!(
                "La version {} a été publiée par {} le {}",
                v.number,
                v.author_name.as_deref().unwrap_or("un autre acheteur"),
                instant_fr(v.published_at)
            ),
            None => "Les versions publiées ont changé".into(),
        };
        return Err(PublishingError::Conflict(format!(
            "{what}, pendant que vous rédigiez : votre texte n'a pas été publié et reste dans l'éditeur. \
             Relisez cette version, reportez-y vos modifications si besoin, puis publiez à nouveau."
        )));
    }
    let number = latest.unwrap_or(0) + 1;
    let calendar_notice = extend_exchanges(tx, consultation_id, number, now).await?;
    // A sign-off holds for the text it was given on: a new version goes back to drafting, and a
    // request still waiting no longer applies.
    db::record::supersede_pending(&mut **tx, consultation_id, now).await?;
    db::consultations::reopen_drafting(tx, consultation_id, now).await?;
    db::consultations::insert_version(
        &mut **tx,
        &NewVersion {
            consultation_id,
            number,
            markdown: &prepared.markdown,
            clause_ids: &prepared.clause_ids,
            criteria: &prepared.criteria,
            changelog: &prepared.changelog,
            author_id,
        },
        now,
    )
    .await?;
    // The draft now continues the new version: same text and criteria, no changelog yet.
    let revision = db::consultations::draft(&mut **tx, consultation_id)
        .await?
        .map_or(0, |d| d.revision)
        + 1;
    let continued = DraftInput {
        markdown: prepared.markdown,
        criteria: prepared.criteria,
        changelog: String::new(),
    };
    write(tx, consultation_id, &continued, revision, author_id, now).await?;
    Ok(VersionPublished {
        number: number as i32,
        draft_revision: revision,
        saved_at: now,
        calendar_notice,
    })
}

/// A version published during the exchanges leaves the companies a minimum number of business
/// days to read it (a setting of the calendar): the engine extends the exchanges if needed, the
/// drafting phase moves with them, and the buyer is told.
async fn extend_exchanges(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    consultation_id: i64,
    number: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let today = paris_date(now);
    let Some(record) = db::consultations::find_in(tx, consultation_id, today).await? else {
        return Ok(None);
    };
    let Some(mut settings) = record.calendar else {
        return Ok(None);
    };
    let calendar = settings.calendar();
    let Some(extension) = calendar.extension_for_new_version(today, number as u32) else {
        return Ok(None);
    };
    let Some(exchanges) = calendar.phase(PhaseKind::Exchanges) else {
        return Ok(None);
    };
    // Recorded apart from the planned length, which keeps its 1 to 2 weeks (the buyer can still
    // save the calendar; the calendar page explains the extension).
    let total = (exchanges.start.days_until(extension.exchanges_end) + 1) as u32;
    settings.extension_days = total.saturating_sub(settings.exchange_days);
    db::consultations::save_calendar(&mut **tx, consultation_id, &settings, now).await?;
    Ok(Some(extension.message))
}

/// Autosave of a consultation's draft by one of its buyers (see [`save_draft`]).
pub async fn save_for(
    state: &AppState,
    actor: &Actor,
    id: i64,
    revision: i64,
    draft: &DraftInput,
) -> Result<DraftSaved, AppError> {
    editable(state, actor, id).await?;
    save_draft(&state.db, id, draft, revision, actor.user_id())
        .await
        .map_err(AppError::from)
}

/// Publication by one of the consultation's buyers (see [`publish`]).
pub async fn publish_for(
    state: &AppState,
    actor: &Actor,
    id: i64,
    base_version: Option<i32>,
    draft: &DraftInput,
) -> Result<VersionPublished, AppError> {
    editable(state, actor, id).await?;
    let published = publish(&state.db, id, base_version.map(i64::from), draft, actor.user_id()).await?;
    tracing::info!(consultation = id, version = published.number, "version published");
    let people = db::notifications::taking_part(state.db.pool(), id)
        .await
        .or_internal("notifying a new version")?;
    let title = super::consultations::visible(state, actor, id).await?.summary.title;
    let notice = super::notifications::Notice {
        kind: crate::model::NotificationKind::NewVersion,
        dedup_key: format!("version:{id}:{}", published.number),
        title: format!("Version {} publiée : « {title} »", published.number),
        link: format!("/consultations/{id}"),
    };
    super::notifications::notify_now(state, &people, &notice).await?;
    // Readers of an older version are told (see `ui::dialogue::bars::NewVersionBanner`).
    state.events.contributions_changed(&state.db, id).await;
    Ok(published)
}

impl From<PublishingError> for AppError {
    fn from(error: PublishingError) -> AppError {
        match error {
            PublishingError::Invalid(message) => AppError::Invalid(message),
            PublishingError::Conflict(message) => AppError::Conflict(message),
            PublishingError::Db(e) => internal("saving a draft or a version", e),
        }
    }
}

/// The editor's starting point: the saved draft, or else the latest version, or else a template.
pub async fn editor_start(state: &AppState, actor: &Actor, id: i64) -> Result<DraftView, AppError> {
    let record = editable(state, actor, id).await?;
    let pool = state.db.pool();
    let draft = db::consultations::draft(pool, id)
        .await
        .or_internal("reading a draft")?;
    let latest = db::consultations::version(pool, id, None)
        .await
        .or_internal("reading a version")?;
    let latest_version = latest.as_ref().map(|v| v.number as i32);
    let published_markdown = latest.as_ref().map(|v| v.markdown.clone());
    let published_clause_ids = latest.as_ref().map(|v| v.clause_ids()).unwrap_or_default();
    let published_criteria = latest.as_ref().map(|v| v.criteria()).unwrap_or_default();
    let view = |markdown, criteria, changelog, revision, saved_at, saved_by| DraftView {
        consultation_id: id,
        title: record.summary.title.clone(),
        status: record.summary.status,
        markdown,
        criteria,
        changelog,
        revision,
        saved_at,
        saved_by,
        latest_version,
        published_markdown: published_markdown.clone(),
        published_clause_ids: published_clause_ids.clone(),
        published_criteria: published_criteria.clone(),
    };
    Ok(match (draft, latest) {
        (Some(d), _) => view(
            d.markdown,
            db::consultations::parse_criteria(&d.criteria),
            d.changelog,
            d.revision,
            Some(d.updated_at),
            d.updated_by_name,
        ),
        (None, Some(v)) => {
            let criteria = v.criteria();
            view(v.markdown, criteria, String::new(), 0, None, None)
        }
        (None, None) => view(
            template(&record.summary.title),
            Vec::new(),
            String::new(),
            0,
            None,
            None,
        ),
    })
}

/// The text a new specification starts from: the usual headings of a CCTP, to be rewritten.
fn template(title: &str) -> String {
    format!(
        "# {title}\n\n\
         Projet de cahier des clauses techniques particulières (CCTP) soumis au sourcing.\n\n\
         ## 1 Objet du marché\n\nDécrivez le besoin en quelques phrases.\n\n\
         ## 2 Périmètre\n\nSites, équipements, volumes concernés.\n\n\
         ## 3 Prestations attendues\n\nCe que le titulaire doit faire, et à quel niveau de service.\n\n\
         ## 4 Modalités d'exécution\n\nDélais, horaires, interlocuteurs, comptes rendus.\n"
    )
}
