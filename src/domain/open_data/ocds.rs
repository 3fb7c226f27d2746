//! A consultation in the Open Contracting Data Standard 1.1.5: one release per event, release
//! packages, and records compiled with the standard's merge rules.
//!
//! The events: the announcement (`planning`: the market engagement notice and the phases as
//! `engagement` milestones), the call for participation, each published version (`tender` with
//! its document, then `tenderAmendment` with what changed), the public dossier (`tenderUpdate`
//! with the questions and answers, enquiries extension, authors by pseudonym) and the hand-over
//! to the tender (`relatedProcesses`). Départements are the items' delivery addresses (location
//! extension), CPV codes their classification.

use super::{OpenConsultation, OpenContribution, LICENCE_URL};
use crate::domain::consultation::{ConsultationStatus, SourcingMode};
use crate::domain::format::{date_fr, rfc3339_utc};
use serde_json::{json, Map, Value};

/// The extensions every package declares (their schemas are vendored for the tests in
/// `tests/data/ocds/`).
pub const EXTENSIONS: [&str; 2] = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/v1.1.5/extension.json",
];

/// Who publishes, for the packages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    /// The site's address, without a trailing slash.
    pub base_url: String,
}

impl Publisher {
    pub fn release_package_url(&self, ocid: &str) -> String {
        format!("{}/donnees/ocds/{ocid}.json", self.base_url)
    }
    pub fn record_package_url(&self, ocid: &str) -> String {
        format!("{}/donnees/ocds/{ocid}/record.json", self.base_url)
    }
    fn policy_url(&self) -> String {
        format!("{}/donnees", self.base_url)
    }
}

/// The identifier of the buyer as a party: its SIRET in the `FR-SIRET` scheme of org-id.guide
/// when it has one, else a local one.
fn buyer_party_id(c: &OpenConsultation) -> String {
    match &c.buyer.siret {
        Some(siret) => format!("FR-SIRET-{siret}"),
        None => format!("{}-organisation-{}", c.ocid, c.buyer.id),
    }
}

fn enquirer_party_id(c: &OpenConsultation, pseudonym: &str) -> String {
    let slug: String = pseudonym.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{}-{slug}", c.ocid)
}

fn tender_status(status: ConsultationStatus) -> &'static str {
    use ConsultationStatus as S;
    match status {
        S::Draft | S::Announced | S::CallForParticipation => "planning",
        S::Exchanges | S::Drafting | S::InReview | S::Approved => "active",
        S::Closed => "complete",
    }
}

/// The releases of a consultation, oldest first (ties keep the order of the events).
pub fn releases(c: &OpenConsultation) -> Vec<Value> {
    let mut out = vec![announcement(c)];
    if let Some(at) = c.call_opened_at {
        out.push(call_for_participation(c, at));
    }
    out.extend(c.versions.iter().map(|v| version(c, v)));
    if let Some(dossier) = &c.dossier {
        out.push(public_dossier(c, dossier.published_at, &dossier.url));
    }
    if let Some(at) = c.closed_at {
        out.push(hand_over(c, at));
    }
    out.sort_by_key(|r| r["date"].as_str().map(str::to_owned));
    out
}

fn release(c: &OpenConsultation, suffix: &str, at: i64, tag: &str, body: Value) -> Value {
    let mut r = json!({
        "ocid": c.ocid,
        "id": format!("{}-{suffix}", c.ocid),
        "date": rfc3339_utc(at),
        "tag": [tag],
        "initiationType": "tender",
        "language": "fr",
    });
    if let (Value::Object(r), Value::Object(body)) = (&mut r, body) {
        r.extend(body);
    }
    prune(&mut r);
    r
}

/// Removes empty strings, arrays and objects: a field is either said or absent (an empty array
/// would also mean « remove them all » to the merge rules).
fn prune(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !prune(v));
            map.is_empty()
        }
        Value::Array(items) => {
            items.retain_mut(|v| !prune(v));
            items.is_empty()
        }
        Value::String(s) => s.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

