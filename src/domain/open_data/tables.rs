//! The open datasets as CSV files (comma-separated, UTF-8 with a byte order mark so that
//! spreadsheets read the accents right), each described by a Table Schema descriptor in the
//! convention of schema.data.gouv.fr. The columns are declared once here: the file, its
//! descriptor and the open-data page all read them.

use super::{OpenConsultation, OpenNeed, LICENCE_NAME, LICENCE_URL};
use crate::domain::format::{rfc3339_utc, spreadsheet_safe};
use serde_json::{json, Value};

/// The type of a column, as Table Schema names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    String,
    Integer,
    Number,
    Datetime,
    Date,
}

impl ColumnType {
    fn name(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Datetime => "datetime",
            ColumnType::Date => "date",
        }
    }
}

pub struct Column {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub kind: ColumnType,
    pub required: bool,
}

const fn col(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    kind: ColumnType,
    required: bool,
) -> Column {
    Column {
        name,
        title,
        description,
        kind,
        required,
    }
}

use ColumnType::{Date as D, Datetime as Dt, Integer as I, Number as N, String as S};

/// One CSV file and its descriptor.
pub struct Dataset {
    /// The file's name without extension: `/donnees/{name}.csv` and `/donnees/{name}.schema.json`.
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
}

pub const CONSULTATIONS: Dataset = Dataset {
    name: "consultations",
    title: "Consultations de sourcing",
    description: "Les consultations de sourcing publiques : objet, acheteur, codes CPV, départements, étape et calendrier. \
                  Les brouillons et les consultations restreintes avant la publication de leur dossier n'y figurent pas.",
    primary_key: &["ocid"],
    columns: &[
        col("ocid", "Identifiant OCDS", "Identifiant de la consultation dans les données OCDS (préfixe enregistré, puis numéro).", S, true),
        col("numero", "Numéro", "Numéro de la consultation sur la plateforme.", I, true),
        col("titre", "Titre", "Titre de la consultation.", S, true),
        col("objet", "Objet", "Objet du futur marché, tel que l'acheteur l'a décrit.", S, true),
        col("acheteur", "Acheteur", "Nom de l'organisation publique qui conduit le sourcing.", S, true),
        col("siret_acheteur", "SIRET de l'acheteur", "SIRET de l'acheteur (14 chiffres), s'il est connu.", S, false),
        col("codes_cpv", "Codes CPV", "Codes du vocabulaire commun des marchés publics, séparés par des espaces.", S, false),
        col("departements", "Départements", "Codes INSEE des départements concernés, séparés par des espaces.", S, false),
        col("mode", "Mode de sourcing", "« Sourcing ouvert » (toutes les entreprises) ou « Sourcing restreint » (entreprises invitées).", S, true),
        col("etape", "Étape", "Étape de la consultation à la date de publication du fichier.", S, true),
        col("annoncee_le", "Annoncée le", "Date et heure (UTC) de l'annonce.", Dt, true),
        col("debut_echanges", "Début des échanges", "Premier jour de la phase d'échanges.", D, false),
        col("fin_echanges", "Fin des échanges", "Dernier jour de la phase d'échanges.", D, false),
        col("date_previsionnelle_consultation", "Date prévisionnelle de la consultation", "Date prévue du lancement de la procédure de passation.", D, false),
        col("derniere_version", "Dernière version", "Numéro de la dernière version publiée du projet de CCTP.", I, false),
        col("dossier_publie_le", "Dossier publié le", "Date et heure (UTC) de publication de l'édition publique du dossier de sourcing.", Dt, false),
        col("url", "Adresse", "Page de la consultation.", S, true),
    ],
};

