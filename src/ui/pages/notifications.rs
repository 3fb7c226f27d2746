//! The notification centre: what happened that concerns the signed-in person, their alert on
//! needs and consultations announced (companies), and how each kind reaches them. Every form
//! posts and comes back here, so the page works without JavaScript.

use crate::api::notifications::{
    get_notification_centre, MarkNotificationsRead, SaveAlert, SaveNotificationPreferences,
};
use crate::domain::format::instant_fr;
use crate::model::{AlertFrequency, Channel, NotificationCentre};
use crate::ui::components::error::ErrorPanel;
use crate::ui::components::form::ActionMessage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let read = ServerAction::<MarkNotificationsRead>::new();
    let alert = ServerAction::<SaveAlert>::new();
    let preferences = ServerAction::<SaveNotificationPreferences>::new();
    let centre = Resource::new(
        move || (read.version().get(), alert.version().get(), preferences.version().get()),
        |_| get_notification_centre(),
    );
    view! {
        <Title text="Notifications"/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match centre.await {
                    Ok(centre) => view! { <Centre centre read alert preferences/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Centre(
    centre: NotificationCentre,
    read: ServerAction<MarkNotificationsRead>,
    alert: ServerAction<SaveAlert>,
    preferences: ServerAction<SaveNotificationPreferences>,
) -> impl IntoView {
    let unread = centre.unread;
    view! {
        <div class="page-intro page-intro--with-action">
            <div>
                <h1>"Notifications"</h1>
                <p class="lead">{match unread {
                    0 => "Tout est lu.".to_string(),
                    1 => "1 notification non lue.".to_string(),
                    n => format!("{n} notifications non lues."),
                }}</p>
            </div>
            {(unread > 0).then(|| view! {
                <ActionForm action=read attr:class="inline-form">
                    <button type="submit" class="button button--secondary">"Tout marquer comme lu"</button>
                </ActionForm>
            })}
        </div>
        <section class="panel wide" aria-labelledby="list-title">
            <h2 id="list-title" class="visually-hidden">"Dernières notifications"</h2>
            {if centre.notifications.is_empty() {
                view! { <p class="muted">"Aucune notification pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="notification-list">
                        {centre.notifications.into_iter().map(|n| view! {
                            <li class=if n.read { "notification" } else { "notification notification--unread" }>
                                <div>
                                    {(!n.read).then(|| view! { <span class="visually-hidden">"Non lue : "</span> })}
                                    <a href=n.link.clone()>{n.title.clone()}</a>
                                    <p class="muted small">{instant_fr(n.created_at)}</p>
                                </div>
                                {(!n.read).then(|| view! {
                                    <ActionForm action=read attr:class="inline-form">
                                        <input type="hidden" name="id" value=n.id/>
                                        <button type="submit" class="link-button">"Marquer comme lue"</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionMessage value=move || read.value().get()/>
        </section>
        {centre.can_set_alert.then(|| view! { <AlertForm current=centre.alert.clone() alert/> })}
        {(!centre.preferences.is_empty()).then(|| view! {
            <section class="panel wide" aria-labelledby="preferences-title">
                <h2 id="preferences-title">"Comment être prévenu"</h2>
                <ActionForm action=preferences attr:class="preferences-form">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Notification"</th><th scope="col">"Réception"</th></tr></thead>
                        <tbody>
                            {centre.preferences.iter().map(|(kind, channel)| {
                                let name = format!("channels[{}]", kind.as_str());
                                let id = format!("pref-{}", kind.as_str());
                                view! {
                                    <tr>
                                        <td><label for=id.clone()>{kind.label_fr()}</label></td>
                                        <td>
                                            <select id=id name=name>
                                                {Channel::ALL.iter().map(|c| view! {
                                                    <option value=c.as_str() selected=*c == *channel>{c.label_fr()}</option>
                                                }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <ActionMessage value=move || preferences.value().get() success="Préférences enregistrées."/>
                    <button type="submit" class="button">"Enregistrer mes préférences"</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn AlertForm(current: Option<crate::model::AlertView>, alert: ServerAction<SaveAlert>) -> impl IntoView {
    let (cpv, departements, daily) = match &current {
        Some(a) => (
            a.cpv_prefixes.join(", "),
            a.departements.join(", "),
            a.frequency == AlertFrequency::Daily,
        ),
        None => (String::new(), String::new(), false),
    };
    view! {
        <section class="panel wide" id="alerte" aria-labelledby="alert-title">
            <h2 id="alert-title">"Mon alerte"</h2>
            <p class="muted">
                "Soyez prévenu des besoins à venir et des consultations ouvertes qui vous concernent : "
                "un de vos domaines (codes CPV, ou leur début) dans un de vos départements."
            </p>
            <ActionForm action=alert>
                <label for="alert-cpv">"Codes CPV ou leur début"</label>
                <input id="alert-cpv" name="cpv_prefixes" value=cpv placeholder="7731, 90910000" aria-describedby="alert-cpv-help"/>
                <p class="muted small" id="alert-cpv-help">"« 7731 » couvre tous les codes qui commencent ainsi. Vide : tous les domaines."</p>
                <label for="alert-departements">"Départements"</label>
                <input id="alert-departements" name="departements" value=departements placeholder="77, 91" aria-describedby="alert-dep-help"/>
                <p class="muted small" id="alert-dep-help">"Vide : partout en France."</p>
                <fieldset class="choice">
                    <legend>"Par e-mail"</legend>
                    <label class="checkbox"><input type="radio" name="frequency" value="immediate" checked=!daily/>" Tout de suite"</label>
                    <label class="checkbox"><input type="radio" name="frequency" value="daily" checked=daily/>" Une fois par jour (résumé du matin)"</label>
                </fieldset>
                <ActionMessage value=move || alert.value().get() success="Alerte enregistrée."/>
                <div class="form-actions">
                    <button type="submit" class="button">"Enregistrer mon alerte"</button>
                    {current.is_some().then(|| view! {
                        <button type="submit" name="remove" value="1" class="link-button" formnovalidate>"Supprimer mon alerte"</button>
                    })}
                </div>
            </ActionForm>
        </section>
    }
}
