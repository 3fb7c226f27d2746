//! Saving the working draft and publishing versions: what makes a version immutable and its
//! clause ids stable. Used by the server functions and by the demo data, so that both follow the
//! same rules.

use super::db::{
    self,
    consultations::{DraftUpdate, NewVersion},
    Db,
};
use crate::domain::calendar::{paris_date, PhaseKind};
use crate::domain::criteria::{self, Criterion, MAX_CRITERIA};
use crate::domain::spec::{self, Specification};
use crate::model::{DraftInput, DraftSaved, VersionPublished};
use crate::ui::format::instant_fr;

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
/// the version, never recomputed.
pub async fn publish(
    db: &Db,
    consultation_id: i64,
    base_version: Option<i64>,
    input: &DraftInput,
    author_id: Option<i64>,
) -> Result<VersionPublished, PublishingError> {
    let mut tx = db.begin_write().await?;
    let published = publish_in(&mut tx, consultation_id, base_version, input, author_id, db.now()).await?;
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

    let latest = db::consultations::latest_version_number(&mut **tx, consultation_id).await?;
    if latest != base_version {
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
    if let Some(n) = latest {
        let previous = db::consultations::version(&mut **tx, consultation_id, Some(n))
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        if let Some(refusal) = criteria::unchanged_since(
            n,
            (&previous.markdown, &previous.criteria()),
            (&input.markdown, &criteria),
        ) {
            return Err(PublishingError::Invalid(refusal));
        }
        spec::carry_ids(&previous.specification(), &mut next);
        criteria::carry_criterion_ids(&previous.criteria(), &mut criteria);
    } else {
        criteria::carry_criterion_ids(&[], &mut criteria);
    }
    let number = latest.unwrap_or(0) + 1;
    let calendar_notice = extend_exchanges(tx, consultation_id, number, now).await?;
    db::consultations::insert_version(
        &mut **tx,
        &NewVersion {
            consultation_id,
            number,
            markdown: &input.markdown,
            clause_ids: &next.clause_ids(),
            criteria: &criteria,
            changelog,
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
        markdown: input.markdown.clone(),
        criteria,
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
