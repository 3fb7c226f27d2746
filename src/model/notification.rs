//! The notification centre, its preferences and the alerts on announced needs and consultations.

use crate::domain::enums::stored_enum;
use serde::{Deserialize, Serialize};

stored_enum! {
    /// What a notification is about; each kind has its own preference.
    pub enum NotificationKind {
        /// A need or a consultation announced that matches one's alert.
        Alert = "alert",
        Invitation = "invitation",
        NewVersion = "new_version",
        /// An answer or a decision on one's contribution.
        Answer = "answer",
        /// The exchanges opening, and ending in two business days.
        Exchanges = "exchanges",
        Minutes = "minutes",
        /// For buyers: a company says it is interested in a need.
        Interest = "interest",
        /// For buyers and reviewers: a new contribution.
        NewContribution = "new_contribution",
        /// For reviewers a request, for buyers the decision.
        Review = "review",
    }
}

impl NotificationKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            NotificationKind::Alert => "Besoins et consultations correspondant à mon alerte",
            NotificationKind::Invitation => "Invitations à un sourcing",
            NotificationKind::NewVersion => "Nouvelle version d'une consultation où je participe",
            NotificationKind::Answer => "Réponses et décisions sur mes contributions",
            NotificationKind::Exchanges => "Ouverture et fin prochaine des échanges",
            NotificationKind::Minutes => "Comptes rendus publiés",
            NotificationKind::Interest => "Entreprises intéressées par mes besoins",
            NotificationKind::NewContribution => "Nouvelles contributions sur mes consultations",
            NotificationKind::Review => "Demandes et décisions de validation",
        }
    }

    /// The kinds a role can receive (the preferences shown).
    pub fn for_role(role: super::Role) -> &'static [NotificationKind] {
        use NotificationKind::*;
        match role {
            super::Role::Supplier => &[Alert, Invitation, NewVersion, Answer, Exchanges, Minutes],
            super::Role::Buyer => &[Interest, NewContribution, Review],
            super::Role::Reviewer => &[NewContribution, Review],
            super::Role::Admin => &[],
        }
    }
}

stored_enum! {
    /// How a person wants a kind of notification.
    pub enum Channel {
        /// In the notification centre and by mail (the default).
        Mail = "mail",
        /// In the notification centre only.
        App = "app",
        None = "none",
    }
}

impl Channel {
    pub fn label_fr(self) -> &'static str {
        match self {
            Channel::Mail => "Dans l'application et par e-mail",
            Channel::App => "Dans l'application seulement",
            Channel::None => "Jamais",
        }
    }
}

stored_enum! {
    /// When the mails of an alert leave.
    pub enum AlertFrequency {
        Immediate = "immediate",
        Daily = "daily",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub title: String,
    /// A path inside the site.
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// One's alert as set (lists as typed back in the form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub cpv_prefixes: Vec<String>,
    pub departements: Vec<String>,
    pub frequency: AlertFrequency,
}

/// The notification centre of the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationCentre {
    /// The latest first (at most 100).
    pub notifications: Vec<NotificationView>,
    pub unread: u32,
    pub preferences: Vec<(NotificationKind, Channel)>,
    /// Companies only (others set no alert).
    pub can_set_alert: bool,
    pub alert: Option<AlertView>,
}
