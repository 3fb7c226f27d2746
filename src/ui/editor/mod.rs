//! The parts of the buyer's editor (the page is `ui::pages::editor`): the draft's state with its
//! autosave and local copy, the panels (save indicator, import, criteria), publication and the
//! live diff.
//!
//! No keystroke is lost: every change is kept in the browser's local storage at once and saved
//! on the server after a short pause; a reload restores what the server had not acknowledged.

mod contributions;
mod live_diff;
mod panels;
mod publish;
mod toolbar;

pub(crate) use contributions::{track_caret, Caret, ClauseContributions};
pub(crate) use live_diff::LiveDiff;
pub(crate) use panels::{CriteriaEditor, ImportFile, SaveIndicator};
pub(crate) use publish::{clause_count_fr, size_fr};
pub(crate) use publish::{ActionBar, PublishPanel};
pub(crate) use toolbar::{apply_formatting, formatting_shortcut, Toolbar};

use crate::api::drafting::{get_draft, publish_version, save_draft};
use crate::domain::criteria::{self, Criterion};
use crate::domain::diff::{diff_specifications, ChangeKind, Op};
use crate::domain::format::{instant_fr, time_fr};
use crate::domain::spec::{self, Specification};
use crate::error::AppError;
use crate::model::DraftInput;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Pause after the last keystroke before saving on the server.
pub(crate) const SAVE_DELAY: Duration = Duration::from_millis(800);
/// Pause before re-rendering the preview (a 1 MB text takes tens of milliseconds to render).
pub(crate) const PREVIEW_DELAY: Duration = Duration::from_millis(150);
/// Wait before retrying a save that failed for a reason other than a conflict.
pub(crate) const RETRY_DELAY: Duration = Duration::from_secs(5);

/// Where the server copy of the draft stands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SaveState {
    /// Nothing changed since the editor opened: when and by whom it was last saved.
    Loaded(Option<i64>, Option<String>),
    Pending,
    Saving,
    Saved(i64),
    Failed(String),
    /// Someone else saved or published: autosave stops, the text stays here and in local storage.
    Conflict(String),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Publication {
    Idle,
    Confirming,
    Sending,
    /// The number, and the calendar's notice when the exchanges were extended.
    Published(i32, Option<String>),
    Refused(String),
    Conflict(String),
}

/// What is kept in local storage until the server acknowledges it.
#[derive(Serialize, Deserialize)]
pub(crate) struct LocalCopy {
    pub(crate) revision: i64,
    pub(crate) draft: DraftInput,
}

/// One criterion being edited; `key` identifies its row while others are added or removed.
#[derive(Clone, Copy)]
pub(crate) struct CriterionRow {
    pub(crate) key: u64,
    pub(crate) id: StoredValue<String>,
    pub(crate) name: RwSignal<String>,
    pub(crate) weight: RwSignal<String>,
    pub(crate) description: RwSignal<String>,
}

impl CriterionRow {
    pub(crate) fn new(key: u64, c: &Criterion) -> Self {
        CriterionRow {
            key,
            id: StoredValue::new(c.id.clone()),
            name: RwSignal::new(c.name.clone()),
            weight: RwSignal::new(if c.weight == 0 {
                String::new()
            } else {
                c.weight.to_string()
            }),
            description: RwSignal::new(c.description.clone()),
        }
    }

    pub(crate) fn criterion(&self) -> Criterion {
        Criterion {
            id: self.id.get_value(),
            name: self.name.get(),
            // Not a whole number: 0, which validation reports as out of range.
            weight: self
                .weight
                .get()
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .unwrap_or(0),
            description: self.description.get(),
        }
    }
}

/// The editor's state, `Copy` so that event handlers and timers can share it.
#[derive(Clone, Copy)]
pub(crate) struct Draft {
    pub(crate) id: i64,
    pub(crate) markdown: RwSignal<String>,
    pub(crate) rows: RwSignal<Vec<CriterionRow>>,
    pub(crate) next_key: StoredValue<u64>,
    pub(crate) changelog: RwSignal<String>,
    pub(crate) revision: RwSignal<i64>,
    pub(crate) base_version: RwSignal<Option<i32>>,
    pub(crate) save: RwSignal<SaveState>,
    pub(crate) in_flight: StoredValue<bool>,
    pub(crate) again: StoredValue<bool>,
    pub(crate) timer: StoredValue<Option<TimeoutHandle>>,
    pub(crate) area: NodeRef<html::Textarea>,
}

