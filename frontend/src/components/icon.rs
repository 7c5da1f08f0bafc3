//! Small inline SVG icons (no icon font, nothing to download). They sit beside
//! a text label and are hidden from screen readers.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub enum Icon {
    Search,
    Globe,
    TextSize,
    Clock,
    Folder,
    Document,
    Coin,
    Place,
    Check,
    Phone,
    Steps,
    ArrowLeft,
    ArrowRight,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Icon::Search => "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14zM21 21l-5-5",
            Icon::Globe => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM3 12h18M12 3c3.5 3.5 3.5 14.5 0 18M12 3c-3.5 3.5-3.5 14.5 0 18",
            Icon::TextSize => "M2 19l5-14 5 14M4 14h6M14 19l4-10 4 10M15.5 16h5",
            Icon::Clock => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3 2",
            Icon::Folder => "M3 6h6l2 2h10v11H3z",
            Icon::Document => "M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h7",
            Icon::Coin => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM15 9h-4a2 2 0 0 0 0 4h2a2 2 0 0 1 0 4H9M12 6v2M12 16v2",
            Icon::Place => "M12 21s-7-6-7-12a7 7 0 0 1 14 0c0 6-7 12-7 12zM12 7a2 2 0 1 0 0 4a2 2 0 1 0 0-4z",
            Icon::Check => "M4 12l5 5L20 6",
            Icon::Phone => "M7 2h10v20H7zM11 18h2",
            Icon::Steps => "M9 6h12M9 12h12M9 18h12M4 6h1M4 12h1M4 18h1",
            Icon::ArrowLeft => "M20 12H5M11 6l-6 6 6 6",
            Icon::ArrowRight => "M4 12h15M13 6l6 6-6 6",
        }
    }

    pub fn view(self) -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d=self.path()></path>
            </svg>
        }
    }
}
