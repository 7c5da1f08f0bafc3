//! The official list of provinces and communes (wards) since the July 2025
//! rearrangement: `seed/administrative-units.json`, a verbatim copy of
//! `shared/data/administrative-units.json` (General Statistics Office codes).
//! The catalogue serves it to the address pickers; the submission function
//! checks addresses against it.

use motcua_shared::catalogue::{ProvinceUnits, Unit};
use serde::Deserialize;
use std::sync::OnceLock;

const UNITS_JSON: &str = include_str!("../seed/administrative-units.json");

#[derive(Deserialize)]
struct File {
    provinces: Vec<ProvinceUnits>,
}

/// Every province with its communes, in the file's order (parsed once per instance).
pub fn provinces() -> &'static [ProvinceUnits] {
    static ALL: OnceLock<Vec<ProvinceUnits>> = OnceLock::new();
    ALL.get_or_init(|| serde_json::from_str::<File>(UNITS_JSON).map(|f| f.provinces).unwrap_or_default())
}

/// The provinces alone, sorted by name the way Vietnamese readers look for
/// them (the leading "Thành phố" of the five cities ignored).
pub fn province_list() -> Vec<Unit> {
    let mut list: Vec<Unit> = provinces().iter().map(|p| Unit { code: p.code, name: p.name.clone() }).collect();
    list.sort_by_cached_key(|u| sort_key(&u.name));
    list
}

/// A province with its communes sorted by name.
pub fn province(code: u32) -> Option<ProvinceUnits> {
    let p = provinces().iter().find(|p| p.code == code)?;
    let mut communes = p.communes.clone();
    communes.sort_by_cached_key(|u| sort_key(&u.name));
    Some(ProvinceUnits { code: p.code, name: p.name.clone(), communes })
}

/// Whether `commune` is the exact name of a commune of `province`.
pub fn has(province: &str, commune: &str) -> bool {
    provinces().iter().any(|p| p.name == province && p.communes.iter().any(|c| c.name == commune))
}

/// Sorts without the unit's kind ("Xã", "Phường", "Đặc khu", "Thành phố") and accents first differing by letter.
fn sort_key(name: &str) -> String {
    let bare = ["Thành phố ", "Xã ", "Phường ", "Đặc khu "].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name);
    motcua_shared::text::fold(bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_34_provinces_and_3321_communes() {
        assert_eq!(provinces().len(), 34);
        assert_eq!(provinces().iter().map(|p| p.communes.len()).sum::<usize>(), 3321);
        assert!(has("Lào Cai", "Xã Mù Cang Chải"));
        assert!(!has("Cao Bằng", "Xã Mù Cang Chải"));
        assert!(!has("Lào Cai", "Mù Cang Chải"));
    }

    #[test]
    fn lists_are_sorted_by_name_without_the_kind() {
        let list = province_list();
        assert_eq!(list.len(), 34);
        assert_eq!(list[0].name, "An Giang");
        let hanoi = list.iter().position(|u| u.name == "Thành phố Hà Nội").unwrap();
        let ha_tinh = list.iter().position(|u| u.name == "Hà Tĩnh").unwrap();
        assert!(hanoi.abs_diff(ha_tinh) <= 2, "Hà Nội sorts under H");
        let lao_cai = list.iter().find(|u| u.name == "Lào Cai").unwrap().code;
        let communes = province(lao_cai).unwrap().communes;
        assert!(communes.windows(2).all(|w| sort_key(&w[0].name) <= sort_key(&w[1].name)));
        assert!(province(9999).is_none());
    }
}
