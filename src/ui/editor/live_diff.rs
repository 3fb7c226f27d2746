//! The live diff of the draft against the last published version.

#[allow(unused_imports)]
use super::*;

/// What changed since the last published version, computed in the browser by the same diff
/// engine as the comparison page, as the buyer types (after the preview's pause).
#[component]
pub(crate) fn LiveDiff(
    base: RwSignal<Option<Specification>>,
    preview_text: RwSignal<String>,
    version: RwSignal<Option<i32>>,
) -> impl IntoView {
    // Timed with the browser's clock, shown as data attributes for `scripts/bench-diff-wasm.sh`:
    // the whole work (parse, carry the ids, diff) and the diff alone.
    // Browser bindings panic on the server, where this memo also runs (server rendering).
    let now = || {
        #[cfg(target_arch = "wasm32")]
        return web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
        #[cfg(not(target_arch = "wasm32"))]
        0.0
    };
    let diff = Memo::new(move |_| {
        let text = preview_text.get();
        base.with(|base| {
            base.as_ref().map(|old| {
                let start = now();
                let mut new = Specification::parse(&text);
                spec::carry_ids(old, &mut new);
                let diffing = now();
                let d = diff_specifications(old, &new, &[], &[], Duration::from_millis(300));
                let end = now();
                (d, format!("{:.1}", end - start), format!("{:.1}", end - diffing))
            })
        })
    });
    move || {
        let (Some((d, total_ms, diff_ms)), Some(n)) = (diff.get(), version.get()) else {
            return None;
        };
        let s = d.stats;
        let changed: Vec<_> = d
            .clauses
            .into_iter()
            .filter(|c| c.kind != ChangeKind::Unchanged)
            .collect();
        Some(view! {
            <section class="panel wide live-diff" aria-labelledby="live-diff-title" data-total-ms=total_ms data-diff-ms=diff_ms>
                <h2 id="live-diff-title">"Modifications depuis la version " {n}</h2>
                <p class="compare__summary" role="status">
                    <span class="count count--added">{s.added} " ajoutée(s)"</span>
                    <span class="count count--removed">{s.removed} " supprimée(s)"</span>
                    <span class="count count--modified">{s.modified} " modifiée(s)"</span>
                    <span class="count">{s.unchanged} " inchangée(s)"</span>
                </p>
                {changed.is_empty().then(|| view! { <p class="muted">"Aucune modification pour l'instant."</p> })}
                {changed.into_iter().map(|c| view! {
                    <details class="live-diff__clause" open=c.kind == ChangeKind::Modified>
                        <summary><strong>{c.label().to_owned()}</strong> " — " {c.kind.label_fr()}</summary>
                        <pre class="change__text">
                            {c.segments.into_iter().map(|seg| match seg.op {
                                Op::Equal => view! { <span>{seg.text}</span> }.into_any(),
                                Op::Delete => view! { <del>{seg.text}</del> }.into_any(),
                                Op::Insert => view! { <ins>{seg.text}</ins> }.into_any(),
                            }).collect_view()}
                        </pre>
                    </details>
                }).collect_view()}
            </section>
        })
    }
}
