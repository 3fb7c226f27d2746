//! The dialogue on a version (seed 001): the text in clauses with their contributions in the
//! margin, highlights on the words annotated, the form to contribute (from a selection, or on a
//! whole clause or criterion), the buyer's answers and decisions. Contributions arrive live.
//! Components of the consultation page, one file each: the bars (participation, selection),
//! a clause with its margin, the contribution form, the contribution card with its answers.

mod bars;
mod card;
mod clause;
mod form;
mod passage;

pub use bars::{LiveAnnouncer, ParticipationBar, SelectionBar};
use card::*;
pub use clause::{outline_count, ClauseBlock, CriterionDialogue, OrphanedContributions};
use form::*;
use passage::*;

use crate::api::contributions::{
    create_contribution, edit_contribution, list_contributions, ReplyToContribution, SetContributionStatus,
    WithdrawContribution,
};
use crate::domain::anchor::{AnchorState, TextSelector};
use crate::domain::contribution::{
    format_euros, ContributionInput, ContributionKind, ContributionStatus, CostImpact, NewContribution, Target,
    TargetKind,
};
use crate::domain::criteria::Criterion;
use crate::domain::format::instant_fr;
use crate::domain::markdown::RenderedPart;
use crate::error::AppError;
use crate::model::{ContributionBoard, ContributionView, ContributorRole, OutlineEntry};
use crate::ui::components::form::{on_success, ActionMessage};
use crate::ui::components::on_demand::{focus_when_drawn, CloseLink, OnDemand, OpenLink};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// What the components of a version's page share.
#[derive(Clone, Copy)]
pub struct Dialogue {
    pub consultation_id: i64,
    pub version: i32,
    pub board: RwSignal<Option<ContributionBoard>>,
    /// The form open, if any (one at a time).
    pub form: RwSignal<Option<FormFor>>,
    /// The words selected in a clause, offered for annotation.
    pub selection: RwSignal<Option<(String, TextSelector)>>,
    /// The clause whose « Annoter un passage » field is open, if any.
    pub picking: RwSignal<Option<String>>,
    /// What screen readers are told when contributions arrive (a polite live region).
    pub announcement: RwSignal<String>,
    /// The card whose forms are drawn, and which ones, from the page's address (see
    /// [`CardForm`]).
    cards: OnDemand,
    /// What was typed in a card's form and not sent, kept when the form is put away or the card
    /// drawn again (in this page only).
    drafts: StoredValue<std::collections::HashMap<(CardForm, i64), String>>,
    /// The board's contributions by what they are on, sorted once per board: each clause and
    /// each line of the outline looks its own up instead of going through all of them (2,800
    /// clauses times 300 contributions on the Code civil, twice).
    by_target: Memo<BoardIndex>,
}

/// The contributions of a board by clause and by criterion (orphaned ones left out: they are
/// listed apart), in the board's order.
#[derive(Clone, Default, PartialEq)]
struct BoardIndex {
    clauses: std::collections::HashMap<String, Vec<ContributionView>>,
    criteria: std::collections::HashMap<String, Vec<ContributionView>>,
}

impl BoardIndex {
    fn of(board: Option<&ContributionBoard>) -> BoardIndex {
        let mut index = BoardIndex::default();
        for c in board.iter().flat_map(|b| &b.contributions) {
            if c.anchor.state == AnchorState::Orphaned {
                continue;
            }
            let on_kind = match c.target.kind {
                TargetKind::Clause => &mut index.clauses,
                TargetKind::Criterion => &mut index.criteria,
            };
            on_kind.entry(c.target.id.clone()).or_default().push(c.clone());
        }
        index
    }
}

/// A card's forms, drawn for one card at a time when asked for (`?repondre=ID`,
/// `?occulter=ID`), by a link that also works without WebAssembly. A page with a form on each
/// card took Chromium seconds to load: as the document finishes parsing, every form field costs
/// it a style and layout pass (4,000 on the Code civil with the buyer's 300 cards, about 4 s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum CardForm {
    /// The reply, and the buyer's decision.
    Reply,
    /// The company's request to keep a passage out of the public dossier.
    Redact,
}

impl CardForm {
    const KEYS: &'static [&'static str] = &[CardForm::Reply.query_key(), CardForm::Redact.query_key()];

    const fn query_key(self) -> &'static str {
        match self {
            CardForm::Reply => "repondre",
            CardForm::Redact => "occulter",
        }
    }
}

/// What an open form is about.
#[derive(Clone, Debug, PartialEq)]
pub struct FormFor {
    pub target: Target,
    pub selector: Option<TextSelector>,
    /// Editing this contribution, starting from what it says.
    pub editing: Option<(i64, ContributionInput)>,
}

