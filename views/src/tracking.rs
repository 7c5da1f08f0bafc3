//! Tracking a dossier: the form (code and secret, posted in a body, never in
//! a URL) and what its holder sees. The app adds its live parts (sending the
//! papers asked for, rating, stopping messages at once); the server posts
//! the same forms back to `/track`.

use crate::i18n::fill;
use crate::labels::{self, channel_name, show_date, show_time};
use crate::ui::Ui;
use leptos::ev::{Event, SubmitEvent};
use leptos::prelude::*;
use motcua_shared::dossier::api::{ToldBy, Tracking};
use motcua_shared::dossier::lifecycle::Status;

/// The code and secret. `server`: a plain form posted to `/track`; the app
/// looks the dossier up itself.
pub fn track_form(
    ui: Ui,
    code: Signal<String>,
    secret: Signal<String>,
    server: bool,
    on_code: impl FnMut(Event) + 'static,
    on_secret: impl FnMut(Event) + 'static,
    on_submit: impl FnMut(SubmitEvent) + 'static,
) -> impl IntoView {
    view! {
        <form class="track-form" method=server.then_some("post") action=server.then_some("/track") novalidate on:submit=on_submit>
            <label for="track-code" class="field-label">{ui.tr("track.code")}</label>
            <input
                id="track-code"
                name="code"
                type="text"
                autocomplete="off"
                spellcheck="false"
                value=code
                prop:value=code
                on:input=on_code
            />
            <label for="track-secret" class="field-label">{ui.tr("track.secret")}</label>
            <input
                id="track-secret"
                name="secret"
                type="text"
                autocomplete="off"
                spellcheck="false"
                value=secret
                prop:value=secret
                on:input=on_secret
            />
            <button id="track-submit" type="submit" class="button primary">{ui.tr("track.submit")}</button>
        </form>
    }
}

/// The dossier's status, dates, papers and timeline. Not a live region: the
/// page is read when it opens; only what the person just did is announced.
pub fn summary(ui: Ui, t: &Tracking) -> impl IntoView + use<> {
    let Tracking { code, procedure_name, status, received_on, appointment_on, overdue, timeline, attachments, .. } = t.clone();
    let status = status;
    let papers = attachments.len();
    let appointment = appointment_on.map(show_date);
    view! {
        <section id="tracking" class="fact" aria-labelledby="tracking-name">
            <h2 id="tracking-name" lang="vi">{procedure_name}</h2>
            <p>{ui.tr("receipt.code")} ": " <strong>{code}</strong></p>
            <p id="track-status" class="big" data-status=status.as_str()>
                {ui.tr("track.status")} ": " {labels::live(move || labels::status(ui, status).to_owned())}
            </p>
            {overdue.then(|| view! { <p id="overdue" class="alert">{ui.tr("track.overdue")}</p> })}
            <dl class="pairs">
                <dt>{ui.tr("receipt.received_on")}</dt>
                <dd>{show_date(received_on)}</dd>
                <dt>{ui.tr("receipt.appointment")}</dt>
                <dd>
                    {match appointment {
                        Some(d) => view! { <span>{d}</span> }.into_any(),
                        None => view! { <span>{ui.tr("receipt.appointment_desk")}</span> }.into_any(),
                    }}
                </dd>
            </dl>
            {(papers > 0).then(|| view! {
                <p id="track-papers">{labels::live(move || fill(ui.t("track.papers"), &[("n", &papers.to_string())]))}</p>
            })}
            <h3>{ui.tr("track.timeline")}</h3>
            <ol id="timeline" class="timeline">
                {timeline
                    .into_iter()
                    .map(|e| {
                        let status = e.status;
                        view! {
                            <li data-status=status.as_str()>
                                <span class="when">{show_time(&e.at)}</span>
                                " "
                                <strong>
                                    {if e.by_citizen && status == Status::DocumentsRequested {
                                        ui.tr("track.you_sent_papers")().into_any()
                                    } else {
                                        labels::live(move || labels::status(ui, status).to_owned()).into_any()
                                    }}
                                </strong>
                                {e.note.map(|n| view! { <span class="hint" lang="vi">" " {n}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// How the holder is told of changes (masked), with `stop`: the button that
/// stops it (the app's, or the server's form), and `after`: what the app or
/// the server says once it is done.
pub fn messages(ui: Ui, told: Signal<Option<ToldBy>>, stop: impl Fn() -> AnyView + Send + Sync + 'static, after: impl IntoView) -> impl IntoView {
    view! {
        <section id="messages" class="fact" aria-labelledby="messages-title">
            <h2 id="messages-title">{ui.tr("track.messages.title")}</h2>
            {move || match told.get() {
                Some(t) => view! {
                    <p id="messages-to">
                        {labels::live(move || fill(ui.t("track.told_by"), &[("channel", channel_name(ui, t.channel)), ("to", &t.to)]))}
                    </p>
                    {stop()}
                }
                    .into_any(),
                None => view! { <p id="messages-to">{ui.tr("track.not_told")}</p> }.into_any(),
            }}
            {after}
        </section>
    }
}
