//! Queries on the companies' retro-plannings (one per tender they aim at) and their ticked tasks.

use super::DbResult;
use sqlx::{Any, Executor};

#[derive(sqlx::FromRow)]
pub struct RetroPlanRow {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub submission_date: String,
}

pub async fn plans<'e>(db: impl Executor<'e, Database = Any>, user_id: i64) -> DbResult<Vec<RetroPlanRow>> {
    sqlx::query_as(
        "select id, user_id, title, submission_date from retro_plans where user_id = $1 order by submission_date, id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

pub async fn plan<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<RetroPlanRow>> {
    sqlx::query_as("select id, user_id, title, submission_date from retro_plans where id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn insert_plan<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    title: &str,
    submission: &str,
    now: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into retro_plans (user_id, title, submission_date, created_at, updated_at) values ($1, $2, $3, $4, $4) \
         returning id",
    )
    .bind(user_id)
    .bind(title)
    .bind(submission)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn update_plan<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    title: &str,
    submission: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query("update retro_plans set title = $1, submission_date = $2, updated_at = $3 where id = $4")
        .bind(title)
        .bind(submission)
        .bind(now)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub struct RetroTaskRow {
    pub plan_id: i64,
    pub task_key: String,
    pub done: i64,
    pub note: String,
}

pub async fn tasks<'e>(db: impl Executor<'e, Database = Any>, user_id: i64) -> DbResult<Vec<RetroTaskRow>> {
    sqlx::query_as(
        "select t.plan_id, t.task_key, t.done, t.note from retro_tasks t join retro_plans p on p.id = t.plan_id \
         where p.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

pub async fn set_task<'e>(
    db: impl Executor<'e, Database = Any>,
    plan_id: i64,
    key: &str,
    done: bool,
    note: &str,
) -> DbResult<()> {
    sqlx::query(
        "insert into retro_tasks (plan_id, task_key, done, note) values ($1, $2, $3, $4) \
         on conflict (plan_id, task_key) do update set done = excluded.done, note = excluded.note",
    )
    .bind(plan_id)
    .bind(key)
    .bind(i64::from(done))
    .bind(note)
    .execute(db)
    .await
    .map(|_| ())
}
