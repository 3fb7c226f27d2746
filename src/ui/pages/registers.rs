//! The registers of a consultation (seed 000): who takes part under which pseudonym (sealed for
//! the buyer while the exchanges run) and what each company read and downloaded, when.

use crate::api::record::get_registers;
use crate::domain::format::instant_fr;
use crate::error::AppError;
use crate::model::Registers;
use crate::ui::components::error::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Started by the route (see `app.rs`).
pub fn registers_data() -> Resource<Result<Registers, AppError>> {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    Resource::new(id, |id| async move {
        match id {
            Some(id) => get_registers(id).await,
            None => Err(AppError::not_found("Cette consultation")),
        }
    })
}

#[component]
pub fn RegistersPage(registers: Resource<Result<Registers, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement des registres…"</p> }>
            {move || Suspend::new(async move {
                match registers.await {
                    Ok(registers) => view! { <RegistersView registers/> }.into_any(),
                    Err(error) => view! { <Title text="Registres"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegistersView(registers: Registers) -> impl IntoView {
    let Registers {
        consultation_id: id,
        title,
        sealed,
        participants,
        readers,
        anonymous,
    } = registers;
    view! {
        <Title text=format!("Registres — {title}")/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/">"Consultations"</a>" › "<a href=format!("/consultations/{id}")>{title.clone()}</a>" › "<span>"Registres"</span>
        </nav>
        <div class="page-intro">
            <h1>"Registres du sourcing"</h1>
            <p class="lead">{title}</p>
        </div>
        <section class="panel wide" aria-labelledby="participants-title">
            <h2 id="participants-title">"Registre des participants"</h2>
            {sealed.then(|| view! {
                <p class="notice" role="note">
                    "Registre des identités scellé jusqu'à la clôture des échanges : l'acheteur ne sait pas quelle entreprise se cache derrière chaque pseudonyme tant que les échanges durent. Les relecteurs de la plateforme peuvent le consulter."
                </p>
            })}
            {if participants.is_empty() {
                view! { <p class="empty">"Aucune entreprise ne participe encore."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="data-table">
                            <thead><tr>
                                <th scope="col">"Pseudonyme"</th>
                                <th scope="col">"Inscrite le"</th>
                                {(!sealed).then(|| view! { <th scope="col">"Entreprise"</th><th scope="col">"SIRET"</th><th scope="col">"Contacts"</th> })}
                            </tr></thead>
                            <tbody>
                                {participants.into_iter().map(|p| view! {
                                    <tr>
                                        <th scope="row">{p.pseudonym}</th>
                                        <td>{instant_fr(p.joined_at)}</td>
                                        {p.identity.map(|i| view! {
                                            <td>{i.name}</td>
                                            <td>{i.siret.unwrap_or_else(|| "—".into())}</td>
                                            <td>{i.contacts.join(", ")}</td>
                                        })}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="panel wide" aria-labelledby="accesses-title">
            <h2 id="accesses-title">"Registre des accès"</h2>
            <p class="muted">
                "Chaque lecture d'une version ou d'une comparaison et chaque téléchargement par une entreprise connectée, dans l'ordre. "
                "Ce registre ne peut être ni modifié ni effacé : il atteste qu'aucune entreprise n'a reçu d'information que les autres n'avaient pas."
            </p>
            {if readers.is_empty() {
                view! { <p class="empty">"Aucune lecture par une entreprise connectée pour le moment."</p> }.into_any()
            } else {
                readers.into_iter().map(|r| view! {
                    <details class="register">
                        <summary>
                            <strong>{r.label}</strong>
                            {r.name.map(|n| format!(" — {n}"))}
                            " · " {r.accesses.len()} " accès"
                        </summary>
                        <ul>
                            {r.accesses.into_iter().map(|a| view! {
                                <li>
                                    {instant_fr(a.at)} " — " {a.kind.label_fr()}
                                    {a.version.map(|v| format!(", version {v}"))}
                                    {(!a.detail.is_empty()).then(|| format!(" ({})", a.detail))}
                                </li>
                            }).collect_view()}
                        </ul>
                    </details>
                }).collect_view().into_any()
            }}
            <h3>"Visiteurs non connectés"</h3>
            {if anonymous.is_empty() {
                view! { <p class="muted">"Aucune lecture anonyme comptée."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {anonymous.into_iter().map(|(kind, reads)| view! { <li>{kind.label_fr()} " : " {reads}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="muted">"Les lectures des visiteurs non connectés sont comptées, pas enregistrées une à une."</p>
        </section>
    }
}
