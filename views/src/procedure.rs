//! One procedure in plain language: what to bring, how long, how much, where,
//! what you get. The record itself is Vietnamese only, so its text is marked
//! `lang="vi"` for screen readers whatever the interface language. The page's
//! h1 (the procedure's name) and the "apply" button are the caller's: the app
//! moves the focus to its h1 and asks whether a form exists, the server knows.

use crate::i18n::Lang;
use crate::icon::Icon;
use crate::labels;
use crate::ui::Ui;
use leptos::prelude::*;
use motcua_shared::agency::AgencyPlace;
use motcua_shared::catalogue::{Procedure, ProcedurePage as Page, RequiredDocument};

/// Everything under the procedure's name; `apply` comes right after its
/// subtitle (the online form's button, or nothing).
pub fn details(ui: Ui, page: Page, apply: AnyView) -> impl IntoView {
    let Page { procedure, where_to_go } = page;
    let Procedure {
        code,
        name: _,
        field,
        level,
        online,
        processing_days,
        processing_note,
        steps,
        fees,
        documents,
        agency,
        result,
        legal_basis,
        source,
    } = procedure;
    let not_stated = ui.tr("common.not_stated");
    view! {
        <p class="subtitle">
            <span>{ui.tr("detail.code")} ": " {code}</span>
            " · "
            <span lang="vi">{field}</span>
        </p>
        <Show when=move || ui.lang.get() != Lang::Vi>
            <p class="note">{ui.tr("detail.vi_only")}</p>
        </Show>
        {apply}

        <section id="documents" class="fact" aria-labelledby="documents-heading">
            <h2 id="documents-heading">{Icon::Document.view()} {ui.tr("detail.documents")}</h2>
            {document_groups(ui, documents)}
        </section>

        <section id="time" class="fact" aria-labelledby="time-heading">
            <h2 id="time-heading">{Icon::Clock.view()} {ui.tr("detail.time")}</h2>
            {match (processing_days, processing_note) {
                (None, Some(note)) => view! { <p lang="vi">{note}</p> }.into_any(),
                (days, note) => {
                    view! {
                        <p class="big">{move || labels::days(ui, days)}</p>
                        {note.map(|note| view! { <p lang="vi">{note}</p> })}
                    }
                        .into_any()
                }
            }}
        </section>

        <section id="fees" class="fact" aria-labelledby="fees-heading">
            <h2 id="fees-heading">{Icon::Coin.view()} {ui.tr("detail.fees")}</h2>
            {match fees {
                Some(fees) => view! { <p lang="vi">{fees}</p> }.into_any(),
                None => view! { <p>{not_stated}</p> }.into_any(),
            }}
        </section>

        <section id="where" class="fact" aria-labelledby="where-heading">
            <h2 id="where-heading">{Icon::Place.view()} {ui.tr("detail.where")}</h2>
            <dl class="pairs">
                <dt>{ui.tr("detail.agency")}</dt>
                {match agency {
                    Some(agency) => view! { <dd lang="vi">{agency}</dd> }.into_any(),
                    None => view! { <dd>{not_stated}</dd> }.into_any(),
                }}
                <dt>{ui.tr("filter.level")}</dt>
                <dd>{move || labels::level(ui, level)}</dd>
            </dl>
        </section>

        {where_to_go_section(ui, where_to_go)}

        <section id="result" class="fact" aria-labelledby="result-heading">
            <h2 id="result-heading">{Icon::Check.view()} {ui.tr("detail.result")}</h2>
            {match result {
                Some(result) => view! { <p lang="vi">{result}</p> }.into_any(),
                None => view! { <p>{not_stated}</p> }.into_any(),
            }}
        </section>

        <section id="online" class="fact" aria-labelledby="online-heading">
            <h2 id="online-heading">{Icon::Phone.view()} {ui.tr("detail.online")}</h2>
            <p>{move || labels::online(ui, online)}</p>
        </section>

        {(!steps.is_empty())
            .then(|| {
                view! {
                    <section id="steps" class="fact" aria-labelledby="steps-heading">
                        <h2 id="steps-heading">{Icon::Steps.view()} {ui.tr("detail.steps")}</h2>
                        <ol lang="vi">{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
                    </section>
                }
            })}

        {(!legal_basis.is_empty())
            .then(|| {
                view! {
                    <details id="legal-basis" class="fact">
                        <summary>{ui.tr("detail.legal_basis")}</summary>
                        <ul lang="vi">{legal_basis.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </details>
                }
            })}

        <p class="source">
            <span>{ui.tr("detail.source")} ": "</span>
            {if source.starts_with("https://") || source.starts_with("http://") {
                let href = source.clone();
                view! { <a href=href rel="noopener noreferrer" lang="vi">{source}</a> }.into_any()
            } else {
                view! { <span lang="vi">{source}</span> }.into_any()
            }}
        </p>
    }
}

/// Where to hand in the papers: each receiving agency's name, address,
/// opening hours and phone (a `tel:` link). Nothing when none is listed.
pub fn where_to_go_section(ui: Ui, places: Vec<AgencyPlace>) -> impl IntoView {
    (!places.is_empty()).then(|| {
        view! {
            <section id="where-to-go" class="fact" aria-labelledby="where-to-go-heading">
                <h2 id="where-to-go-heading">{Icon::Place.view()} {ui.tr("detail.where_to_go")}</h2>
                {places.into_iter().map(|p| place(ui, p)).collect_view()}
            </section>
        }
    })
}

fn place(ui: Ui, p: AgencyPlace) -> impl IntoView {
    let phone = p.phone.filter(|n| !n.trim().is_empty()).map(|number| {
        let href = format!("tel:{}", number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>());
        view! {
            <dt>{ui.tr("detail.phone")}</dt>
            <dd><a class="agency-phone" href=href>{number}</a></dd>
        }
    });
    view! {
        <div class="agency-place" data-agency=p.id>
            <h3 class="agency-name" lang="vi">{p.name}</h3>
            <dl class="pairs">
                <dt>{ui.tr("detail.address")}</dt>
                <dd><address class="agency-address" lang="vi">{p.address}</address></dd>
                <dt>{ui.tr("detail.hours")}</dt>
                <dd class="agency-hours" lang="vi">{p.opening_hours}</dd>
                {phone}
            </dl>
        </div>
    }
}

/// Documents under their group headings, in the record's order. One `<li>` per document.
pub fn document_groups(ui: Ui, documents: Vec<RequiredDocument>) -> impl IntoView {
    if documents.is_empty() {
        return view! { <p>{ui.tr("detail.documents_none")}</p> }.into_any();
    }
    let mut groups: Vec<(Option<String>, Vec<RequiredDocument>)> = Vec::new();
    for doc in documents {
        match groups.iter_mut().find(|(group, _)| *group == doc.group) {
            Some((_, list)) => list.push(doc),
            None => groups.push((doc.group.clone(), vec![doc])),
        }
    }
    let titled = groups.iter().any(|(group, _)| group.is_some());
    groups
        .into_iter()
        .map(|(group, docs)| {
            let heading = titled.then(|| match group {
                Some(group) => view! { <h3 lang="vi">{group}</h3> }.into_any(),
                None => view! { <h3>{ui.tr("detail.documents_other")}</h3> }.into_any(),
            });
            view! {
                {heading}
                <ul class="documents">
                    {docs
                        .into_iter()
                        .map(|doc| {
                            view! {
                                <li>
                                    <span lang="vi">{doc.name}</span>
                                    {doc
                                        .copies
                                        .map(|copies| {
                                            view! {
                                                <span class="copies">
                                                    {ui.tr("detail.copies")} ": "
                                                    <span lang="vi">{copies}</span>
                                                </span>
                                            }
                                        })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
        .collect_view()
        .into_any()
}

/// "Apply online": the procedure has an online form.
pub fn apply_link(ui: Ui, code: &str) -> impl IntoView + use<> {
    let href = format!("/procedures/{}/apply", motcua_shared::search::encode(code, false));
    view! {
        <p class="apply">
            <a id="apply" class="button primary apply-button" href=href>
                {Icon::ArrowRight.view()}
                <span>{ui.tr("apply.start")}</span>
            </a>
        </p>
    }
}

/// A link to a procedure code the catalogue does not have (any more).
pub fn unknown_code(ui: Ui, code: String) -> impl IntoView {
    view! {
        <p>{move || crate::i18n::fill(ui.t("detail.not_found.body"), &[("code", &code)])}</p>
        <p>
            <a class="button" href="/">
                {ui.tr("action.go_search")}
            </a>
        </p>
    }
}
