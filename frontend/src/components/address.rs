//! An address question: the province and the commune picked from the
//! official list (fetched from `/api/units`, cached by the browser for a
//! day), then the house, village or hamlet typed. The answer is the text
//! `detail, commune, province` that the shared check and the officer read.

use crate::api::{self, loader, Load};
use crate::components::load_error::LoadError;
use crate::state::Ui;
use leptos::prelude::*;
use motcua_shared::validation::split_address;

#[component]
pub fn AddressInput(
    ui: Ui,
    /// The saved answer (`detail, commune, province`), or "".
    current: String,
    set: Callback<String>,
    #[prop(into)] described_by: Signal<Option<String>>,
    #[prop(into)] invalid: Signal<Option<&'static str>>,
) -> impl IntoView {
    let (detail0, commune0, province0) = split_address(&current).unwrap_or(("", "", ""));
    let detail = RwSignal::new(detail0.to_owned());
    let commune = RwSignal::new(commune0.to_owned());
    let province = RwSignal::new(province0.to_owned());
    let compose = move || {
        let (d, c, p) = (detail.get_untracked(), commune.get_untracked(), province.get_untracked());
        let all_blank = [&d, &c, &p].iter().all(|s| s.trim().is_empty());
        set.run(if all_blank { String::new() } else { format!("{}, {c}, {p}", d.trim()) });
    };
    let (provinces, retry_provinces) = loader(|| Some(()), |_| api::units());
    // The chosen province's code, once the list is here.
    let province_code = Memo::new(move |_| {
        let name = province.get();
        provinces.with(|l| match l {
            Load::Ready(list) => list.iter().find(|u| u.name == name).map(|u| u.code),
            _ => None,
        })
    });
    let (communes, retry_communes) = loader(move || province_code.get(), |code: u32| api::communes(code));
    let province_options = move || {
        provinces.with(|l| match l {
            Load::Ready(list) => list
                .iter()
                .map(|u| {
                    let name = u.name.clone();
                    let selected = province.with_untracked(|p| *p == name);
                    view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let commune_options = move || {
        communes.with(|l| match l {
            Load::Ready(p) => p
                .communes
                .iter()
                .map(|u| {
                    let name = u.name.clone();
                    let selected = commune.with_untracked(|c| *c == name);
                    view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    view! {
        <div class="address">
            <p class="field">
                <label for="answer">{ui.tr("address.province")}</label>
                <select
                    id="answer"
                    class="answer-input"
                    aria-describedby=move || described_by.get()
                    aria-invalid=move || invalid.get()
                    on:change=move |ev| {
                        province.set(event_target_value(&ev));
                        commune.set(String::new());
                        compose();
                    }
                >
                    <option value="">{ui.tr("address.choose")}</option>
                    {province_options}
                </select>
            </p>
            {move || provinces.with(|l| match l {
                Load::Failed(e) => Some(view! { <LoadError error=e.clone() retry=retry_provinces /> }),
                _ => None,
            })}
            <p class="field">
                <label for="answer-commune">{ui.tr("address.commune")}</label>
                <select
                    id="answer-commune"
                    class="answer-input"
                    disabled=move || province_code.get().is_none()
                    on:change=move |ev| {
                        commune.set(event_target_value(&ev));
                        compose();
                    }
                >
                    <option value="">{ui.tr("address.choose")}</option>
                    {commune_options}
                </select>
            </p>
            {move || communes.with(|l| match l {
                Load::Failed(e) if province_code.get().is_some() => {
                    Some(view! { <LoadError error=e.clone() retry=retry_communes /> })
                }
                _ => None,
            })}
            <p class="field">
                <label for="answer-detail">{ui.tr("address.detail")}</label>
                <input
                    id="answer-detail"
                    class="answer-input"
                    type="text"
                    autocomplete="address-line1"
                    prop:value=detail
                    on:input=move |ev| {
                        detail.set(event_target_value(&ev));
                        compose();
                    }
                />
            </p>
        </div>
    }
}
