//! The catalogue of upcoming needs (« Besoins à venir »): the public list with its search (a GET
//! form: works without JavaScript, results have an address), the year view by quarter, a need's
//! page (« Je suis intéressé » for companies, the interested companies for its buyer) and the
//! buyer's form to announce or change a need.

use crate::api::account::current_user;
use crate::api::needs::{
    get_need, search_needs, AddSlot, AnnounceNeed, BookSlot, CancelBooking, RemoveSlot, ShowInterest, UpdateNeed,
    WithdrawInterest, WithdrawNeed,
};
use crate::domain::format::{instant_date_fr, instant_fr};
use crate::domain::need::{amount_range_fr, NeedForm, Quarter};
use crate::error::AppError;
use crate::model::{InterestedCompany, NeedDetail, NeedPage, NeedSearch, NeedSummary, OpenDaySlot, Role};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::ActionMessage;
use crate::ui::components::pager::ResultsPager;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

const QUERY_KEYS: &[&str] = &[
    "mots",
    "cpv",
    "departement",
    "periode",
    "acheteur",
    "montant_min",
    "montant_max",
    "vue",
];

fn query_value(name: &str) -> String {
    use_query_map().read_untracked().get(name).unwrap_or_default()
}

#[component]
pub fn NeedsPage() -> impl IntoView {
    let query = use_query_map();
    let results = Resource::new(
        move || {
            let q = query.read();
            let get = |k: &str| q.get(k).unwrap_or_default();
            NeedSearch {
                words: get("mots"),
                cpv: get("cpv"),
                departement: get("departement"),
                period: get("periode"),
                buyer: q.get("acheteur").and_then(|b| b.parse::<i64>().ok()),
                amount_from: get("montant_min"),
                amount_to: get("montant_max"),
                page: q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1),
                whole_year: get("vue") == "annee",
            }
        },
        search_needs,
    );
    let user = Resource::new(|| (), |_| current_user());
    let year_view = move || query.read().get("vue").as_deref() == Some("annee");
    view! {
        <Title text="Besoins à venir"/>
        <div class="page-intro page-intro--with-action">
            <div>
                <h1>"Besoins à venir"</h1>
                <p class="lead">"Ce que les acheteurs publics prévoient d'acheter, avant même leur sourcing : faites-vous connaître."</p>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(user.await, Ok(Some(ref me)) if me.role == Role::Buyer)
                        .then(|| view! { <a class="button" href="/besoins/nouveau">"Annoncer un besoin"</a> })
                })}
            </Suspense>
        </div>
        <Form method="GET" action="" attr:class="panel wide needs-search">
            <div class="needs-search__fields">
                <label class="needs-search__words">"Mots"<input name="mots" type="search" value=query_value("mots") placeholder="ex. espaces verts, nettoyage"/></label>
                <label>"Code CPV (début)"<input name="cpv" inputmode="numeric" value=query_value("cpv") placeholder="ex. 7731"/></label>
                <label>"Département"<input name="departement" maxlength="3" value=query_value("departement") placeholder="ex. 77"/></label>
                <label>"Période"<input name="periode" value=query_value("periode") placeholder="2027 ou 2027-T2"/></label>
                <label>"Montant à partir de (€)"<input name="montant_min" inputmode="numeric" value=query_value("montant_min")/></label>
                <label>"Montant jusqu'à (€)"<input name="montant_max" inputmode="numeric" value=query_value("montant_max")/></label>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let buyers = results.await.map(|p| p.buyers).unwrap_or_default();
                        let chosen = query_value("acheteur");
                        view! {
                            <label>"Acheteur"
                                <select name="acheteur">
                                    <option value="">"Tous"</option>
                                    {buyers.into_iter().map(|(id, name)| {
                                        let selected = chosen == id.to_string();
                                        view! { <option value=id selected=selected>{name}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    })}
                </Suspense>
            </div>
            <fieldset class="needs-search__view">
                <legend class="visually-hidden">"Présentation"</legend>
                <label class="checkbox"><input type="radio" name="vue" value="liste" checked=!year_view()/>" Liste"</label>
                <label class="checkbox"><input type="radio" name="vue" value="annee" checked=year_view()/>" Année par trimestre"</label>
                <button type="submit" class="button">"Chercher"</button>
            </fieldset>
        </Form>
        <Suspense fallback=|| view! { <p class="loading">"Recherche…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                    Ok(page) if year_view() => view! { <YearView page/> }.into_any(),
                    Ok(page) => view! { <NeedList page/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn count_fr(total: u32) -> String {
    match total {
        0 => "Aucun besoin ne correspond.".into(),
        1 => "1 besoin correspond.".into(),
        n => format!("{n} besoins correspondent."),
    }
}

#[component]
fn NeedList(page: NeedPage) -> impl IntoView {
    view! {
        <p role="status" class="directory-count">{count_fr(page.total)}</p>
        <ul class="need-list">
            {page.needs.into_iter().map(|need| view! { <NeedCard need/> }).collect_view()}
        </ul>
        <ResultsPager page=page.page as usize total=page.total as usize size=page.page_size as usize keys=QUERY_KEYS/>
    }
}

#[component]
fn NeedCard(need: NeedSummary) -> impl IntoView {
    let amount = amount_range_fr(need.amount_min, need.amount_max);
    view! {
        <li class="need-card">
            <p class="need-card__quarter">{need.quarter.label_fr()}</p>
            <h2 class="need-card__title"><a href=format!("/besoins/{}", need.id)>{need.title.clone()}</a></h2>
            <p class="muted small">
                {need.buyer_name.clone()}
                {format!(" · Département{} {}", if need.departements.len() > 1 { "s" } else { "" }, need.departements.join(", "))}
                {amount.map(|a| format!(" · {a}"))}
                {format!(" · CPV {}", need.cpv_codes.join(", "))}
            </p>
            {need.consultation_id.map(|c| view! { <p class="small"><a href=format!("/consultations/{c}")>"Le sourcing est ouvert →"</a></p> })}
        </li>
    }
}

/// The « événement annuel » of seed 003: a year's needs in four columns.
#[component]
fn YearView(page: NeedPage) -> impl IntoView {
    let year = page.needs.first().map(|n| n.quarter.year);
    let quarters: Vec<(Quarter, Vec<NeedSummary>)> = match year {
        Some(year) => (1..=4)
            .map(|q| {
                let quarter = Quarter { year, quarter: q };
                (
                    quarter,
                    page.needs.iter().filter(|n| n.quarter == quarter).cloned().collect(),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    view! {
        <p role="status" class="directory-count">{count_fr(page.total)}</p>
        <div class="year-view">
            {quarters.into_iter().map(|(quarter, needs)| view! {
                <section class="year-view__quarter" aria-label=quarter.label_fr()>
                    <h2>{quarter.label_fr()}</h2>
                    {if needs.is_empty() {
                        view! { <p class="muted small">"Aucun besoin annoncé."</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {needs.into_iter().map(|n| view! {
                                    <li><a href=format!("/besoins/{}", n.id)>{n.title}</a><span class="muted small">{format!(" — {}", n.buyer_name)}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }).collect_view()}
        </div>
    }
}

fn need_id() -> Option<i64> {
    use_params_map().read_untracked().get("id").and_then(|s| s.parse().ok())
}

#[component]
pub fn NeedPageView() -> impl IntoView {
    let interest = ServerAction::<ShowInterest>::new();
    let withdraw_interest = ServerAction::<WithdrawInterest>::new();
    let update = ServerAction::<UpdateNeed>::new();
    let open_days = OpenDayActions {
        add: ServerAction::new(),
        remove: ServerAction::new(),
        book: ServerAction::new(),
        cancel: ServerAction::new(),
    };
    let need = Resource::new(
        move || {
            (
                interest.version().get(),
                withdraw_interest.version().get(),
                update.version().get(),
                open_days.versions(),
            )
        },
        |_| async move {
            match need_id() {
                Some(id) => get_need(id).await,
                None => Err(AppError::not_found("Ce besoin")),
            }
        },
    );
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let detail = match need.await {
                    Ok(detail) => detail,
                    Err(error) => return view! { <Title text="Besoin à venir"/><ErrorPanel error/> }.into_any(),
                };
                let signed_in = matches!(user.await, Ok(Some(_)));
                view! { <NeedView detail signed_in interest withdraw_interest update open_days/> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn NeedView(
    detail: NeedDetail,
    signed_in: bool,
    interest: ServerAction<ShowInterest>,
    withdraw_interest: ServerAction<WithdrawInterest>,
    update: ServerAction<UpdateNeed>,
    open_days: OpenDayActions,
) -> impl IntoView {
    let s = detail.summary.clone();
    let amount = amount_range_fr(s.amount_min, s.amount_max).unwrap_or_else(|| "non communiqué".into());
    view! {
        <Title text=format!("{} — Besoins à venir", s.title)/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/besoins">"Besoins à venir"</a>" › "<span>{s.title.clone()}</span>
        </nav>
        <div class="page-intro">
            <p class="need-card__quarter">{format!("Appel d'offres prévu au {}", s.quarter.label_fr())}</p>
            <h1>{s.title.clone()}</h1>
            <p class="lead">{s.buyer_name.clone()}</p>
        </div>
        <div class="two-columns need-layout">
            <section class="panel" aria-labelledby="need-description">
                <h2 id="need-description">"Le besoin"</h2>
                <div class="prose" inner_html=detail.description_html.clone()></div>
                <dl class="need-facts">
                    <dt>"Codes CPV"</dt><dd>{s.cpv_codes.join(", ")}</dd>
                    <dt>"Départements"</dt><dd>{s.departements.join(", ")}</dd>
                    <dt>"Montant estimé"</dt><dd>{amount}</dd>
                    <dt>"Contact"</dt><dd>{if detail.contact.is_empty() { "—".to_string() } else { detail.contact.clone() }}</dd>
                    <dt>"Publié le"</dt><dd>{instant_date_fr(s.published_at)}</dd>
                </dl>
                {detail.consultation_title.clone().zip(s.consultation_id).map(|(title, c)| view! {
                    <p class="notice">"Ce besoin a donné lieu au sourcing "<a href=format!("/consultations/{c}")>{format!("« {title} »")}</a>"."</p>
                })}
            </section>
            // The buyer's side sees who came forward where a company would say it is interested.
            {match detail.interested.clone() {
                Some(companies) => view! { <InterestedList companies/> }.into_any(),
                None => view! { <InterestPanel detail=detail.clone() signed_in interest withdraw_interest/> }.into_any(),
            }}
        </div>
        {(detail.can_edit || !detail.slots.is_empty()).then(|| view! { <OpenDays detail=detail.clone() signed_in actions=open_days/> })}
        {detail.can_edit.then(|| view! { <EditNeed detail=detail.clone() update/> })}
    }
}

#[component]
fn InterestPanel(
    detail: NeedDetail,
    signed_in: bool,
    interest: ServerAction<ShowInterest>,
    withdraw_interest: ServerAction<WithdrawInterest>,
) -> impl IntoView {
    let id = detail.summary.id;
    let body = if detail.can_show_interest {
        match detail.own_interest.clone() {
            Some(message) => view! {
                <p class="form-success" role="status">"Votre entreprise s'est déclarée intéressée : l'acheteur voit son profil."</p>
                {(!message.is_empty()).then(|| view! { <blockquote class="small">{message.clone()}</blockquote> })}
                <ActionForm action=withdraw_interest attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="link-button">"Je ne suis plus intéressé"</button>
                </ActionForm>
                <p class="small"><a href="/compte#entreprise">"Compléter le profil de mon entreprise"</a></p>
            }
            .into_any(),
            None => view! {
                <p class="muted">"L'acheteur verra le nom et le profil de votre entreprise, et votre message."</p>
                <ActionForm action=interest>
                    <input type="hidden" name="id" value=id/>
                    <label for="interest-message">"Message à l'acheteur (facultatif)"</label>
                    <textarea id="interest-message" name="message" rows="4" maxlength="1000"
                        placeholder="Vos références, votre savoir-faire, une question…"></textarea>
                    <ActionMessage value=move || interest.value().get()/>
                    <button type="submit" class="button">"Je suis intéressé"</button>
                </ActionForm>
            }
            .into_any(),
        }
    } else if signed_in {
        view! { <p class="muted">"Seules les entreprises peuvent se déclarer intéressées."</p> }.into_any()
    } else {
        view! {
            <p>"Votre entreprise sait faire ? Dites-le à l'acheteur avant même son sourcing."</p>
            <p><a class="button" href="/inscription">"Inscrire mon entreprise"</a>" "<a href="/connexion">"Se connecter"</a></p>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="interest-title">
            <h2 id="interest-title">"Votre entreprise est intéressée ?"</h2>
            {body}
        </section>
    }
}

/// The « portes ouvertes » actions of a need's page (they all refresh it).
#[derive(Clone, Copy)]
struct OpenDayActions {
    add: ServerAction<AddSlot>,
    remove: ServerAction<RemoveSlot>,
    book: ServerAction<BookSlot>,
    cancel: ServerAction<CancelBooking>,
}

impl OpenDayActions {
    fn versions(&self) -> [usize; 4] {
        [
            self.add.version().get(),
            self.remove.version().get(),
            self.book.version().get(),
            self.cancel.version().get(),
        ]
    }
}

/// « Portes ouvertes »: the buyer's slots, booked by companies by name.
#[component]
fn OpenDays(detail: NeedDetail, signed_in: bool, actions: OpenDayActions) -> impl IntoView {
    let id = detail.summary.id;
    let company = detail.can_show_interest;
    let has_booking = detail.slots.iter().any(|slot| slot.own);
    let intro = if detail.can_edit {
        "Proposez des créneaux de rencontre : les entreprises en réservent un, sous leur nom, et reçoivent le rendez-vous pour leur agenda."
    } else if company {
        "L'acheteur reçoit les entreprises qui le souhaitent avant son sourcing : réservez un créneau (un par entreprise)."
    } else if signed_in {
        "L'acheteur reçoit les entreprises qui le souhaitent avant son sourcing."
    } else {
        "L'acheteur reçoit les entreprises qui le souhaitent avant son sourcing : connectez-vous avec le compte de votre entreprise pour réserver un créneau."
    };
    let slots = detail.slots.clone();
    view! {
        <section class="panel wide" id="portes-ouvertes" aria-labelledby="open-days-title">
            <h2 id="open-days-title">"Portes ouvertes"</h2>
            <p class="muted">{intro}</p>
            <ActionMessage value=move || actions.book.value().get() success="Créneau réservé : ajoutez-le à votre agenda."/>
            <ActionMessage value=move || actions.cancel.value().get() success="Réservation annulée."/>
            <ActionMessage value=move || actions.remove.value().get() success="Créneau retiré."/>
            {if slots.is_empty() {
                view! { <p class="muted">"Aucun créneau proposé pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="slot-list">
                        {slots.into_iter().map(|offered| view! { <SlotItem id offered company has_booking actions/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {detail.can_edit.then(|| view! { <NewSlot id add=actions.add/> })}
        </section>
    }
}

#[component]
fn SlotItem(id: i64, offered: OpenDaySlot, company: bool, has_booking: bool, actions: OpenDayActions) -> impl IntoView {
    let slot = offered;
    let left = slot.capacity.saturating_sub(slot.booked);
    let places = match left {
        0 => "Complet".to_string(),
        1 => format!("1 place sur {}", slot.capacity),
        n => format!("{n} places sur {}", slot.capacity),
    };
    let when = format!("{} · {} min", instant_fr(slot.starts_at), slot.duration_minutes);
    let ics = format!("/besoins/{id}/creneaux/{}/rendez-vous.ics", slot.id);
    let slot_id = slot.id;
    let for_company = company.then(|| {
        if slot.own {
            view! {
                <p class="form-success">"Réservé par votre entreprise."</p>
                <p><a href=ics.clone() download>"Ajouter à mon agenda (.ics)"</a></p>
                <ActionForm action=actions.cancel attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="link-button">"Annuler ma réservation"</button>
                </ActionForm>
            }
            .into_any()
        } else if !has_booking && left > 0 {
            view! {
                <ActionForm action=actions.book attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="slot" value=slot_id/>
                    <button type="submit" class="button button--small">"Réserver ce créneau"</button>
                </ActionForm>
            }
            .into_any()
        } else {
            ().into_any()
        }
    });
    let for_buyer = slot.companies.clone().map(|companies| {
        let booked = !companies.is_empty();
        view! {
            {if booked {
                view! {
                    <p class="small">"Réservé par : " {companies.join(", ")}</p>
                    <p><a href=ics.clone() download>"Ajouter à mon agenda (.ics)"</a></p>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=actions.remove attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="slot" value=slot_id/>
                        <button type="submit" class="link-button">"Retirer ce créneau"</button>
                    </ActionForm>
                }.into_any()
            }}
        }
    });
    view! {
        <li class="slot" class:slot--own=slot.own>
            <p class="slot__when"><strong>{when}</strong></p>
            <p class=if left == 0 { "slot__full" } else { "slot__places" }>{places}</p>
            <p class="slot__place">{slot.place.clone()}</p>
            {for_company}
            {for_buyer}
        </li>
    }
}

#[component]
fn NewSlot(id: i64, add: ServerAction<AddSlot>) -> impl IntoView {
    view! {
        <h3>"Proposer un créneau"</h3>
        <ActionForm action=add attr:class="slot-form">
            <input type="hidden" name="id" value=id/>
            <div class="form-row">
                <label>"Date"<input type="date" name="slot[date]" required/></label>
                <label>"Heure (Paris)"<input type="time" name="slot[time]" required/></label>
                <label>"Durée (minutes)"<input type="number" name="slot[duration_minutes]" min="5" max="480" value="30" required/></label>
                <label>"Entreprises reçues"<input type="number" name="slot[capacity]" min="1" max="50" value="1" required/></label>
            </div>
            <label>"Lieu"<input type="text" name="slot[place]" maxlength="300" required
                placeholder="Adresse et salle, ou « visioconférence (lien envoyé la veille) »"/></label>
            <ActionMessage value=move || add.value().get() success="Créneau proposé."/>
            <button type="submit" class="button">"Proposer ce créneau"</button>
        </ActionForm>
    }
}

#[component]
fn InterestedList(companies: Vec<InterestedCompany>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="interested-title">
            <h2 id="interested-title">{match companies.len() {
                0 => "Entreprises intéressées".to_string(),
                1 => "1 entreprise intéressée".to_string(),
                n => format!("{n} entreprises intéressées"),
            }}</h2>
            {if companies.is_empty() {
                view! { <p class="muted">"Aucune entreprise ne s'est encore déclarée intéressée."</p> }.into_any()
            } else {
                view! {
                    <ul class="directory-results">
                        {companies.into_iter().map(|i| {
                            let c = i.company;
                            let website = c.website.clone();
                            view! {
                                <li class="company-card">
                                    <h3>{c.name.clone()} {c.is_sme.then(|| view! { <span class="badge">"PME"</span> })}</h3>
                                    <p class="muted small">
                                        {format!("{} · le {}", i.person, instant_date_fr(i.at))}
                                        {(!c.departements_served.is_empty()).then(|| format!(" · Intervient dans : {}", c.departements_served.join(", ")))}
                                        {(!c.cpv_codes.is_empty()).then(|| format!(" · CPV : {}", c.cpv_codes.join(", ")))}
                                    </p>
                                    {(!i.message.is_empty()).then(|| view! { <blockquote>{i.message.clone()}</blockquote> })}
                                    {(!website.is_empty()).then(|| view! { <p class="small"><a href=website.clone() rel="noopener noreferrer nofollow" target="_blank">{website.clone()}</a></p> })}
                                    {(!c.presentation_html.is_empty()).then(|| view! { <div class="prose company-presentation" inner_html=c.presentation_html.clone()></div> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The fields of a need, filled with `form` (empty to announce one).
#[component]
fn NeedFields(form: NeedForm) -> impl IntoView {
    view! {
        <label for="need-title">"Titre"</label>
        <input id="need-title" name="need[title]" required maxlength="200" value=form.title
            placeholder="Entretien des espaces verts des sites de la ville"/>
        <label for="need-summary">"Description"</label>
        <textarea id="need-summary" name="need[summary]" rows="6" required maxlength="5000"
            aria-describedby="need-summary-help">{form.summary}</textarea>
        <p class="muted small" id="need-summary-help">"Ce que vous prévoyez d'acheter, pour qui, où ; Markdown accepté (listes, gras)."</p>
        <label for="need-cpv">"Codes CPV"</label>
        <input id="need-cpv" name="need[cpv_codes]" required value=form.cpv_codes placeholder="77311000-3, 77211400-6"/>
        <label for="need-departements">"Départements"</label>
        <input id="need-departements" name="need[departements]" required value=form.departements placeholder="77, 91"/>
        <div class="form-row">
            <div>
                <label for="need-amount-min">"Montant estimé : de (€ HT, facultatif)"</label>
                <input id="need-amount-min" name="need[amount_min]" inputmode="numeric" value=form.amount_min/>
            </div>
            <div>
                <label for="need-amount-max">"à (€ HT, facultatif)"</label>
                <input id="need-amount-max" name="need[amount_max]" inputmode="numeric" value=form.amount_max/>
            </div>
        </div>
        <label for="need-quarter">"Trimestre prévu de l'appel d'offres"</label>
        <input id="need-quarter" name="need[quarter]" required pattern="[0-9]{4}-[Tt][1-4]" value=form.quarter
            placeholder="2027-T2" aria-describedby="need-quarter-help"/>
        <p class="muted small" id="need-quarter-help">"Année, tiret, T et le numéro du trimestre : 2027-T2 pour avril à juin 2027."</p>
        <label for="need-contact">"Contact (facultatif)"</label>
        <input id="need-contact" name="need[contact]" maxlength="300" value=form.contact
            placeholder="Service de la commande publique — achats@ville.fr"/>
    }
}

#[component]
pub fn NewNeedPage() -> impl IntoView {
    let announce = ServerAction::<AnnounceNeed>::new();
    view! {
        <Title text="Annoncer un besoin"/>
        <nav class="breadcrumb" aria-label="Fil d'Ariane">
            <a href="/besoins">"Besoins à venir"</a>" › "<span>"Annoncer un besoin"</span>
        </nav>
        <section class="panel form-panel">
            <h1>"Annoncer un besoin"</h1>
            <p class="muted">
                "Le besoin est public dès son annonce : les entreprises du domaine et du territoire sont prévenues "
                "par leurs alertes et peuvent se déclarer intéressées. Vous le relierez ensuite à son sourcing."
            </p>
            <ActionForm action=announce>
                <NeedFields form=NeedForm::default()/>
                <ActionMessage value=move || announce.value().get()/>
                <button type="submit" class="button">"Publier le besoin"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditNeed(detail: NeedDetail, update: ServerAction<UpdateNeed>) -> impl IntoView {
    let withdraw = ServerAction::<WithdrawNeed>::new();
    let s = &detail.summary;
    let id = s.id;
    let form = NeedForm {
        title: s.title.clone(),
        summary: detail.description.clone(),
        cpv_codes: s.cpv_codes.join(", "),
        departements: s.departements.join(", "),
        amount_min: s.amount_min.map(|a| a.to_string()).unwrap_or_default(),
        amount_max: s.amount_max.map(|a| a.to_string()).unwrap_or_default(),
        quarter: s.quarter.code(),
        contact: detail.contact.clone(),
    };
    let linked = s.consultation_id;
    view! {
        <section class="panel wide" aria-labelledby="edit-need-title">
            <h2 id="edit-need-title">"Modifier le besoin"</h2>
            <ActionForm action=update>
                <input type="hidden" name="id" value=id/>
                <NeedFields form/>
                <label for="need-consultation">"Sourcing qui a suivi"</label>
                <select id="need-consultation" name="consultation">
                    <option value="">"Aucun pour l'instant"</option>
                    {detail.linkable.iter().map(|(c, title)| view! {
                        <option value=*c selected=linked == Some(*c)>{title.clone()}</option>
                    }).collect_view()}
                </select>
                <ActionMessage value=move || update.value().get() success="Besoin enregistré."/>
                <button type="submit" class="button">"Enregistrer"</button>
            </ActionForm>
            <ActionForm action=withdraw attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="link-button danger">"Retirer ce besoin du catalogue"</button>
            </ActionForm>
            <ActionMessage value=move || withdraw.value().get()/>
        </section>
    }
}
