//! The dossier as files: a PDF (server::pdf) and a ZIP holding the PDF, each version's `.md`
//! and the contributions CSV, in the same edition.

use super::super::access_register::record_access;
use super::super::auth::Actor;
use super::super::db;
use super::super::failure::OrInternal;
use super::super::pdf::{render_pdf, Block, Document, Timestamp};
use super::super::AppState;
use super::assemble;
use crate::domain::calendar::paris_datetime;
use crate::domain::contribution::format_euros;
use crate::domain::dossier::DossierEdition;
use crate::domain::format::{date_fr, instant_fr};
use crate::domain::record::AccessKind;
use crate::error::AppError;
use crate::model::Dossier;

fn suffix(edition: DossierEdition) -> &'static str {
    match edition {
        DossierEdition::Public => "",
        DossierEdition::Internal => "-interne",
    }
}

/// The dossier as a PDF file: (file name, bytes).
pub async fn pdf(
    state: &AppState,
    actor: &Actor,
    id: i64,
    edition: DossierEdition,
) -> Result<(String, Vec<u8>), AppError> {
    let dossier = assemble(state, actor, id, edition).await?;
    let bytes = render(state, dossier).await?;
    record_access(state, actor, id, AccessKind::Dossier, None, "pdf").await?;
    Ok((format!("dossier-sourcing-{id}{}.pdf", suffix(edition)), bytes))
}

/// The dossier as a ZIP file: the PDF, each version's Markdown, the contributions CSV.
pub async fn zip(
    state: &AppState,
    actor: &Actor,
    id: i64,
    edition: DossierEdition,
) -> Result<(String, Vec<u8>), AppError> {
    let dossier = assemble(state, actor, id, edition).await?;
    let latest = dossier.versions.last().map(|v| v.number).unwrap_or_default();
    let views: Vec<_> = dossier
        .targets
        .iter()
        .flat_map(|t| t.contributions.iter().cloned())
        .collect();
    let csv = super::super::contributions::csv_of(&views, latest);
    let rows = db::consultations::versions(state.db.pool(), id)
        .await
        .or_internal("reading versions")?;
    let pdf = render(state, dossier).await?;
    let mut files: Vec<(String, Vec<u8>)> = vec![(format!("dossier-sourcing-{id}{}.pdf", suffix(edition)), pdf)];
    for row in rows.into_iter().rev() {
        files.push((format!("versions/cctp-v{}.md", row.number), row.markdown.into_bytes()));
    }
    files.push(("contributions.csv".into(), csv.into_bytes()));
    record_access(state, actor, id, AccessKind::Dossier, None, "zip").await?;
    Ok((
        format!("dossier-sourcing-{id}{}.zip", suffix(edition)),
        stored_zip(&files),
    ))
}

/// Lays out and renders the PDF on the blocking pool (CPU work: about a second for the Code
/// civil, see the README's benchmark), a few at a time, once per content (see `cache`).
async fn render(state: &AppState, dossier: Dossier) -> Result<Vec<u8>, AppError> {
    // The content without the moment it was assembled: the same dossier, the same key.
    let key = {
        let mut timeless = dossier.clone();
        timeless.generated_at = 0;
        let json = serde_json::to_string(&timeless).or_internal("keying the dossier")?;
        crate::server::auth::token::sha256_hex(json.as_bytes())
    };
    if let Some(pdf) = state.dossiers.get(&key) {
        return Ok(pdf.to_vec());
    }
    let _turn = state.dossiers.turn().await?;
    if let Some(pdf) = state.dossiers.get(&key) {
        return Ok(pdf.to_vec());
    }
    let pdf = tokio::task::spawn_blocking(move || render_pdf(&document(&dossier)))
        .await
        .or_internal("rendering the dossier")?
        .map_err(|e| {
            tracing::error!(error = %e, "rendering the dossier");
            AppError::Internal
        })?;
    state.dossiers.put(key, std::sync::Arc::new(pdf.clone()));
    Ok(pdf)
}

