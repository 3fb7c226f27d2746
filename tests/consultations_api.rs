//! Reading consultations through the real HTTP stack, on SQLite and PostgreSQL.

mod common;

use common::{app, call, get, TestDb};
use jesaisfaire::model::{ConsultationDetail, ConsultationStatus, ConsultationSummary, VersionHistory};
use jesaisfaire::server::demo;

async fn demo_app(db: &TestDb) -> axum::Router {
    assert_eq!(
        demo::load_if_empty(&db.db).await.unwrap(),
        demo::Outcome::Loaded { consultations: 4 }
    );
    app(&db.db)
}

async fn list(app: &axum::Router) -> Vec<ConsultationSummary> {
    let answer = call(app, "consultations/list", "").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

async fn the_public_list_shows_open_consultations_and_hides_drafts_and_restricted_ones(db: &TestDb) {
    let app = demo_app(db).await;
    let list = list(&app).await;
    let titles: Vec<&str> = list.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(list.len(), 2, "{titles:?}");
    assert!(
        !titles.iter().any(|t| t.contains("Nettoyage")),
        "a restricted consultation leaked: {titles:?}"
    );
    assert!(list.iter().all(|c| c.status != ConsultationStatus::Draft));
    assert!(
        !titles.iter().any(|t| t.contains("Refonte du site internet")),
        "a draft leaked: {titles:?}"
    );
    // Soonest exchanges first.
    assert!(titles[0].starts_with("Maintenance du parc informatique"), "{titles:?}");
    let maintenance = &list[0];
    assert_eq!(maintenance.buyer_name, "Préfecture de Seine-et-Marne");
    assert_eq!(maintenance.latest_version, Some(2));
    // The demo's exchanges are open on the day it is loaded.
    let today = common::today().to_string();
    let (start, end) = (
        maintenance.dates.exchanges_start.clone().unwrap(),
        maintenance.dates.exchanges_end.clone().unwrap(),
    );
    assert!(start <= today && today <= end, "{start} <= {today} <= {end}");
    assert_eq!(maintenance.status, ConsultationStatus::Exchanges);
    assert_eq!(maintenance.departements, vec!["77".to_string()]);
}

async fn a_consultation_comes_with_its_latest_version_rendered_and_outlined(db: &TestDb) {
    let app = demo_app(db).await;
    let id = list(&app).await[0].id;
    let answer = call(&app, "consultations/get", &format!("id={id}")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let detail: ConsultationDetail = serde_json::from_str(&answer.body).unwrap();
    let version = detail.current_version.expect("a published version");
    assert_eq!(version.number, 2);
    assert!(version.changelog.contains("astreinte"), "{}", version.changelog);
    let titles: Vec<&str> = version.outline.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(version.outline.len(), 10, "{titles:?}");
    assert!(titles.contains(&"Astreinte lors des scrutins"), "{titles:?}");
    assert!(version.html().contains("Le présent marché a pour objet"));
    assert!(version.html().contains("<table>"), "tables are rendered");
    assert!(detail.cpv_codes.contains(&"50312000-5".to_string()));
}

async fn drafts_and_unknown_ids_answer_404(db: &TestDb) {
    let app = demo_app(db).await;
    let draft_id: i64 = sqlx::query_scalar("select id from consultations where status = 'draft'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    for id in [draft_id, 999_999] {
        let answer = call(&app, "consultations/get", &format!("id={id}")).await;
        assert_eq!(answer.status, 404, "id {id}: {}", answer.body);
        let message = answer.json()["NotFound"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("introuvable"), "{message}");
        assert!(!answer.body.contains("Refonte"), "the draft's title leaked");
    }
}

async fn malformed_arguments_are_refused_with_a_clear_message(db: &TestDb) {
    let app = demo_app(db).await;
    let answer = call(&app, "consultations/get", "id=abc").await;
    assert_ne!(answer.status, 200);
    assert!(answer.body.contains("mal formée"), "{}", answer.body);
}

async fn pages_are_rendered_on_the_server(db: &TestDb) {
    let app = demo_app(db).await;
    let page = get(&app, "/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Maintenance du parc informatique"), "{}", page.body);
    assert!(page.body.contains("<html lang=\"fr\""));
    // The catalogue may be served again by the page cache: its policy names its scripts by hash.
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(common::scripts_allowed(csp, &page.body), "{csp}");
    // A page never kept carries a nonce of its own, the one on its hydration script.
    let sign_in = get(&app, "/connexion").await;
    let csp = sign_in.headers["content-security-policy"].to_str().unwrap();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(
        sign_in.body.contains(&format!("nonce=\"{nonce}\"")),
        "script without the header's nonce"
    );

    let id = list(&app).await[0].id;
    let page = get(&app, &format!("/consultations/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Réversibilité"));
    let missing = get(&app, "/consultations/424242").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("introuvable"));
    assert_eq!(get(&app, "/no/such/page").await.status, 404);
}

