//! The buyer's side through the real HTTP stack, on SQLite and PostgreSQL: create a consultation,
//! save its draft, publish versions, collide with a colleague, hit the limits.

mod common;

use common::{app, call_as, form, sign_in, TestDb};
use jesaisfaire::model::{ConsultationDetail, ConsultationStatus, ConsultationSummary, DraftView, VersionHistory};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use serde_json::json;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const COLLEAGUE_OF_NOBODY: &str = "acheteur.ddt@demo.jesaisfaire.fr";

type Buyer = common::Client;

impl common::Client {
    /// The demo buyer.
    async fn buyer(db: &TestDb) -> Buyer {
        demo::load_if_empty(&db.db).await.unwrap();
        Buyer::signed_in(&app(&db.db), BUYER).await
    }

    async fn create(&self, title: &str) -> i64 {
        let answer = self
            .call(
                "consultations/create",
                &form(&[
                    ("title", title),
                    ("object", "Tonte, taille et désherbage sans produits phytosanitaires."),
                    ("cpv_codes", "77310000-6"),
                    ("departements", "77, 2a"),
                    ("mode", "open"),
                    ("expected_tender", "2030-03-01"),
                ]),
            )
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body.parse().expect("the new id")
    }

    async fn draft(&self, id: i64) -> DraftView {
        let answer = self.call("consultations/draft", &format!("id={id}")).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        serde_json::from_str(&answer.body).unwrap()
    }

    async fn save(&self, id: i64, revision: i64, markdown: &str) -> common::Answer {
        let body = json!({"id": id, "revision": revision,
            "draft": {"markdown": markdown, "criteria": [], "changelog": ""}});
        self.call("consultations/draft/save", &body.to_string()).await
    }

    async fn publish(
        &self,
        id: i64,
        base: Option<i32>,
        markdown: &str,
        criteria: serde_json::Value,
        changelog: &str,
    ) -> common::Answer {
        let body = json!({"id": id, "base_version": base,
            "draft": {"markdown": markdown, "criteria": criteria, "changelog": changelog}});
        self.call("consultations/publish", &body.to_string()).await
    }

    async fn detail(&self, id: i64, version: Option<i32>) -> ConsultationDetail {
        let args = match version {
            Some(n) => format!("id={id}&version={n}"),
            None => format!("id={id}"),
        };
        let answer = self.call("consultations/get", &args).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        serde_json::from_str(&answer.body).unwrap()
    }
}

fn criteria(weights: &[(&str, u32)]) -> serde_json::Value {
    json!(weights
        .iter()
        .map(|(name, weight)| json!({"name": name, "weight": weight, "description": ""}))
        .collect::<Vec<_>>())
}

const V1: &str = "# Espaces verts\n\n## 1 Objet\n\nEntretien des espaces verts de trois sites.\n\n\
                  ## 2 Tonte\n\nTonte toutes les deux semaines d'avril à octobre, hauteur de coupe huit centimètres.\n\n\
                  ## 3 Taille des haies\n\nDeux tailles par an, déchets broyés et laissés sur place en paillage.\n";

/// Version 2 inserts a clause before "Tonte" (renumbering it), rewrites the haies clause and
/// renames nothing: the ids must follow the clauses, not their numbers.
const V2: &str = "# Espaces verts\n\n## 1 Objet\n\nEntretien des espaces verts de trois sites.\n\n\
                  ## 2 Désherbage\n\nDésherbage manuel ou thermique, aucun produit phytosanitaire.\n\n\
                  ## 3 Tonte\n\nTonte toutes les deux semaines d'avril à octobre, hauteur de coupe huit centimètres.\n\n\
                  ## 4 Taille des haies\n\nTrois tailles par an, déchets broyés et laissés sur place en paillage.\n";

async fn a_buyer_creates_a_consultation_that_stays_private_until_announced(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;

    let mine: Vec<ConsultationSummary> = buyer.call("consultations/mine", "").await.json_as();
    let created = mine.iter().find(|c| c.id == id).expect("in the buyer's list");
    assert_eq!(created.status, ConsultationStatus::Draft);
    assert_eq!(created.departements, ["77", "2A"]);
    assert_eq!(created.dates.expected_tender.as_deref(), Some("2030-03-01"));

    let public = call_as(&buyer.app, None, "consultations/get", &format!("id={id}")).await;
    assert_eq!(public.status, 404, "a draft is hidden from the public");

    // Announcing needs a published version first.
    let early = buyer
        .call("consultations/status", &format!("id={id}&to=announced"))
        .await;
    assert_eq!(early.status, 422, "{}", early.body);
    assert!(early.body.contains("Publiez une première version"), "{}", early.body);

    assert_eq!(buyer.publish(id, None, V1, json!([]), "").await.status, 200);
    let announced = buyer
        .call("consultations/status", &format!("id={id}&to=announced"))
        .await;
    assert!(
        announced.status.is_success() || announced.status.is_redirection(),
        "{}",
        announced.body
    );
    let public = call_as(&buyer.app, None, "consultations/get", &format!("id={id}")).await;
    assert_eq!(public.status, 200, "announced open sourcing is public: {}", public.body);
    // A stale second click does nothing twice.
    let again = buyer
        .call("consultations/status", &format!("id={id}&to=announced"))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
}