/// The dossier's content as blocks of text.
pub fn document(d: &Dossier) -> Document {
    use Block::{Heading, Meta, PageBreak, Paragraph, Preformatted, Title};
    let h = |level, text: String| Heading { level, text };
    let mut b: Vec<Block> = Vec::new();
    b.push(Title(format!("Dossier de sourcing — {}", d.title)));
    b.push(Meta(format!(
        "{} · généré le {}{}",
        d.edition.label_fr(),
        instant_fr(d.generated_at),
        d.published_at
            .map(|at| format!(" · publié le {}", instant_fr(at)))
            .unwrap_or_default()
    )));
    b.push(h(1, "Consultation".into()));
    b.push(Paragraph(format!("Acheteur : {}", d.buyer_name)));
    b.push(Paragraph(format!("Objet : {}", d.object)));
    b.push(Paragraph(format!("Codes CPV : {}", d.cpv_codes.join(", "))));
    b.push(Paragraph(format!("Départements : {}", d.departements.join(", "))));
    b.push(Paragraph(format!(
        "Mode : {} · état : {}",
        d.mode.label_fr(),
        d.status.label_fr()
    )));
    for p in &d.phases {
        b.push(Paragraph(format!(
            "{} : du {} au {}",
            p.label,
            date_fr(&p.start),
            date_fr(&p.end)
        )));
    }
    b.push(Paragraph(match &d.rule_breaches {
        None => "Aucun calendrier de sourcing n'a été planifié.".into(),
        Some(breaches) if breaches.is_empty() => {
            "Les règles de calendrier du guide du sourcing sont respectées.".into()
        }
        Some(breaches) => format!("Règles non respectées : {}", breaches.join(" ; ")),
    }));

    b.push(h(1, format!("Participants ({})", d.participants.len())));
    for p in &d.participants {
        let identity = p
            .identity
            .as_ref()
            .map(|i| {
                format!(
                    " — {}{}{}",
                    i.name,
                    i.siret.as_ref().map(|s| format!(", SIRET {s}")).unwrap_or_default(),
                    if i.contacts.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", i.contacts.join(", "))
                    }
                )
            })
            .unwrap_or_default();
        b.push(Paragraph(format!(
            "{} : participe depuis le {}{identity}",
            p.pseudonym,
            instant_fr(p.joined_at)
        )));
    }

    b.push(h(1, format!("Versions ({})", d.versions.len())));
    for v in &d.versions {
        b.push(h(
            2,
            format!("Version {} — publiée le {}", v.number, instant_fr(v.published_at)),
        ));
        if !v.changelog.is_empty() {
            b.push(Paragraph(format!("Ce qui a changé : {}", v.changelog)));
        }
        if !v.changes.is_empty() {
            b.push(Paragraph(format!(
                "Par rapport à la version précédente : {}",
                v.changes
            )));
        }
        b.push(Meta("Empreinte SHA-256 du texte (.md) :".into()));
        b.push(Preformatted(v.text_sha256.clone()));
    }

    b.push(PageBreak);
    let count: usize = d.targets.iter().map(|t| t.contributions.len()).sum();
    b.push(h(1, format!("Contributions ({count})")));
    for t in &d.targets {
        b.push(h(2, t.label.clone()));
        for c in &t.contributions {
            b.push(h(
                3,
                format!(
                    "{} — {} (version {}) — {}",
                    c.pseudonym,
                    c.kind.label_fr(),
                    c.version,
                    c.status.label_fr()
                ),
            ));
            if let Some(quote) = c.selector.as_ref().map(|s| s.quote.exact.clone()) {
                b.push(Meta(format!("Passage cité : « {quote} »")));
            }
            b.push(Paragraph(c.justification.clone()));
            if !c.proposed_text.is_empty() {
                b.push(Paragraph(format!("Texte proposé : {}", c.proposed_text)));
            }
            b.push(Meta(format!(
                "Impact sur le coût : {}{} · déposée le {}{}",
                c.cost_impact.label_fr(),
                c.cost_amount_cents
                    .map(|a| format!(" ({} HT)", format_euros(a)))
                    .unwrap_or_default(),
                instant_fr(c.created_at),
                c.withdrawn_at
                    .map(|at| format!(" · retirée le {}", instant_fr(at)))
                    .unwrap_or_default()
            )));
            for r in &c.revisions {
                b.push(Meta(format!(
                    "Formulation antérieure ({}) : {}",
                    instant_fr(r.written_at),
                    r.justification
                )));
            }
            for r in &c.replies {
                b.push(Paragraph(format!(
                    "{} ({}) : {}",
                    r.author,
                    instant_fr(r.created_at),
                    r.body
                )));
            }
        }
    }

    b.push(h(1, format!("Comptes rendus des échanges oraux ({})", d.minutes.len())));
    for m in &d.minutes {
        let Some(r) = &m.published else { continue };
        b.push(h(
            2,
            format!(
                "Réunion du {} — {} — {} min",
                instant_fr(r.held_at),
                r.mode.label_fr(),
                r.duration_minutes
            ),
        ));
        b.push(Meta(format!(
            "Entreprises : {} · pour l'acheteur : {}",
            r.companies.join(", "),
            r.agents
        )));
        if r.revision > 1 {
            b.push(Meta(format!(
                "Version {} du compte rendu ; motif de la correction : {}",
                r.revision, r.reason
            )));
        }
        for paragraph in r.body.split("\n\n") {
            b.push(Paragraph(paragraph.replace('\n', " ")));
        }
        if !r.clauses.is_empty() {
            let labels: Vec<&str> = r.clauses.iter().map(|c| c.label.as_str()).collect();
            b.push(Meta(format!("Clauses discutées : {}", labels.join(", "))));
        }
    }

    b.push(h(1, "Relecture et validation".into()));
    if d.reviews.is_empty() {
        b.push(Paragraph("Aucune demande de validation.".into()));
    }
    for r in &d.reviews {
        b.push(h(
            2,
            format!(
                "Version {} — demandée le {} par {}",
                r.version,
                instant_fr(r.requested_at),
                r.requested_by
            ),
        ));
        b.push(Paragraph(r.message.clone()));
        b.push(Meta("Empreinte SHA-256 validée :".into()));
        b.push(Preformatted(r.text_sha256.clone()));
        if let (Some(decision), Some(at)) = (r.decision, r.decided_at) {
            b.push(Paragraph(format!(
                "{} le {}{}{}",
                decision.label_fr(),
                instant_fr(at),
                r.decided_by.as_ref().map(|n| format!(" par {n}")).unwrap_or_default(),
                if r.decision_message.is_empty() {
                    String::new()
                } else {
                    format!(" : {}", r.decision_message)
                }
            )));
        }
        for n in &r.notes {
            b.push(Meta(format!(
                "Remarque sur {} ({}) : {}",
                n.clause_label, n.author, n.body
            )));
        }
    }
    if !d.redactions.is_empty() {
        b.push(h(1, "Passages occultés dans l'édition publique".into()));
        for r in &d.redactions {
            b.push(Paragraph(format!(
                "{} (contribution n° {}){} : « {} »{}",
                r.pseudonym,
                r.contribution_id,
                if r.by_company {
                    ", à la demande de l'entreprise"
                } else {
                    ""
                },
                r.passage,
                if r.reason.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", r.reason)
                }
            )));
        }
    }
    let t = paris_datetime(d.generated_at);
    Document {
        title: format!("Dossier de sourcing — {}", d.title),
        language: "fr".into(),
        created: Some(Timestamp {
            year: t.date.year().clamp(1, 9999) as u16,
            month: t.date.month() as u8,
            day: t.date.day() as u8,
            hour: t.hour as u8,
            minute: t.minute as u8,
            second: t.second as u8,
        }),
        blocks: b,
    }
}

/// A ZIP archive whose files are stored (not compressed: a PDF already is, and the text files
/// are small): local headers, data, then the central directory.
pub fn stored_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let crc = crc32fast::hash(data);
        let offset = out.len() as u32;
        let (size, name_len) = (data.len() as u32, name.len() as u16);
        // Local file header; bit 11: names are UTF-8.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 8, 0, 0, 0, 0, 0x21, 0]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its entry in the central directory.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 8, 0, 0, 0, 0, 0x21, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&[0; 8]);
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (start, len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
