//! The authorization matrix: every server function and every plain route, called by every kind
//! of caller, on consultations in every kind of state, on SQLite and PostgreSQL. Adding a server
//! function or a route without rows here fails `every_server_function_and_route_has_rows`.

mod common;

use common::{app, call_as, form, sign_in, TestDb};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use std::collections::BTreeSet;

/// The kinds of caller, in the column order of the matrix.
const CALLERS: [(&str, Option<&str>); 9] = [
    ("anonymous", None),
    ("supplier, not invited", Some("entreprise@demo.jesaisfaire.fr")),
    ("supplier, invited", Some("proprete@demo.jesaisfaire.fr")),
    (
        "buyer of another organisation",
        Some("acheteur.ddt@demo.jesaisfaire.fr"),
    ),
    ("buyer", Some("acheteuse@demo.jesaisfaire.fr")),
    ("reviewer", Some("relecteur@demo.jesaisfaire.fr")),
    ("admin", Some("admin@demo.jesaisfaire.fr")),
    // Created by the test: a reviewer attached to another buyer organisation only, and a company
    // account whose organisation is missing.
    ("reviewer of another organisation", Some(OTHER_REVIEWER)),
    ("user without an organisation", Some(WITHOUT_ORGANISATION)),
];

const OTHER_REVIEWER: &str = "relecteur.meaux@demo.jesaisfaire.fr";
const WITHOUT_ORGANISATION: &str = "sans.organisation@demo.jesaisfaire.fr";

const Y: bool = true;
const N: bool = false;

/// What a row calls. `{restricted}`, `{draft}`, `{open}`, `{drafting}`, `{closed}` stand for
/// consultation ids, `{contribution}` and `{plan}` for a contribution and a retro-planning.
struct Row {
    endpoint: &'static str,
    case: &'static str,
    form: &'static str,
    allowed: [bool; 9],
}