async fn bad_consultation_facts_are_refused_in_french(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let answer = buyer
        .call(
            "consultations/create",
            &form(&[
                ("title", "abc"),
                ("object", ""),
                ("cpv_codes", "123"),
                ("departements", "99"),
                ("mode", "open"),
                ("expected_tender", "2001-01-01"),
            ]),
        )
        .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    // Each message names its field, for the form to show it there (issue 18).
    let error: jesaisfaire::error::AppError = serde_json::from_str(&answer.body).unwrap();
    for (field, expected) in [
        ("title", "au moins 5 caractères"),
        ("object", "Décrivez l'objet"),
        ("cpv_codes", "« 123 »"),
        ("departements", "« 99 »"),
        ("expected_tender", "est passée"),
    ] {
        let message = error.problem_with(field).unwrap_or_default();
        assert!(
            message.contains(expected),
            "{field}: {expected:?} missing in {message:?}"
        );
    }
    assert_eq!(error.problem_with("mode"), None, "the mode was chosen");
    for expected in [
        "au moins 5 caractères",
        "« 123 » n'est pas un code CPV",
        "« 99 »",
        "est passée",
    ] {
        assert!(
            answer.body.contains(expected),
            "{expected:?} missing in {}",
            answer.body
        );
    }
    let count: i64 = sqlx::query_scalar("select count(*) from consultations")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 4, "nothing was created");
}

async fn drafts_are_saved_and_never_silently_overwritten(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;
    let start = buyer.draft(id).await;
    assert_eq!(start.revision, 0);
    assert!(
        start.markdown.contains("## 1 Objet du marché"),
        "a template to start from"
    );

    let first = buyer.save(id, 0, V1).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["revision"], 1);
    let reloaded = buyer.draft(id).await;
    assert_eq!(reloaded.markdown, V1, "the saved text comes back on reload");
    assert_eq!(reloaded.revision, 1);
    assert_eq!(reloaded.saved_by.as_deref(), Some("Claire Moreau"));

    // An editor still at revision 0 (another tab, a colleague) cannot overwrite revision 1.
    let stale = buyer.save(id, 0, "# Autre texte\n").await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("Claire Moreau"), "says who saved: {}", stale.body);
    assert_eq!(buyer.draft(id).await.markdown, V1, "nothing overwritten");
}

async fn publishing_makes_immutable_versions_whose_clause_ids_follow_the_clauses(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;
    let v1 = buyer
        .publish(id, None, V1, criteria(&[("Prix", 40), ("Valeur technique", 60)]), "")
        .await;
    assert_eq!(v1.status, 200, "{}", v1.body);
    assert_eq!(v1.json()["number"], 1);

    // Version 2 without a changelog is refused; with one it is published.
    let silent = buyer.publish(id, Some(1), V2, criteria(&[("Prix", 100)]), "  ").await;
    assert_eq!(silent.status, 422, "{}", silent.body);
    assert!(silent.body.contains("Résumez ce qui change"), "{}", silent.body);
    let v2 = buyer
        .publish(
            id,
            Some(1),
            V2,
            criteria(&[("Valeur technique", 70), ("Prix", 30)]),
            "Désherbage ajouté.",
        )
        .await;
    assert_eq!(v2.status, 200, "{}", v2.body);
    assert_eq!(v2.json()["number"], 2);

    let first = buyer.detail(id, Some(1)).await.current_version.unwrap();
    let second = buyer.detail(id, None).await.current_version.unwrap();
    let ids = |v: &jesaisfaire::model::SpecVersionView| -> Vec<(String, String)> {
        v.outline
            .iter()
            .map(|e| (e.title.clone(), e.clause_id.clone()))
            .collect()
    };
    let (ids1, ids2) = (ids(&first), ids(&second));
    let id_of = |list: &[(String, String)], title: &str| list.iter().find(|(t, _)| t == title).unwrap().1.clone();
    for title in ["Objet", "Tonte", "Taille des haies"] {
        assert_eq!(id_of(&ids1, title), id_of(&ids2, title), "{title} keeps its id");
    }
    assert!(
        second.html().contains(&format!("id=\"{}\"", id_of(&ids2, "Tonte"))),
        "anchors use the ids"
    );
    assert_eq!(second.changelog, "Désherbage ajouté.");
    assert_eq!(second.author.as_deref(), Some("Claire Moreau"));
    assert_eq!(first.criteria[0].id, "critere-prix");
    let technique = second.criteria.iter().find(|c| c.name == "Valeur technique").unwrap();
    assert_eq!(
        technique.id, "critere-valeur-technique",
        "criterion ids follow names across versions"
    );
    assert_eq!(technique.weight, 70);

    // Version 1 is unchanged by the publication of version 2.
    assert!(first.html().contains("Deux tailles par an"));
    let history: VersionHistory = buyer
        .call("consultations/versions", &format!("id={id}"))
        .await
        .json_as();
    let numbers: Vec<i32> = history.versions.iter().map(|v| v.number).collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(history.versions[0].clause_count, 4);
    assert_eq!(history.versions[1].criteria_count, 2);

    // The draft continues version 2.
    let draft = buyer.draft(id).await;
    assert_eq!(draft.latest_version, Some(2));
    assert_eq!(draft.markdown, V2);
    assert!(draft.changelog.is_empty());
}

