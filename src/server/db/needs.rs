//! Queries on the catalogue of upcoming needs, companies' interest, and the full-text search
//! that the directory shares (see `domain::search` for why both databases agree).

use super::{Backend, DbResult};
use crate::domain::search::TextQuery;
use sqlx::{Any, Executor};

/// The condition « the row's `search_terms` match the query », for this database.
/// `fts_table` is the SQLite FTS5 table indexing `table`; `param` the placeholder of the query.
pub fn text_match(backend: Backend, table: &str, fts_table: &str, param: &str) -> String {
    match backend {
        Backend::Sqlite => format!("{table}.id in (select rowid from {fts_table} where {fts_table} match {param})"),
        Backend::Postgres => {
            format!("{table}.search_vector @@ to_tsquery('simple', {param})")
        }
    }
}

/// The query text bound for [`text_match`].
pub fn text_param(backend: Backend, query: &TextQuery) -> String {
    match backend {
        Backend::Sqlite => query.fts5(),
        Backend::Postgres => query.tsquery(),
    }
}

pub struct NewNeed<'a> {
    pub organisation_id: i64,
    pub created_by: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub cpv_codes: &'a [String],
    pub departements: &'a [String],
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub tender_year: i64,
    pub tender_quarter: i64,
    pub contact: &'a str,
    pub search_terms: &'a str,
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, need: &NewNeed<'_>, now: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into needs (organisation_id, created_by, title, summary, cpv_codes, departements, amount_min, \
         amount_max, tender_year, tender_quarter, contact, published_at, updated_at, search_terms) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) returning id",
    )
    .bind(need.organisation_id)
    .bind(need.created_by)
    .bind(need.title)
    .bind(need.summary)
    .bind(need.cpv_codes.join(" "))
    .bind(need.departements.join(" "))
    .bind(need.amount_min)
    .bind(need.amount_max)
    .bind(need.tender_year)
    .bind(need.tender_quarter)
    .bind(need.contact)
    .bind(now)
    .bind(need.search_terms)
    .fetch_one(db)
    .await
}

pub async fn update<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    need: &NewNeed<'_>,
    consultation_id: Option<i64>,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "update needs set title = $1, summary = $2, cpv_codes = $3, departements = $4, amount_min = $5, \
         amount_max = $6, tender_year = $7, tender_quarter = $8, contact = $9, search_terms = $10, \
         consultation_id = $11, updated_at = $12 where id = $13",
    )
    .bind(need.title)
    .bind(need.summary)
    .bind(need.cpv_codes.join(" "))
    .bind(need.departements.join(" "))
    .bind(need.amount_min)
    .bind(need.amount_max)
    .bind(need.tender_year)
    .bind(need.tender_quarter)
    .bind(need.contact)
    .bind(need.search_terms)
    .bind(consultation_id)
    .bind(now)
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}

/// A need with everything its page shows.
#[derive(sqlx::FromRow, Clone)]
pub struct NeedRow {
    #[sqlx(flatten)]
    pub listed: ListedNeed,
    pub summary: String,
    pub contact: String,
    pub updated_at: i64,
}

/// A need as the catalogue lists it (without its description).
#[derive(sqlx::FromRow, Clone)]
pub struct ListedNeed {
    pub id: i64,
    pub organisation_id: i64,
    pub buyer_name: String,
    pub title: String,
    pub cpv_codes: String,
    pub departements: String,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub tender_year: i64,
    pub tender_quarter: i64,
    pub consultation_id: Option<i64>,
    pub published_at: i64,
}

#[derive(sqlx::FromRow)]
struct ListedNeedRow {
    #[sqlx(flatten)]
    need: ListedNeed,
    total: i64,
}

const NEED_LIST_SELECT: &str = "select n.id, n.organisation_id, o.name as buyer_name, n.title, n.cpv_codes, \
     n.departements, n.amount_min, n.amount_max, n.tender_year, n.tender_quarter, n.consultation_id, n.published_at";