fn announcement(c: &OpenConsultation) -> Value {
    let buyer_id = buyer_party_id(c);
    let mut buyer = json!({
        "id": buyer_id,
        "name": c.buyer.name,
        "roles": ["buyer", "procuringEntity"],
    });
    if let Some(siret) = &c.buyer.siret {
        buyer["identifier"] = json!({ "scheme": "FR-SIRET", "id": siret, "legalName": c.buyer.name });
    }
    let milestones: Vec<Value> = c
        .phases
        .iter()
        .map(|p| {
            json!({
                "id": p.kind.key(),
                "title": p.kind.label_fr(),
                "type": "engagement",
                "description": format!("Du {} au {}.", date_fr(&p.start.to_string()), date_fr(&p.end.to_string())),
                "dueDate": rfc3339_utc(p.closes_at_utc()),
            })
        })
        .collect();
    let mode = match c.mode {
        SourcingMode::Open => "Sourcing ouvert à toutes les entreprises.",
        SourcingMode::Restricted => "Sourcing restreint aux entreprises invitées.",
    };
    let mut tender = json!({
        "id": tender_id(c),
        "title": c.title,
        "description": c.object,
        "status": tender_status(ConsultationStatus::Announced),
        "items": items(c),
    });
    if let Some(date) = &c.expected_tender {
        tender["tenderPeriod"] = json!({ "startDate": format!("{date}T00:00:00Z") });
    }
    release(
        c,
        "annonce",
        c.announced_at,
        "planning",
        json!({
            "parties": [buyer],
            "buyer": { "id": buyer_id, "name": c.buyer.name },
            "planning": {
                "rationale": format!("{} {mode}", c.object),
                "documents": [{
                    "id": "avis-de-sourcing",
                    "documentType": "marketEngagementNotice",
                    "title": format!("Avis de sourcing : {}", c.title),
                    "url": c.url,
                    "datePublished": rfc3339_utc(c.announced_at),
                    "format": "text/html",
                    "language": "fr",
                }],
                "milestones": milestones,
            },
            "tender": tender,
        }),
    )
}

fn tender_id(c: &OpenConsultation) -> String {
    format!("{}-sourcing", c.ocid)
}

/// One item per département (its delivery address), each classified by the CPV codes.
fn items(c: &OpenConsultation) -> Vec<Value> {
    let classified = |mut item: Value| {
        if let Some((first, rest)) = c.cpv_codes.split_first() {
            item["classification"] = json!({ "scheme": "CPV", "id": first });
            if !rest.is_empty() {
                let more: Vec<Value> = rest.iter().map(|code| json!({ "scheme": "CPV", "id": code })).collect();
                item["additionalClassifications"] = Value::Array(more);
            }
        }
        item
    };
    if c.departements.is_empty() {
        return vec![classified(json!({ "id": "1", "description": c.title }))];
    }
    c.departements
        .iter()
        .enumerate()
        .map(|(i, dep)| {
            classified(json!({
                "id": (i + 1).to_string(),
                "description": format!("{} (département {dep})", c.title),
                "deliveryAddress": { "region": dep, "countryName": "France" },
            }))
        })
        .collect()
}

fn call_for_participation(c: &OpenConsultation, at: i64) -> Value {
    release(
        c,
        "appel-a-participation",
        at,
        "planningUpdate",
        json!({
            "planning": {
                "documents": [{
                    "id": "appel-a-participation",
                    "documentType": "marketEngagementNotice",
                    "title": format!("Appel à participation : {}", c.title),
                    "url": c.url,
                    "datePublished": rfc3339_utc(at),
                    "format": "text/html",
                    "language": "fr",
                }],
            },
            "tender": { "id": tender_id(c), "status": tender_status(ConsultationStatus::CallForParticipation) },
        }),
    )
}

