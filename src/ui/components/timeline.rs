//! An accessible SVG timeline of dated phases with a "today" marker. The same component shows a
//! consultation's sourcing calendar and a supplier's retro-planning; the dates come from the
//! calendar engine, in the browser as on the server.

use crate::domain::calendar::Date;
use leptos::prelude::*;

/// One bar: a phase from `start` to `end`, both included.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineBar {
    /// CSS modifier (`call`, `exchanges`, `drafting`, `prospection`…).
    pub key: &'static str,
    pub label: String,
    pub start: Date,
    pub end: Date,
}

const WIDTH: f64 = 1000.0;
const ROW: f64 = 34.0;
const TOP: f64 = 8.0;

/// The bars on one line each, proportional to their length, and the list of phases as text (what
/// screen readers read; also the table a sighted reader checks dates against).
#[component]
pub fn Timeline(bars: Vec<TimelineBar>, today: Date, #[prop(into)] title: String) -> impl IntoView {
    let (Some(first), Some(last)) = (bars.iter().map(|b| b.start).min(), bars.iter().map(|b| b.end).max()) else {
        return None;
    };
    let span = f64::from(first.days_until(last) + 1).max(1.0);
    let x = move |date: Date| (f64::from(first.days_until(date)) / span * WIDTH).clamp(0.0, WIDTH);
    let height = TOP * 2.0 + ROW * bars.len() as f64 + 22.0;
    let today_x = (today >= first && today <= last.add_days(1)).then(|| x(today) + WIDTH / span / 2.0);
    let today_label = today.format_fr_text();
    let description = bars
        .iter()
        .map(|b| match b.start == b.end {
            true => format!("{} : le {}", b.label, b.start.format_fr_text()),
            false => format!(
                "{} : du {} au {}",
                b.label,
                b.start.format_fr_text(),
                b.end.format_fr_text()
            ),
        })
        .collect::<Vec<_>>()
        .join(" ; ");
    Some(view! {
        <figure class="timeline">
            <svg
                class="timeline__svg"
                viewBox=format!("0 0 {WIDTH} {height}")
                width="100%"
                height=height
                preserveAspectRatio="none"
                role="img"
                aria-label=format!("{title}. {description}.")
            >
                {bars.iter().enumerate().map(|(row, bar)| {
                    let y = TOP + ROW * row as f64;
                    let x0 = x(bar.start);
                    let width = (x(bar.end.add_days(1)) - x0).max(4.0);
                    view! {
                        <rect class=format!("timeline__bar timeline__bar--{}", bar.key)
                            x=x0 y=y width=width height=ROW - 8.0 rx="4"/>
                    }
                }).collect_view()}
                {today_x.map(|tx| view! {
                    <line class="timeline__today" x1=tx x2=tx y1="0" y2=height - 18.0/>
                })}
            </svg>
            // Labels in HTML over the bars: SVG text would be stretched with the drawing.
            <ol class="timeline__legend">
                {bars.iter().map(|bar| view! {
                    <li class=format!("timeline__item timeline__item--{}", bar.key)>
                        <span class="timeline__swatch" aria-hidden="true"></span>
                        <strong>{bar.label.clone()}</strong>
                        " — "
                        {if bar.start == bar.end {
                            format!("le {}", bar.start.format_fr_long())
                        } else {
                            format!("du {} au {}", bar.start.format_fr_long(), bar.end.format_fr_long())
                        }}
                    </li>
                }).collect_view()}
            </ol>
            <figcaption class="timeline__caption">
                {title}
                {today_x.map(|_| view! { <span class="timeline__today-label">" · Aujourd'hui : " {today_label.clone()}</span> })}
            </figcaption>
        </figure>
    })
}

/// Bars for the phases of a sourcing calendar.
pub fn sourcing_bars(phases: &[crate::domain::calendar::Phase]) -> Vec<TimelineBar> {
    phases
        .iter()
        .map(|p| TimelineBar {
            key: p.kind.key(),
            label: p.kind.label_fr().to_owned(),
            start: p.start,
            end: p.end,
        })
        .collect()
}
