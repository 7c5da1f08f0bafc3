//! The one-stop desk's app (desk.html, served under /desk).

#[cfg(target_arch = "wasm32")]
fn main() {
    motcua_frontend::mount(motcua_frontend::desk::DeskApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("motcua-desk runs in the browser: build it with `cd frontend && trunk build --release desk.html`");
}