async fn two_buyers_publishing_at_once_one_wins_the_other_gets_a_conflict(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;
    assert_eq!(buyer.publish(id, None, V1, json!([]), "").await.status, 200);
    let other_tab = format!("{V1}\nAjout de l'autre onglet.\n");
    let (a, b) = tokio::join!(
        buyer.publish(id, Some(1), V2, json!([]), "Version de Claire."),
        buyer.publish(id, Some(1), &other_tab, json!([]), "Version de l'autre onglet."),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    let loser = if a.status == 409 { &a } else { &b };
    assert!(
        loser.body.contains("La version 2 a été publiée par Claire Moreau"),
        "{}",
        loser.body
    );
    assert!(loser.body.contains("reste dans l'éditeur"), "{}", loser.body);
    let history: VersionHistory = buyer
        .call("consultations/versions", &format!("id={id}"))
        .await
        .json_as();
    assert_eq!(history.versions.len(), 2, "no version 3, no duplicate version 2");
}

/// Publishing the same text and criteria as the last version is refused, in French, and
/// stores nothing (defect 6); changing only the criteria is a new version.
async fn a_copy_of_the_last_version_is_not_published(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;
    let weights = || criteria(&[("Prix", 60), ("Valeur technique", 40)]);
    assert_eq!(buyer.publish(id, None, V1, weights(), "").await.status, 200);
    let copy = buyer.publish(id, Some(1), V1, weights(), "Rien.").await;
    assert_eq!(copy.status, 422, "{}", copy.body);
    assert!(copy.body.contains("identiques à ceux de la version 1"), "{}", copy.body);
    let history: VersionHistory = buyer
        .call("consultations/versions", &format!("id={id}"))
        .await
        .json_as();
    assert_eq!(history.versions.len(), 1, "nothing stored");
    let new_weights = buyer
        .publish(
            id,
            Some(1),
            V1,
            criteria(&[("Prix", 50), ("Valeur technique", 50)]),
            "Pondération.",
        )
        .await;
    assert_eq!(new_weights.status, 200, "{}", new_weights.body);
    // The editor gets what it needs to say so before the buyer clicks.
    let draft = buyer.draft(id).await;
    assert_eq!(draft.published_markdown.as_deref(), Some(V1));
    assert_eq!(draft.published_criteria.len(), 2);
}

/// The outline keeps a clause's number when its title only contains the same digits
/// ("2 Bilan 2024"), and drops it when the title ends with it ("Article 12") — defect 2.
async fn the_outline_shows_every_clause_number(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Bilan et délais").await;
    let text = "## 2 Bilan 2024\n\nTexte.\n\n## 3 Délais de 30 jours\n\nTexte.\n\n## Article 12\n\nTexte.\n";
    assert_eq!(buyer.publish(id, None, text, json!([]), "").await.status, 200);
    let detail: jesaisfaire::model::ConsultationDetail =
        buyer.call("consultations/get", &format!("id={id}")).await.json_as();
    let outline: Vec<(Option<String>, String)> = detail
        .current_version
        .unwrap()
        .outline
        .into_iter()
        .map(|e| (e.number, e.title))
        .collect();
    assert_eq!(
        outline,
        [
            (Some("2".to_string()), "Bilan 2024".to_string()),
            (Some("3".to_string()), "Délais de 30 jours".to_string()),
            (None, "Article 12".to_string()),
        ]
    );
}

async fn limits_and_criteria_are_checked_and_nothing_is_half_saved(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;
    assert_eq!(buyer.save(id, 0, V1).await.status, 200);

    let huge = format!("## 1 Objet\n\n{}", "Texte de remplissage. ".repeat(110_000));
    let refused = buyer.save(id, 1, &huge).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("taille maximale de 2 Mo"), "{}", refused.body);
    let too_many: String = (1..=5_001).map(|n| format!("## {n} Clause\n\nTexte.\n")).collect();
    let refused = buyer.publish(id, None, &too_many, json!([]), "").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("5 001 clauses"), "{}", refused.body);
    let draft = buyer.draft(id).await;
    assert_eq!(
        (draft.revision, draft.markdown.as_str()),
        (1, V1),
        "the refused texts left nothing"
    );

    let refused = buyer
        .publish(id, None, V1, criteria(&[("Prix", 40), ("Valeur technique", 50)]), "")
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("il manque 10 points"), "{}", refused.body);
    let refused = buyer.publish(id, None, "Un texte sans titre.", json!([]), "").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("aucune clause"), "{}", refused.body);
    let history: VersionHistory = buyer
        .call("consultations/versions", &format!("id={id}"))
        .await
        .json_as();
    assert!(history.versions.is_empty());
}