pub const VERSIONS: Dataset = Dataset {
    name: "versions",
    title: "Versions des projets de CCTP",
    description: "Chaque version publiée du projet de cahier des clauses techniques particulières, avec le message de \
                  l'acheteur et ce qui a changé depuis la précédente.",
    primary_key: &["ocid", "version"],
    columns: &[
        col("ocid", "Identifiant OCDS", "Identifiant de la consultation.", S, true),
        col("version", "Version", "Numéro de la version (1, 2…).", I, true),
        col(
            "publiee_le",
            "Publiée le",
            "Date et heure (UTC) de publication.",
            Dt,
            true,
        ),
        col(
            "message",
            "Message de l'acheteur",
            "Ce que l'acheteur a écrit aux entreprises en publiant la version.",
            S,
            false,
        ),
        col(
            "changements",
            "Changements",
            "Ce qui a changé depuis la version précédente (clauses ajoutées, modifiées, supprimées).",
            S,
            false,
        ),
        col(
            "sha256",
            "Empreinte SHA-256",
            "Empreinte du texte Markdown de la version (celle que signe le relecteur).",
            S,
            true,
        ),
        col("url", "Adresse", "Page de la version.", S, true),
    ],
};

pub const NEEDS: Dataset = Dataset {
    name: "besoins",
    title: "Besoins à venir",
    description: "Les besoins que les acheteurs annoncent avant de lancer un sourcing ou une consultation : objet, \
                  montant estimé, trimestre prévu. Les besoins retirés n'y figurent pas.",
    primary_key: &["numero"],
    columns: &[
        col("numero", "Numéro", "Numéro du besoin sur la plateforme.", I, true),
        col("acheteur", "Acheteur", "Nom de l'organisation publique.", S, true),
        col(
            "siret_acheteur",
            "SIRET de l'acheteur",
            "SIRET de l'acheteur (14 chiffres), s'il est connu.",
            S,
            false,
        ),
        col("titre", "Titre", "Titre du besoin.", S, true),
        col("resume", "Résumé", "Description du besoin.", S, true),
        col("codes_cpv", "Codes CPV", "Codes CPV séparés par des espaces.", S, false),
        col(
            "departements",
            "Départements",
            "Codes INSEE des départements, séparés par des espaces.",
            S,
            false,
        ),
        col(
            "montant_min_euros",
            "Montant minimal (€ HT)",
            "Estimation basse, en euros hors taxes.",
            I,
            false,
        ),
        col(
            "montant_max_euros",
            "Montant maximal (€ HT)",
            "Estimation haute, en euros hors taxes.",
            I,
            false,
        ),
        col("annee", "Année", "Année prévue de la consultation.", I, true),
        col("trimestre", "Trimestre", "Trimestre prévu (1 à 4).", I, true),
        col(
            "ocid_consultation",
            "Consultation",
            "Identifiant OCDS de la consultation qui en est issue, si elle est publiée.",
            S,
            false,
        ),
        col(
            "publie_le",
            "Publié le",
            "Date et heure (UTC) de publication.",
            Dt,
            true,
        ),
        col(
            "mis_a_jour_le",
            "Mis à jour le",
            "Date et heure (UTC) de la dernière modification.",
            Dt,
            true,
        ),
        col("url", "Adresse", "Page du besoin.", S, true),
    ],
};

pub const CONTRIBUTIONS: Dataset = Dataset {
    name: "contributions",
    title: "Contributions des entreprises",
    description: "Les contributions des entreprises aux projets de CCTP et les réponses de l'acheteur, une fois l'édition \
                  publique du dossier de sourcing publiée : entreprises sous pseudonyme, passages occultés remplacés par \
                  « [passage occulté] ».",
    primary_key: &["ocid", "numero"],
    columns: &[
        col("ocid", "Identifiant OCDS", "Identifiant de la consultation.", S, true),
        col("numero", "Numéro", "Numéro de la contribution.", I, true),
        col("entreprise", "Entreprise", "Pseudonyme de l'entreprise dans cette consultation (« Entreprise A »…).", S, true),
        col("version", "Version", "Version du projet de CCTP sur laquelle elle a été déposée.", I, true),
        col("cible", "Cible", "« Clause » ou « Critère ».", S, true),
        col("identifiant_cible", "Identifiant de la clause ou du critère", "Identifiant stable de la clause ou du critère.", S, true),
        col("intitule_cible", "Clause ou critère", "Titre de la clause ou nom du critère lors du dépôt.", S, true),
        col("type", "Type", "Solution, question, clause alternative ou critère alternatif.", S, true),
        col("justification", "Justification", "Ce que l'entreprise a écrit.", S, true),
        col("texte_propose", "Texte proposé", "La rédaction proposée, s'il y en a une.", S, false),
        col("impact_cout", "Impact sur le coût", "Hausse, baisse, neutre ou inconnu.", S, true),
        col("montant_euros", "Montant (€ HT)", "Montant de l'impact estimé, en euros hors taxes.", N, false),
        col("statut", "Statut", "Où en est la contribution dans le dialogue.", S, true),
        col("integree_en_version", "Intégrée en version", "Version qui l'a intégrée, le cas échéant.", I, false),
        col("deposee_le", "Déposée le", "Date et heure (UTC) du dépôt.", Dt, true),
        col("retiree_le", "Retirée le", "Date et heure (UTC) du retrait par l'entreprise, le cas échéant.", Dt, false),
        col("reponses_acheteur", "Réponses de l'acheteur", "Les réponses de l'acheteur, les plus anciennes d'abord.", S, false),
    ],
};

