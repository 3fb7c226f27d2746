//! The one place that decides who may do what. Every server function calls [`authorize`] before
//! anything else; the UI only hides what a role cannot do. `tests/authorization_matrix.rs` checks
//! every server function against every kind of caller.

use crate::error::AppError;
use crate::model::{ConsultationStatus, ContributorRole, Role, SourcingMode};
use crate::server::db::accounts::UserRecord;

/// The caller of a request.
#[derive(Clone, Debug)]
pub enum Actor {
    Anonymous,
    User(SignedIn),
}

#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: UserRecord,
    /// Buyer organisations a reviewer is attached to (empty for other roles).
    pub reviewed_organisations: Vec<i64>,
    /// Hash of the session token of this request.
    pub session_hash: String,
}

impl Actor {
    pub fn signed_in(&self) -> Option<&SignedIn> {
        match self {
            Actor::User(s) => Some(s),
            Actor::Anonymous => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.signed_in().map(|s| s.user.role)
    }

    /// The caller's company, if the caller is a supplier attached to one: what registers,
    /// contributes and is invited to restricted sourcing.
    pub fn company(&self) -> Option<i64> {
        self.signed_in()
            .filter(|s| s.user.role == Role::Supplier)
            .and_then(|s| s.user.organisation_id)
    }

    /// The signed-in user's id (for what a permission was already checked for).
    pub fn user_id(&self) -> Option<i64> {
        self.signed_in().map(|s| s.user.id)
    }
}

/// What the permission rules need to know about a consultation.
#[derive(Clone, Debug)]
pub struct ConsultationAccess {
    pub buyer_organisation_id: i64,
    pub status: ConsultationStatus,
    pub mode: SourcingMode,
    /// Whether the caller's company is invited to it (restricted sourcing).
    pub caller_invited: bool,
}

/// Everything the server functions may ask permission for.
#[derive(Clone, Copy, Debug)]
pub enum Permission<'a> {
    /// The public catalogue; each entry is then filtered with `ViewConsultation`.
    ReadCatalogue,
    ViewConsultation(&'a ConsultationAccess),
    /// The consultations of one's own buyer organisation(s): buyers and reviewers.
    ListOwnConsultations,
    /// Creating a consultation for one's own buyer organisation: buyers.
    CreateConsultation,
    /// Writing the draft, publishing versions, changing the facts and the status of a
    /// consultation: the buyers of its organisation (check `ViewConsultation` first, so that
    /// others who may not even see it get "not found").
    EditConsultation(&'a ConsultationAccess),
    /// Taking part in a consultation (getting a pseudonym there): companies, for an open sourcing
    /// or a restricted one they are invited to, from its announcement to the end of exchanges.
    Participate(&'a ConsultationAccess),
    /// Writing, editing, withdrawing contributions: the same companies (the exchange phase and
    /// the registration are checked by the server function, with their own messages).
    Contribute(&'a ConsultationAccess),
    /// Changing one's own contribution (editing, withdrawing): the company that wrote it, while
    /// it may contribute (the exchange phase is checked by the service, with its own message).
    ChangeContribution {
        consultation: &'a ConsultationAccess,
        author_organisation: i64,
    },
    /// Replying in a contribution's thread: the consultation's buyers, and the company that
    /// wrote it (see [`replier`]).
    Reply {
        consultation: &'a ConsultationAccess,
        author_organisation: i64,
    },
    /// Reading the contributions, answers and minutes of a consultation: its buyer's
    /// organisation, the reviewers attached to it, and the companies taking part
    /// (`participant`: the caller's company is registered in it).
    ReadDialogue {
        consultation: &'a ConsultationAccess,
        participant: bool,
    },
    /// The review, the registers: the buyer's organisation and its attached reviewers.
    ReadRecord(&'a ConsultationAccess),
    /// Deciding on a request for validation: a reviewer attached to the buyer's organisation,
    /// nobody else (not the buyer, not an admin).
    SignOff(&'a ConsultationAccess),
    /// Keeping retro-plannings towards tenders: companies.
    PlanTenders,
    /// Reading or changing one retro-planning: its owner only (others get "not found").
    UseRetroPlan {
        owner: i64,
    },
    /// Creating and listing organisations, inviting users: admins.
    Administer,
    /// Changing one's own password: anyone signed in.
    ManageOwnAccount,
    /// Searching the companies' directory and reading their profiles: buyers and reviewers.
    SearchDirectory,
    /// The profile of one's company and the requests to join it: its members (a person whose
    /// request to join is still waiting is not one).
    ManageOwnCompany,
    /// Announcing a need in the catalogue for one's own buyer organisation: buyers.
    AnnounceNeed,
    /// Changing a need, linking it to its consultation: the buyers of its organisation.
    EditNeed {
        buyer_organisation: i64,
    },
    /// Seeing the companies interested in a need: its buyer's organisation and its reviewers.
    ReadInterest {
        buyer_organisation: i64,
    },
    /// Saying one's company is interested in a need (by name): companies.
    ShowInterest,
    /// Alerts on needs and consultations announced: people of a company.
    ManageAlerts,
}

pub fn authorize(actor: &Actor, permission: Permission<'_>) -> Result<(), AppError> {
    if allows(actor, permission) {
        return Ok(());
    }
    Err(match (actor, permission) {
        // A consultation one may not see is answered as missing: its existence is not revealed.
        (_, Permission::ViewConsultation(_)) => AppError::not_found("Cette consultation"),
        (_, Permission::UseRetroPlan { .. }) => AppError::not_found("Ce rétroplanning"),
        (Actor::User(_), Permission::ChangeContribution { .. }) => AppError::Forbidden(
            "Seule l'entreprise qui a déposé cette contribution peut la modifier ou la retirer.".into(),
        ),
        (Actor::Anonymous, Permission::ReadDialogue { .. }) => AppError::Unauthenticated(
            "Les contributions sont réservées à l'acheteur, à ses relecteurs et aux entreprises qui participent : \
             connectez-vous avec le compte de votre entreprise."
                .into(),
        ),
        (Actor::User(_), Permission::ReadDialogue { .. }) => AppError::Forbidden(
            "Les contributions ne sont lisibles que par l'acheteur, ses relecteurs et les entreprises qui participent \
             à ce sourcing."
                .into(),
        ),
        (Actor::User(_), Permission::ReadRecord(_)) => AppError::Forbidden(
            "La relecture et les registres sont réservés à l'organisation de l'acheteur et à ses relecteurs.".into(),
        ),
        (Actor::User(_), Permission::SignOff(_)) => AppError::Forbidden(
            "Seul un relecteur de la plateforme rattaché à l'organisation de l'acheteur peut valider ce cahier des \
             charges."
                .into(),
        ),
        (Actor::User(_), Permission::SearchDirectory) => AppError::Forbidden(
            "L'annuaire des entreprises est réservé aux acheteurs publics et à leurs relecteurs.".into(),
        ),
        (Actor::User(_), Permission::ManageOwnCompany) => AppError::Forbidden(
            "Seuls les membres d'une entreprise gèrent son profil et les demandes pour la rejoindre. Si votre \
             demande pour rejoindre votre entreprise attend l'accord d'un de ses membres, réessayez après."
                .into(),
        ),
        (Actor::User(_), Permission::Reply { .. }) => AppError::Forbidden(
            "Seuls l'acheteur et l'entreprise qui a déposé la contribution peuvent y répondre.".into(),
        ),
        (Actor::Anonymous, _) => {
            AppError::Unauthenticated("Connectez-vous pour accéder à cette page : elle est réservée aux comptes JeSaisFaire.".into())
        }
        (Actor::User(s), _) => AppError::Forbidden(format!(
            "Votre compte « {} » ne donne pas accès à cette page. Si vous pensez que c'est une erreur, contactez l'administrateur de JeSaisFaire.",
            s.user.role.label_fr()
        )),
    })
}

fn allows(actor: &Actor, permission: Permission<'_>) -> bool {
    let role = actor.role();
    match permission {
        Permission::ReadCatalogue => true,
        Permission::ViewConsultation(c) => can_view_consultation(actor, c),
        Permission::ListOwnConsultations => matches!(role, Some(Role::Buyer | Role::Reviewer)),
        Permission::CreateConsultation => {
            role == Some(Role::Buyer) && actor.signed_in().is_some_and(|s| s.user.organisation_id.is_some())
        }
        Permission::EditConsultation(c) => actor
            .signed_in()
            .is_some_and(|s| s.user.role == Role::Buyer && s.user.organisation_id == Some(c.buyer_organisation_id)),
        Permission::Participate(c) => {
            may_contribute(actor, c)
                && matches!(
                    c.status,
                    ConsultationStatus::Announced
                        | ConsultationStatus::CallForParticipation
                        | ConsultationStatus::Exchanges
                )
        }
        Permission::Contribute(c) => may_contribute(actor, c),
        Permission::ChangeContribution {
            consultation,
            author_organisation,
        } => may_contribute(actor, consultation) && actor.company() == Some(author_organisation),
        Permission::Reply {
            consultation,
            author_organisation,
        } => replier(actor, consultation, author_organisation).is_some(),
        Permission::ReadDialogue {
            consultation,
            participant,
        } => {
            is_own_consultation(actor, consultation.buyer_organisation_id) || (participant && actor.company().is_some())
        }
        Permission::ReadRecord(c) => is_own_consultation(actor, c.buyer_organisation_id),
        Permission::SignOff(c) => actor.signed_in().is_some_and(|s| {
            s.user.role == Role::Reviewer && s.reviewed_organisations.contains(&c.buyer_organisation_id)
        }),
        Permission::PlanTenders => role == Some(Role::Supplier),
        Permission::UseRetroPlan { owner } => role == Some(Role::Supplier) && actor.user_id() == Some(owner),
        Permission::Administer => role == Some(Role::Admin),
        Permission::ManageOwnAccount => role.is_some(),
        Permission::ManageOwnCompany => actor.company().is_some(),
        Permission::AnnounceNeed => allows(actor, Permission::CreateConsultation),
        Permission::EditNeed { buyer_organisation } => actor
            .signed_in()
            .is_some_and(|s| s.user.role == Role::Buyer && s.user.organisation_id == Some(buyer_organisation)),
        Permission::ReadInterest { buyer_organisation } => is_own_consultation(actor, buyer_organisation),
        Permission::ShowInterest | Permission::ManageAlerts => actor.company().is_some(),
        Permission::SearchDirectory => {
            matches!(role, Some(Role::Buyer | Role::Reviewer))
                && actor
                    .signed_in()
                    .is_some_and(|s| s.user.organisation_id.is_some() || !s.reviewed_organisations.is_empty())
        }
    }
}

/// Who replies in a contribution's thread: the consultation's buyer, or the company that wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replier {
    Buyer,
    Author,
}

/// [`Permission::Reply`], saying as whom.
pub fn replier(actor: &Actor, consultation: &ConsultationAccess, author_organisation: i64) -> Option<Replier> {
    if allows(actor, Permission::EditConsultation(consultation)) {
        Some(Replier::Buyer)
    } else if actor.company() == Some(author_organisation) {
        Some(Replier::Author)
    } else {
        None
    }
}

/// What the caller may do with the contributions of a consultation; `pseudonym` is the
/// caller's company's in it, if registered.
pub fn contributor_role(
    actor: &Actor,
    consultation: &ConsultationAccess,
    pseudonym: Option<String>,
) -> ContributorRole {
    if allows(actor, Permission::EditConsultation(consultation)) {
        return ContributorRole::Buyer;
    }
    match pseudonym {
        Some(pseudonym) if actor.company().is_some() => ContributorRole::Participant { pseudonym },
        _ if allows(actor, Permission::Participate(consultation)) => ContributorRole::MayParticipate,
        _ => ContributorRole::Reader,
    }
}

/// Whether a consultation of this buyer organisation is one of the caller's own: their buyer
/// organisation's, or one they review.
pub fn is_own_consultation(actor: &Actor, buyer_organisation_id: i64) -> bool {
    actor.signed_in().is_some_and(|s| match s.user.role {
        Role::Buyer => s.user.organisation_id == Some(buyer_organisation_id),
        Role::Reviewer => s.reviewed_organisations.contains(&buyer_organisation_id),
        Role::Supplier | Role::Admin => false,
    })
}

/// Whether the caller reads the identity register of a consultation (who is behind each
/// pseudonym): its attached reviewers at any time; its buyer's organisation once the exchanges
/// are closed, so that the buyer keeps its distance from who said what while they run.
pub fn reads_identities(actor: &Actor, c: &ConsultationAccess) -> bool {
    match actor.role() {
        Some(Role::Reviewer) => is_own_consultation(actor, c.buyer_organisation_id),
        Some(Role::Buyer) => {
            is_own_consultation(actor, c.buyer_organisation_id) && c.status > ConsultationStatus::Exchanges
        }
        _ => false,
    }
}

/// Whether a consultation the caller may see goes into their agenda feed: their organisations'
/// for buyers and reviewers, every one open to them for companies.
pub fn follows_in_agenda(actor: &Actor, buyer_organisation_id: i64) -> bool {
    match actor.role() {
        Some(Role::Supplier) => true,
        Some(Role::Buyer | Role::Reviewer) => is_own_consultation(actor, buyer_organisation_id),
        Some(Role::Admin) | None => false,
    }
}

/// A company that sees the consultation as a possible participant (not the buyer's reviewers).
fn may_contribute(actor: &Actor, c: &ConsultationAccess) -> bool {
    actor
        .signed_in()
        .is_some_and(|s| s.user.role == Role::Supplier && s.user.organisation_id.is_some())
        && c.status.is_public()
        && (c.mode == SourcingMode::Open || c.caller_invited)
}

/// Drafts: only the buyer organisation, its reviewers and admins. Restricted sourcing: also the
/// invited companies. Open sourcing once announced: everyone.
fn can_view_consultation(actor: &Actor, c: &ConsultationAccess) -> bool {
    let Some(s) = actor.signed_in() else {
        return c.status.is_public() && c.mode == SourcingMode::Open;
    };
    let owner = match s.user.role {
        Role::Admin => true,
        Role::Buyer => s.user.organisation_id == Some(c.buyer_organisation_id),
        Role::Reviewer => s.reviewed_organisations.contains(&c.buyer_organisation_id),
        Role::Supplier => false,
    };
    if owner {
        return true;
    }
    c.status.is_public()
        && match c.mode {
            SourcingMode::Open => true,
            SourcingMode::Restricted => s.user.role == Role::Supplier && c.caller_invited,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, organisation_id: Option<i64>, reviewed: Vec<i64>) -> Actor {
        Actor::User(SignedIn {
            user: UserRecord {
                id: 1,
                email: "x@y.fr".into(),
                display_name: "X".into(),
                role,
                organisation_id,
                organisation_name: None,
            },
            reviewed_organisations: reviewed,
            session_hash: String::new(),
        })
    }

    fn access(status: ConsultationStatus, mode: SourcingMode, caller_invited: bool) -> ConsultationAccess {
        ConsultationAccess {
            buyer_organisation_id: 7,
            status,
            mode,
            caller_invited,
        }
    }

    #[test]
    fn drafts_are_seen_by_their_organisation_reviewers_and_admins_only() {
        let draft = access(ConsultationStatus::Draft, SourcingMode::Open, true);
        let see = |a: &Actor| authorize(a, Permission::ViewConsultation(&draft)).is_ok();
        assert!(see(&user(Role::Buyer, Some(7), vec![])));
        assert!(see(&user(Role::Reviewer, None, vec![7])));
        assert!(see(&user(Role::Admin, None, vec![])));
        assert!(!see(&user(Role::Buyer, Some(8), vec![])));
        assert!(!see(&user(Role::Reviewer, None, vec![8])));
        assert!(!see(&user(Role::Supplier, Some(9), vec![])), "even an invited company");
        assert!(!see(&Actor::Anonymous));
    }

    #[test]
    fn restricted_sourcing_is_seen_by_invited_companies_not_by_the_public() {
        let restricted = access(ConsultationStatus::Exchanges, SourcingMode::Restricted, false);
        let invited = access(ConsultationStatus::Exchanges, SourcingMode::Restricted, true);
        let supplier = user(Role::Supplier, Some(9), vec![]);
        assert!(authorize(&supplier, Permission::ViewConsultation(&invited)).is_ok());
        let err = authorize(&supplier, Permission::ViewConsultation(&restricted)).unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "existence not revealed: {err:?}");
        assert!(authorize(&Actor::Anonymous, Permission::ViewConsultation(&restricted)).is_err());
    }

    #[test]
    fn only_the_buyers_of_the_organisation_edit() {
        let c = access(ConsultationStatus::Draft, SourcingMode::Open, false);
        let edit = |a: &Actor| authorize(a, Permission::EditConsultation(&c)).is_ok();
        assert!(edit(&user(Role::Buyer, Some(7), vec![])));
        assert!(!edit(&user(Role::Buyer, Some(8), vec![])));
        assert!(
            !edit(&user(Role::Reviewer, None, vec![7])),
            "reviewers read, they do not write"
        );
        assert!(!edit(&user(Role::Admin, None, vec![])));
        assert!(!edit(&user(Role::Supplier, Some(7), vec![])));
        assert!(!edit(&Actor::Anonymous));
        assert!(authorize(&user(Role::Buyer, Some(8), vec![]), Permission::CreateConsultation).is_ok());
        assert!(authorize(&user(Role::Buyer, None, vec![]), Permission::CreateConsultation).is_err());
        assert!(authorize(&user(Role::Reviewer, None, vec![7]), Permission::CreateConsultation).is_err());
    }

    #[test]
    fn companies_take_part_in_open_sourcing_and_where_invited() {
        use ConsultationStatus::*;
        let supplier = user(Role::Supplier, Some(9), vec![]);
        let may = |a: &Actor, c: &ConsultationAccess| authorize(a, Permission::Participate(c)).is_ok();
        assert!(may(&supplier, &access(CallForParticipation, SourcingMode::Open, false)));
        assert!(may(&supplier, &access(Exchanges, SourcingMode::Restricted, true)));
        assert!(!may(&supplier, &access(Exchanges, SourcingMode::Restricted, false)));
        assert!(!may(&supplier, &access(Draft, SourcingMode::Open, false)));
        assert!(
            !may(&supplier, &access(Drafting, SourcingMode::Open, false)),
            "too late"
        );
        assert!(!may(
            &user(Role::Buyer, Some(7), vec![]),
            &access(Exchanges, SourcingMode::Open, false)
        ));
        assert!(!may(
            &user(Role::Supplier, None, vec![]),
            &access(Exchanges, SourcingMode::Open, false)
        ));
        let restricted = access(Exchanges, SourcingMode::Restricted, false);
        assert!(authorize(&supplier, Permission::Contribute(&restricted)).is_err());
    }

    #[test]
    fn the_dialogue_is_read_by_the_buyer_its_reviewers_and_the_participants() {
        let c = access(ConsultationStatus::Exchanges, SourcingMode::Open, false);
        let read = |a: &Actor, participant: bool| {
            authorize(
                a,
                Permission::ReadDialogue {
                    consultation: &c,
                    participant,
                },
            )
        };
        assert!(read(&user(Role::Buyer, Some(7), vec![]), false).is_ok());
        assert!(read(&user(Role::Reviewer, None, vec![7]), false).is_ok());
        assert!(read(&user(Role::Supplier, Some(9), vec![]), true).is_ok());
        assert!(matches!(
            read(&user(Role::Supplier, Some(9), vec![]), false),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            read(&Actor::Anonymous, false),
            Err(AppError::Unauthenticated(_))
        ));
        assert!(read(&user(Role::Buyer, Some(8), vec![]), false).is_err());
        assert!(read(&user(Role::Reviewer, None, vec![8]), false).is_err());
        assert!(read(&user(Role::Admin, None, vec![]), false).is_err());
    }

    #[test]
    fn only_an_attached_reviewer_signs_off() {
        let c = access(ConsultationStatus::InReview, SourcingMode::Open, false);
        let sign = |a: &Actor| authorize(a, Permission::SignOff(&c)).is_ok();
        assert!(sign(&user(Role::Reviewer, None, vec![3, 7])));
        assert!(!sign(&user(Role::Reviewer, None, vec![8])));
        assert!(!sign(&user(Role::Buyer, Some(7), vec![])));
        assert!(!sign(&user(Role::Admin, None, vec![])));
        assert!(!sign(&user(Role::Supplier, Some(7), vec![])));
        assert!(!sign(&Actor::Anonymous));
    }

    #[test]
    fn identities_are_sealed_for_the_buyer_until_the_exchanges_close() {
        use ConsultationStatus::*;
        let buyer = user(Role::Buyer, Some(7), vec![]);
        let reviewer = user(Role::Reviewer, None, vec![7]);
        assert!(!reads_identities(&buyer, &access(Exchanges, SourcingMode::Open, false)));
        assert!(reads_identities(&buyer, &access(Drafting, SourcingMode::Open, false)));
        assert!(reads_identities(
            &reviewer,
            &access(Exchanges, SourcingMode::Open, false)
        ));
        assert!(!reads_identities(
            &user(Role::Buyer, Some(8), vec![]),
            &access(Closed, SourcingMode::Open, false)
        ));
        assert!(!reads_identities(
            &user(Role::Admin, None, vec![]),
            &access(Closed, SourcingMode::Open, false)
        ));
        assert!(!reads_identities(
            &user(Role::Supplier, Some(9), vec![]),
            &access(Closed, SourcingMode::Open, false)
        ));
    }

    #[test]
    fn refusals_say_whether_to_sign_in_or_that_the_role_cannot() {
        assert!(matches!(
            authorize(&Actor::Anonymous, Permission::Administer),
            Err(AppError::Unauthenticated(_))
        ));
        let err = authorize(&user(Role::Supplier, Some(9), vec![]), Permission::ListOwnConsultations).unwrap_err();
        assert!(
            matches!(&err, AppError::Forbidden(m) if m.contains("Entreprise")),
            "{err:?}"
        );
    }
}