async fn only_the_buyers_of_the_organisation_write(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;
    let other = sign_in(&buyer.app, COLLEAGUE_OF_NOBODY, DEMO_PASSWORD).await;
    let body = json!({"id": id, "revision": 0, "draft": {"markdown": V1, "criteria": [], "changelog": ""}});
    let answer = call_as(&buyer.app, Some(&other), "consultations/draft/save", &body.to_string()).await;
    assert_eq!(
        answer.status, 404,
        "another organisation's draft does not even exist for them"
    );
    let reviewer = sign_in(&buyer.app, "relecteur@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let answer = call_as(
        &buyer.app,
        Some(&reviewer),
        "consultations/draft/save",
        &body.to_string(),
    )
    .await;
    assert_eq!(answer.status, 403, "reviewers read but do not write: {}", answer.body);
    assert_eq!(buyer.draft(id).await.revision, 0);
}

async fn a_published_malicious_text_is_inert(db: &TestDb) {
    let buyer = Buyer::buyer(db).await;
    let id = buyer.create("Entretien des espaces verts").await;
    let text = "## 1 Objet <img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n\n\
                [lien](javascript:alert(3)) <a href=\"#\" onclick=\"alert(4)\">x</a> <svg onload=alert(5)>\n";
    assert_eq!(buyer.publish(id, None, text, json!([]), "").await.status, 200);
    let html = buyer.detail(id, None).await.current_version.unwrap().html();
    for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or_default()) {
        // Quoted attribute values removed: what is left is the tag name and attribute names.
        let unquoted: String = tag.split('"').step_by(2).collect::<Vec<_>>().join("\"\"");
        let mut words = unquoted.split_whitespace();
        let name = words.next().unwrap_or_default().trim_start_matches('/').to_lowercase();
        assert!(
            !["script", "img", "svg", "iframe"].contains(&name.as_str()),
            "<{tag}> in {html}"
        );
        for attribute in words {
            let attribute = attribute.split('=').next().unwrap_or_default().to_lowercase();
            assert!(!attribute.starts_with("on"), "event attribute in <{tag}>: {html}");
        }
        assert!(
            !tag.to_lowercase().contains("javascript:"),
            "javascript URL in <{tag}>: {html}"
        );
    }
    assert!(
        html.contains("alert(2)"),
        "raw HTML is shown as text, not dropped silently: {html}"
    );
}

trait JsonAs {
    fn json_as<T: serde::de::DeserializeOwned>(&self) -> T;
}

impl JsonAs for common::Answer {
    fn json_as<T: serde::de::DeserializeOwned>(&self) -> T {
        assert!(self.status.is_success(), "{} {}", self.status, self.body);
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

on_both_backends!(
    a_copy_of_the_last_version_is_not_published,
    the_outline_shows_every_clause_number,
    a_buyer_creates_a_consultation_that_stays_private_until_announced,
    bad_consultation_facts_are_refused_in_french,
    drafts_are_saved_and_never_silently_overwritten,
    publishing_makes_immutable_versions_whose_clause_ids_follow_the_clauses,
    two_buyers_publishing_at_once_one_wins_the_other_gets_a_conflict,
    limits_and_criteria_are_checked_and_nothing_is_half_saved,
    only_the_buyers_of_the_organisation_write,
    a_published_malicious_text_is_inert,
);
