//! « Données ouvertes »: the datasets of the public consultations, their formats, schemas and
//! licence, and how to fetch everything (seed 004). The files are plain routes under `/donnees/`.

use crate::api::open_data::get_open_data_catalogue;
use crate::domain::format::{instant_fr, thousands_fr};
use crate::model::OpenDataCatalogue;
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let catalogue = Resource::new(|| (), |_| get_open_data_catalogue());
    view! {
        <Title text="Données ouvertes"/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match catalogue.await {
                    Ok(catalogue) => view! { <Catalogue catalogue/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Catalogue(catalogue: OpenDataCatalogue) -> impl IntoView {
    let OpenDataCatalogue {
        last_modified,
        ocid_prefix,
        base_url,
        consultations,
        releases,
        datasets,
    } = catalogue;
    let example_ocid = format!("{ocid_prefix}-1");
    let test_prefix = ocid_prefix.contains("test");
    view! {
        <div class="page-intro">
            <h1>"Données ouvertes"</h1>
            <p class="lead">
                "Les consultations de sourcing publiques, leurs versions, leurs calendriers, les questions des entreprises "
                "et les réponses des acheteurs, dans des formats standard, sous "
                <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">"Licence Ouverte 2.0"</a> "."
            </p>
            <p>{format!("Dernière mise à jour : {}.", instant_fr(last_modified))}</p>
        </div>

        <section class="panel wide open-data__section" aria-labelledby="open-data-ocds">
            <h2 id="open-data-ocds">"Standard de données sur la commande publique ouverte (OCDS 1.1.5)"</h2>
            <p>
                {format!(
                    "{} consultations publiées, {} publications OCDS : l'annonce, l'appel à participation, chaque version du \
                     projet de CCTP, le dossier de sourcing (questions et réponses) et la transmission à la consultation.",
                    thousands_fr(consultations),
                    thousands_fr(releases),
                )}
            </p>
            <ul class="open-data__files">
                <li>
                    <a href="/donnees/ocds.jsonl.gz" download>"Toutes les publications"</a>
                    " — une publication JSON par ligne, compressée (gzip)."
                </li>
                <li>
                    "Par consultation : " <code>{format!("/donnees/ocds/{example_ocid}.json")}</code>
                    " (paquet de publications) et " <code>{format!("/donnees/ocds/{example_ocid}/record.json")}</code>
                    " (enregistrement compilé)."
                </li>
            </ul>
            <p class="hint">
                {format!("Identifiants OCDS : préfixe {ocid_prefix}, puis le numéro de la consultation. ")}
                {test_prefix.then_some("Ce préfixe de test n'est pas enregistré auprès de l'Open Contracting Partnership.")}
                " Extensions : questions (enquiries) et lieux (location)."
            </p>
        </section>

        <section class="panel wide open-data__section" aria-labelledby="open-data-csv">
            <h2 id="open-data-csv">"Fichiers CSV"</h2>
            <p>"UTF-8, séparateur virgule. Chaque fichier est décrit par un schéma Table Schema (convention schema.data.gouv.fr)."</p>
            <ul class="open-data__datasets">
                {datasets
                    .into_iter()
                    .map(|d| {
                        let csv = format!("/donnees/{}.csv", d.name);
                        let schema = format!("/donnees/{}.schema.json", d.name);
                        let heading = format!("open-data-{}", d.name);
                        let rows = match d.rows {
                            0 => "aucune ligne pour l'instant".to_string(),
                            1 => "1 ligne".to_string(),
                            n => format!("{} lignes", thousands_fr(n)),
                        };
                        let columns = d
                            .columns
                            .into_iter()
                            .map(|(name, title)| view! { <li><code>{name}</code> " — " {title}</li> })
                            .collect_view();
                        view! {
                            <li class="open-data__dataset">
                                <h3 id=heading>{d.title}</h3>
                                <p>{d.description}</p>
                                <p class="open-data__links">
                                    <a href=csv download>{format!("{}.csv", d.name)}</a>
                                    " (" {rows} ") · "
                                    <a href=schema>"schéma Table Schema"</a>
                                </p>
                                <details>
                                    <summary>"Colonnes"</summary>
                                    <ul>{columns}</ul>
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>

        <section class="panel wide open-data__section" aria-labelledby="open-data-never">
            <h2 id="open-data-never">"Ce qui n'est jamais publié"</h2>
            <ul>
                <li>"les brouillons, et les consultations restreintes avant la publication de leur dossier de sourcing ;"</li>
                <li>"l'identité des entreprises : elles apparaissent sous leur pseudonyme (« Entreprise A ») ;"</li>
                <li>"les contributions avant la publication de l'édition publique du dossier de sourcing, et les passages occultés (secret des affaires) ;"</li>
                <li>"les notes des relecteurs et les registres (accès, identités)."</li>
            </ul>
        </section>

        <section class="panel wide open-data__section" aria-labelledby="open-data-examples">
            <h2 id="open-data-examples">"Exemples"</h2>
            <p>"Tout récupérer, puis compiler les enregistrements avec les outils de l'Open Contracting Partnership :"</p>
            <pre class="change__text">{format!(
                "curl -O {base_url}/donnees/ocds.jsonl.gz\nzcat ocds.jsonl.gz | ocdskit compile > enregistrements.jsonl"
            )}</pre>
            <p>"Vérifier un fichier CSV avec son schéma :"</p>
            <pre class="change__text">{format!(
                "frictionless validate --schema {base_url}/donnees/consultations.schema.json {base_url}/donnees/consultations.csv"
            )}</pre>
            <p>"Les fichiers portent un ETag : une requête avec If-None-Match reçoit 304 tant que rien n'a changé."</p>
        </section>
    }
}
