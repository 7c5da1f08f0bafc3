//! `/desk/ratings`: for supervisors, satisfaction per officer and per counter
//! by month, and what citizens wrote.

use super::{api, show_time, use_session};
use crate::api::{loader, Load};
use crate::components::faces::choice_name;
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use motcua_shared::ratings::StaffRow;

fn staff_table(ui: Ui, id: &'static str, caption: &'static str, rows: Vec<StaffRow>) -> impl IntoView + use<> {
    let body = rows
        .into_iter()
        .map(|r| {
            let who = r.who.split_once(':').map(|(_, w)| w.to_owned()).unwrap_or(r.who);
            view! {
                <tr>
                    <td>{labels::month(&r.month)}</td>
                    <th scope="row">{who}</th>
                    <td>{labels::percent(r.satisfaction)}</td>
                    <td>{r.ratings.very_satisfied}</td>
                    <td>{r.ratings.satisfied}</td>
                    <td>{r.ratings.not_satisfied}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table id=id class="desk-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{ui.t("dashboard.month")}</th>
                        <th scope="col">{ui.t("staff.who")}</th>
                        <th scope="col">{ui.t("dashboard.satisfaction")}</th>
                        <th scope="col">{ui.t("rating.choice.very_satisfied")}</th>
                        <th scope="col">{ui.t("rating.choice.satisfied")}</th>
                        <th scope="col">{ui.t("rating.choice.not_satisfied")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let (state, retry) = loader(|| Some(()), move |_| async move {
        let r = api::staff_figures().await;
        if let Err(e) = &r {
            session.check(e);
        }
        r
    });
    view! {
        <PageHeading text=Signal::derive(move || ui.t("staff.title").to_owned()) />
        {move || state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
            Load::Ready(f) => {
                let comments = f.comments.iter().map(|c| view! {
                    <li>
                        <p class="hint">
                            {show_time(&c.at)}
                            {c.officer.clone().map(|o| format!(" · {o}"))}
                            {c.overall.map(|o| format!(" · {}", choice_name(ui, o)))}
                        </p>
                        <blockquote lang="vi">{c.comment.clone()}</blockquote>
                    </li>
                }).collect_view();
                view! {
                    {staff_table(ui, "staff-officers", ui.t("staff.officers"), f.officers.clone())}
                    {staff_table(ui, "staff-counters", ui.t("staff.counters"), f.counters.clone())}
                    <section class="fact" aria-labelledby="comments-title">
                        <h2 id="comments-title">{ui.t("staff.comments")}</h2>
                        {if f.comments.is_empty() {
                            view! { <p>{ui.t("staff.no_comments")}</p> }.into_any()
                        } else {
                            view! { <ul id="staff-comments" class="link-list">{comments}</ul> }.into_any()
                        }}
                    </section>
                }.into_any()
            }
        })}
    }
}
