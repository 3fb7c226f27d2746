//! The companies' retro-plannings: a tender they aim at, its submission date (J) and the tasks
//! counted back from it (`domain::calendar::retro_planning`), ticked with notes. Each plan is
//! its owner's alone (`Permission::UseRetroPlan`).

use super::auth::{authorize, Actor, Permission};
use super::db::{self, planning::RetroPlanRow};
use super::failure::OrInternal;
use super::AppState;
use crate::domain::calendar::{retro_planning, Date};
use crate::error::AppError;
use crate::model::{RetroPlanView, RetroPlans, RetroTaskState};

const MAX_TITLE_CHARS: usize = 200;
const MAX_NOTE_CHARS: usize = 4_000;

/// The caller's retro-plannings, with their ticked tasks and notes.
pub async fn mine(state: &AppState, actor: &Actor) -> Result<RetroPlans, AppError> {
    authorize(actor, Permission::PlanTenders)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    let pool = state.db.pool();
    let plans = db::planning::plans(pool, user)
        .await
        .or_internal("reading retro-plannings")?;
    let tasks = db::planning::tasks(pool, user)
        .await
        .or_internal("reading retro-plannings")?;
    let mut views = Vec::with_capacity(plans.len());
    for p in plans {
        let submission = submission_of(&p)?;
        views.push(RetroPlanView {
            id: p.id,
            title: p.title,
            submission,
            tasks: tasks
                .iter()
                .filter(|t| t.plan_id == p.id)
                .map(|t| RetroTaskState {
                    key: t.task_key.clone(),
                    done: t.done != 0,
                    note: t.note.clone(),
                })
                .collect(),
        });
    }
    Ok(RetroPlans {
        today: state.clock.today(),
        plans: views,
    })
}

/// Creates (no `id`) or changes a retro-planning: a tender's name and its submission date (J).
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    title: &str,
    submission: &str,
) -> Result<i64, AppError> {
    authorize(actor, Permission::PlanTenders)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::Invalid(format!(
            "Nommez l'appel d'offres visé ({MAX_TITLE_CHARS} caractères au plus)."
        )));
    }
    let date = Date::parse_iso(submission).map_err(|e| AppError::Invalid(e.to_string()))?;
    if !(2000..=2100).contains(&date.year()) {
        return Err(AppError::Invalid(
            "La date de remise des offres doit être comprise entre 2000 et 2100.".into(),
        ));
    }
    let mut tx = state.db.begin_write().await.or_internal("saving a retro-planning")?;
    let id = match id {
        Some(id) => {
            owned(&mut tx, actor, id).await?;
            db::planning::update_plan(&mut *tx, id, &title, &date.to_string(), state.now())
                .await
                .or_internal("saving a retro-planning")?;
            id
        }
        None => db::planning::insert_plan(&mut *tx, user, &title, &date.to_string(), state.now())
            .await
            .or_internal("saving a retro-planning")?,
    };
    tx.commit().await.or_internal("saving a retro-planning")?;
    Ok(id)
}

/// Ticks (or unticks) a task of a retro-planning and keeps a note on it.
pub async fn set_task(
    state: &AppState,
    actor: &Actor,
    plan: i64,
    key: &str,
    done: bool,
    note: &str,
) -> Result<(), AppError> {
    authorize(actor, Permission::PlanTenders)?;
    // The tasks are the same whatever the date: any date lists their keys.
    let known = retro_planning(Date::new(2030, 1, 1).expect("a valid date"))
        .phases
        .iter()
        .any(|p| p.tasks.iter().any(|t| t.key == key));
    if !known {
        return Err(AppError::Invalid("Cette tâche n'existe pas.".into()));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::Invalid(
            "La note dépasse 4 000 caractères : résumez-la.".into(),
        ));
    }
    let mut tx = state.db.begin_write().await.or_internal("saving a task")?;
    owned(&mut tx, actor, plan).await?;
    db::planning::set_task(&mut *tx, plan, key, done, note.trim())
        .await
        .or_internal("saving a task")?;
    tx.commit().await.or_internal("saving a task")?;
    Ok(())
}

/// One plan as iCalendar, for its owner.
pub async fn ics(state: &AppState, actor: &Actor, plan: i64) -> Result<(String, String), AppError> {
    authorize(actor, Permission::PlanTenders)?;
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .or_internal("reading a retro-planning")?;
    let row = owned(&mut conn, actor, plan).await?;
    let events = plan_events(&row, state.now())?;
    Ok((
        format!("retroplanning-{plan}.ics"),
        crate::domain::calendar::to_ics(&format!("Rétroplanning — {}", row.title), &events),
    ))
}

/// The events of a plan (each task, dated back from J).
pub fn plan_events(row: &RetroPlanRow, now: i64) -> Result<Vec<crate::domain::calendar::IcsEvent>, AppError> {
    Ok(retro_planning(submission_of(row)?).ics_events(
        &format!("retroplanning-{}@jesaisfaire.fr", row.id),
        &row.title,
        now,
    ))
}

/// A stored date that does not read is a fault of the server (forms only store valid dates).
fn submission_of(row: &RetroPlanRow) -> Result<Date, AppError> {
    Date::parse_iso(&row.submission_date).or_internal("reading a retro-planning's submission date")
}

/// A plan of the caller; someone else's is "not found", like one that does not exist.
async fn owned(conn: &mut sqlx::AnyConnection, actor: &Actor, id: i64) -> Result<RetroPlanRow, AppError> {
    let row = db::planning::plan(&mut *conn, id)
        .await
        .or_internal("reading a retro-planning")?
        .ok_or_else(|| AppError::not_found("Ce rétroplanning"))?;
    authorize(actor, Permission::UseRetroPlan { owner: row.user_id })?;
    Ok(row)
}
