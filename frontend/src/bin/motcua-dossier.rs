//! The citizen's dossier app (dossier.html, for /procedures/{code}/apply,
//! /receipt/… and /track…): the online form, the receipt and tracking.

#[cfg(target_arch = "wasm32")]
fn main() {
    motcua_frontend::mount(motcua_frontend::app::DossierApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("motcua-dossier runs in the browser: build it with `cd frontend && trunk build --release dossier.html`");
}