pub const DATASETS: [&Dataset; 4] = [&CONSULTATIONS, &VERSIONS, &NEEDS, &CONTRIBUTIONS];

/// The dataset of a file name (`consultations` for `/donnees/consultations.csv`).
pub fn dataset(name: &str) -> Option<&'static Dataset> {
    DATASETS.into_iter().find(|d| d.name == name)
}

/// Writes one dataset as CSV: header, then rows checked against the columns.
pub struct CsvWriter {
    out: String,
    columns: usize,
}

impl CsvWriter {
    pub fn new(dataset: &Dataset) -> CsvWriter {
        let mut w = CsvWriter {
            out: String::from("\u{feff}"),
            columns: dataset.columns.len(),
        };
        w.raw_row(dataset.columns.iter().map(|c| c.name.to_owned()).collect());
        w
    }

    /// Text cells are made spreadsheet-safe (see `spreadsheet_safe`); every cell is quoted
    /// when it holds a comma, a quote or a line break.
    pub fn row(&mut self, dataset: &Dataset, cells: Vec<String>) {
        let cells = cells
            .into_iter()
            .zip(dataset.columns)
            .map(|(cell, column)| match column.kind {
                ColumnType::String => spreadsheet_safe(&cell).into_owned(),
                _ => cell,
            })
            .collect();
        self.raw_row(cells);
    }

    fn raw_row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.columns, "one cell per column");
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            if cell.contains([',', '"', '\n', '\r']) {
                self.out.push('"');
                self.out.push_str(&cell.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(cell);
            }
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn euros_of_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

pub fn consultation_row(c: &OpenConsultation) -> Vec<String> {
    use crate::domain::calendar::PhaseKind;
    let exchanges = c.phases.iter().find(|p| p.kind == PhaseKind::Exchanges);
    vec![
        c.ocid.clone(),
        c.id.to_string(),
        c.title.clone(),
        c.object.clone(),
        c.buyer.name.clone(),
        opt(c.buyer.siret.as_ref()),
        c.cpv_codes.join(" "),
        c.departements.join(" "),
        c.mode.label_fr().to_owned(),
        c.status.label_fr().to_owned(),
        rfc3339_utc(c.announced_at),
        opt(exchanges.map(|p| p.start)),
        opt(exchanges.map(|p| p.end)),
        opt(c.expected_tender.as_ref()),
        opt(c.versions.last().map(|v| v.number)),
        opt(c.dossier.as_ref().map(|d| rfc3339_utc(d.published_at))),
        c.url.clone(),
    ]
}

pub fn version_rows(c: &OpenConsultation) -> impl Iterator<Item = Vec<String>> + '_ {
    c.versions.iter().map(|v| {
        vec![
            c.ocid.clone(),
            v.number.to_string(),
            rfc3339_utc(v.published_at),
            v.changelog.clone(),
            v.changes.clone(),
            v.text_sha256.clone(),
            v.url.clone(),
        ]
    })
}

pub fn contribution_rows(c: &OpenConsultation) -> impl Iterator<Item = Vec<String>> + '_ {
    c.contributions.iter().map(|e| {
        let answers: Vec<&str> = e.answers.iter().map(|(_, body)| body.as_str()).collect();
        vec![
            c.ocid.clone(),
            e.id.to_string(),
            e.pseudonym.clone(),
            e.version.to_string(),
            e.target_kind.clone(),
            e.target_id.clone(),
            e.target_label.clone(),
            e.kind.clone(),
            e.justification.clone(),
            e.proposed_text.clone(),
            e.cost_impact.clone(),
            opt(e.cost_amount_cents.map(euros_of_cents)),
            e.status.clone(),
            opt(e.integrated_version),
            rfc3339_utc(e.created_at),
            opt(e.withdrawn_at.map(rfc3339_utc)),
            answers.join("\n\n"),
        ]
    })
}

