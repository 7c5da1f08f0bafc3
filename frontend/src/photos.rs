//! Photos of papers: picked from the camera or gallery, resized and
//! recompressed on the phone (a 6 MB camera photo becomes ~250 KB, which is
//! what 2G/3G can carry), checked by their bytes with the same rule as the
//! function ([`sniff`]), then sent one by one with a progress bar.
//!
//! XMLHttpRequest rather than fetch: fetch reports no upload progress.

use crate::api::{self, FetchError};
use crate::components::icon::Icon;
use crate::components::labels;
use crate::i18n::fill;
use crate::state::Ui;
use gloo_events::EventListener;
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::dossier::attachments::{
    sniff, MediaType, Upload, MAX_ATTACHMENT_BYTES, MAX_FILES_PER_QUESTION, MAX_PICKED_BYTES, RESIZE_TO_PX,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A photo sent to the portal, as the draft remembers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    /// The upload id the submission names.
    pub id: String,
    pub bytes: u64,
    pub media_type: MediaType,
    /// A small JPEG `data:` URL to show it again (none for a PDF).
    #[serde(default)]
    pub thumb: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PhotoError {
    /// Over [`MAX_PICKED_BYTES`], or still over [`MAX_ATTACHMENT_BYTES`] after recompressing (PDF).
    TooLarge,
    /// Neither a photo the browser can read nor a PDF.
    NotAPhoto,
    Send(FetchError),
}

pub fn error_text(ui: Ui, e: &PhotoError) -> String {
    match e {
        PhotoError::TooLarge => ui.t("photo.error.too_large").to_owned(),
        PhotoError::NotAPhoto => ui.t("photo.error.not_a_photo").to_owned(),
        PhotoError::Send(e) => labels::fetch_error(ui, e),
    }
}

/// Resizes a picked file to a JPEG (a PDF goes as it is) and returns its bytes and a thumbnail.
async fn prepare(file: web_sys::File) -> Result<(Vec<u8>, Option<String>), PhotoError> {
    let size = file.size() as usize;
    if size > MAX_PICKED_BYTES {
        return Err(PhotoError::TooLarge);
    }
    if file.type_() == "application/pdf" {
        if size > MAX_ATTACHMENT_BYTES {
            return Err(PhotoError::TooLarge);
        }
        return Ok((blob_bytes(&file).await?, None));
    }
    let bitmap = window().create_image_bitmap_with_blob(&file).map_err(|_| PhotoError::NotAPhoto)?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(bitmap).await.map_err(|_| PhotoError::NotAPhoto)?.unchecked_into();
    let (w, h) = (bitmap.width().max(1), bitmap.height().max(1));
    let scale = (RESIZE_TO_PX as f64 / w.max(h) as f64).min(1.0);
    let draw = |max_w: f64, max_h: f64| -> Result<web_sys::HtmlCanvasElement, PhotoError> {
        let canvas: web_sys::HtmlCanvasElement =
            document().create_element("canvas").map_err(|_| PhotoError::NotAPhoto)?.unchecked_into();
        canvas.set_width(max_w.round().max(1.0) as u32);
        canvas.set_height(max_h.round().max(1.0) as u32);
        let ctx: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .ok_or(PhotoError::NotAPhoto)?
            .unchecked_into();
        // White under transparent PNGs: JPEG has no alpha.
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, max_w, max_h);
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, max_w.round(), max_h.round())
            .map_err(|_| PhotoError::NotAPhoto)?;
        Ok(canvas)
    };
    let canvas = draw(w as f64 * scale, h as f64 * scale)?;
    // Lower the quality until it fits; papers stay readable at 0.6.
    let mut bytes = Vec::new();
    for quality in [0.8, 0.6, 0.45] {
        bytes = blob_bytes(&to_jpeg(&canvas, quality).await?).await?;
        if bytes.len() <= MAX_ATTACHMENT_BYTES {
            break;
        }
    }
    let thumb_scale = 160.0 / w.max(h) as f64;
    let thumb = draw(w as f64 * thumb_scale, h as f64 * thumb_scale)?
        .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.6))
        .ok();
    bitmap.close();
    Ok((bytes, thumb))
}

async fn to_jpeg(canvas: &web_sys::HtmlCanvasElement, quality: f64) -> Result<web_sys::Blob, PhotoError> {
    // gloo has no `toBlob`; the browser calls this once (with null on failure),
    // which frees it.
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &JsValue::from_f64(quality));
    });
    let blob = JsFuture::from(promise).await.map_err(|_| PhotoError::NotAPhoto)?;
    blob.dyn_into::<web_sys::Blob>().map_err(|_| PhotoError::NotAPhoto)
}