async fn health_check_reports_the_database(db: &TestDb) {
    let app = app(&db.db);
    let answer = get(&app, "/healthz").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["database"], "ok");
    db.db.close().await;
    let answer = get(&app, "/healthz").await;
    assert_eq!(answer.status, 503, "a closed database must fail the health check");
}

async fn the_history_lists_every_version_and_any_can_be_read(db: &TestDb) {
    let app = demo_app(db).await;
    let id = list(&app).await[0].id;
    let history = call(&app, "consultations/versions", &format!("id={id}")).await;
    assert_eq!(history.status, 200, "{}", history.body);
    let history: VersionHistory = serde_json::from_str(&history.body).unwrap();
    let numbers: Vec<(i32, u32)> = history.versions.iter().map(|v| (v.number, v.clause_count)).collect();
    assert_eq!(numbers, vec![(2, 10), (1, 9)], "newest first, with their clause counts");

    let v1 = call(&app, "consultations/get", &format!("id={id}&version=1")).await;
    let v1: ConsultationDetail = serde_json::from_str(&v1.body).unwrap();
    let shown = v1.current_version.unwrap();
    assert_eq!(shown.number, 1);
    assert!(
        shown.html().contains("deux visites préventives par an"),
        "the text of version 1"
    );
    assert_eq!(v1.summary.latest_version, Some(2));
    assert_eq!(
        call(&app, "consultations/get", &format!("id={id}&version=9"))
            .await
            .status,
        404
    );
}