/// Columns: anonymous, supplier not invited, supplier invited, buyer of another organisation,
/// buyer, reviewer, admin, reviewer of another organisation, user without an organisation. The
/// consultations belong to the buyer's organisation (the préfecture); the reviewer reviews it;
/// the restricted one invited the "invited" supplier only. `{drafting}` is an open consultation
/// past its exchanges, `{closed}` one closed; `{plan}` is a retro-planning of the invited
/// supplier.
const MATRIX: &[Row] = &[
    Row {
        endpoint: "consultations/list",
        case: "catalogue",
        form: "",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/get",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/overview",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/overview",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/overview",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/versions",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/versions",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/versions",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/get",
        case: "an older version",
        form: "id={open}&version=1",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/mine",
        case: "own organisation's",
        form: "",
        allowed: [N, N, N, Y, Y, Y, N, Y, N],
    },
    // Every signed-in person gets their own list (empty for roles without one; what each list
    // holds is tested in tests/home.rs).
    Row {
        endpoint: "consultations/to-do",
        case: "own home page",
        form: "",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/current",
        case: "who am I",
        form: "",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/sign-in",
        case: "valid credentials",
        form: "email=proprete%40demo.jesaisfaire.fr&password={password}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/password",
        case: "wrong current password (422 once allowed)",
        form: "current=nope&new=une%20longue%20phrase%20neuve&confirm=une%20longue%20phrase%20neuve",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/invitation",
        case: "unknown token (422)",
        form: "token=00",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/accept-invitation",
        case: "unknown token (422)",
        form: "token=00&display_name=X&password=a&confirm=a",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/register",
        case: "invalid SIRET (422)",
        form: "siret=123&company_name=X&display_name=X&email=a%40exemple.fr&password=a&confirm=a",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/registration",
        case: "unknown token (422)",
        form: "token=00",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/confirm-registration",
        case: "unknown token (422)",
        form: "token=00",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "company/profile",
        case: "one's own company",
        form: "",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "company/profile/save",
        case: "invalid website (422 once allowed)",
        form: "departement=&cpv_codes=&departements_served=&presentation=&website=javascript%3Aalert(1)",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "company/join-requests",
        case: "one's own company",
        form: "",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "company/join-requests/decide",
        case: "neither accept nor refuse (422 once allowed)",
        form: "request_id=1&decision=peut-etre",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "directory/search",
        case: "every company",
        form: "words=&cpv=&departement=",
        allowed: [N, N, N, Y, Y, Y, N, Y, N],
    },
    Row {
        endpoint: "invitations/list",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "invitations/send",
        case: "a buyer organisation is not a company (422 once allowed)",
        form: "id={restricted}&company=1",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "invitations/send-by-email",
        case: "not an e-mail address (422 once allowed)",
        form: "id={restricted}&email=pas-une-adresse",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "invitations/by-email",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "invitations/link",
        case: "unknown link (422)",
        form: "token=00",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "invitations/mine",
        case: "one's own company",
        form: "",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "invitations/answer",
        case: "neither accept nor decline (422 once allowed)",
        form: "consultation_id={restricted}&decision=peut-etre",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "needs/search",
        case: "the catalogue of upcoming needs",
        form: "query[words]=vert&query[cpv]=&query[departement]=&query[period]=&query[amount_from]=&query[amount_to]=&query[page]=1&query[whole_year]=false",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "needs/get",
        case: "a need of the buyer's organisation",
        form: "id={need}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "needs/announce",
        case: "empty form (422 once allowed)",
        form: "need[title]=&need[summary]=&need[cpv_codes]=&need[departements]=&need[amount_min]=&need[amount_max]=&need[quarter]=&need[contact]=",
        allowed: [N, N, N, Y, Y, N, N, N, N],
    },
    Row {
        endpoint: "needs/update",
        case: "empty form (422 once allowed)",
        form: "id={need}&need[title]=&need[summary]=&need[cpv_codes]=&need[departements]=&need[amount_min]=&need[amount_max]=&need[quarter]=&need[contact]=&consultation=",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "needs/interest",
        case: "a need",
        form: "id={need}&message=Nous+savons+faire.",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "needs/interest/withdraw",
        case: "a need",
        form: "id={need}",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "needs/slots/add",
        case: "empty slot (422 once allowed)",
        form: "id={need}&slot[date]=&slot[time]=&slot[duration_minutes]=&slot[place]=&slot[capacity]=",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "needs/slots/remove",
        case: "a booked slot (409 once allowed)",
        form: "id={need}&slot={slot}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "needs/slots/book",
        case: "a slot with places left (409 for the company that booked it)",
        form: "id={need}&slot={slot}",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "needs/slots/cancel",
        case: "one's own booking",
        form: "id={need}",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "needs/withdraw",
        case: "another need (gone once withdrawn)",
        form: "id={need2}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "donnees/catalogue",
        case: "the open-data page's figures: public",
        form: "",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "notifications/centre",
        case: "one's own",
        form: "",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "notifications/read",
        case: "all of one's own",
        form: "",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "notifications/preferences",
        case: "an unknown channel (422 once allowed)",
        form: "channels[alert]=pigeon",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "notifications/alert",
        case: "an unknown frequency (422 once allowed)",
        form: "cpv_prefixes=7731&departements=77&frequency=parfois",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "admin/organisations",
        case: "list",
        form: "",
        allowed: [N, N, N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "admin/create-organisation",
        case: "invalid SIRET (422 once allowed)",
        form: "kind=company&name=Test&siret=123&departement=77&cpv_codes=&departements_served=",
        allowed: [N, N, N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "admin/invite",
        case: "invalid e-mail (422 once allowed)",
        form: "email=pas-une-adresse&role=supplier",
        allowed: [N, N, N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/create",
        case: "too short a title (422 once allowed)",
        form: "title=ab&object=&cpv_codes=&departements=&mode=open&expected_tender=",
        allowed: [N, N, N, Y, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/draft",
        case: "open sourcing",
        form: "id={open}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/draft",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/draft",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/draft/save",
        case: "stale revision (409 once allowed)",
        form: r#"{"id":{open},"revision":-1,"draft":{"markdown":"Texte","criteria":[],"changelog":""}}"#,
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/publish",
        case: "text without clauses (422 once allowed)",
        form: r#"{"id":{draft},"base_version":null,"draft":{"markdown":"","criteria":[],"changelog":""}}"#,
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/publish",
        case: "restricted sourcing, text without clauses (422 once allowed)",
        form: r#"{"id":{restricted},"base_version":null,"draft":{"markdown":"","criteria":[],"changelog":""}}"#,
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/status",
        case: "not the next step (409 once allowed)",
        form: "id={open}&to=draft",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "contributions/list",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "contributions/list",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "contributions/list",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "contributions/participate",
        case: "open sourcing",
        form: "id={open}",
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/participate",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/participate",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/create",
        case: "open sourcing, no justification (422 once allowed)",
        form: r#"{"contribution":{"consultation_id":{open},"version":2,"target":{"kind":"clause","id":"objet-du-marche"},"selector":null,"input":{"kind":"solution","justification":"","cost_impact":"up","cost_amount":"","proposed_text":""}}}"#,
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/create",
        case: "restricted sourcing, not in exchanges (409 once allowed)",
        form: r#"{"contribution":{"consultation_id":{restricted},"version":1,"target":{"kind":"clause","id":"x"},"selector":null,"input":{"kind":"solution","justification":"x","cost_impact":"up","cost_amount":"","proposed_text":""}}}"#,
        allowed: [N, N, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/edit",
        case: "a contribution of the not-invited supplier, no justification (422 once allowed)",
        form: r#"{"id":{contribution},"input":{"kind":"solution","justification":"","cost_impact":"up","cost_amount":"","proposed_text":""}}"#,
        allowed: [N, Y, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/reply",
        case: "empty reply (422 once allowed)",
        form: "id={contribution}&body=",
        allowed: [N, Y, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "contributions/status",
        case: "integrated without its version (422 once allowed)",
        form: "id={contribution}&status=integrated",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "contributions/withdraw",
        case: "a contribution of the not-invited supplier",
        form: "id={contribution}",
        allowed: [N, Y, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "calendar/preview",
        case: "pure computation",
        form: r#"{"settings":{"mode":"Open","start":"2027-01-11","call_days":14,"exchange_days":14,"drafting_days":21}}"#,
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/calendar",
        case: "call too short (422 once allowed)",
        form: r#"{"id":{open},"settings":{"mode":"Open","start":"2027-01-11","call_days":3,"exchange_days":14,"drafting_days":21}}"#,
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/calendar",
        case: "draft, call too short (422 once allowed)",
        form: r#"{"id":{draft},"settings":{"mode":"Open","start":"2027-01-11","call_days":3,"exchange_days":14,"drafting_days":21}}"#,
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "planning/mine",
        case: "own retro-plannings",
        form: "",
        allowed: [N, Y, Y, N, N, N, N, N, Y],
    },
    Row {
        endpoint: "planning/save",
        case: "invalid date (422 once allowed)",
        form: "title=AO&submission=demain",
        allowed: [N, Y, Y, N, N, N, N, N, Y],
    },
    Row {
        endpoint: "planning/task",
        case: "someone else's or missing plan (404 for all)",
        form: "plan=999999&key=submission.submit&done=true&note=",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "account/calendar-feed",
        case: "own subscription link",
        form: "",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/compare",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/compare",
        case: "restricted sourcing",
        form: "id={restricted}&from=1&to=2",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/clauses",
        case: "open sourcing",
        form: r#"{"id":{open},"version":1,"clause_ids":["objet-du-marche"]}"#,
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/clauses",
        case: "restricted sourcing (no version published: nothing asked)",
        form: r#"{"id":{restricted},"version":1,"clause_ids":[]}"#,
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "planning/task",
        case: "a plan of the invited supplier",
        form: "plan={plan}&key=submission.submit&done=true&note=",
        allowed: [N, N, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "account/calendar-feed/status",
        case: "own link",
        form: "",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/calendar-feed/revoke",
        case: "own link",
        form: "",
        allowed: [N, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "drafting (exchanges over)",
        form: "id={drafting}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "closed",
        form: "id={closed}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "contributions/participate",
        case: "drafting: too late",
        form: "id={drafting}",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/participate",
        case: "closed: too late",
        form: "id={closed}",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/create",
        case: "drafting (409 once allowed: exchanges over)",
        form: r#"{"contribution":{"consultation_id":{drafting},"version":1,"target":{"kind":"clause","id":"objet"},"selector":null,"input":{"kind":"solution","justification":"x","cost_impact":"up","cost_amount":"","proposed_text":""}}}"#,
        allowed: [N, Y, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/list",
        case: "closed",
        form: "id={closed}",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/draft",
        case: "drafting",
        form: "id={drafting}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "consultations/status",
        case: "closed: no next step (409 once allowed)",
        form: "id={closed}&to=draft",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    // The record. The review and the registers: the buyer's organisation and its reviewers.
    Row {
        endpoint: "record/reviews",
        case: "drafting",
        form: "id={drafting}",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "record/reviews/pending",
        case: "own organisations' (empty for buyers)",
        form: "",
        allowed: [N, N, N, Y, Y, Y, N, Y, N],
    },
    Row {
        endpoint: "record/registers",
        case: "open sourcing",
        form: "id={open}",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "record/registers",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    // Notes and decisions: an attached reviewer only (422 once allowed: unknown clause).
    Row {
        endpoint: "record/reviews/note",
        case: "a pending request",
        form: "request={review}&clause_id=nulle-part&body=Remarque",
        allowed: [N, N, N, N, N, Y, N, N, N],
    },
    Row {
        endpoint: "record/reviews/decide",
        case: "a pending request",
        form: "request={review}&decision=approved&message=",
        allowed: [N, N, N, N, N, Y, N, N, N],
    },
    Row {
        endpoint: "record/reviews/request",
        case: "drafting",
        form: "id={drafting}&version=1&message=Relire",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    // Minutes of oral exchanges: read by the dialogue's readers (the participants, the buyer's
    // organisation, its reviewers), drafts by the buyer's organisation only; written by the buyer.
    Row {
        endpoint: "record/minutes",
        case: "open sourcing",
        form: "id={open}",
        // The invited supplier joined the open consultation in the `contributions/participate` row.
        allowed: [N, Y, Y, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "record/minutes",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "record/minutes/save",
        case: "a meeting in the future (422 once allowed)",
        form: r#"{"id":{open},"minutes":null,"input":{"date":"2026-12-31","time":"10:00","duration_minutes":30,"mode":"phone","companies":["Entreprise A"],"agents":"A","body":"B","clause_ids":[]}}"#,
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "record/minutes/publish",
        case: "a draft of the open sourcing",
        form: "minutes={minutes}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    // The dossier: the public edition for everyone once published (before, the buyer's
    // organisation previews it), the internal one for the buyer's organisation and its
    // reviewers; published by the buyer (409 while the exchanges run), redactions by the buyer
    // or the contribution's author (422 once allowed: a passage that is not in it).
    Row {
        endpoint: "record/dossier",
        case: "public edition, not published",
        form: "id={open}&edition=public",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "record/dossier",
        case: "internal edition",
        form: "id={drafting}&edition=internal",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "record/dossier/publish",
        case: "exchanges running (409 once allowed)",
        form: "id={open}",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "record/dossier/redact",
        case: "a contribution of the not-invited supplier (422 once allowed)",
        form: "contribution={contribution}&passage=absent%20du%20texte&reason=",
        allowed: [N, Y, N, N, Y, N, N, N, N],
    },
    // Last: it ends the caller's session.
    Row {
        endpoint: "account/sign-out",
        case: "own session",
        form: "",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
];

/// The plain routes (files, live events, health), fetched with GET. `{token}` is the agenda link
/// of the invited supplier: the link itself is the credential, whoever follows it.
const ROUTES: &[Row] = &[
    Row {
        endpoint: "/healthz",
        case: "health",
        form: "/healthz",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/cctp.md",
        case: "open sourcing",
        form: "/consultations/{open}/versions/2/cctp.md",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/cctp.md",
        case: "restricted sourcing",
        form: "/consultations/{restricted}/versions/1/cctp.md",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/cctp.md",
        case: "draft",
        form: "/consultations/{draft}/versions/1/cctp.md",
        allowed: [N, N, N, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/cctp.docx",
        case: "open sourcing",
        form: "/consultations/{open}/versions/2/cctp.docx",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/cctp.docx",
        case: "restricted sourcing",
        form: "/consultations/{restricted}/versions/1/cctp.docx",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/cctp.docx",
        case: "draft",
        form: "/consultations/{draft}/versions/1/cctp.docx",
        allowed: [N, N, N, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/suivi-des-modifications.docx",
        case: "open sourcing",
        form: "/consultations/{open}/versions/2/suivi-des-modifications.docx?depuis=1",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/suivi-des-modifications.docx",
        case: "restricted sourcing",
        form: "/consultations/{restricted}/versions/1/suivi-des-modifications.docx?depuis=1",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/versions/{number}/suivi-des-modifications.docx",
        case: "draft",
        form: "/consultations/{draft}/versions/1/suivi-des-modifications.docx?depuis=1",
        allowed: [N, N, N, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/brouillon/import-word",
        case: "open sourcing (POST, not a Word file: 422 once allowed)",
        form: "POST /consultations/{open}/brouillon/import-word",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/brouillon/import-word",
        case: "restricted sourcing (POST, not a Word file: 422 once allowed)",
        form: "POST /consultations/{restricted}/brouillon/import-word",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/brouillon/import-word",
        case: "draft (POST, not a Word file: 422 once allowed)",
        form: "POST /consultations/{draft}/brouillon/import-word",
        allowed: [N, N, N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/calendrier.ics",
        case: "open sourcing",
        form: "/consultations/{open}/calendrier.ics",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/consultations/{id}/calendrier.ics",
        case: "restricted sourcing",
        form: "/consultations/{restricted}/calendrier.ics",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/contributions.csv",
        case: "open sourcing",
        form: "/consultations/{open}/contributions.csv",
        // The dialogue: the buyer's organisation, its reviewers, the participating companies
        // (the "not invited" supplier takes part in the open consultation).
        allowed: [N, Y, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/contributions.csv",
        case: "restricted sourcing",
        form: "/consultations/{restricted}/contributions.csv",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/contributions.csv",
        case: "draft",
        form: "/consultations/{draft}/contributions.csv",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/evenements",
        case: "open sourcing",
        form: "/consultations/{open}/evenements",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/consultations/{id}/evenements",
        case: "restricted sourcing",
        form: "/consultations/{restricted}/evenements",
        allowed: [N, N, Y, N, Y, Y, Y, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/dossier.pdf",
        case: "public edition, not published",
        form: "/consultations/{open}/dossier.pdf",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "/consultations/{id}/dossier.zip",
        case: "internal edition",
        form: "/consultations/{drafting}/dossier.zip?edition=interne",
        allowed: [N, N, N, N, Y, Y, N, N, N],
    },
    Row {
        endpoint: "/entreprise/planning/{plan}/calendrier.ics",
        case: "a plan of the invited supplier",
        form: "/entreprise/planning/{plan}/calendrier.ics",
        allowed: [N, N, Y, N, N, N, N, N, N],
    },
    Row {
        endpoint: "/agenda/{token}/calendrier.ics",
        case: "a live link (the link is the credential)",
        form: "/agenda/{token}/calendrier.ics",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/agenda/{token}/calendrier.ics",
        case: "an unknown link",
        form: "/agenda/0000000000000000000000000000000000000000000000000000000000000000/calendrier.ics",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "/besoins/{id}/creneaux/{slot}/rendez-vous.ics",
        case: "a slot the invited supplier booked",
        form: "/besoins/{need}/creneaux/{slot}/rendez-vous.ics",
        allowed: [N, N, Y, N, Y, Y, N, N, N],
    },
    // Open data: public files, the same for everyone; never a draft nor a restricted
    // consultation before its public dossier.
    Row {
        endpoint: "/donnees/ocds.jsonl.gz",
        case: "every release",
        form: "/donnees/ocds.jsonl.gz",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/donnees/ocds/{file}",
        case: "open sourcing",
        form: "/donnees/ocds/ocds-test00-jesaisfaire-{open}.json",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/donnees/ocds/{file}",
        case: "restricted sourcing before its dossier",
        form: "/donnees/ocds/ocds-test00-jesaisfaire-{restricted}.json",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "/donnees/ocds/{file}",
        case: "draft",
        form: "/donnees/ocds/ocds-test00-jesaisfaire-{draft}.json",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "/donnees/ocds/{ocid}/record.json",
        case: "open sourcing",
        form: "/donnees/ocds/ocds-test00-jesaisfaire-{open}/record.json",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/donnees/ocds/{ocid}/record.json",
        case: "draft",
        form: "/donnees/ocds/ocds-test00-jesaisfaire-{draft}/record.json",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "/donnees/{file}",
        case: "a dataset",
        form: "/donnees/contributions.csv",
        allowed: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "/donnees/{file}",
        case: "not a dataset",
        form: "/donnees/registres.csv",
        allowed: [N, N, N, N, N, N, N, N, N],
    },
];

#[test]
fn every_server_function_and_route_has_rows() {
    let routes: BTreeSet<&str> = ROUTES.iter().map(|r| r.endpoint).collect();
    let plain: BTreeSet<&str> = jesaisfaire::server::http::PLAIN_ROUTES.into_iter().collect();
    assert_eq!(
        routes, plain,
        "every plain route of the router has rows, and only those"
    );

    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let covered: BTreeSet<String> = MATRIX.iter().map(|r| r.endpoint.to_string()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the authorization matrix: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "rows for server functions that do not exist: {unknown:?}"
    );
}

/// The status of a GET of `path` (a POST of a few bytes that are not a Word file when it reads
/// `POST path`); a live-event stream is not read (it never ends).
async fn get_status(app: &axum::Router, cookie: Option<&str>, path: &str) -> (u16, String) {
    use tower::ServiceExt;
    let (mut request, body) = match path.strip_prefix("POST ") {
        Some(path) => (
            axum::http::Request::post(path).header("sec-fetch-site", "same-origin"),
            axum::body::Body::from("pas un fichier Word"),
        ),
        None => (axum::http::Request::get(path), axum::body::Body::empty()),
    };
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = app.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let streaming = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("text/event-stream"));
    if streaming {
        return (status, "(event stream)".into());
    }
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&body).chars().take(300).collect())
}

/// The callers, consultations and things the matrix needs beyond the demo data.
struct Setup {
    ids: Vec<(&'static str, String)>,
}

impl Setup {
    async fn new(db: &TestDb) -> Setup {
        use jesaisfaire::model::{ConsultationStatus, DraftInput, KeyDates, OrganisationKind, Role, SourcingMode};
        use jesaisfaire::server::db::{accounts, consultations, organisations};
        use jesaisfaire::server::{auth, publishing};
        demo::load_if_empty(&db.db).await.unwrap();
        let pool = db.db.pool();
        let now = db.db.now();
        let id_of = |sql: &'static str, bind: &'static str| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(bind)
                .fetch_one(pool)
                .await
                .unwrap()
        };
        let consultation = |title| id_of("select id from consultations where title like $1", title);
        let (open, restricted, draft) = (
            consultation("Maintenance%").await,
            consultation("Nettoyage%").await,
            consultation("Refonte%").await,
        );
        let prefecture = id_of(
            "select id from organisations where name = $1",
            "Préfecture de Seine-et-Marne",
        )
        .await;
        let invited = id_of("select id from users where email = $1", "proprete@demo.jesaisfaire.fr").await;
        // A contribution of the "not invited" supplier (Brie Informatique) on the open consultation.
        let contribution: i64 = sqlx::query_scalar(
            "select c.id from contributions c join organisations o on o.id = c.organisation_id \
             where o.name = 'Brie Informatique Services' order by c.id desc limit 1",
        )
        .fetch_one(pool)
        .await
        .unwrap();

        // The two callers the demo does not have.
        let hash = auth::password::hash(DEMO_PASSWORD).unwrap();
        let meaux = organisations::insert(
            pool,
            &organisations::NewOrganisation {
                kind: Some(OrganisationKind::Buyer),
                name: "Mairie de Meaux",
                departement: Some("77"),
                ..Default::default()
            },
            now,
        )
        .await
        .unwrap();
        let user = |email, role| accounts::NewUser {
            email,
            display_name: "Compte de test",
            password_hash: &hash,
            role,
            organisation_id: None,
        };
        let reviewer = accounts::insert_user(pool, &user(OTHER_REVIEWER, Role::Reviewer), now)
            .await
            .unwrap();
        accounts::attach_reviewer(pool, reviewer, meaux).await.unwrap();
        accounts::insert_user(pool, &user(WITHOUT_ORGANISATION, Role::Supplier), now)
            .await
            .unwrap();

        // A first version on the restricted consultation and the draft (their files then exist
        // for those who may see them), and two consultations past their exchanges.
        let version = |text: &str| DraftInput {
            markdown: format!("## 1 Objet\n\n{text}\n"),
            criteria: Vec::new(),
            changelog: String::new(),
        };
        for id in [restricted, draft] {
            publishing::publish(&db.db, id, None, &version("Texte."), None)
                .await
                .unwrap();
        }
        let mut later = Vec::new();
        for (title, status) in [
            ("Consultation en rédaction finale", ConsultationStatus::Drafting),
            ("Consultation close", ConsultationStatus::Closed),
            ("Consultation en relecture", ConsultationStatus::InReview),
        ] {
            let id = consultations::insert(
                &mut pool.acquire().await.unwrap(),
                &consultations::NewConsultation {
                    buyer_organisation_id: prefecture,
                    title,
                    object: "Objet.",
                    cpv_codes: &["77310000-6"],
                    departements: &["77"],
                    mode: SourcingMode::Open,
                    status,
                    dates: KeyDates::default(),
                },
                now,
            )
            .await
            .unwrap();
            publishing::publish(&db.db, id, None, &version("Texte."), None)
                .await
                .unwrap();
            later.push(id);
        }
        // A request for validation waiting on the consultation in review.
        let buyer = id_of("select id from users where email = $1", "acheteuse@demo.jesaisfaire.fr").await;
        let review = jesaisfaire::server::db::record::insert_review(
            &mut pool.acquire().await.unwrap(),
            &jesaisfaire::server::db::record::NewReview {
                consultation_id: later[2],
                version_number: 1,
                text_sha256: "0",
                message: "Relire",
                requested_by: buyer,
            },
            now,
        )
        .await
        .unwrap();
        // Draft minutes of a meeting with a participant of the open consultation.
        let minutes = {
            use jesaisfaire::domain::minutes::{CheckedMinutes, MeetingMode};
            use jesaisfaire::server::db::minutes as db_minutes;
            let mut conn = pool.acquire().await.unwrap();
            let minutes = db_minutes::insert_minutes(&mut conn, open, buyer, now).await.unwrap();
            let checked = CheckedMinutes {
                held_at: now - 3600,
                duration_minutes: 30,
                mode: MeetingMode::Phone,
                companies: vec![0],
                agents: "Claire Moreau".into(),
                body: "Appel.".into(),
                clause_ids: Vec::new(),
                reason: String::new(),
            };
            db_minutes::insert_revision(&mut conn, minutes, 1, &checked, buyer, now)
                .await
                .unwrap();
            minutes
        };
        let plan =
            jesaisfaire::server::db::planning::insert_plan(pool, invited, "Appel d'offres visé", "2027-09-15", now)
                .await
                .unwrap();
        let token = auth::token::generate();
        accounts::set_calendar_feed(pool, invited, &auth::token::hash(&token), now, now + 86_400)
            .await
            .unwrap();
        let need = |title| id_of("select id from needs where title like $1", title);
        let (need, need2) = (
            need("Entretien des espaces verts%").await,
            need("Nettoyage des locaux%").await,
        );
        // A « portes ouvertes » slot on {need}, booked by the invited supplier.
        let slot: i64 = sqlx::query_scalar(
            "insert into need_slots (need_id, starts_at, duration_minutes, place, capacity, booked, created_at) \
             values ($1, $2, 30, 'Melun', 5, 1, $3) returning id",
        )
        .bind(need)
        .bind(now + 30 * 86_400)
        .bind(now)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into slot_bookings (need_id, organisation_id, slot_id, user_id, booked_at) \
             select $1, organisation_id, $2, id, $3 from users where id = $4",
        )
        .bind(need)
        .bind(slot)
        .bind(now)
        .bind(invited)
        .execute(pool)
        .await
        .unwrap();
        Setup {
            ids: vec![
                ("{need}", need.to_string()),
                ("{slot}", slot.to_string()),
                ("{need2}", need2.to_string()),
                ("{open}", open.to_string()),
                ("{restricted}", restricted.to_string()),
                ("{drafting}", later[0].to_string()),
                ("{closed}", later[1].to_string()),
                ("{draft}", draft.to_string()),
                ("{contribution}", contribution.to_string()),
                ("{review}", review.to_string()),
                ("{minutes}", minutes.to_string()),
                ("{plan}", plan.to_string()),
                ("{token}", token),
                ("{password}", form(&[("p", DEMO_PASSWORD)])[2..].to_string()),
            ],
        }
    }

    fn fill(&self, template: &str) -> String {
        self.ids
            .iter()
            .fold(template.to_string(), |text, (key, value)| text.replace(key, value))
    }
}

async fn the_matrix_holds(db: &TestDb) {
    let setup = Setup::new(db).await;
    let app = app(&db.db);
    let mut cookies = Vec::new();
    for (_, email) in CALLERS {
        cookies.push(match email {
            Some(email) => Some(sign_in(&app, email, DEMO_PASSWORD).await),
            None => None,
        });
    }
    let mut failures = Vec::new();
    let mut check = |row: &Row, caller: &str, allowed: bool, status: u16, body: &str| {
        assert!(
            status < 500,
            "{} ({}) as {caller}: {status} {body}",
            row.endpoint,
            row.case
        );
        let granted = !matches!(status, 401 | 403 | 404);
        if granted != allowed {
            failures.push(format!(
                "{} ({}) as {caller}: expected {}, got {status} {body}",
                row.endpoint,
                row.case,
                if allowed { "allowed" } else { "denied" },
            ));
        }
    };
    // The plain routes first: the server functions below replace the agenda link.
    for row in ROUTES {
        let path = setup.fill(row.form);
        for (column, (caller, _)) in CALLERS.iter().enumerate() {
            let (status, body) = get_status(&app, cookies[column].as_deref(), &path).await;
            check(row, caller, row.allowed[column], status, &body);
        }
    }
    for row in MATRIX {
        let body = setup.fill(row.form);
        for (column, (caller, _)) in CALLERS.iter().enumerate() {
            let answer = call_as(&app, cookies[column].as_deref(), row.endpoint, &body).await;
            check(row, caller, row.allowed[column], answer.status.as_u16(), &answer.body);
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix violated:\n{}",
        failures.join("\n")
    );
}

on_both_backends!(the_matrix_holds);