async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, PhotoError> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| PhotoError::NotAPhoto)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// `POST /api/uploads` with the bytes; `progress` gets 0.0..=1.0 as they leave.
/// With `queue`, the service worker keeps a photo it cannot send (see `offline`).
async fn send(mut bytes: Vec<u8>, media_type: MediaType, queue: bool, progress: impl Fn(f64) + 'static) -> Result<Upload, FetchError> {
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| FetchError::Network)?;
    xhr.open("POST", "/api/uploads").map_err(|_| FetchError::Network)?;
    let _ = xhr.set_request_header("content-type", media_type.mime());
    if queue && crate::offline::can_queue() {
        let _ = xhr.set_request_header(api::QUEUE_HEADER, "1");
    }
    let on_progress = xhr.upload().ok().map(|upload| {
        EventListener::new(&upload, "progress", move |e| {
            let e: &web_sys::ProgressEvent = e.unchecked_ref();
            if e.length_computable() && e.total() > 0.0 {
                progress(e.loaded() / e.total());
            }
        })
    });
    let mut on_end = None;
    let finished = js_sys::Promise::new(&mut |resolve, _reject| {
        on_end = Some(EventListener::once(&xhr, "loadend", move |_| {
            let _ = resolve.call0(&JsValue::NULL);
        }));
    });
    xhr.send_with_opt_u8_array(Some(&mut bytes)).map_err(|_| FetchError::Network)?;
    let _ = JsFuture::from(finished).await;
    drop((on_progress, on_end)); // both removed now the upload has ended
    let status = xhr.status().unwrap_or(0);
    if status == 0 {
        return Err(FetchError::Network);
    }
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    let body = api::outcome((200..300).contains(&status), status, body)?;
    serde_json::from_str(&body).map_err(|_| FetchError::Unexpected)
}

/// Prepares and sends one picked file.
async fn add(file: web_sys::File, queue: bool, progress: impl Fn(f64) + 'static) -> Result<Photo, PhotoError> {
    let (bytes, thumb) = prepare(file).await?;
    // The function's own check, run here first: no upload the function would refuse.
    let media_type = sniff(&bytes).map_err(|_| PhotoError::NotAPhoto)?;
    let sent = send(bytes, media_type, queue, progress).await.map_err(PhotoError::Send)?;
    Ok(Photo { id: sent.id, bytes: sent.bytes, media_type: sent.media_type, thumb })
}

/// "240 KB"
fn size(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1024))
}

/// The photos of one question (or of a supplement): the list with thumbnails
/// and a remove button each, the progress of the one being sent, and a large
/// button that opens the camera or the gallery.
#[component]
pub fn PhotoPicker(
    ui: Ui,
    photos: RwSignal<Vec<Photo>>,
    /// The id of the file input (the question's `answer`, for labels and focus).
    input_id: &'static str,
    #[prop(into)] described_by: Signal<Option<String>>,
    /// Whether a photo picked with no signal may wait on the device (a
    /// citizen's form: it goes with the dossier from the outbox).
    #[prop(optional)]
    queue: bool,
) -> impl IntoView {
    let sending = RwSignal::new(None::<f64>);
    let failed = RwSignal::new(None::<PhotoError>);
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        // The same file can be picked again after an error.
        input.set_value("");
        failed.set(None);
        spawn_local(async move {
            for file in files {
                if photos.with_untracked(Vec::len) >= MAX_FILES_PER_QUESTION {
                    break;
                }
                sending.set(Some(0.0));
                let result = add(file, queue, move |p| {
                    sending.try_set(Some(p));
                })
                .await;
                sending.try_set(None);
                match result {
                    Ok(photo) => {
                        photos.try_update(|ps| ps.push(photo));
                    }
                    Err(e) => {
                        failed.try_set(Some(e));
                        break;
                    }
                }
            }
        });
    };
    let list = move || {
        photos
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let n = (i + 1).to_string();
                let name = fill(ui.t("photo.item"), &[("n", &n)]);
                let id = p.id.clone();
                view! {
                    <li class="photo">
                        {match p.thumb {
                            Some(src) => view! { <img src=src alt="" width="80" /> }.into_any(),
                            None => Icon::Document.view().into_any(),
                        }}
                        <span>{name.clone()} " · " {size(p.bytes)}</span>
                        <button
                            type="button"
                            class="button remove-photo"
                            on:click=move |_| photos.update(|ps| ps.retain(|x| x.id != id))
                        >
                            {ui.t("photo.remove")}
                            <span class="visually-hidden">" " {name}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="photos">
            <ul class="photo-list">{list}</ul>
            {move || {
                sending
                    .get()
                    .map(|p| {
                        let pct = (p * 100.0).round();
                        view! {
                            <div class="photo-progress" role="status">
                                <label for="photo-progress">{ui.t("photo.sending")}</label>
                                <progress id="photo-progress" max="100" value=pct></progress>
                            </div>
                        }
                    })
            }}
            {move || {
                failed
                    .get()
                    .map(|e| view! { <p id="photo-error" class="field-error" role="alert">{error_text(ui, &e)}</p> })
            }}
            <Show when=move || { photos.with(Vec::len) < MAX_FILES_PER_QUESTION }>
                <input
                    id=input_id
                    class="file-input"
                    type="file"
                    accept="image/*,application/pdf"
                    multiple
                    aria-describedby=move || described_by.get()
                    disabled=move || sending.with(Option::is_some)
                    on:change=on_change
                />
                <label for=input_id class="button primary file-button">
                    {Icon::Camera.view()}
                    <span>{move || if photos.with(Vec::is_empty) { ui.t("photo.add") } else { ui.t("photo.add_more") }}</span>
                </label>
            </Show>
            <p class="hint">{fill(ui.t("photo.limits"), &[("n", &MAX_FILES_PER_QUESTION.to_string())])}</p>
        </div>
    }
}
