//! Rendering a dossier's PDF costs about a second of CPU for a long specification, and the
//! public edition can be downloaded by anyone: renders run a few at a time (others wait, then
//! are told to retry), and the latest PDFs are kept, keyed by the dossier's content, so that the
//! same dossier is rendered once however many download it.

use crate::error::AppError;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// PDFs kept (the most recently rendered).
const KEPT: usize = 8;
/// How long a download waits for a free renderer before being told to retry.
const WAIT: Duration = Duration::from_secs(30);

pub struct RenderedDossiers {
    renderers: Semaphore,
    kept: Mutex<Vec<(String, Arc<Vec<u8>>)>>,
    /// The summary of a version's changes from the previous one, by (consultation, version):
    /// versions never change, so neither does the comparison (a few dozen bytes each).
    changes: Mutex<std::collections::HashMap<(i64, i64), String>>,
}

impl RenderedDossiers {
    /// At most one render per two cores (at least one) at a time.
    pub fn new(cores: usize) -> RenderedDossiers {
        RenderedDossiers {
            renderers: Semaphore::new((cores / 2).max(1)),
            kept: Mutex::new(Vec::new()),
            changes: Mutex::default(),
        }
    }

    /// The summary of the changes of a version, computed once.
    pub fn changes(&self, consultation: i64, version: i64, compute: impl FnOnce() -> String) -> String {
        if let Some(known) = self
            .changes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(consultation, version))
        {
            return known.clone();
        }
        let computed = compute();
        self.changes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((consultation, version), computed.clone());
        computed
    }

    pub fn get(&self, key: &str) -> Option<Arc<Vec<u8>>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().find(|(k, _)| k == key).map(|(_, pdf)| pdf.clone())
    }

    pub fn put(&self, key: String, pdf: Arc<Vec<u8>>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(k, _)| *k != key);
        kept.push((key, pdf));
        if kept.len() > KEPT {
            kept.remove(0);
        }
    }

    /// A turn to render, or "busy" after [`WAIT`].
    pub async fn turn(&self) -> Result<SemaphorePermit<'_>, AppError> {
        match tokio::time::timeout(WAIT, self.renderers.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Busy(
                "Le dossier est en cours de génération pour d'autres demandes : réessayez dans quelques secondes."
                    .into(),
            )),
        }
    }
}

impl std::fmt::Debug for RenderedDossiers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderedDossiers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_pdfs_are_kept_by_content() {
        let cache = RenderedDossiers::new(2);
        for n in 0..=KEPT {
            cache.put(format!("k{n}"), Arc::new(vec![n as u8]));
        }
        assert!(cache.get("k0").is_none(), "the oldest went first");
        assert_eq!(cache.get(&format!("k{KEPT}")).as_deref(), Some(&vec![KEPT as u8]));
    }
}
