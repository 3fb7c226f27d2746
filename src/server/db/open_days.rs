//! Queries on « portes ouvertes »: the slots a buyer offers on a need and companies' bookings.

use super::DbResult;
use crate::domain::need::SlotFacts;
use sqlx::{Any, Executor};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SlotRow {
    pub id: i64,
    pub need_id: i64,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub place: String,
    pub capacity: i64,
    pub booked: i64,
}

const SLOT_COLUMNS: &str = "id, need_id, starts_at, duration_minutes, place, capacity, booked";

pub async fn insert_slot<'e>(
    db: impl Executor<'e, Database = Any>,
    need: i64,
    slot: &SlotFacts,
    now: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into need_slots (need_id, starts_at, duration_minutes, place, capacity, created_at) \
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(need)
    .bind(slot.starts_at)
    .bind(i64::from(slot.duration_minutes))
    .bind(&slot.place)
    .bind(i64::from(slot.capacity))
    .bind(now)
    .fetch_one(db)
    .await
}

/// A need's slots, in time order.
pub async fn slots<'e>(db: impl Executor<'e, Database = Any>, need: i64) -> DbResult<Vec<SlotRow>> {
    sqlx::query_as(&format!(
        "select {SLOT_COLUMNS} from need_slots where need_id = $1 order by starts_at, id"
    ))
    .bind(need)
    .fetch_all(db)
    .await
}

pub async fn slot<'e>(db: impl Executor<'e, Database = Any>, need: i64, slot: i64) -> DbResult<Option<SlotRow>> {
    sqlx::query_as(&format!(
        "select {SLOT_COLUMNS} from need_slots where id = $1 and need_id = $2"
    ))
    .bind(slot)
    .bind(need)
    .fetch_optional(db)
    .await
}

/// Removes a slot nobody booked; whether it was removed.
pub async fn remove_unbooked_slot<'e>(db: impl Executor<'e, Database = Any>, need: i64, slot: i64) -> DbResult<bool> {
    let removed = sqlx::query("delete from need_slots where id = $1 and need_id = $2 and booked = 0")
        .bind(slot)
        .bind(need)
        .execute(db)
        .await?
        .rows_affected();
    Ok(removed == 1)
}

/// Takes one place of a slot if one is left; whether it did. One statement, so that two
/// companies booking the last place at once cannot both get it.
pub async fn take_place<'e>(db: impl Executor<'e, Database = Any>, need: i64, slot: i64) -> DbResult<bool> {
    let taken =
        sqlx::query("update need_slots set booked = booked + 1 where id = $1 and need_id = $2 and booked < capacity")
            .bind(slot)
            .bind(need)
            .execute(db)
            .await?
            .rows_affected();
    Ok(taken == 1)
}

pub async fn insert_booking<'e>(
    db: impl Executor<'e, Database = Any>,
    need: i64,
    slot: i64,
    company: i64,
    user: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into slot_bookings (need_id, organisation_id, slot_id, user_id, booked_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(need)
    .bind(company)
    .bind(slot)
    .bind(user)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The slot a company booked on a need, if any.
pub async fn own_booking<'e>(db: impl Executor<'e, Database = Any>, need: i64, company: i64) -> DbResult<Option<i64>> {
    sqlx::query_scalar("select slot_id from slot_bookings where need_id = $1 and organisation_id = $2")
        .bind(need)
        .bind(company)
        .fetch_optional(db)
        .await
}

/// Cancels a company's booking on a need and gives its place back; the slot it had, if any.
pub async fn cancel_booking(conn: &mut sqlx::AnyConnection, need: i64, company: i64) -> DbResult<Option<i64>> {
    let Some(slot) = own_booking(&mut *conn, need, company).await? else {
        return Ok(None);
    };
    sqlx::query("delete from slot_bookings where need_id = $1 and organisation_id = $2")
        .bind(need)
        .bind(company)
        .execute(&mut *conn)
        .await?;
    sqlx::query("update need_slots set booked = booked - 1 where id = $1 and booked > 0")
        .bind(slot)
        .execute(&mut *conn)
        .await?;
    Ok(Some(slot))
}

/// Who booked which slot of a need: (slot, company name), in booking order.
pub async fn bookings<'e>(db: impl Executor<'e, Database = Any>, need: i64) -> DbResult<Vec<(i64, String)>> {
    sqlx::query_as(
        "select b.slot_id, o.name from slot_bookings b join organisations o on o.id = b.organisation_id \
         where b.need_id = $1 order by b.booked_at, b.organisation_id",
    )
    .bind(need)
    .fetch_all(db)
    .await
}