const NEED_SELECT: &str = "select n.id, n.organisation_id, o.name as buyer_name, n.title, n.summary, n.cpv_codes, \
     n.departements, n.amount_min, n.amount_max, n.tender_year, n.tender_quarter, n.contact, n.consultation_id, \
     n.published_at, n.updated_at from needs n join organisations o on o.id = n.organisation_id";

pub async fn get<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<NeedRow>> {
    sqlx::query_as(&format!("{NEED_SELECT} where n.id = $1 and n.withdrawn_at is null"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The catalogue's filters, checked.
#[derive(Default)]
pub struct NeedFilter {
    pub text: Option<TextQuery>,
    /// Digits.
    pub cpv_prefix: String,
    pub departement: String,
    pub year: Option<i64>,
    pub quarter: Option<i64>,
    pub buyer: Option<i64>,
    pub amount_from: Option<i64>,
    pub amount_to: Option<i64>,
}

enum Bound {
    Text(String),
    Int(i64),
}

fn where_clause(backend: Backend, filter: &NeedFilter) -> (String, Vec<Bound>) {
    let mut conditions = vec!["n.withdrawn_at is null".to_string()];
    let mut binds = Vec::new();
    let next = |b: Bound, binds: &mut Vec<Bound>| {
        binds.push(b);
        format!("${}", binds.len())
    };
    if let Some(text) = filter.text.as_ref().filter(|t| !t.is_empty()) {
        let p = next(Bound::Text(text_param(backend, text)), &mut binds);
        conditions.push(text_match(backend, "n", "needs_fts", &p));
    }
    if !filter.cpv_prefix.is_empty() {
        let p = next(Bound::Text(filter.cpv_prefix.clone()), &mut binds);
        conditions.push(format!("(' ' || n.cpv_codes) like '% ' || {p} || '%'"));
    }
    if !filter.departement.is_empty() {
        let p = next(Bound::Text(filter.departement.clone()), &mut binds);
        conditions.push(format!("(' ' || n.departements || ' ') like '% ' || {p} || ' %'"));
    }
    if let Some(year) = filter.year {
        let p = next(Bound::Int(year), &mut binds);
        conditions.push(format!("n.tender_year = {p}"));
    }
    if let Some(quarter) = filter.quarter {
        let p = next(Bound::Int(quarter), &mut binds);
        conditions.push(format!("n.tender_quarter = {p}"));
    }
    if let Some(buyer) = filter.buyer {
        let p = next(Bound::Int(buyer), &mut binds);
        conditions.push(format!("n.organisation_id = {p}"));
    }
    // Ranges that meet the one asked for; a need without an amount meets none.
    if let Some(from) = filter.amount_from {
        let p = next(Bound::Int(from), &mut binds);
        conditions.push(format!("coalesce(n.amount_max, n.amount_min) >= {p}"));
    }
    if let Some(to) = filter.amount_to {
        let p = next(Bound::Int(to), &mut binds);
        conditions.push(format!("coalesce(n.amount_min, n.amount_max) <= {p}"));
    }
    (conditions.join(" and "), binds)
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                Bound::Text(s) => q.bind(s.clone()),
                Bound::Int(n) => q.bind(*n),
            };
        }
        q
    }};
}