impl Draft {
    pub(crate) fn storage_key(&self) -> String {
        format!("jesaisfaire-brouillon-{}", self.id)
    }

    pub(crate) fn criteria(&self) -> Vec<Criterion> {
        self.rows.get().iter().map(CriterionRow::criterion).collect()
    }

    pub(crate) fn input_untracked(&self) -> DraftInput {
        untrack(|| DraftInput {
            markdown: self.markdown.get(),
            criteria: self.criteria(),
            changelog: self.changelog.get(),
        })
    }

    pub(crate) fn set_criteria(&self, list: &[Criterion]) {
        let rows = list
            .iter()
            .map(|c| {
                let key = self.next_key.get_value();
                self.next_key.set_value(key + 1);
                CriterionRow::new(key, c)
            })
            .collect();
        self.rows.set(rows);
    }

    /// Replaces the text, in the signal and in the text area (which is not bound to the signal,
    /// so that typing in a long text does not rewrite it at each keystroke).
    pub(crate) fn set_text(&self, text: String) {
        if let Some(area) = self.area.get_untracked() {
            area.set_value(&text);
        }
        self.markdown.set(text);
    }

    /// Called after every change: local copy now, server save after a pause.
    pub(crate) fn changed(self) {
        if matches!(self.save.get_untracked(), SaveState::Conflict(_)) {
            self.keep_locally();
            return;
        }
        self.save.set(SaveState::Pending);
        self.keep_locally();
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
        self.timer
            .set_value(set_timeout_with_handle(move || self.save_now(), SAVE_DELAY).ok());
    }

    pub(crate) fn keep_locally(&self) {
        let copy = LocalCopy {
            revision: self.revision.get_untracked(),
            draft: self.input_untracked(),
        };
        if let Ok(json) = serde_json::to_string(&copy) {
            storage_set(&self.storage_key(), &json);
        }
    }

    /// Saves now, one request at a time: a change made during a save is saved right after it.
    pub(crate) fn save_now(self) {
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
        if self.in_flight.get_value() {
            self.again.set_value(true);
            return;
        }
        if matches!(
            self.save.get_untracked(),
            SaveState::Conflict(_) | SaveState::Loaded(..) | SaveState::Saved(_)
        ) {
            return;
        }
        let input = self.input_untracked();
        // Above the limits the server would refuse it: say so now, keep the local copy.
        if let Err(problem) = spec::check_limits(&input.markdown) {
            self.save.set(SaveState::Failed(problem.to_string()));
            return;
        }
        self.in_flight.set_value(true);
        self.save.set(SaveState::Saving);
        let revision = self.revision.get_untracked();
        spawn_local(async move {
            let result = save_draft(self.id, revision, input).await;
            self.in_flight.set_value(false);
            match result {
                Ok(saved) => {
                    self.revision.set(saved.revision);
                    if self.again.get_value() {
                        self.again.set_value(false);
                        self.save.set(SaveState::Pending);
                        self.keep_locally();
                        self.save_now();
                    } else {
                        self.save.set(SaveState::Saved(saved.saved_at));
                        storage_remove(&self.storage_key());
                    }
                }
                Err(AppError::Conflict(message)) => self.save.set(SaveState::Conflict(message)),
                // Refused as it is: retrying would not help; the next change tries again.
                Err(AppError::Invalid(message)) => self.save.set(SaveState::Failed(message)),
                Err(error) => {
                    self.save.set(SaveState::Failed(error.to_string()));
                    self.timer.set_value(
                        set_timeout_with_handle(
                            move || {
                                self.save.set(SaveState::Pending);
                                self.save_now();
                            },
                            RETRY_DELAY,
                        )
                        .ok(),
                    );
                }
            }
        });
    }

    /// On opening: a local copy of changes the server never acknowledged comes back.
    pub(crate) fn restore_local_copy(self, server: &DraftInput) -> bool {
        let Some(copy) = storage_get(&self.storage_key()).and_then(|j| serde_json::from_str::<LocalCopy>(&j).ok())
        else {
            return false;
        };
        if copy.revision != self.revision.get_untracked() || copy.draft == *server {
            storage_remove(&self.storage_key());
            return false;
        }
        self.set_text(copy.draft.markdown);
        self.set_criteria(&copy.draft.criteria);
        self.changelog.set(copy.draft.changelog);
        self.changed();
        true
    }
}

pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub(crate) fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub(crate) fn storage_set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        // Full or disabled storage: the server save still happens.
        let _ = storage.set_item(key, value);
    }
}

pub(crate) fn storage_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
