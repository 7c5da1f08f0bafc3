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
    Person,
    Calendar,
    IdCard,
    Home,
    Camera,
    Heart,
    Baby,
    Rings,
    Building,
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
            Icon::Person => "M12 3a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM4 21c0-4 4-7 8-7s8 3 8 7",
            Icon::Calendar => "M4 6h16v15H4zM4 10h16M8 3v5M16 3v5",
            Icon::IdCard => "M3 5h18v14H3zM7 9a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM5 17c0-2 4-2 4 0M13 10h5M13 14h5",
            Icon::Home => "M3 11l9-8 9 8M5 10v11h14V10M10 21v-6h4v6",
            Icon::Camera => "M3 7h4l2-3h6l2 3h4v13H3zM12 10a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z",
            Icon::Heart => "M12 20s-8-5-8-11a4.5 4.5 0 0 1 8-2.5A4.5 4.5 0 0 1 20 9c0 6-8 11-8 11z",
            Icon::Baby => "M12 4a5 5 0 1 0 0 10a5 5 0 1 0 0-10zM10 9h.01M14 9h.01M10.5 11.5c1 .7 2 .7 3 0M7 21c0-3 2-5 5-5s5 2 5 5",
            Icon::Rings => "M9 8a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM15 4a6 6 0 1 0 0 12a6 6 0 1 0 0-12z",
            Icon::Building => "M4 21V5l8-3 8 3v16M2 21h20M8 9h2M14 9h2M8 13h2M14 13h2M10 21v-4h4v4",
        }
    }

    /// A form question's icon by its name in the form file (one of
    /// `motcua_shared::forms::ICONS`).
    pub fn for_question(name: &str) -> Option<Icon> {
        Some(match name {
            "person" => Icon::Person,
            "calendar" => Icon::Calendar,
            "id_card" => Icon::IdCard,
            "phone" => Icon::Phone,
            "home" => Icon::Home,
            "map" => Icon::Place,
            "document" => Icon::Document,
            "camera" => Icon::Camera,
            "heart" => Icon::Heart,
            "baby" => Icon::Baby,
            "rings" => Icon::Rings,
            "money" => Icon::Coin,
            "building" => Icon::Building,
            _ => return None,
        })
    }

    pub fn view(self) -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d=self.path()></path>
            </svg>
        }
    }
}