impl Dialogue {
    pub fn new(consultation_id: i64, version: i32, first: Option<ContributionBoard>) -> Dialogue {
        let board = RwSignal::new(first);
        Dialogue {
            consultation_id,
            version,
            board,
            by_target: Memo::new(move |_| board.with(|b| BoardIndex::of(b.as_ref()))),
            form: RwSignal::new(None),
            selection: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            picking: RwSignal::new(None),
            cards: OnDemand::new(CardForm::KEYS),
            drafts: StoredValue::new(Default::default()),
        }
    }

    /// Whether a card has these forms drawn.
    fn card_form_open(self, form: CardForm, id: i64) -> Memo<bool> {
        self.cards.is_open(form.query_key(), id)
    }

    /// What was typed in a card's form and not sent yet.
    fn draft(self, form: CardForm, id: i64) -> String {
        self.drafts
            .with_value(|drafts| drafts.get(&(form, id)).cloned().unwrap_or_default())
    }

    /// Keeps what is typed in a card's form (empty: nothing to keep, as after it was sent).
    fn keep_draft(self, form: CardForm, id: i64, text: String) {
        self.drafts.update_value(|drafts| {
            if text.is_empty() {
                drafts.remove(&(form, id));
            } else {
                drafts.insert((form, id), text);
            }
        });
    }

    /// Reloads the contributions (after a change here, or announced by the server).
    pub fn reload(self) {
        leptos::task::spawn_local(async move {
            if let Ok(board) = list_contributions(self.consultation_id, Some(self.version)).await {
                let before = self.board.with_untracked(|b| b.as_ref().map(|b| b.contributions.len()));
                let arrived = before.map_or(0, |n| board.contributions.len().saturating_sub(n));
                self.board.set(Some(board));
                if arrived > 0 {
                    self.announcement.set(match arrived {
                        1 => "Une nouvelle contribution est arrivée.".to_string(),
                        n => format!("{n} nouvelles contributions sont arrivées."),
                    });
                }
            }
        });
    }

    /// The caller may write contributions now.
    pub fn can_contribute(self) -> bool {
        self.board.with(|b| {
            b.as_ref()
                .is_some_and(|b| b.exchanges_open && matches!(b.role, ContributorRole::Participant { .. }))
        })
    }

    pub fn is_buyer(self) -> bool {
        self.board
            .with(|b| b.as_ref().is_some_and(|b| b.role == ContributorRole::Buyer))
    }

    /// Whether the caller is the buyer, without following the board: a role does not change
    /// while a page is open.
    fn is_buyer_untracked(self) -> bool {
        self.board
            .with_untracked(|b| b.as_ref().is_some_and(|b| b.role == ContributorRole::Buyer))
    }

    fn exchanges_open(self) -> bool {
        self.board.with(|b| b.as_ref().is_some_and(|b| b.exchanges_open))
    }

    /// The contributions on one clause or criterion (orphaned ones are listed apart).
    fn on(self, kind: TargetKind, id: &str) -> Vec<ContributionView> {
        self.by_target.with(|index| {
            let on_kind = match kind {
                TargetKind::Clause => &index.clauses,
                TargetKind::Criterion => &index.criteria,
            };
            on_kind.get(id).cloned().unwrap_or_default()
        })
    }

    /// How many contributions, not withdrawn, are on a clause (for the outline).
    fn count_on_clause(self, id: &str) -> usize {
        self.by_target.with(|index| {
            index
                .clauses
                .get(id)
                .map_or(0, |on| on.iter().filter(|c| c.withdrawn_at.is_none()).count())
        })
    }
}

/// Opens the live stream of changes: each event (and each reconnection, which may have missed
/// some) reloads the contributions.
pub fn follow_live(dialogue: Dialogue) {
    follow_changes(dialogue.consultation_id, move || dialogue.reload());
}

/// Calls `reload` on each change of a consultation's dialogue announced by the server (new
/// contributions, answers, minutes, versions), and after each reconnection.
pub fn follow_changes(consultation_id: i64, reload: impl Fn() + Clone + Send + Sync + 'static) {
    Effect::new(move |_| {
        use wasm_bindgen::{closure::Closure, JsCast};
        let url = format!("/consultations/{consultation_id}/evenements");
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let on_event = reload.clone();
        let on_change = Closure::<dyn Fn()>::new(on_event);
        let _ = source.add_event_listener_with_callback("contributions", on_change.as_ref().unchecked_ref());
        let mut opened_once = false;
        let on_open = reload.clone();
        let reopen = Closure::<dyn FnMut()>::new(move || {
            if std::mem::replace(&mut opened_once, true) {
                on_open();
            }
        });
        source.set_onopen(Some(reopen.as_ref().unchecked_ref()));
        on_change.forget();
        reopen.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    });
}

/// Loads the contributions of a version for the page (on the server for the first paint).
pub async fn load(id: i64, version: i32) -> Result<ContributionBoard, AppError> {
    list_contributions(id, Some(version)).await
}