/// The needs matching `filter`, by expected quarter then publication; and how many match.
pub async fn search<'e, E>(
    db: E,
    backend: Backend,
    filter: &NeedFilter,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<ListedNeed>, i64)>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let (conditions, binds) = where_clause(backend, filter);
    // With words, one pass: the count of every match rides along each row of the page (the
    // full-text match runs once). Without, counting apart is cheaper than carrying the count
    // through every row.
    let searched = filter.text.as_ref().is_some_and(|t| !t.is_empty());
    let count_sql = format!("select count(*) from needs n where {conditions}");
    let page_sql = format!(
        "{NEED_LIST_SELECT}, {total} as total from needs n join organisations o on o.id = n.organisation_id \
         where {conditions} order by n.tender_year, n.tender_quarter, n.id limit {limit} offset {offset}",
        total = if searched { "count(*) over ()" } else { "0" }
    );
    let rows: Vec<ListedNeedRow> = bind_all!(sqlx::query_as(&page_sql), &binds).fetch_all(db).await?;
    let total = match rows.first() {
        Some(row) if searched => row.total,
        None if searched && offset == 0 => 0,
        _ => bind_all!(sqlx::query_scalar(&count_sql), &binds).fetch_one(db).await?,
    };
    let rows = rows.into_iter().map(|r| r.need).collect();
    Ok((rows, total))
}

/// The buyers with needs in the catalogue, by name.
pub async fn buyers<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<(i64, String)>> {
    sqlx::query_as(
        "select o.id, o.name from organisations o where o.kind = 'buyer' and exists \
         (select 1 from needs n where n.organisation_id = o.id and n.withdrawn_at is null) order by o.name, o.id",
    )
    .fetch_all(db)
    .await
}

/// Says (or says again, with a new message) that a company is interested; whether it is new.
pub async fn add_interest<'e>(
    db: impl Executor<'e, Database = Any>,
    need: i64,
    company: i64,
    user: i64,
    message: &str,
    now: i64,
) -> DbResult<bool> {
    let inserted = sqlx::query(
        "insert into need_interests (need_id, organisation_id, user_id, message, created_at) \
         values ($1, $2, $3, $4, $5) on conflict (need_id, organisation_id) do nothing",
    )
    .bind(need)
    .bind(company)
    .bind(user)
    .bind(message)
    .bind(now)
    .execute(db)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

pub async fn update_interest_message<'e>(
    db: impl Executor<'e, Database = Any>,
    need: i64,
    company: i64,
    message: &str,
) -> DbResult<()> {
    sqlx::query("update need_interests set message = $1 where need_id = $2 and organisation_id = $3")
        .bind(message)
        .bind(need)
        .bind(company)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn remove_interest<'e>(db: impl Executor<'e, Database = Any>, need: i64, company: i64) -> DbResult<()> {
    sqlx::query("delete from need_interests where need_id = $1 and organisation_id = $2")
        .bind(need)
        .bind(company)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn own_interest<'e>(
    db: impl Executor<'e, Database = Any>,
    need: i64,
    company: i64,
) -> DbResult<Option<String>> {
    sqlx::query_scalar("select message from need_interests where need_id = $1 and organisation_id = $2")
        .bind(need)
        .bind(company)
        .fetch_optional(db)
        .await
}

#[derive(sqlx::FromRow)]
pub struct InterestRow {
    pub organisation_id: i64,
    pub person: String,
    pub message: String,
    pub created_at: i64,
}

pub async fn interests<'e>(db: impl Executor<'e, Database = Any>, need: i64) -> DbResult<Vec<InterestRow>> {
    sqlx::query_as(
        "select i.organisation_id, u.display_name as person, i.message, i.created_at from need_interests i \
         join users u on u.id = i.user_id where i.need_id = $1 order by i.created_at, i.organisation_id",
    )
    .bind(need)
    .fetch_all(db)
    .await
}

/// Gives every organisation without search terms its terms (those created before the directory
/// was searched in the database); how many.
pub async fn index_organisations(pool: &sqlx::AnyPool) -> DbResult<usize> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("select id, name, presentation from organisations where search_terms = ''")
            .fetch_all(pool)
            .await?;
    for (id, name, presentation) in &rows {
        sqlx::query("update organisations set search_terms = $1 where id = $2")
            .bind(super::organisations::search_terms(name, presentation))
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(rows.len())
}

pub async fn withdraw<'e>(db: impl Executor<'e, Database = Any>, id: i64, now: i64) -> DbResult<()> {
    sqlx::query("update needs set withdrawn_at = $1 where id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}