async fn a_version_downloads_as_markdown_for_those_who_may_read_it(db: &TestDb) {
    let app = demo_app(db).await;
    let id = list(&app).await[0].id;
    let file = get(&app, &format!("/consultations/{id}/versions/1/cctp.md")).await;
    assert_eq!(file.status, 200);
    assert!(file.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    assert!(file.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let stored: String =
        sqlx::query_scalar("select markdown from spec_versions where consultation_id = $1 and number = 1")
            .bind(id)
            .fetch_one(db.db.pool())
            .await
            .unwrap();
    assert_eq!(file.body, stored, "byte for byte the published text");
    assert_eq!(
        get(&app, &format!("/consultations/{id}/versions/7/cctp.md"))
            .await
            .status,
        404
    );
    // Hidden consultations are not downloadable by the public (same 404 as a missing one).
    let hidden: Vec<i64> =
        sqlx::query_scalar("select id from consultations where status = 'draft' or mode = 'restricted'")
            .fetch_all(db.db.pool())
            .await
            .unwrap();
    for id in hidden {
        sqlx::query("insert into spec_versions (consultation_id, number, markdown, changelog, published_at) values ($1, 1, 'secret', '', 0)")
            .bind(id)
            .execute(db.db.pool())
            .await
            .unwrap();
        let answer = get(&app, &format!("/consultations/{id}/versions/1/cctp.md")).await;
        assert_eq!(answer.status, 404);
        assert!(!answer.body.contains("secret"));
    }
}

async fn two_versions_compare_clause_by_clause(db: &TestDb) {
    use jesaisfaire::domain::diff::ChangeKind;
    let app = demo_app(db).await;
    let id = list(&app).await[0].id;
    let answer = call(&app, "consultations/compare", &format!("id={id}")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let c: jesaisfaire::model::VersionComparison = serde_json::from_str(&answer.body).unwrap();
    assert_eq!((c.from, c.to), (1, 2), "default: the latest and the one before");
    let added: Vec<&str> = c
        .diff
        .clauses
        .iter()
        .filter(|x| x.kind == ChangeKind::Added)
        .map(|x| x.label())
        .collect();
    assert_eq!(added, ["8 bis Astreinte lors des scrutins"]);
    assert!(c.diff.stats.modified >= 2, "{:?}", c.diff.stats);
    assert!(
        c.diff
            .clauses
            .iter()
            .filter(|x| x.kind == ChangeKind::Unchanged)
            .all(|x| x.segments.is_empty()),
        "unchanged clauses are not sent"
    );
    let environment = c
        .diff
        .criteria
        .iter()
        .find(|x| x.id == "critere-performance-environnementale")
        .unwrap();
    assert_eq!(environment.kind, ChangeKind::Modified);
    let only_one = call(&app, "consultations/compare", &format!("id={id}&from=1&to=7")).await;
    assert_eq!(only_one.status, 422, "{}", only_one.body);
}

async fn unchanged_clauses_unfold_on_demand_rendered_and_sanitised(db: &TestDb) {
    use jesaisfaire::domain::diff::ChangeKind;
    use jesaisfaire::domain::markdown::RenderedPart;
    let app = demo_app(db).await;
    let id = list(&app).await[0].id;
    let answer = call(&app, "consultations/compare", &format!("id={id}")).await;
    let c: jesaisfaire::model::VersionComparison = serde_json::from_str(&answer.body).unwrap();
    let unchanged: Vec<String> = c
        .diff
        .clauses
        .iter()
        .filter(|x| x.kind == ChangeKind::Unchanged)
        .map(|x| x.id.clone())
        .collect();
    assert!(unchanged.len() >= 2, "{unchanged:?}");
    // Asked in reverse order, plus an id the version does not have: the version's order, known ids only.
    let mut asked: Vec<String> = unchanged.iter().rev().cloned().collect();
    asked.push("pas-une-clause".into());
    let body = serde_json::json!({ "id": id, "version": c.to, "clause_ids": asked }).to_string();
    let answer = call(&app, "consultations/clauses", &body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let parts: Vec<RenderedPart> = serde_json::from_str(&answer.body).unwrap();
    let ids: Vec<&str> = parts.iter().filter_map(|p| p.clause_id.as_deref()).collect();
    assert_eq!(ids, unchanged.iter().map(String::as_str).collect::<Vec<_>>());
    for part in &parts {
        let clause = part.clause_id.as_deref().unwrap();
        assert!(part.html.contains(&format!("id=\"{clause}\"")), "{}", part.html);
        assert!(!part.html.contains("<script"), "{}", part.html);
    }
    // A bounded request: more than a page's batch is refused with a message.
    let many: Vec<String> = (0..=jesaisfaire::api::consultations::MAX_UNFOLDED_CLAUSES)
        .map(|i| format!("c{i}"))
        .collect();
    let body = serde_json::json!({ "id": id, "version": c.to, "clause_ids": many }).to_string();
    let answer = call(&app, "consultations/clauses", &body).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(answer.body.contains("Au plus"), "{}", answer.body);
    let body = serde_json::json!({ "id": id, "version": 99, "clause_ids": ["objet"] }).to_string();
    assert_eq!(call(&app, "consultations/clauses", &body).await.status, 404);
}

on_both_backends!(
    unchanged_clauses_unfold_on_demand_rendered_and_sanitised,
    two_versions_compare_clause_by_clause,
    the_history_lists_every_version_and_any_can_be_read,
    a_version_downloads_as_markdown_for_those_who_may_read_it,
    the_public_list_shows_open_consultations_and_hides_drafts_and_restricted_ones,
    a_consultation_comes_with_its_latest_version_rendered_and_outlined,
    drafts_and_unknown_ids_answer_404,
    malformed_arguments_are_refused_with_a_clear_message,
    pages_are_rendered_on_the_server,
    health_check_reports_the_database,
);
