//! The working-day calendar: the published years, and an editor that
//! publishes one year's days off and make-up working days (from the
//! government's notice), one `YYYY-MM-DD name` a line.

use super::refusals::Form;
use super::{Outcome, field_refusal, outcome_view};
use crate::i18n::fill;
use crate::desk::{api, use_session};
use crate::components::focus::focus_later;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::admin::CalendarYear;
use motcua_shared::dossier::calendar::{Date, Holiday};

/// Ends a line whose date is an estimate, still to check against the notice.
const TO_CHECK: &str = "(?)";

/// The days as the editor shows them: one `YYYY-MM-DD name` a line.
fn lines(days: &[Holiday]) -> String {
    days.iter()
        .map(|h| if h.check { format!("{} {} {TO_CHECK}", h.date, h.name_vi) } else { format!("{} {}", h.date, h.name_vi) })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the lines back; a line that is not `YYYY-MM-DD name` in `year`
/// is refused with its number.
fn read_lines(ui: Ui, list: &str, text: &str, year: i32) -> Result<Vec<Holiday>, String> {
    let mut days = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line = line.trim();
        let number = (n + 1).to_string();
        let (date, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let mut name = name.trim();
        let check = name.ends_with(TO_CHECK);
        if check {
            name = name[..name.len() - TO_CHECK.len()].trim_end();
        }
        let bad = || fill(ui.t("desk.admin.calendar.bad_line"), &[("list", list), ("line", &number), ("text", line)]);
        let date: Date = date.parse().map_err(|_| bad())?;
        if name.is_empty() {
            return Err(bad());
        }
        if date.year() != year {
            let words = [("list", list), ("line", number.as_str()), ("date", &date.to_string()), ("year", &year.to_string())];
            return Err(fill(ui.t("desk.admin.calendar.wrong_year"), &words));
        }
        days.push(Holiday { date, name_vi: name.to_owned(), check });
    }
    Ok(days)
}

/// The published years (`None` while they load) and the editor.
#[component]
pub fn CalendarSection(years: Signal<Option<Vec<CalendarYear>>>, changed: RwSignal<u32>) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let year = RwSignal::new(String::new());
    let days_off = RwSignal::new(String::new());
    let workdays = RwSignal::new(String::new());
    let invalid = RwSignal::new(None::<&'static str>);
    let result = RwSignal::new(None::<Outcome>);
    let busy = StoredValue::new(false);

    let refuse = move |field: Option<&'static str>, text: String| {
        invalid.set(field);
        result.set(Some(Err(text)));
        focus_later("calendar-result");
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_value() {
            return;
        }
        result.set(None);
        invalid.set(None);
        let Ok(number) = year.get_untracked().trim().parse::<i32>() else {
            return refuse(Some("year"), ui.t("desk.admin.calendar.no_year").to_owned());
        };
        let off_label = ui.t("desk.admin.calendar.days_off_label");
        let off = match read_lines(ui, off_label, &days_off.get_untracked(), number) {
            Ok(days) => days,
            Err(text) => return refuse(Some("days_off"), text),
        };
        let work_label = ui.t("desk.admin.calendar.workdays_label");
        let work = match read_lines(ui, work_label, &workdays.get_untracked(), number) {
            Ok(days) => days,
            Err(text) => return refuse(Some("workdays"), text),
        };
        let calendar = CalendarYear { year: number, days_off: off, workdays: work };
        busy.set_value(true);
        spawn_local(async move {
            match api::save_calendar_year(&calendar).await {
                Ok(saved) => {
                    let words = [
                        ("year", saved.year.to_string()),
                        ("days_off", saved.days_off.len().to_string()),
                        ("workdays", saved.workdays.len().to_string()),
                    ];
                    let words: Vec<(&str, &str)> = words.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    result.set(Some(Ok(fill(ui.t("desk.admin.calendar.saved"), &words))));
                    changed.update(|n| *n += 1);
                    focus_later("calendar-result");
                }
                Err(e) => {
                    session.check(&e);
                    let (field, text) = field_refusal(ui, Form::Calendar, &e);
                    let field = match field.as_deref() {
                        Some("year") => Some("year"),
                        Some("workdays") => Some("workdays"),
                        Some(_) => Some("days_off"),
                        None => None,
                    };
                    refuse(field, text);
                }
            }
            busy.set_value(false);
        });
    };

    let edit = move |y: CalendarYear| {
        year.set(y.year.to_string());
        days_off.set(lines(&y.days_off));
        workdays.set(lines(&y.workdays));
        result.set(None);
        invalid.set(None);
        focus_later("calendar-days-off");
    };

    let marked = move |field: &'static str| move || (invalid.get() == Some(field)).then_some("true");

    view! {
        <section id="admin-calendar-section" aria-labelledby="calendar-title">
            <h2 id="calendar-title">{ui.t("desk.admin.calendar")}</h2>
            <p class="hint">{ui.t("desk.admin.calendar.hint")}</p>
            {move || years.get().map(|ys| {
                let items = ys.into_iter().map(|y| {
                    let text = format!("{}: {} {} · {} {}", y.year, y.days_off.len(), ui.t("desk.admin.calendar.days_off"),
                        y.workdays.len(), ui.t("desk.admin.calendar.workdays"));
                    let of = fill(ui.t("desk.admin.calendar.edit_of"), &[("year", &y.year.to_string())]);
                    let number = y.year;
                    view! {
                        <li class="calendar-year" data-year=number>
                            <span>{text}</span> " "
                            <button type="button" class="button calendar-edit" data-year=number on:click=move |_| edit(y.clone())>
                                {ui.t("desk.admin.calendar.edit")}
                                <span class="visually-hidden">" " {of}</span>
                            </button>
                        </li>
                    }
                }).collect_view();
                view! { <ul id="admin-calendar" class="calendar-years">{items}</ul> }
            })}
            <h3 id="calendar-form-title">{ui.t("desk.admin.calendar.form")}</h3>
            <form id="calendar-form" class="desk-form" aria-labelledby="calendar-form-title" on:submit=save>
                <p class="field">
                    <label for="calendar-year">{ui.t("desk.admin.calendar.year")}</label>
                    <input id="calendar-year" type="number" inputmode="numeric" min="2000" max="2200" step="1" required
                        aria-invalid=marked("year") prop:value=year on:input=move |ev| year.set(event_target_value(&ev)) />
                </p>
                <p id="calendar-lines-hint" class="hint">{ui.t("desk.admin.calendar.lines_hint")}</p>
                <p class="field">
                    <label for="calendar-days-off">{ui.t("desk.admin.calendar.days_off_label")}</label>
                    <textarea id="calendar-days-off" rows="8" spellcheck="false" aria-describedby="calendar-lines-hint"
                        aria-invalid=marked("days_off")
                        prop:value=days_off on:input=move |ev| days_off.set(event_target_value(&ev))></textarea>
                </p>
                <p class="field">
                    <label for="calendar-workdays">{ui.t("desk.admin.calendar.workdays_label")}</label>
                    <textarea id="calendar-workdays" rows="3" spellcheck="false" aria-describedby="calendar-lines-hint"
                        aria-invalid=marked("workdays")
                        prop:value=workdays on:input=move |ev| workdays.set(event_target_value(&ev))></textarea>
                </p>
                <button id="save-calendar" type="submit" class="button primary">{ui.t("desk.admin.calendar.save")}</button>
            </form>
            {move || outcome_view("calendar-result", result.get(), invalid.get().map(str::to_owned))}
        </section>
    }
}
