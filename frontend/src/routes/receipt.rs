//! `/receipt/:code`: the receipt of a dossier sent from this device (kept in
//! localStorage): the code and secret in large type, the appointment, what to
//! bring, print and a link to tracking.

use crate::components::icon::Icon;
use crate::components::page_heading::PageHeading;
use crate::drafts;
use crate::routes::procedure::document_groups;
use crate::state::use_ui;
use leptos::prelude::*;
use motcua_shared::dossier::api::Receipt;

#[component]
pub fn ReceiptPage(code: String) -> impl IntoView {
    let ui = use_ui();
    let Some(r) = drafts::receipts().into_iter().find(|r| r.code == code) else {
        return view! {
            <PageHeading text=Signal::derive(move || ui.t("receipt.missing.title").to_owned()) />
            <p>{ui.tr("receipt.missing.body")}</p>
            <p>
                <a class="button primary" href="/track">
                    {ui.tr("track.title")}
                </a>
            </p>
        }
        .into_any();
    };
    view! { <ReceiptView r track_link=true /> }.into_any()
}

/// The receipt itself, also printed at the desk after an intake (where the
/// link to tracking is left out: the officer's screen is not the citizen's).
#[component]
pub fn ReceiptView(r: Receipt, track_link: bool) -> impl IntoView {
    let ui = use_ui();
    let track = format!("/track/{}#{}", r.code, crate::api::encode(&r.secret, false));
    let received = drafts::show_date(r.received_on);
    let appointment = r.appointment_on.map(drafts::show_date);
    view! {
        <PageHeading id="receipt-title" text=Signal::derive(move || ui.t("receipt.title").to_owned()) />
        <p class="subtitle" lang="vi">{r.procedure_name}</p>
        <section class="receipt-box" aria-labelledby="receipt-code-label">
            <p id="receipt-code-label">{ui.tr("receipt.code")}</p>
            <p id="receipt-code" class="receipt-code">{r.code}</p>
            <p id="receipt-secret-label">{ui.tr("receipt.secret")}</p>
            <p id="receipt-secret" class="receipt-code" aria-labelledby="receipt-secret-label">{r.secret}</p>
            <p class="note">{ui.tr("receipt.keep")}</p>
            // The QR code opens tracking on the citizen's own phone. The SVG is
            // drawn by our submission function from the code and secret alone.
            {(!r.qr_svg.is_empty()).then(|| view! {
                <figure id="receipt-qr" class="receipt-qr">
                    <div role="img" aria-labelledby="receipt-qr-caption" inner_html=r.qr_svg.clone()></div>
                    <figcaption id="receipt-qr-caption">{ui.tr("receipt.qr")}</figcaption>
                </figure>
            })}
        </section>
        <section class="fact" aria-labelledby="receipt-dates">
            <h2 id="receipt-dates">{Icon::Clock.view()} {ui.tr("receipt.dates")}</h2>
            <dl class="pairs">
                <dt>{ui.tr("receipt.received_on")}</dt>
                <dd>{received}</dd>
                <dt>{ui.tr("receipt.appointment")}</dt>
                <dd id="receipt-appointment">
                    {match appointment {
                        Some(d) => view! { <span class="big">{d}</span> }.into_any(),
                        None => view! { <span>{ui.tr("receipt.appointment_desk")}</span> }.into_any(),
                    }}
                </dd>
            </dl>
        </section>
        <section id="documents" class="fact" aria-labelledby="documents-heading">
            <h2 id="documents-heading">{Icon::Document.view()} {ui.tr("receipt.bring")}</h2>
            {document_groups(ui, r.documents_to_bring)}
        </section>
        <p class="form-buttons no-print">
            <button id="print" type="button" class="button" on:click=move |_| {
                let _ = window().print();
            }>
                {ui.tr("receipt.print")}
            </button>
            {track_link.then(|| view! {
                <a id="receipt-track" class="button primary" href=track>
                    {ui.tr("receipt.track")}
                </a>
            })}
        </p>
    }
}
