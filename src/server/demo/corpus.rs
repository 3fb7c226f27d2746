//! A generated corpus: consultations of the demo's first buyer through every phase, written
//! straight into the database (statuses and modes in turn, one to three versions, three
//! contributions with an answer each once the exchanges started, every other dossier published
//! once the exchanges are over). Texts carry quotes, commas, line breaks and a leading `=`, so
//! that every format's escaping is exercised. For `tests/open_data.rs` and `benches/open_data.rs`;
//! needs the demo data (its organisations and people).

use crate::domain::spec::Specification;
use crate::model::{ConsultationStatus, KeyDates, SourcingMode};
use crate::server::db::consultations::{self, NewConsultation, NewVersion};
use crate::server::db::{Db, DbResult};

/// Writes `count` consultations, the first one created at `start` (Unix seconds), ten minutes
/// apart; a transaction per hundred.
pub async fn generate(db: &Db, count: i64, start: i64) -> DbResult<()> {
    let pool = db.pool();
    let buyer: i64 = sqlx::query_scalar("select id from organisations where kind = 'buyer' order by id limit 1")
        .fetch_one(pool)
        .await?;
    let buyer_user: i64 = sqlx::query_scalar("select min(id) from users where organisation_id = $1")
        .bind(buyer)
        .fetch_one(pool)
        .await?;
    let companies: Vec<(i64, i64)> = sqlx::query_as(
        "select o.id, min(u.id) from organisations o join users u on u.organisation_id = o.id \
         where o.kind = 'company' group by o.id order by o.id limit 3",
    )
    .fetch_all(pool)
    .await?;
    let statuses = ConsultationStatus::ALL;
    let mut i = 0;
    while i < count {
        let mut tx = db.begin_write().await?;
        for i in i..(i + 100).min(count) {
            let status = statuses[(i as usize) % statuses.len()];
            let mode = if i % 3 == 0 {
                SourcingMode::Restricted
            } else {
                SourcingMode::Open
            };
            let at = start + i * 600;
            let cpv = ["45000000-7", "50750000-7"];
            let departements = ["69", "2A"];
            let id = consultations::insert(
                &mut tx,
                &NewConsultation {
                    buyer_organisation_id: buyer,
                    title: &format!("Consultation générée n° {i} « entretien » & co"),
                    object: &format!("Objet {i} : \"guillemets\", virgules, et\nretours à la ligne."),
                    cpv_codes: &cpv[..(i as usize % 2) + 1],
                    departements: &departements[..(i as usize % 3).min(2)],
                    mode,
                    status,
                    dates: KeyDates {
                        exchanges_start: None,
                        exchanges_end: None,
                        expected_tender: Some("2027-06-01".into()),
                    },
                },
                at,
            )
            .await?;
            if status == ConsultationStatus::Draft {
                continue;
            }
            for n in 1..=1 + i % 3 {
                let markdown = format!(
                    "## Objet\n\nEntretien du site {i}.\n\n## Délais\n\nIntervention sous {} heures.\n",
                    4 * n
                );
                let ids = Specification::parse(&markdown).clause_ids();
                consultations::insert_version(
                    &mut *tx,
                    &NewVersion {
                        consultation_id: id,
                        number: n,
                        markdown: &markdown,
                        clause_ids: &ids,
                        criteria: &[],
                        changelog: if n == 1 {
                            ""
                        } else {
                            "=Délais revus, à la demande des entreprises."
                        },
                        author_id: Some(buyer_user),
                    },
                    at + n * 3_600,
                )
                .await?;
            }
            if status < ConsultationStatus::Exchanges {
                continue;
            }
            for (k, (company, user)) in companies.iter().enumerate() {
                sqlx::query(
                    "insert into participants (consultation_id, organisation_id, pseudonym_index, registered_at) \
                     values ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(company)
                .bind(k as i64)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let contribution: i64 = sqlx::query_scalar(
                    "insert into contributions (consultation_id, version_number, target, target_id, target_text, \
                     target_label, kind, justification, cost_impact, cost_amount_cents, proposed_text, status, \
                     organisation_id, author_id, created_at, updated_at) values ($1, 1, 'clause', 'delais', \
                     'Intervention sous 4 heures.', 'Délais', $2, $3, 'down', $4, $5, 'answered', $6, $7, $8, $8) \
                     returning id",
                )
                .bind(id)
                .bind(["clarification", "solution", "alternative_clause"][k % 3])
                .bind(format!(
                    "-Pourquoi 4 heures, « {k} » ? Une astreinte, \"même\" la nuit, coûte cher."
                ))
                .bind(125_050_i64)
                .bind(if k == 2 { "Intervention sous 8 heures." } else { "" })
                .bind(company)
                .bind(user)
                .bind(at + 7_200 + k as i64)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(
                    "insert into contribution_replies (contribution_id, from_buyer, body, author_id, created_at) \
                     values ($1, 1, $2, $3, $4)",
                )
                .bind(contribution)
                .bind(format!("Réponse {k} : le délai sera revu."))
                .bind(buyer_user)
                .bind(at + 9_000)
                .execute(&mut *tx)
                .await?;
            }
            if status >= ConsultationStatus::Drafting && i % 2 == 0 {
                sqlx::query(
                    "insert into dossier_publications (consultation_id, published_by, published_at) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(buyer_user)
                .bind(at + 20_000)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        i = (i + 100).min(count);
    }
    Ok(())
}