pub fn need_row(n: &OpenNeed) -> Vec<String> {
    vec![
        n.id.to_string(),
        n.buyer.name.clone(),
        opt(n.buyer.siret.as_ref()),
        n.title.clone(),
        n.summary.clone(),
        n.cpv_codes.join(" "),
        n.departements.join(" "),
        opt(n.amount_min),
        opt(n.amount_max),
        n.tender_year.to_string(),
        n.tender_quarter.to_string(),
        opt(n.consultation_ocid.as_ref()),
        rfc3339_utc(n.published_at),
        rfc3339_utc(n.updated_at),
        n.url.clone(),
    ]
}

/// The Table Schema descriptor of a dataset, in the convention of schema.data.gouv.fr.
pub fn schema(dataset: &Dataset, publisher: &str, base_url: &str) -> Value {
    let fields: Vec<Value> = dataset
        .columns
        .iter()
        .map(|c| {
            let mut field = json!({
                "name": c.name,
                "title": c.title,
                "description": c.description,
                "type": c.kind.name(),
                "constraints": { "required": c.required },
            });
            if c.kind == ColumnType::String {
                field["description"] = json!(format!(
                    "{} Une valeur qui commence par =, +, -, @ est précédée d'une apostrophe (protection des tableurs).",
                    c.description
                ));
            }
            field
        })
        .collect();
    json!({
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": format!("jesaisfaire-{}", dataset.name),
        "title": dataset.title,
        "description": dataset.description,
        "countryCode": "FR",
        "homepage": format!("{base_url}/donnees"),
        "path": format!("{base_url}/donnees/{}.schema.json", dataset.name),
        "resources": [{ "title": dataset.title, "path": format!("{base_url}/donnees/{}.csv", dataset.name) }],
        "version": "1.0.0",
        "contributors": [{ "title": publisher, "role": "author" }],
        "licenses": [{ "title": LICENCE_NAME, "name": "etalab-2.0", "path": LICENCE_URL }],
        "fields": fields,
        "primaryKey": dataset.primary_key,
        "missingValues": [""],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_primary_key_is_a_required_column() {
        for d in DATASETS {
            for key in d.primary_key {
                let column = d.columns.iter().find(|c| c.name == *key).expect(key);
                assert!(column.required, "{}.{key}", d.name);
            }
            assert_eq!(dataset(d.name).map(|x| x.name), Some(d.name));
        }
        assert!(dataset("registres").is_none());
    }

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        let mut w = CsvWriter::new(&VERSIONS);
        w.row(
            &VERSIONS,
            vec![
                "o-1".into(),
                "2".into(),
                "2026-12-02T09:30:00Z".into(),
                "=HYPERLINK(\"x\"), puis".into(),
                "ligne 1\nligne 2".into(),
                "ab".into(),
                "https://e.fr".into(),
            ],
        );
        let csv = w.finish();
        assert!(csv.starts_with("\u{feff}ocid,version,publiee_le,message,"));
        assert!(
            csv.ends_with(
                "o-1,2,2026-12-02T09:30:00Z,\"'=HYPERLINK(\"\"x\"\"), puis\",\"ligne 1\nligne 2\",ab,https://e.fr\r\n"
            ),
            "{csv}"
        );
    }

    #[test]
    fn amounts_are_in_euros_with_a_point() {
        assert_eq!(euros_of_cents(123_456), "1234.56");
        assert_eq!(euros_of_cents(-5), "-0.05");
    }

    #[test]
    fn the_descriptor_lists_the_columns_in_order() {
        let s = schema(&CONSULTATIONS, "JeSaisFaire", "https://e.fr");
        let names: Vec<&str> = s["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = CONSULTATIONS.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, expected);
        assert_eq!(s["licenses"][0]["name"], "etalab-2.0");
    }
}
