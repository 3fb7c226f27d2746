//! The contributions of a consultation as a CSV file for spreadsheets.

use crate::domain::contribution::format_euros;
use crate::domain::format::{instant_fr, spreadsheet_safe};
use crate::model::ContributionView;

/// The contributions as a CSV file for spreadsheets (French Excel: `;` separator, UTF-8 with a
/// byte order mark), pseudonymised like the pages. Cells that a spreadsheet would read as a
/// formula are prefixed with `'`.
pub fn csv(views: &[ContributionView], latest: i64) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "N°",
        "Entreprise",
        "Version",
        "Cible",
        "Clause ou critère",
        "Passage cité",
        &format!("État dans la version {latest}"),
        "Type",
        "Justification",
        "Impact sur le coût",
        "Montant HT",
        "Texte proposé",
        "Statut",
        "Intégrée en version",
        "Déposée le",
        "Modifiée le",
        "Retirée le",
        "Réponses",
    ];
    push_row(&mut out, header.iter().map(|s| s.to_string()));
    let date = instant_fr;
    for v in views {
        let replies: Vec<String> = v.replies.iter().map(|r| format!("{} : {}", r.author, r.body)).collect();
        push_row(
            &mut out,
            [
                v.id.to_string(),
                v.pseudonym.clone(),
                v.version.to_string(),
                v.target.kind.label_fr().to_owned(),
                v.target_label.clone(),
                v.selector.as_ref().map(|s| s.quote.exact.clone()).unwrap_or_default(),
                v.anchor.state.label_fr().to_owned(),
                v.kind.label_fr().to_owned(),
                v.justification.clone(),
                v.cost_impact.label_fr().to_owned(),
                v.cost_amount_cents.map(format_euros).unwrap_or_default(),
                v.proposed_text.clone(),
                v.status.label_fr().to_owned(),
                v.integrated_version.map(|n| n.to_string()).unwrap_or_default(),
                date(v.created_at),
                date(v.updated_at),
                v.withdrawn_at.map(date).unwrap_or_default(),
                replies.join("\n"),
            ]
            .into_iter(),
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells
        .map(|cell| format!("\"{}\"", spreadsheet_safe(&cell).replace('"', "\"\"")))
        .collect();
    out.push_str(&cells.join(";"));
    out.push_str("\r\n");
}