fn version(c: &OpenConsultation, v: &super::OpenVersion) -> Value {
    let mut document = json!({
        "id": format!("cctp-version-{}", v.number),
        "documentType": "technicalSpecifications",
        "title": format!("Projet de CCTP, version {}", v.number),
        "url": v.url,
        "datePublished": rfc3339_utc(v.published_at),
        "format": "text/html",
        "language": "fr",
    });
    if !v.changelog.is_empty() {
        document["description"] = json!(v.changelog);
    }
    let mut tender = json!({
        "id": tender_id(c),
        "status": tender_status(ConsultationStatus::Exchanges),
        "documents": [document],
    });
    let tag = if v.number == 1 {
        "tender"
    } else {
        let mut amendment = json!({
            "id": format!("version-{}", v.number),
            "date": rfc3339_utc(v.published_at),
            "rationale": if v.changelog.is_empty() { format!("Version {} du projet de CCTP.", v.number) } else { v.changelog.clone() },
        });
        if !v.changes.is_empty() {
            amendment["description"] = json!(v.changes);
        }
        tender["amendments"] = json!([amendment]);
        "tenderAmendment"
    };
    release(
        c,
        &format!("version-{}", v.number),
        v.published_at,
        tag,
        json!({ "tender": tender }),
    )
}

fn public_dossier(c: &OpenConsultation, at: i64, url: &str) -> Value {
    let published: Vec<&OpenContribution> = c.contributions.iter().filter(|e| e.withdrawn_at.is_none()).collect();
    let mut enquirers: Vec<&str> = published.iter().map(|e| e.pseudonym.as_str()).collect();
    enquirers.sort_unstable();
    enquirers.dedup();
    let parties: Vec<Value> = enquirers
        .iter()
        .map(|p| json!({ "id": enquirer_party_id(c, p), "name": p, "roles": ["enquirer"] }))
        .collect();
    let enquiries: Vec<Value> = published.iter().map(|e| enquiry(c, e)).collect();
    let mut tender = json!({
        "id": tender_id(c),
        "documents": [{
            "id": "dossier-de-sourcing",
            "documentType": "clarifications",
            "title": "Dossier de sourcing, édition publique",
            "description": "Les contributions des entreprises (sous pseudonyme) et les réponses de l'acheteur, version par version.",
            "url": url,
            "datePublished": rfc3339_utc(at),
            "format": "application/pdf",
            "language": "fr",
        }],
    });
    if !enquiries.is_empty() {
        tender["enquiries"] = Value::Array(enquiries);
    }
    let mut body = json!({ "tender": tender });
    if !parties.is_empty() {
        body["parties"] = Value::Array(parties);
    }
    release(c, "dossier-de-sourcing", at, "tenderUpdate", body)
}

/// A contribution as an enquiry: what it is on, its justification and proposed text, and the
/// buyer's answers.
fn enquiry(c: &OpenConsultation, e: &OpenContribution) -> Value {
    let mut description = e.justification.clone();
    if !e.proposed_text.is_empty() {
        description.push_str("\n\nTexte proposé :\n");
        description.push_str(&e.proposed_text);
    }
    let mut out = json!({
        "id": e.id.to_string(),
        "date": rfc3339_utc(e.created_at),
        "author": { "id": enquirer_party_id(c, &e.pseudonym), "name": e.pseudonym },
        "title": format!("{} : {} {}", e.kind, e.target_kind.to_lowercase(), e.target_label),
        "description": description,
    });
    if let Some((first, _)) = e.answers.first() {
        let answer: Vec<&str> = e.answers.iter().map(|(_, body)| body.as_str()).collect();
        out["answer"] = json!(answer.join("\n\n"));
        out["dateAnswered"] = json!(rfc3339_utc(*first));
    }
    out
}

fn hand_over(c: &OpenConsultation, at: i64) -> Value {
    let description = match &c.expected_tender {
        Some(date) => format!(
            "Le sourcing est terminé ; la procédure de passation est prévue à partir du {}.",
            date_fr(date)
        ),
        None => "Le sourcing est terminé ; le CCTP final est transmis à la procédure de passation.".to_owned(),
    };
    release(
        c,
        "transmission",
        at,
        "tenderUpdate",
        json!({
            "tender": { "id": tender_id(c), "status": tender_status(ConsultationStatus::Closed) },
            "relatedProcesses": [{
                "id": "procedure-de-passation",
                // No code of the 1.1.5 list names the process that follows (its own releases
                // would point back here with "planning"); the list is open.
                "relationship": ["subsequentProcess"],
                "title": "Procédure de passation",
                "description": description,
            }],
        }),
    )
}

