//! The receipt of a dossier just received: code and secret in large type,
//! the appointment, what to bring and where. The app shows it after its
//! form (and prints it at a kiosk), the server as the answer to its form's
//! last post; each adds its own actions (print, the way to tracking).

use crate::icon::Icon;
use crate::labels::show_date;
use crate::procedure::{document_groups, where_to_go_section};
use crate::ui::Ui;
use leptos::prelude::*;
use motcua_shared::dossier::api::Receipt;

/// Everything under the page's heading (`receipt-title`), then `actions`.
pub fn receipt(ui: Ui, r: Receipt, actions: AnyView) -> impl IntoView {
    let received = show_date(r.received_on);
    let appointment = r.appointment_on.map(show_date);
    view! {
        <p class="subtitle" lang="vi">{r.procedure_name}</p>
        <p id="receipt-status" class="status-line received" data-state="received">
            {Icon::Check.view()}
            <span>{ui.tr("receipt.status.received")}</span>
        </p>
        <section class="receipt-box" aria-labelledby="receipt-code-label">
            <p id="receipt-code-label">{ui.tr("receipt.code")}</p>
            <p id="receipt-code" class="receipt-code">{r.code}</p>
            <p id="receipt-secret-label">{ui.tr("receipt.secret")}</p>
            <p id="receipt-secret" class="receipt-code" aria-labelledby="receipt-secret-label">{r.secret}</p>
            <p class="note">{ui.tr("receipt.keep")}</p>
            // The QR code opens tracking on the citizen's own phone. The SVG is
            // drawn by the portal (`intake::receipt`) from the code and secret alone.
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
        {where_to_go_section(ui, r.where_to_go.into_iter().collect())}
        {actions}
    }
}
