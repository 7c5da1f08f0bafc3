//! The citizen's catalogue app (index.html): search and procedure pages.

#[cfg(target_arch = "wasm32")]
fn main() {
    motcua_frontend::mount(motcua_frontend::app::CatalogueApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("motcua-frontend runs in the browser: build it with `cd frontend && trunk build --release`");
}
