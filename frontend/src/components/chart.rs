//! A bar chart of percentages per month, drawn as SVG that screen readers
//! read as one image with a title and a summary; the numbers themselves are
//! in the table every chart comes with.

use leptos::prelude::*;

/// The most bars a chart draws: its last months (the table beside it has
/// them all). More would not leave room for "100%" in 12 px type on a phone.
pub const MAX_BARS: usize = 6;

/// Bars for `points` (label, percent or none), with a dashed line at `target`.
/// Each bar says its value with "%", above the bar in dark text (a margin
/// at the top leaves room over a full bar).
pub fn bar_chart(id: &'static str, title: String, summary: String, points: Vec<(String, Option<f64>)>, target: Option<f64>) -> impl IntoView {
    const W: f64 = 320.0;
    const H: f64 = 190.0;
    const LEFT: f64 = 46.0;
    const BOTTOM: f64 = 26.0;
    const TOP: f64 = 20.0;
    let points: Vec<_> = points.into_iter().rev().take(MAX_BARS).collect::<Vec<_>>().into_iter().rev().collect();
    let n = points.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let y = |pct: f64| TOP + (H - BOTTOM - TOP) * (1.0 - pct / 100.0);
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (label, pct))| {
            let x = LEFT + slot * i as f64 + slot * 0.12;
            let width = slot * 0.76;
            let bar = pct.map(|p| {
                let top = y(p);
                view! {
                    <rect class="bar" x=x.to_string() y=top.to_string() width=width.to_string() height=((H - BOTTOM) - top).max(0.0).to_string()></rect>
                    <text class="bar-value" x=(x + width / 2.0).to_string() y=(top - 4.0).to_string() text-anchor="middle">{format!("{p:.0}%")}</text>
                }
            });
            view! {
                <g>
                    {bar}
                    <text class="axis" x=(x + width / 2.0).to_string() y=(H - 6.0).to_string() text-anchor="middle">{label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let target_line = target.map(|t| {
        let ty = y(t);
        view! {
            <line class="target" x1=LEFT.to_string() x2=W.to_string() y1=ty.to_string() y2=ty.to_string()></line>
            <text class="axis" x="2" y=(ty + 4.0).to_string()>{format!("{t:.0}%")}</text>
        }
    });
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <svg id=id class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=labelled_by>
            <title id=title_id>{title}</title>
            <desc id=desc_id>{summary}</desc>
            <line class="axis-line" x1=LEFT.to_string() x2=W.to_string() y1=(H - BOTTOM).to_string() y2=(H - BOTTOM).to_string()></line>
            <text class="axis" x="2" y=(y(100.0) + 12.0).to_string()>"100%"</text>
            <text class="axis" x="2" y=(H - BOTTOM).to_string()>"0%"</text>
            {bars}
            {target_line}
        </svg>
    }
}
