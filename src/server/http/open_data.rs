//! The open-data files (`/donnees/…`): public, cached by validators (`ETag`, `Last-Modified`,
//! `no-cache`: a reuser's poll costs one small query when nothing changed), each built from
//! `server::open_data`. Building reads every public consultation: a few builds at a time
//! (`AppState::open_data_builds`), the others are told to come back.

use super::downloads::refusal;
use crate::domain::calendar::Date;
use crate::domain::open_data::ocds;
use crate::domain::open_data::tables;
use crate::error::AppError;
use crate::server::open_data::{self, Freshness};
use crate::server::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::write::GzEncoder;
use std::io::Write;

/// `Sat, 05 Dec 2026 09:30:00 GMT` (the HTTP date format).
fn http_date(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let day = Date::from_days(unix.div_euclid(86_400)).unwrap_or(Date::MIN);
    let s = unix.rem_euclid(86_400);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[day.weekday().number_from_monday() as usize - 1],
        day.day(),
        MONTHS[day.month() as usize - 1],
        day.year(),
        s / 3_600,
        s % 3_600 / 60,
        s % 60
    )
}

fn validators(fresh: &Freshness) -> [(header::HeaderName, HeaderValue); 3] {
    [
        (
            header::ETAG,
            HeaderValue::from_str(&fresh.etag).unwrap_or(HeaderValue::from_static("\"\"")),
        ),
        (
            header::LAST_MODIFIED,
            HeaderValue::from_str(&http_date(fresh.last_modified)).unwrap_or(HeaderValue::from_static("")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache")),
    ]
}

/// Whether the client's copy is the current one (`If-None-Match` first, as RFC 9110 says).
fn not_modified(headers: &HeaderMap, fresh: &Freshness) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return tags.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == fresh.etag
        });
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|since| since == http_date(fresh.last_modified))
}

fn busy() -> Response {
    super::busy(
        "Les données ouvertes sont en cours de préparation pour d'autres demandes : réessayez dans quelques secondes.",
    )
}

/// Whether a file reads every public consultation (then it waits for a place among the builds).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cost {
    OneConsultation,
    Everything,
}

/// Answers with `build`'s file, or 304 when the client holds the current one.
async fn file<F, Fut>(state: AppState, headers: HeaderMap, content_type: &'static str, cost: Cost, build: F) -> Response
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<u8>, AppError>>,
{
    let fresh = match open_data::freshness(&state).await {
        Ok(fresh) => fresh,
        Err(e) => return refusal(e),
    };
    if not_modified(&headers, &fresh) {
        return (StatusCode::NOT_MODIFIED, validators(&fresh)).into_response();
    }
    let _permit = match cost {
        Cost::OneConsultation => None,
        Cost::Everything => match state.open_data_builds.try_start() {
            Some(permit) => Some(permit),
            None => return busy(),
        },
    };
    match build(state).await {
        Ok(body) => (validators(&fresh), [(header::CONTENT_TYPE, content_type)], body).into_response(),
        Err(e) => refusal(e),
    }
}

fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

const JSON: &str = "application/json";

/// `/donnees/ocds/{ocid}.json`: the release package of a consultation.
pub async fn release_package(State(state): State<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(ocid) = file.strip_suffix(".json").map(str::to_owned) else {
        return refusal(AppError::not_found("Ce fichier"));
    };
    file_of(state, headers, move |state| async move {
        open_data::release_package(&state, &ocid).await.map(|v| json_bytes(&v))
    })
    .await
}

async fn file_of<F, Fut>(state: AppState, headers: HeaderMap, build: F) -> Response
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<u8>, AppError>>,
{
    file(state, headers, JSON, Cost::OneConsultation, build).await
}

/// `/donnees/ocds/{ocid}/record.json`: the record package of a consultation.
pub async fn record_package(State(state): State<AppState>, headers: HeaderMap, Path(ocid): Path<String>) -> Response {
    file_of(state, headers, move |state| async move {
        open_data::record_package(&state, &ocid).await.map(|v| json_bytes(&v))
    })
    .await
}

/// `/donnees/{name}.csv` and `/donnees/{name}.schema.json`.
pub async fn dataset(State(state): State<AppState>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    if let Some(dataset) = name.strip_suffix(".schema.json").and_then(tables::dataset) {
        let publisher = open_data::publisher(&state);
        let body = json_bytes(&tables::schema(dataset, &publisher.name, &publisher.base_url));
        return (
            [
                (header::CONTENT_TYPE, JSON),
                (header::CACHE_CONTROL, "public, no-cache"),
            ],
            body,
        )
            .into_response();
    }
    let Some(dataset) = name.strip_suffix(".csv").and_then(tables::dataset) else {
        return refusal(AppError::not_found("Ce jeu de données"));
    };
    file(
        state,
        headers,
        "text/csv; charset=utf-8",
        Cost::Everything,
        move |state| async move { open_data::csv(&state, dataset).await.map(String::into_bytes) },
    )
    .await
}

/// `/donnees/ocds.jsonl.gz`: every release of every published consultation, one JSON per line,
/// gzipped, streamed batch by batch (memory stays that of one batch whatever their number).
pub async fn bulk(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let fresh = match open_data::freshness(&state).await {
        Ok(fresh) => fresh,
        Err(e) => return refusal(e),
    };
    if not_modified(&headers, &fresh) {
        return (StatusCode::NOT_MODIFIED, validators(&fresh)).into_response();
    }
    let Some(permit) = state.open_data_builds.try_start() else {
        return busy();
    };
    // Two batches ahead at most: a slow reader holds the builder back, not the memory.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(2);
    tokio::spawn(async move {
        let _permit = permit;
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        let mut after = 0;
        loop {
            let (consultations, last) = match open_data::batch(&state, after).await {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::error!(error = ?e, "building the bulk open data");
                    let _ = tx.send(Err(std::io::Error::other("open data"))).await;
                    return;
                }
            };
            for c in &consultations {
                for release in ocds::releases(c) {
                    let _ = serde_json::to_writer(&mut gz, &release);
                    let _ = gz.write_all(b"\n");
                }
            }
            let chunk = std::mem::take(gz.get_mut());
            if !chunk.is_empty() && tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                return; // the client left
            }
            match last {
                Some(last) => after = last,
                None => break,
            }
        }
        if let Ok(rest) = gz.finish() {
            let _ = tx.send(Ok(Bytes::from(rest))).await;
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    (
        validators(&fresh),
        [
            (header::CONTENT_TYPE, "application/gzip"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"ocds.jsonl.gz\""),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_in_the_imf_fixdate_format() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(1_796_463_000), "Sat, 05 Dec 2026 09:30:00 GMT");
    }
}