/// The fields every package carries.
fn package_head(publisher: &Publisher, uri: String, published: &str) -> Map<String, Value> {
    let head = json!({
        "uri": uri,
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": published,
        "publisher": { "name": publisher.name, "uri": publisher.base_url },
        "license": LICENCE_URL,
        "publicationPolicy": publisher.policy_url(),
    });
    match head {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The latest date among releases (what a package is as recent as), stable for validators.
fn latest_date(releases: &[Value]) -> String {
    releases
        .iter()
        .filter_map(|r| r["date"].as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z")
        .to_owned()
}

/// The release package of one consultation.
pub fn release_package(publisher: &Publisher, ocid: &str, releases: Vec<Value>) -> Value {
    let mut package = package_head(publisher, publisher.release_package_url(ocid), &latest_date(&releases));
    package.insert("releases".into(), Value::Array(releases));
    Value::Object(package)
}

/// The record package of one consultation: its releases linked by address, and the compiled
/// release.
pub fn record_package(publisher: &Publisher, ocid: &str, releases: &[Value]) -> Value {
    let package_url = publisher.release_package_url(ocid);
    let linked: Vec<Value> = releases
        .iter()
        .map(|r| {
            json!({
                "url": format!("{package_url}#{}", r["id"].as_str().unwrap_or_default()),
                "date": r["date"],
                "tag": r["tag"],
            })
        })
        .collect();
    let mut package = package_head(publisher, publisher.record_package_url(ocid), &latest_date(releases));
    package.insert("packages".into(), json!([package_url]));
    package.insert(
        "records".into(),
        json!([{ "ocid": ocid, "releases": linked, "compiledRelease": compile(releases) }]),
    );
    Value::Object(package)
}

/// Fields whose arrays are replaced as a whole rather than merged by `id` ("wholeListMerge" in
/// the 1.1.5 schema and its extensions used here).
const WHOLE_LIST: [&str; 2] = ["additionalIdentifiers", "additionalClassifications"];

/// The compiled release: releases merged in date order with the standard's rules (objects
/// merged field by field, arrays of objects merged by `id`, other values replaced), `tag`
/// `compiled` and the id `{ocid}-{date}` — what `ocdsmerge` computes.
pub fn compile(releases: &[Value]) -> Value {
    let mut sorted: Vec<&Value> = releases.iter().collect();
    sorted.sort_by_key(|r| r["date"].as_str().map(str::to_owned));
    let mut compiled = Value::Object(Map::new());
    for release in &sorted {
        let mut release = (*release).clone();
        if let Value::Object(map) = &mut release {
            map.remove("tag");
        }
        merge(&mut compiled, release, None);
    }
    if let Some(latest) = sorted.last() {
        compiled["id"] = json!(format!(
            "{}-{}",
            latest["ocid"].as_str().unwrap_or_default(),
            latest["date"].as_str().unwrap_or_default()
        ));
    }
    compiled["tag"] = json!(["compiled"]);
    compiled
}

fn identified(values: &[Value]) -> bool {
    !values.is_empty() && values.iter().all(|v| v.get("id").is_some_and(|id| !id.is_null()))
}

fn merge(into: &mut Value, from: Value, key: Option<&str>) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (k, v) in from {
                match into.get_mut(&k) {
                    Some(existing) => merge(existing, v, Some(&k)),
                    None => {
                        let mut fresh = empty_like(&v);
                        merge(&mut fresh, v, Some(&k));
                        into.insert(k, fresh);
                    }
                }
            }
        }
        (Value::Array(into), Value::Array(from))
            if identified(&from) && !key.is_some_and(|k| WHOLE_LIST.contains(&k)) =>
        {
            for item in from {
                match into.iter_mut().find(|i| i.get("id") == item.get("id")) {
                    Some(existing) => merge(existing, item, None),
                    None => into.push(item),
                }
            }
        }
        (into, from) => *into = from,
    }
}

/// An empty container of the same kind, so that a new object is merged (never stored as is:
/// an array of objects inside it must follow the rules too).
fn empty_like(v: &Value) -> Value {
    match v {
        Value::Object(_) => Value::Object(Map::new()),
        Value::Array(items) if identified(items) => Value::Array(Vec::new()),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{OpenBuyer, OpenDossier, OpenVersion};
    use super::*;
    use crate::domain::calendar::{Date, Phase, PhaseKind};

    fn consultation() -> OpenConsultation {
        let day = |d| Date::new(2026, 11, d).unwrap();
        OpenConsultation {
            id: 7,
            ocid: "ocds-test00-7".into(),
            url: "https://example.fr/consultations/7".into(),
            title: "Maintenance".into(),
            object: "Maintenance des ascenseurs.".into(),
            buyer: OpenBuyer {
                id: 1,
                name: "Ville".into(),
                siret: Some("21690123100011".into()),
            },
            cpv_codes: vec!["50750000-7".into(), "45313000-4".into()],
            departements: vec!["69".into(), "01".into()],
            mode: SourcingMode::Open,
            status: ConsultationStatus::Closed,
            announced_at: 1_790_000_000,
            call_opened_at: Some(1_790_100_000),
            closed_at: Some(1_793_000_000),
            phases: vec![Phase {
                kind: PhaseKind::Exchanges,
                start: day(2),
                end: day(13),
            }],
            expected_tender: Some("2027-03-01".into()),
            versions: vec![
                OpenVersion {
                    number: 1,
                    published_at: 1_790_200_000,
                    changelog: String::new(),
                    changes: String::new(),
                    text_sha256: "a".repeat(64),
                    url: "https://example.fr/consultations/7/versions/1".into(),
                },
                OpenVersion {
                    number: 2,
                    published_at: 1_790_900_000,
                    changelog: "Délais revus.".into(),
                    changes: "1 clause modifiée.".into(),
                    text_sha256: "b".repeat(64),
                    url: "https://example.fr/consultations/7/versions/2".into(),
                },
            ],
            dossier: Some(OpenDossier {
                published_at: 1_792_000_000,
                url: "https://example.fr/d.pdf".into(),
            }),
            contributions: vec![
                OpenContribution {
                    id: 3,
                    created_at: 1_790_300_000,
                    withdrawn_at: None,
                    pseudonym: "Entreprise A".into(),
                    version: 1,
                    target_kind: "Clause".into(),
                    target_id: "delais".into(),
                    target_label: "3. Délais".into(),
                    kind: "Question".into(),
                    justification: "Pourquoi 4 h ?".into(),
                    proposed_text: String::new(),
                    cost_impact: "Inconnu".into(),
                    cost_amount_cents: None,
                    status: "Répondue".into(),
                    integrated_version: None,
                    answers: vec![
                        (1_790_400_000, "Parce que.".into()),
                        (1_790_500_000, "Et aussi.".into()),
                    ],
                },
                OpenContribution {
                    id: 4,
                    withdrawn_at: Some(1_790_350_000),
                    pseudonym: "Entreprise B".into(),
                    answers: vec![],
                    ..Default::default()
                },
            ],
            updated_at: 1_793_000_000,
        }
    }

    #[test]
    fn one_release_per_event_in_date_order() {
        let rs = releases(&consultation());
        let ids: Vec<&str> = rs.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "ocds-test00-7-annonce",
                "ocds-test00-7-appel-a-participation",
                "ocds-test00-7-version-1",
                "ocds-test00-7-version-2",
                "ocds-test00-7-dossier-de-sourcing",
                "ocds-test00-7-transmission"
            ]
        );
        let tags: Vec<&str> = rs.iter().map(|r| r["tag"][0].as_str().unwrap()).collect();
        assert_eq!(
            tags,
            [
                "planning",
                "planningUpdate",
                "tender",
                "tenderAmendment",
                "tenderUpdate",
                "tenderUpdate"
            ]
        );
        assert_eq!(rs[0]["parties"][0]["id"], "FR-SIRET-21690123100011");
        assert_eq!(rs[0]["tender"]["items"][1]["deliveryAddress"]["region"], "01");
        assert_eq!(
            rs[0]["tender"]["items"][0]["additionalClassifications"][0]["id"],
            "45313000-4"
        );
        assert_eq!(rs[3]["tender"]["amendments"][0]["description"], "1 clause modifiée.");
        let enquiry = &rs[4]["tender"]["enquiries"][0];
        assert_eq!(enquiry["author"]["name"], "Entreprise A");
        assert_eq!(enquiry["answer"], "Parce que.\n\nEt aussi.");
        assert_eq!(enquiry["dateAnswered"], rfc3339_utc(1_790_400_000));
        assert_eq!(enquiry["title"], "Question : clause 3. Délais");
        // A withdrawn contribution is no enquiry, and its company no enquirer.
        assert_eq!(rs[4]["tender"]["enquiries"].as_array().unwrap().len(), 1);
        assert_eq!(rs[4]["parties"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn the_compiled_release_merges_documents_by_id_and_keeps_the_latest_status() {
        let rs = releases(&consultation());
        let compiled = compile(&rs);
        assert_eq!(compiled["tag"], json!(["compiled"]));
        assert_eq!(
            compiled["id"],
            json!(format!("ocds-test00-7-{}", rfc3339_utc(1_793_000_000)))
        );
        assert_eq!(compiled["tender"]["status"], "complete");
        let documents: Vec<&str> = compiled["tender"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect();
        assert_eq!(documents, ["cctp-version-1", "cctp-version-2", "dossier-de-sourcing"]);
        let parties: Vec<&str> = compiled["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(parties, ["FR-SIRET-21690123100011", "ocds-test00-7-EntrepriseA"]);
        // The items of the announcement survive releases that do not repeat them.
        assert_eq!(compiled["tender"]["items"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn identified_arrays_merge_by_id_and_other_arrays_are_replaced() {
        let a = json!({"ocid": "o", "id": "1", "date": "2026-01-01T00:00:00Z", "tag": ["planning"],
            "x": [{"id": "1", "a": 1}], "roles": ["a", "b"],
            "additionalClassifications": [{"id": "k", "scheme": "CPV"}]});
        let b = json!({"ocid": "o", "id": "2", "date": "2026-01-02T00:00:00Z", "tag": ["tender"],
            "x": [{"id": "1", "b": 2}, {"id": "2"}], "roles": ["c"],
            "additionalClassifications": [{"id": "m", "scheme": "CPV"}]});
        // Given out of order: merged by date.
        let compiled = compile(&[b, a]);
        assert_eq!(compiled["x"], json!([{"id": "1", "a": 1, "b": 2}, {"id": "2"}]));
        assert_eq!(compiled["roles"], json!(["c"]));
        assert_eq!(
            compiled["additionalClassifications"],
            json!([{"id": "m", "scheme": "CPV"}])
        );
        assert_eq!(compiled["id"], "o-2026-01-02T00:00:00Z");
    }

    #[test]
    fn packages_point_at_their_addresses() {
        let publisher = Publisher {
            name: "JeSaisFaire".into(),
            base_url: "https://example.fr".into(),
        };
        let c = consultation();
        let rs = releases(&c);
        let package = release_package(&publisher, &c.ocid, rs.clone());
        assert_eq!(package["uri"], "https://example.fr/donnees/ocds/ocds-test00-7.json");
        assert_eq!(package["publishedDate"], rfc3339_utc(1_793_000_000));
        let record = record_package(&publisher, &c.ocid, &rs);
        assert_eq!(
            record["records"][0]["releases"][0]["url"],
            "https://example.fr/donnees/ocds/ocds-test00-7.json#ocds-test00-7-annonce"
        );
    }
}
